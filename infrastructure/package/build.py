"""Build the merge template, run ``chalice package``, check the result; the CLI."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from infrastructure.package.bytecode import add_bytecode
from infrastructure.package.environment import API_ONLY, code_environment
from infrastructure.package.functions import FUNCTIONS
from infrastructure.package.iam import role_policy
from infrastructure.package.tables import models_by_logical, resource_name, table_resource

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "infrastructure" / "template.yaml"


def load_yaml_template(path: Path) -> dict[str, Any]:
    """The YAML merge template with ``!Ref``/``!Sub``/... as CloudFormation JSON forms."""
    from chalice.package import YAMLTemplateSerializer

    return dict(YAMLTemplateSerializer().load_template(path.read_text(encoding="utf-8"), str(path)))


def chalice_config() -> dict[str, Any]:
    return dict(json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8")))


def build_merge_template(stage: str, origin: str) -> dict[str, Any]:
    """``template.yaml`` + generated tables, role policies, environments and parameter defaults."""
    template = load_yaml_template(TEMPLATE)
    config = chalice_config()
    resources = template.setdefault("Resources", {})
    models = models_by_logical()
    for logical, model in models.items():
        name = resource_name(logical)
        if name in resources:
            raise SystemExit(f"{name} is generated from the models; remove it from {TEMPLATE.name}")
        resources[name] = table_resource(model)
    env = code_environment(config.get("websocket_api_stage", "api"))
    for function, role in FUNCTIONS.values():
        fn = resources.setdefault(function, {})
        variables = fn.setdefault("Properties", {}).setdefault("Environment", {}).setdefault("Variables", {})
        variables.update(env)
        if function == "APIHandler":
            variables.update(API_ONLY)
        resources.setdefault(role, {}).setdefault("Properties", {})["Policies"] = [role_policy(function, models)]
    params = template["Parameters"]
    params["Stage"]["Default"] = stage
    params["TablePrefix"]["Default"] = f"incident-{stage}"
    params["AllowedOrigin"]["Default"] = origin
    params["JwtSecretParameter"]["Default"] = f"/incident-response/{stage}/jwt-secret"
    return template


def check_packaged(template: dict[str, Any]) -> list[str]:
    """Problems in the packaged template (empty when fine)."""
    problems = []
    text = json.dumps(template)
    if "000000000000" in text or "/stream/placeholder" in text:
        problems.append("a placeholder stream ARN was not overridden")
    for function, role in FUNCTIONS.values():
        policies = template["Resources"].get(role, {}).get("Properties", {}).get("Policies", [])
        if [p.get("PolicyName") for p in policies] != [f"{function}Policy"]:
            problems.append(f"{role}: the policy file was not replaced by the generated policy")
    for name, resource in template["Resources"].items():
        if resource.get("Type") in {"AWS::Serverless::Function", "AWS::Lambda::Function"}:
            role = resource["Properties"].get("Role")
            if not (isinstance(role, dict) and role.get("Fn::GetAtt", [""])[0] in {r for _, r in FUNCTIONS.values()}):
                problems.append(f"{name}: unexpected role {role!r}")
    return problems


def package(stage: str, origin: str, out: Path, region: str | None = None) -> Path:
    """Build ``out/sam.json`` and ``out/deployment.zip``; returns the template path."""
    if stage not in chalice_config().get("stages", {}):
        raise SystemExit(f"unknown stage {stage!r} (see .chalice/config.json)")
    if not re.fullmatch(r"https?://[^/*\s]+", origin):
        raise SystemExit("ALLOWED_ORIGIN must be the SPA origin, e.g. https://d111111abcdef8.cloudfront.net "
                         "(scheme and host, no path, never *)")
    merge = build_merge_template(stage, origin)
    env = dict(os.environ)
    env["CORS_ALLOW_ORIGIN"] = origin  # app.py bakes it into the REST API definition
    env.setdefault("AWS_DEFAULT_REGION", region or env.get("AWS_REGION") or "us-east-1")
    chalice = Path(sys.executable).with_name("chalice")
    with tempfile.TemporaryDirectory() as tmp:
        merge_file = Path(tmp) / "merge-template.json"
        merge_file.write_text(json.dumps(merge, indent=1, ensure_ascii=False), encoding="utf-8")
        staging = Path(tmp) / "out"
        subprocess.run([str(chalice) if chalice.exists() else "chalice", "package", "--stage", stage,
                        "--merge-template", str(merge_file), str(staging)],
                       cwd=ROOT, env=env, check=True)
        add_bytecode(staging / "deployment.zip")  # a faster cold start (see bytecode.py)
        out.mkdir(parents=True, exist_ok=True)
        for item in staging.iterdir():
            shutil.copy2(item, out / item.name)
        shutil.copy2(merge_file, out / "merge-template.json")
    sam = out / "sam.json"
    problems = check_packaged(json.loads(sam.read_text(encoding="utf-8")))
    if problems:
        raise SystemExit("packaged template rejected:\n  " + "\n  ".join(problems))
    return sam


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--stage", default=os.environ.get("STAGE", "dev"))
    parser.add_argument("--origin", default=os.environ.get("ALLOWED_ORIGIN", ""),
                        help="the SPA origin for CORS (env ALLOWED_ORIGIN)")
    parser.add_argument("--out", default="out", help="output directory (default: out)")
    parser.add_argument("--region", default=None, help="region for chalice (does not end up in the template)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    sam = package(args.stage, args.origin, Path(args.out), args.region)
    zip_size = (sam.parent / "deployment.zip").stat().st_size
    print(f"packaged {sam} and deployment.zip ({zip_size / 1e6:.1f} MB) for stage {args.stage}, CORS origin {args.origin}")
    print("next: aws cloudformation package --template-file", sam, "--s3-bucket <artifact bucket> "
          "--output-template-file", sam.parent / "packaged.yaml")
    print("      aws cloudformation deploy --template-file", sam.parent / "packaged.yaml",
          f"--stack-name incident-response-{args.stage} --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND "
          "--parameter-overrides AdUrls=... AdBaseDn=... AdUpnSuffix=... AdNetbiosDomain=...")
    return 0
