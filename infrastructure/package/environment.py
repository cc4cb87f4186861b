"""The environment of every function: each setting declared in ``chalicelib.core.settings``,
bound to a template parameter/resource or set to the code's default."""

from __future__ import annotations

from typing import Any

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
        "REPORT_GROUP": {"Ref": "ReportGroup"},
        "WEBSOCKET_API_ID": {"Ref": "WebsocketAPI"},
        "WEBSOCKET_STAGE": websocket_stage,
        "CORS_ALLOW_ORIGIN": {"Ref": "AllowedOrigin"},
        "FILES_BUCKET": {"Fn::If": ["UseS3", {"Ref": "FilesBucket"}, {"Ref": "FilesBucketName"}]},
        "S3_ENDPOINT": {"Ref": "MinioEndpoint"},
        "S3_PUBLIC_ENDPOINT": {"Ref": "MinioPublicEndpoint"},
        "S3_REGION": {"Fn::If": ["UseMinio", {"Ref": "MinioRegion"}, {"Ref": "AWS::Region"}]},
        "S3_ADDRESSING_STYLE": {"Ref": "S3AddressingStyle"},
        "OUTBOUND_QUEUE_URL": {"Ref": "OutboundQueue"},
        "FANOUT_QUEUE_URL": {"Ref": "FanoutQueue"},
        "EMAIL_TRANSPORT": {"Ref": "EmailTransport"},
        "EMAIL_FROM": {"Ref": "EmailFrom"},
        "SMTP_HOST": {"Ref": "SmtpHost"},
        "SMTP_PORT": {"Ref": "SmtpPort"},
        "SMTP_TLS": {"Ref": "SmtpTls"},
        "SMTP_USERNAME": {"Ref": "SmtpUsername"},
        "SMTP_PASSWORD_PARAMETER": {"Fn::Sub": "/incident-response/${Stage}/smtp-password"},
        "SES_REGION": {"Ref": "SesRegion"},
        "VAPID_PUBLIC_KEY": {"Ref": "VapidPublicKey"},
        "VAPID_PRIVATE_KEY_PARAMETER": {"Fn::Sub": "/incident-response/${Stage}/vapid-private-key"},
        "POWERTOOLS_LOG_LEVEL": "INFO",
    }


def declared_settings() -> list[Any]:
    """The settings declaration of the app (``chalicelib.core.settings.declared``)."""
    from chalicelib.core.settings import declared

    return declared()


def local_only() -> set[str]:
    """Env vars never set on AWS: local-stack plumbing or provided by Lambda itself."""
    return {d.env for d in declared_settings() if not d.aws} | {"AWS_DEFAULT_REGION", "_HANDLER"}


def code_environment(websocket_stage: str) -> dict[str, Any]:
    """The shared environment plus every other declared setting at the code's default value."""
    env = shared_environment(websocket_stage)
    for setting in declared_settings():
        if setting.env in env or not setting.aws or setting.env in API_ONLY:
            continue
        value = setting.default
        if isinstance(value, tuple):
            value = ",".join(value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        env[setting.env] = "" if value is None else str(value)
    return env
