"""One least-privilege IAM policy per function: which tables, streams, queues, buckets and
parameters it may use (:data:`ACCESS`), checked against the calls the code makes by
``tests/integration/test_package.py``."""

from __future__ import annotations

from typing import Any

from infrastructure.package.tables import resource_name

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
        # "*" includes connections/subscriptions: a revoked session's sockets are closed at once
        "tables": {"*": "rw"},
        "ssm_jwt": True, "files_bucket": True, "vpc": True, "manage_connections": True,
    },
    "WebsocketConnect": {
        # ?room_id= subscribes at connect (membership checked first) and announces a user's first
        # connection to the room (user_joined, presence); the oldest connections beyond the
        # per-user limit are closed
        "tables": {"ws-tickets": "rw", "sessions": "r", "users": "r", "domain:connections": "rw", "domain:rooms": "r"},
        "manage_connections": True,
    },
    "WebsocketMessage": {
        # a message over 30 s after the room's last activity moves it, and its members' copies
        # (rooms.service.touch_room): "rooms" and "memberships" are written, templates only read
        "tables": {"domain:timeline": "rw", "domain:messaging": "rw", "domain:connections": "rw",
                   "domain:rooms": "r", "rooms": "rw", "memberships": "rw", "domain:files": "r",
                   "sessions": "r", "users": "r"},
        "manage_connections": True,
    },
    "WebsocketDisconnect": {
        "tables": {"domain:connections": "rw"},
        "manage_connections": True,
    },
    "MessageFanout": {
        # delivery, the incident data points of each message, and the room title / sender name
        # that make a mention notification readable
        "tables": {"domain:connections": "rw", "domain:notifications": "rw", "messages": "r",
                   "incident-points": "rw", "rooms": "r", "users": "r"},
        "streams": ["messages"], "manage_connections": True, "failure_queue": True, "fanout_queue": True,
    },
    "SearchIndex": {
        # the Messages stream's second consumer: the full-text index only
        "tables": {"search-terms": "rw"},
        "streams": ["messages"], "failure_queue": True,
    },
    "FanoutChunks": {
        # one chunk of a large room: posts, and forgets the connections that are gone
        "tables": {"domain:connections": "rw"},
        "manage_connections": True, "fanout_consumer": True,
    },
    "Escalate": {
        # the due-room Query, the claim, members added, notifications and the escalated event
        "tables": {"domain:rooms": "rw", "domain:notifications": "rw", "domain:response": "r",
                   "domain:timeline": "rw", "domain:connections": "rw", "users": "r"},
        "manage_connections": True,
    },
    "MembershipFanout": {
        "tables": {"domain:connections": "rw"},
        "streams": ["memberships"], "manage_connections": True, "failure_queue": True,
    },
    "NotificationFanout": {
        # notifications stream → queued e-mails and pushes: each user's settings and browsers,
        # the delivery log (recorded once per delivery id) and the outbound queue
        "tables": {"notification-settings": "r", "push-subscriptions": "r", "deliveries": "rw"},
        "streams": ["notifications"], "failure_queue": True, "outbound_queue": True,
    },
    "OutboundDeliveries": {
        # the queue's consumer: leases and logs deliveries, re-queues retries; push drops dead
        # subscriptions; e-mail needs the recipient's address; webhooks their URL and secret
        "tables": {"deliveries": "rw", "push-subscriptions": "rw", "users": "r", "webhooks": "r"},
        "outbound_queue": True, "outbound_consumer": True, "email": True, "vapid": True,
    },
    "RoomEvents": {
        # rooms stream → the reports' daily rollup, and webhook deliveries: the webhooks' events
        # (Query), the actor's name, the delivery log (recorded once per delivery id), the queue
        "tables": {"report-days": "rw", "webhooks": "r", "users": "r", "deliveries": "rw"},
        "streams": ["rooms"], "failure_queue": True, "outbound_queue": True,
    },
}


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
    if spec.get("outbound_queue"):
        statements.append({"Sid": "OutboundQueueSend", "Effect": "Allow", "Action": ["sqs:SendMessage"],
                           "Resource": {"Fn::GetAtt": ["OutboundQueue", "Arn"]}})
    if spec.get("fanout_queue"):
        statements.append({"Sid": "FanoutQueueSend", "Effect": "Allow", "Action": ["sqs:SendMessage"],
                           "Resource": {"Fn::GetAtt": ["FanoutQueue", "Arn"]}})
    if spec.get("fanout_consumer"):
        statements.append({"Sid": "FanoutQueueReceive", "Effect": "Allow",
                           "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                                      "sqs:ChangeMessageVisibility"],
                           "Resource": {"Fn::GetAtt": ["FanoutQueue", "Arn"]}})
    if spec.get("outbound_consumer"):
        statements.append({"Sid": "OutboundQueueReceive", "Effect": "Allow",
                           "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                                      "sqs:ChangeMessageVisibility"],
                           "Resource": {"Fn::GetAtt": ["OutboundQueue", "Arn"]}})
    if spec.get("vapid"):
        statements.append({"Sid": "VapidKey", "Effect": "Allow", "Action": ["ssm:GetParameter"],
                           "Resource": _arn("ssm", "parameter/incident-response/${Stage}/vapid-private-key")})
    if spec.get("email"):  # e-mail notifications: SES (SES_REGION may differ) or SMTP with its password in SSM
        statements.append({"Sid": "SendEmail", "Effect": "Allow", "Action": ["ses:SendEmail", "ses:SendRawEmail"],
                           "Resource": {"Fn::Sub": "arn:${AWS::Partition}:ses:*:${AWS::AccountId}:identity/*"}})
        statements.append({"Sid": "SmtpPassword", "Effect": "Allow", "Action": ["ssm:GetParameter"],
                           "Resource": _arn("ssm", "parameter/incident-response/${Stage}/smtp-password")})
        statements.append({"Fn::If": ["HasKmsKey", {
            "Sid": "SmtpPasswordDecrypt", "Effect": "Allow", "Action": ["kms:Decrypt"],
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
