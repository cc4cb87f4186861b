"""Package the app for CloudFormation: ``python -m infrastructure.package --stage dev --origin https://...``.

1. Builds the merge template: ``infrastructure/template.yaml`` plus what is derived from the
   code so it cannot drift —
   * one DynamoDB table per registered pynamodb model (keys, GSIs/LSIs, stream, TTL, PITR,
     on-demand), named ``${TablePrefix}-<logical name>``;
   * one least-privilege IAM policy per function (:data:`ACCESS`), replacing the policy file
     Chalice puts on each role (``autogen_policy: false`` in ``.chalice/config.json``);
   * the environment of every function: every setting ``chalicelib.core.settings`` reads,
     from a template parameter/resource or the code's default.
2. Runs ``chalice package --merge-template <that> --stage <stage> <out>`` with
   ``CORS_ALLOW_ORIGIN=<origin>`` (the REST API's CORS headers are fixed at package time).
3. Checks the result (every role's policy replaced, no placeholder ARN left) and prints
   what to run next. ``<out>/sam.json`` + ``<out>/deployment.zip`` go to
   ``aws cloudformation package`` / ``deploy``.

Development-only code: nothing under ``infrastructure/`` is packaged into the Lambda zip.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import fields
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "infrastructure" / "template.yaml"
SETTINGS_SOURCE = ROOT / "chalicelib" / "core" / "settings.py"

# Chalice function name → CloudFormation logical id of the function and of its role.
FUNCTIONS = {
    "api_handler": ("APIHandler", "ApiHandlerRole"),
    "websocket_connect": ("WebsocketConnect", "WebsocketConnectRole"),
    "websocket_message": ("WebsocketMessage", "WebsocketMessageRole"),
    "websocket_disconnect": ("WebsocketDisconnect", "WebsocketDisconnectRole"),
    "message_fanout": ("MessageFanout", "MessageFanoutRole"),
    "membership_fanout": ("MembershipFanout", "MembershipFanoutRole"),
}

READ = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:ConditionCheckItem"]
WRITE = READ + ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]
STREAM_READ = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
               "dynamodb:ListStreams"]

# Which tables each function may touch. Keys are logical table names or ``domain:<pkg>``
# (every model of ``chalicelib.<pkg>.models``, so a new table of a domain is covered) or
# ``*`` (every table not named otherwise for that function). "rw" / "r".
# The integration test replays the unit suite and checks every DynamoDB call each handler
# makes is allowed here.
ACCESS: dict[str, dict[str, Any]] = {
    "APIHandler": {
        "tables": {"*": "rw", "connections": "r"},
        "ssm_jwt": True, "files_bucket": True, "vpc": True,
    },
    "WebsocketConnect": {
        # ?room_id= subscribes at connect (membership checked first)
        "tables": {"ws-tickets": "rw", "sessions": "r", "users": "r", "domain:realtime": "rw", "domain:rooms": "r"},
    },
    "WebsocketMessage": {
        "tables": {"domain:messaging": "rw", "domain:realtime": "rw", "domain:rooms": "r",
                   "domain:files": "r", "sessions": "r", "users": "r"},
        "manage_connections": True,
    },
    "WebsocketDisconnect": {
        "tables": {"domain:realtime": "rw"},
        "manage_connections": True,
    },
    "MessageFanout": {
        # delivery, the derived search terms / incident data points of each message, and the
        # room title / sender name that make a mention notification readable
        "tables": {"domain:realtime": "rw", "messages": "r", "incident-points": "rw", "search-terms": "rw",
                   "rooms": "r", "users": "r"},
        "streams": ["messages"], "manage_connections": True, "failure_queue": True,
    },
    "MembershipFanout": {
        "tables": {"domain:realtime": "rw"},
        "streams": ["memberships"], "manage_connections": True, "failure_queue": True,
    },
}

# Settings that are never set on AWS: local-stack plumbing or provided by Lambda itself.
LOCAL_ONLY = {"AWS_REGION", "AWS_DEFAULT_REGION", "DYNAMODB_ENDPOINT", "JWT_SECRET", "DEV_DIRECTORY_FILE",
              "WS_MANAGEMENT_ENDPOINT", "LDAP_CA_FILE"}
# Secrets given to the REST function only (the only one talking to the files store).
API_ONLY = {"S3_ACCESS_KEY_ID": {"Fn::If": ["UseMinio", {"Ref": "S3AccessKeyId"}, ""]},
            "S3_SECRET_ACCESS_KEY": {"Fn::If": ["UseMinio", {"Ref": "S3SecretAccessKey"}, ""]}}


def shared_environment(websocket_stage: str) -> dict[str, Any]:
    """Env vars of every function bound to template parameters/resources."""
    return {
        "TABLE_PREFIX": {"Ref": "TablePrefix"},
        "JWT_SECRET_PARAMETER": {"Ref": "JwtSecretParameter"},
        "DIRECTORY_MODE": "ldap",
        "LDAP_URLS": {"Ref": "AdUrls"},
        "LDAP_BASE_DN": {"Ref": "AdBaseDn"},
        "LDAP_UPN_SUFFIX": {"Ref": "AdUpnSuffix"},
        "LDAP_NETBIOS_DOMAIN": {"Ref": "AdNetbiosDomain"},
        "LDAP_TLS": {"Ref": "AdTls"},
        "LDAP_VALIDATE_CERT": "true",
        "LDAP_CA_PEM": {"Ref": "AdCaPem"},
        "ADMIN_EMAILS": {"Ref": "AdminEmails"},
        "ADMIN_GROUP": {"Ref": "AdminGroup"},
        "WEBSOCKET_API_ID": {"Ref": "WebsocketAPI"},
        "WEBSOCKET_STAGE": websocket_stage,
        "CORS_ALLOW_ORIGIN": {"Ref": "AllowedOrigin"},
        "FILES_BUCKET": {"Fn::If": ["UseS3", {"Ref": "FilesBucket"}, {"Ref": "FilesBucketName"}]},
        "S3_ENDPOINT": {"Ref": "MinioEndpoint"},
        "S3_PUBLIC_ENDPOINT": {"Ref": "MinioPublicEndpoint"},
        "S3_REGION": {"Fn::If": ["UseMinio", {"Ref": "MinioRegion"}, {"Ref": "AWS::Region"}]},
        "S3_ADDRESSING_STYLE": {"Ref": "S3AddressingStyle"},
        "POWERTOOLS_LOG_LEVEL": "INFO",
    }


def settings_env_names() -> dict[str, str]:
    """Env var → Settings field, read from ``load_settings`` (``field=_int("NAME", ...)``)."""
    source = SETTINGS_SOURCE.read_text(encoding="utf-8")
    pairs = re.findall(r"(\w+)=\s*_(?:env|int|float|list|bool)\(\"([A-Z0-9_]+)\"", source)
    names = {env: field for field, env in pairs}
    for env in re.findall(r"_env\(\"([A-Z0-9_]+)\"\)", source):  # e.g. region=_env("AWS_REGION") or ...
        names.setdefault(env, "")
    return names


def code_environment(websocket_stage: str) -> dict[str, Any]:
    """The shared environment plus every other setting at the code's default value."""
    from chalicelib.core.settings import Settings

    defaults = {f.name: f.default for f in fields(Settings)}
    env = shared_environment(websocket_stage)
    for name, field in settings_env_names().items():
        if name in env or name in LOCAL_ONLY or name in API_ONLY:
            continue
        value = defaults.get(field, "")
        if isinstance(value, tuple):
            value = ",".join(value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        env[name] = "" if value is None else str(value)
    return env


# ------------------------------------------------------------------------------- tables
# Tables whose loss costs nothing but a re-login / reconnect; every other table is retained
# when the stack is deleted (and protected from deletion in prod).
EPHEMERAL_TABLES = {"sessions", "refresh-tokens", "login-failures", "ws-tickets", "connections", "subscriptions"}

def resource_name(logical: str) -> str:
    """``refresh-tokens`` → ``RefreshTokensTable``."""
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", logical) if part) + "Table"


def _keys(key_schema: list[dict[str, str]]) -> list[dict[str, str]]:
    order = {"HASH": 0, "RANGE": 1}
    return [{"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]}
            for k in sorted(key_schema, key=lambda k: order[k["KeyType"]])]


def _projection(projection: dict[str, Any]) -> dict[str, Any]:
    out = {"ProjectionType": projection["ProjectionType"]}
    if projection.get("NonKeyAttributes"):
        out["NonKeyAttributes"] = list(projection["NonKeyAttributes"])
    return out


def table_resource(model: Any) -> dict[str, Any]:
    """The ``AWS::DynamoDB::Table`` of one pynamodb model."""
    from pynamodb.attributes import TTLAttribute

    schema = model._get_schema()
    logical = model.Meta.logical_name
    props: dict[str, Any] = {
        "TableName": {"Fn::Sub": "${TablePrefix}-" + logical},
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": sorted(
            ({"AttributeName": a["AttributeName"], "AttributeType": a["AttributeType"]}
             for a in schema["attribute_definitions"]), key=lambda a: a["AttributeName"]),
        "KeySchema": _keys(schema["key_schema"]),
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
    }
    gsis = sorted(schema.get("global_secondary_indexes") or [], key=lambda i: i["index_name"])
    if gsis:
        props["GlobalSecondaryIndexes"] = [
            {"IndexName": i["index_name"], "KeySchema": _keys(i["key_schema"]),
             "Projection": _projection(i["projection"])} for i in gsis]
    lsis = sorted(schema.get("local_secondary_indexes") or [], key=lambda i: i["index_name"])
    if lsis:
        props["LocalSecondaryIndexes"] = [
            {"IndexName": i["index_name"], "KeySchema": _keys(i["key_schema"]),
             "Projection": _projection(i["projection"])} for i in lsis]
    stream = getattr(model.Meta, "stream_view_type", None)
    if stream:
        props["StreamSpecification"] = {"StreamViewType": stream}
    ttl = [attr.attr_name for attr in model.get_attributes().values() if isinstance(attr, TTLAttribute)]
    if ttl:
        props["TimeToLiveSpecification"] = {"AttributeName": ttl[0], "Enabled": True}
    resource: dict[str, Any] = {"Type": "AWS::DynamoDB::Table", "Properties": props}
    if logical not in EPHEMERAL_TABLES:  # durable data (rooms, messages, files, audit): kept on stack deletion
        props["DeletionProtectionEnabled"] = {"Fn::If": ["IsProd", True, False]}
        resource["DeletionPolicy"] = "Retain"
        resource["UpdateReplacePolicy"] = "Retain"
    return resource


def models_by_logical() -> dict[str, Any]:
    from chalicelib import tables

    return {m.Meta.logical_name: m for m in tables.MODELS}


# --------------------------------------------------------------------------------- IAM
def table_grants(spec: dict[str, str], models: dict[str, Any]) -> dict[str, str]:
    """Logical table → "rw"/"r" for one function's ``tables`` spec."""
    grants: dict[str, str] = {}
    named: set[str] = set()
    for key, level in spec.items():
        if key.startswith("domain:"):
            pkg = key.split(":", 1)[1]
            for logical, model in models.items():
                if model.__module__ == f"chalicelib.{pkg}.models":
                    grants[logical] = level
                    named.add(logical)
        elif key != "*":
            if key not in models:
                raise SystemExit(f"ACCESS names an unknown table {key!r}")
            grants[key] = level
            named.add(key)
    if "*" in spec:
        for logical in models:
            if logical not in named:
                grants[logical] = spec["*"]
    return grants


def _arn(service: str, rest: str) -> dict[str, str]:
    return {"Fn::Sub": f"arn:${{AWS::Partition}}:{service}:${{AWS::Region}}:${{AWS::AccountId}}:{rest}"}


def role_policy(function: str, models: dict[str, Any]) -> dict[str, Any]:
    """The one inline policy of a function's role."""
    spec = ACCESS[function]
    statements: list[Any] = [
        {"Sid": "Logs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": {"Fn::GetAtt": [f"{function}LogGroup", "Arn"]}},
        {"Sid": "Tracing", "Effect": "Allow", "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
         "Resource": "*"},  # X-Ray has no resource-level permissions
    ]
    grants = table_grants(spec.get("tables", {}), models)
    for level, actions in (("rw", WRITE), ("r", READ)):
        resources: list[Any] = []
        for logical in sorted(t for t, lvl in grants.items() if lvl == level):
            name = resource_name(logical)
            resources.append({"Fn::GetAtt": [name, "Arn"]})
            schema = models[logical]._get_schema()
            if schema.get("global_secondary_indexes") or schema.get("local_secondary_indexes"):
                resources.append({"Fn::Sub": "${" + name + ".Arn}/index/*"})
        if resources:
            statements.append({"Sid": "TablesReadWrite" if level == "rw" else "TablesRead", "Effect": "Allow",
                               "Action": actions, "Resource": resources})
    for logical in spec.get("streams", []):
        statements.append({"Sid": "Stream" + resource_name(logical), "Effect": "Allow", "Action": STREAM_READ,
                           "Resource": {"Fn::Sub": "${" + resource_name(logical) + ".Arn}/stream/*"}})
    if spec.get("manage_connections"):
        statements.append({"Sid": "WebSocketConnections", "Effect": "Allow",
                           "Action": ["execute-api:ManageConnections"],
                           "Resource": _arn("execute-api", "${WebsocketAPI}/*/POST/@connections/*")})
    if spec.get("failure_queue"):
        statements.append({"Sid": "StreamFailures", "Effect": "Allow", "Action": ["sqs:SendMessage"],
                           "Resource": {"Fn::GetAtt": ["StreamFailuresQueue", "Arn"]}})
    if spec.get("ssm_jwt"):
        statements.append({"Sid": "SigningKey", "Effect": "Allow", "Action": ["ssm:GetParameter"],
                           "Resource": _arn("ssm", "parameter${JwtSecretParameter}")})
        statements.append({"Fn::If": ["HasKmsKey", {
            "Sid": "SigningKeyDecrypt", "Effect": "Allow", "Action": ["kms:Decrypt"],
            "Resource": {"Ref": "JwtSecretKmsKeyArn"}}, {"Ref": "AWS::NoValue"}]})
    if spec.get("files_bucket"):
        statements.append({"Fn::If": ["UseS3", {
            "Sid": "FilesObjects", "Effect": "Allow",
            "Action": ["s3:PutObject", "s3:GetObject", "s3:DeleteObject",
                       "s3:PutObjectTagging", "s3:GetObjectTagging"],  # soft delete tags the object
            "Resource": [{"Fn::Sub": "${FilesBucket.Arn}/rooms/*"}, {"Fn::Sub": "${FilesBucket.Arn}/uploads/*"}],
        }, {"Ref": "AWS::NoValue"}]})
        statements.append({"Fn::If": ["UseS3", {
            "Sid": "FilesBucket", "Effect": "Allow", "Action": ["s3:ListBucket"],  # HeadObject: 404, not 403
            "Resource": {"Fn::GetAtt": ["FilesBucket", "Arn"]},
            "Condition": {"StringLike": {"s3:prefix": ["rooms/*", "uploads/*"]}},
        }, {"Ref": "AWS::NoValue"}]})
    if spec.get("vpc"):
        statements.append({"Fn::If": ["UseVpc", {
            "Sid": "VpcNetworkInterfaces", "Effect": "Allow",
            "Action": ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
                       "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
            "Resource": "*",  # ENI management has no resource-level permissions for Describe*
        }, {"Ref": "AWS::NoValue"}]})
    return {"PolicyName": f"{function}Policy", "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}


# ---------------------------------------------------------------------------- template
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


if __name__ == "__main__":
    sys.exit(main())
