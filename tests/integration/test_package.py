"""``make package`` output: one CloudFormation template that cfn-lint accepts and that matches the code.

Packages the app (``python -m infrastructure.package``, what ``make package`` runs) into a
temporary directory once, then checks the template against the pynamodb models, the
settings the code reads, and — by replaying the WebSocket/stream unit tests with every
AWS call recorded per Lambda handler — that each function's IAM policy allows exactly the
DynamoDB/S3 calls its code makes.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
ORIGIN = "https://spa.example.test"
FUNCTIONS = ["APIHandler", "WebsocketConnect", "WebsocketMessage", "WebsocketDisconnect", "MessageFanout",
             "SearchIndex", "MembershipFanout", "Escalate", "NotificationFanout", "RoomEvents", "OutboundDeliveries",
             "FanoutChunks"]


@pytest.fixture(scope="module")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("package") / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TABLE_PREFIX", "CORS_"))}
    result = subprocess.run([sys.executable, "-m", "infrastructure.package", "--stage", "prod", "--origin", ORIGIN,
                             "--out", str(out)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    size = (out / "deployment.zip").stat().st_size
    print(f"\ndeployment.zip: {size / 1e6:.1f} MB")
    assert size < 50 * 1024 * 1024, "over Lambda's 50 MB direct-upload limit"
    return out / "sam.json"


@pytest.fixture(scope="module")
def template(packaged: Path) -> dict[str, Any]:
    return dict(json.loads(packaged.read_text(encoding="utf-8")))


def _resources(template: dict[str, Any], kind: str) -> dict[str, Any]:
    return {name: r for name, r in template["Resources"].items() if r["Type"] == kind}


def test_cfn_lint_finds_no_errors(packaged: Path) -> None:
    result = subprocess.run([str(Path(sys.executable).with_name("cfn-lint")), "--format", "json", str(packaged)],
                            capture_output=True, text=True, timeout=120)
    findings = json.loads(result.stdout or "[]")
    errors = [f for f in findings if f["Level"] == "Error"]
    for finding in findings:
        print(f"cfn-lint {finding['Level']} {finding['Rule']['Id']}: {finding['Message']}")
    assert not errors, errors


def test_the_package_ships_bytecode_that_is_used_without_its_sources_times(packaged: Path,
                                                                           tmp_path: Path) -> None:
    import importlib.util
    import zipfile

    with zipfile.ZipFile(packaged.parent / "deployment.zip") as package:
        names = set(package.namelist())
        package.extractall(tmp_path)
    sources = [n for n in names if n.endswith(".py") and (n == "app.py" or n.startswith("chalicelib/"))]
    assert len(sources) > 100
    for source in sources:
        assert Path(importlib.util.cache_from_source(source)).as_posix() in names, source
    header = (tmp_path / "__pycache__" / f"app.{sys.implementation.cache_tag}.pyc").read_bytes()[:8]
    assert header[:4] == importlib.util.MAGIC_NUMBER
    assert int.from_bytes(header[4:8], "little") == 0b01  # PEP 552: hash-based, source not checked
    # Lambda's file times are the zip's; the bytecode is used whatever they are
    for source in sources:
        os.utime(tmp_path / source, (1, 1))
    code = "import app, chalicelib.timeline.ids as ids; print(app.__spec__.cached); print(ids.__file__)"
    env = {"PATH": os.environ.get("PATH", "")}
    result = subprocess.run([sys.executable, "-E", "-s", "-B", "-v", "-c", code], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    loaded = [line for line in result.stderr.splitlines() if line.startswith("# code object from")]
    for module in ("__pycache__/app.", "chalicelib/timeline/__pycache__/ids.", "chalice/__pycache__/app."):
        assert any(module in line for line in loaded), module


def test_every_model_has_its_table(template: dict[str, Any]) -> None:
    from pynamodb.attributes import TTLAttribute

    from chalicelib.tables import MODELS

    generated = {r["Properties"]["TableName"]["Fn::Sub"]: r["Properties"]
                 for r in _resources(template, "AWS::DynamoDB::Table").values()}
    models = MODELS
    assert len(generated) == len(models)
    for model in models:
        props = generated.get("${TablePrefix}-" + model.Meta.logical_name)
        assert props is not None, f"no table for {model.__name__}"
        schema = model._get_schema()
        assert props["BillingMode"] == "PAY_PER_REQUEST"
        assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
        assert sorted(map(str, props["KeySchema"])) == sorted(
            str({"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]}) for k in schema["key_schema"])
        defined = {a["AttributeName"]: a["AttributeType"] for a in props["AttributeDefinitions"]}
        assert defined == {a["AttributeName"]: a["AttributeType"] for a in schema["attribute_definitions"]}
        for kind, key in (("global_secondary_indexes", "GlobalSecondaryIndexes"),
                          ("local_secondary_indexes", "LocalSecondaryIndexes")):
            expected = {i["index_name"]: (sorted(map(str, i["key_schema"])), i["projection"]["ProjectionType"])
                        for i in schema.get(kind) or []}
            actual = {i["IndexName"]: (sorted(map(str, i["KeySchema"])), i["Projection"]["ProjectionType"])
                      for i in props.get(key) or []}
            assert actual == expected, (model.__name__, kind)
        stream = getattr(model.Meta, "stream_view_type", None)
        assert props.get("StreamSpecification") == ({"StreamViewType": stream} if stream else None)
        ttl = [a.attr_name for a in model.get_attributes().values() if isinstance(a, TTLAttribute)]
        assert props.get("TimeToLiveSpecification") == (
            {"AttributeName": ttl[0], "Enabled": True} if ttl else None), model.__name__
        assert "expires_at" in ttl or not ttl


def test_websocket_api_and_stream_event_sources(template: dict[str, Any]) -> None:
    resources = template["Resources"]
    assert _resources(template, "AWS::ApiGatewayV2::Api")["WebsocketAPI"]["Properties"]["ProtocolType"] == "WEBSOCKET"
    routes = {r["Properties"]["RouteKey"] for r in _resources(template, "AWS::ApiGatewayV2::Route").values()}
    assert routes == {"$connect", "$default", "$disconnect"}
    # $default is two-way: the handler's last reply (the ack) is the route response
    default = resources["WebsocketMessageRoute"]["Properties"]
    assert default["RouteKey"] == "$default" and default["RouteResponseSelectionExpression"] == "$default"
    assert default["Target"]["Fn::Join"][1][1] == {"Ref": "WebsocketMessageAPIIntegration"}  # chalice's route kept
    (response,) = _resources(template, "AWS::ApiGatewayV2::RouteResponse").values()
    assert response["Properties"] == {"ApiId": {"Ref": "WebsocketAPI"}, "RouteId": {"Ref": "WebsocketMessageRoute"},
                                      "RouteResponseKey": "$default"}
    deployment = resources["WebsocketAPIDeployment"]
    assert set(deployment["DependsOn"]) == {"WebsocketConnectRoute", "WebsocketMessageRoute",
                                            "WebsocketDisconnectRoute", "WebsocketMessageRouteResponse"}
    assert deployment["Properties"] == {"ApiId": {"Ref": "WebsocketAPI"}}
    for function, table in (("MessageFanout", "MessagesTable"), ("SearchIndex", "MessagesTable"),
                            ("MembershipFanout", "MembershipsTable")):
        events = resources[function]["Properties"]["Events"]
        (source,) = events.values()
        props = source["Properties"]
        assert source["Type"] == "DynamoDB"
        assert props["Stream"] == {"Fn::GetAtt": [table, "StreamArn"]}
        assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert props["BisectBatchOnFunctionError"] is True
        assert 0 < props["MaximumRetryAttempts"] <= 10
        assert resources[table]["Properties"]["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    text = json.dumps(template)
    assert "000000000000" not in text and "placeholder" not in text
    assert not re.search(r"\b\d{12}\b", text), "hard-coded account id"
    outputs = template["Outputs"]
    for name in ("RestApiUrl", "ApiBaseUrl", "WebsocketUrl", "SpaUrl", "SpaBucketName", "FilesBucketName"):
        assert name in outputs


def test_rest_api_cors_is_the_spa_origin(template: dict[str, Any]) -> None:
    text = json.dumps(template["Resources"]["RestAPI"])
    assert f"'{ORIGIN}'" in text
    assert "'*'" not in text


def _statements(template: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, resource in template["Resources"].items():
        props = resource.get("Properties", {})
        documents = []
        if resource["Type"] == "AWS::IAM::Role":
            documents = [p["PolicyDocument"] for p in props.get("Policies", [])]
        elif resource["Type"] in {"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"}:
            documents = [props["PolicyDocument"]]
        for document in documents:
            for statement in document["Statement"]:
                if "Fn::If" in statement:
                    statement = statement["Fn::If"][1]
                    if statement == {"Ref": "AWS::NoValue"}:
                        continue
                yield name, statement


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_no_wildcard_iam(template: dict[str, Any]) -> None:
    roles = _resources(template, "AWS::IAM::Role")
    assert set(roles) == {("ApiHandler" if f == "APIHandler" else f) + "Role" for f in FUNCTIONS}
    for name, statement in _statements(template):
        if statement["Effect"] != "Allow":
            continue
        actions = _as_list(statement["Action"])
        assert "*" not in actions and not any(a.endswith(":*") for a in actions), (name, statement)
        if "*" in _as_list(statement["Resource"]):
            assert not any("*" in a for a in actions), (name, statement)
            assert all(a.split(":")[0] in {"xray", "ec2"} for a in actions), (name, statement)


def test_every_setting_is_configured_for_every_function(template: dict[str, Any]) -> None:
    from chalicelib.core.settings import declared
    from infrastructure.package.environment import API_ONLY, local_only

    LOCAL_ONLY = local_only()
    read = {d.env for d in declared()}
    for path in [ROOT / "app.py", *sorted((ROOT / "chalicelib").rglob("*.py"))]:
        read |= set(re.findall(r"os\.environ(?:\.get)?\(\s*\"([A-Z0-9_]+)\"", path.read_text(encoding="utf-8")))
    assert {"TABLE_PREFIX", "JWT_SECRET_PARAMETER", "WEBSOCKET_API_ID", "CORS_ALLOW_ORIGIN", "FILES_BUCKET"} <= read
    for function in FUNCTIONS:
        variables = template["Resources"][function]["Properties"]["Environment"]["Variables"]
        missing = read - LOCAL_ONLY - set(API_ONLY) - set(variables)
        assert not missing, (function, missing)
        assert not (LOCAL_ONLY & set(variables)), function
        assert variables["WEBSOCKET_API_ID"] == {"Ref": "WebsocketAPI"}
        assert variables["TABLE_PREFIX"] == {"Ref": "TablePrefix"}
    assert set(API_ONLY) <= set(template["Resources"]["APIHandler"]["Properties"]["Environment"]["Variables"])


# ---------------------------------------------------------------- IAM vs. the code's calls
TRACER = textwrap.dedent('''
    """Records (handler, service, operation, table, index) of every botocore call."""
    import atexit, json, os, sys, threading
    import botocore.client

    SEEN = set()
    ENTRY = {"ws_connect": "WebsocketConnect", "ws_message": "WebsocketMessage",
             "ws_disconnect": "WebsocketDisconnect", "message_fanout": "MessageFanout",
             "search_index": "SearchIndex", "membership_fanout": "MembershipFanout", "escalate": "Escalate",
             "notification_fanout": "NotificationFanout", "room_events": "RoomEvents",
             "outbound_deliveries": "OutboundDeliveries", "fanout_chunks": "FanoutChunks"}
    SERVICE = {"connect": "WebsocketConnect", "handle_frame": "WebsocketMessage", "disconnect": "WebsocketDisconnect"}
    MAIN = threading.main_thread().ident
    _orig = botocore.client.BaseClient._make_api_call

    def classify():
        frame = sys._getframe(2) if threading.get_ident() == MAIN else sys._current_frames().get(MAIN)
        who, api = None, False
        while frame is not None:
            path, name = frame.f_code.co_filename.replace(os.sep, "/"), frame.f_code.co_name
            if path.endswith("/app.py") and name in ENTRY:
                who = ENTRY[name]
            elif path.endswith("chalicelib/realtime/service.py") and name in SERVICE:
                who = who or SERVICE[name]
            elif path.endswith("chalicelib/messaging/fanout.py") and name == "handle_batch":
                who = "MessageFanout"
            elif path.endswith("chalicelib/messaging/search_index.py") and name == "handle_batch":
                who = "SearchIndex"
            elif path.endswith("chalicelib/rooms/fanout.py") and name == "handle_batch":
                who = "MembershipFanout"
            elif path.endswith("chalicelib/rooms/escalation.py") and name == "run_due":
                who = "Escalate"
            elif path.endswith("chalicelib/notifications/channels.py") and name == "handle_batch":
                who = "NotificationFanout"
            elif path.endswith("chalicelib/connections/delivery.py") and name == "handle_chunk_batch":
                who = "FanoutChunks"
            elif path.endswith("chalicelib/outbound/service.py") and name == "handle_batch":
                who = "OutboundDeliveries"
            elif "chalice/test.py" in path or "chalice/local.py" in path:
                api = True
            frame = frame.f_back
        return who or ("APIHandler" if api else None)

    def record(self, operation, params):
        who = classify()
        if who:
            service = self.meta.service_model.service_name
            calls = []
            if "TableName" in params:
                calls.append((operation, params["TableName"], params.get("IndexName")))
            for item in params.get("TransactItems", []):
                for kind, body in item.items():
                    calls.append(({"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
                                   "ConditionCheck": "ConditionCheckItem", "Get": "GetItem"}[kind],
                                  body["TableName"], None))
            for table in params.get("RequestItems", {}):
                calls.append((operation, table, None))
            if service == "s3":
                calls.append((operation, params.get("Bucket"), params.get("Key") or params.get("Prefix")))
            for call in calls or [(operation, None, None)]:
                SEEN.add((who, service) + call)
        return _orig(self, operation, params)

    botocore.client.BaseClient._make_api_call = record

    # the unit tests' Management API is a fake at the sender's seam: its calls count too
    def _traced(operation, original):
        def call(self, *args, **kwargs):
            who = classify()
            if who:
                SEEN.add((who, "apigatewaymanagementapi", operation, None, None))
            return original(self, *args, **kwargs)
        return call

    from tests.unit import fakes
    fakes.FakeManagementApi.post_to_connection = _traced("PostToConnection", fakes.FakeManagementApi.post_to_connection)
    fakes.FakeManagementApi.delete_connection = _traced("DeleteConnection", fakes.FakeManagementApi.delete_connection)

    @atexit.register
    def dump():
        with open(os.environ["ACCESS_TRACE_OUT"], "w") as fh:
            json.dump(sorted(SEEN, key=str), fh)
''')

# The unit tests that drive the WebSocket handlers and stream fan-outs (APIHandler is
# exercised along the way through the Chalice test client).
REPLAYED = ["test_realtime_connection.py", "test_messaging.py", "test_fanout.py", "test_room_live_updates.py",
            "test_message_operations.py", "test_files_messaging.py", "test_response_loop.py",
            "test_notification_channels.py", "test_outbound.py", "test_webhooks.py", "test_email.py",
            "test_search.py", "test_abuse_limits.py"]
S3_ACTION = {"HeadObject": "s3:GetObject", "GetObject": "s3:GetObject", "PutObject": "s3:PutObject",
             "CopyObject": "s3:PutObject", "DeleteObject": "s3:DeleteObject", "ListObjectsV2": "s3:ListBucket"}


def _grants(template: dict[str, Any], function: str) -> list[tuple[set[str], list[Any]]]:
    role = ("ApiHandler" if function == "APIHandler" else function) + "Role"
    return [(set(_as_list(s["Action"])), _as_list(s["Resource"]))
            for name, s in _statements(template) if name == role and s["Effect"] == "Allow"]


def _table_allowed(grants: list[tuple[set[str], list[Any]]], action: str, table: str, index: str | None) -> bool:
    for actions, resources in grants:
        if action not in actions:
            continue
        for resource in resources:
            if index is None and resource == {"Fn::GetAtt": [table, "Arn"]}:
                return True
            if index is not None and resource == {"Fn::Sub": "${" + table + ".Arn}/index/*"}:
                return True
    return False


def test_each_function_may_make_the_calls_its_code_makes(template: dict[str, Any], tmp_path: Path) -> None:
    from chalicelib import tables
    from infrastructure.package.tables import resource_name

    (tmp_path / "access_trace.py").write_text(TRACER, encoding="utf-8")
    out = tmp_path / "trace.json"
    files = [f"tests/unit/{name}" for name in REPLAYED if (ROOT / "tests" / "unit" / name).exists()]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]), "ACCESS_TRACE_OUT": str(out)}
    subprocess.run([sys.executable, "-c", "import access_trace, pytest, sys; sys.exit(pytest.main(sys.argv[1:]))",
                    *files, "-q", "-p", "no:cacheprovider"], cwd=ROOT, env=env, capture_output=True, timeout=600)
    calls = [tuple(c) for c in json.loads(out.read_text(encoding="utf-8"))]
    assert {c[0] for c in calls} >= {"APIHandler", "WebsocketConnect", "WebsocketMessage", "MessageFanout",
                                     "SearchIndex", "NotificationFanout", "RoomEvents", "OutboundDeliveries"}
    logicals = sorted((m.Meta.logical_name for m in tables.MODELS), key=len, reverse=True)
    denied = []
    for function, service, operation, target, detail in calls:
        grants = _grants(template, function)
        if service == "dynamodb":
            if operation in {"DescribeTable", "DescribeTimeToLive", "CreateTable", "ListTables"}:
                denied.append((function, operation, target))  # control plane: never at runtime
                continue
            logical = next((name for name in logicals if target and target.endswith("-" + name)), None)
            if logical is None or not _table_allowed(grants, f"dynamodb:{operation}", resource_name(logical), detail):
                denied.append((function, operation, target, detail))
        elif service == "s3":
            action = S3_ACTION.get(operation, f"s3:{operation}")
            prefix = (detail or "").split("/", 1)[0] + "/"
            wanted = ({"Fn::GetAtt": ["FilesBucket", "Arn"]} if action == "s3:ListBucket"
                      else {"Fn::Sub": "${FilesBucket.Arn}/" + prefix + "*"})
            ok = any(action in actions and wanted in resources for actions, resources in grants)
            if not ok:
                denied.append((function, operation, target, detail))
        elif service == "apigatewaymanagementapi":
            if not any("execute-api:ManageConnections" in actions for actions, _ in grants):
                denied.append((function, operation))
    assert not denied, "IAM (infrastructure/package/iam.py ACCESS) denies calls the code makes:\n" + "\n".join(
        map(str, sorted(set(denied), key=str)))
