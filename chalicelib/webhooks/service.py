"""Webhook use cases (administrators only): register, list, delete, read the delivery log.

The secret is returned once, by :func:`create_webhook`; lists never carry it. The producer
(:mod:`chalicelib.webhooks.events`) asks :func:`subscribers`, the sender :func:`signing_target`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib import outbound
from chalicelib.auth.principal import Principal
from chalicelib.core import clock
from chalicelib.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chalicelib.core.settings import get_settings
from chalicelib.webhooks import signing, ssrf
from chalicelib.webhooks.models import WebhookModel
from chalicelib.webhooks.schemas import ListDeliveries, WebhookBody

PARTITION = "webhook"
MAX_WEBHOOKS = 20  # one small partition; every room event Queries it


def _require_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise Forbidden("Only administrators manage webhooks")


def owner(webhook_id: str) -> str:
    """The delivery log's owner key of a webhook."""
    return f"webhook#{webhook_id}"


def webhook_view(hook: WebhookModel) -> dict[str, Any]:
    """A webhook as listed (never the secret)."""
    return {"webhook_id": hook.webhook_id, "url": hook.url, "events": list(hook.events or []),
            "description": hook.description or "", "created_by": hook.created_by, "created_at": hook.created_at}


def _webhook(webhook_id: str) -> WebhookModel:
    if not clock.is_uuid(webhook_id):
        raise NotFound("Webhook not found")
    try:
        return WebhookModel.get(PARTITION, webhook_id, consistent_read=True)
    except DoesNotExist:
        raise NotFound("Webhook not found") from None


def _all() -> list[WebhookModel]:
    return list(WebhookModel.query(PARTITION, consistent_read=True))


def check_url(url: str) -> ssrf.Target:
    """The SSRF guard with the configured development override."""
    return ssrf.check_url(url, allow_private=get_settings().webhook_allow_private)


def create_webhook(principal: Principal, body: WebhookBody) -> dict[str, Any]:
    """Register a receiver; the answer carries the ``secret`` — the only time it is shown."""
    _require_admin(principal)
    try:
        check_url(body.url)
    except ssrf.UnsafeUrl as exc:
        raise ValidationFailed(f"The webhook URL is not allowed: {exc}",
                               details=[{"field": "url", "message": str(exc)}]) from None
    if len(_all()) >= MAX_WEBHOOKS:
        raise Conflict(f"At most {MAX_WEBHOOKS} webhooks; delete one first")
    hook = WebhookModel(PARTITION, clock.new_id(), url=body.url, events=list(body.events),
                        description=body.description, secret=signing.new_secret(),
                        created_by=principal.user_id, created_at=clock.iso())
    hook.save(condition=WebhookModel.webhook_id.does_not_exist())
    return {**webhook_view(hook), "secret": hook.secret}


def list_webhooks(principal: Principal) -> dict[str, Any]:
    """Every webhook, oldest first (no secrets)."""
    _require_admin(principal)
    return {"webhooks": [webhook_view(h) for h in sorted(_all(), key=lambda h: h.created_at)]}


def delete_webhook(principal: Principal, webhook_id: str) -> None:
    """Remove a webhook; its queued deliveries give up (the sender finds it gone)."""
    _require_admin(principal)
    _webhook(webhook_id).delete()


def list_deliveries(principal: Principal, webhook_id: str, query: ListDeliveries) -> dict[str, Any]:
    """The webhook's delivery log, newest first (status, attempts, last error)."""
    _require_admin(principal)
    _webhook(webhook_id)
    return {"deliveries": outbound.deliveries(owner(webhook_id), limit=query.limit)}


# --------------------------------------------------------------------- producer and sender
@dataclass(frozen=True)
class Subscriber:
    """A webhook as the producer sees it."""

    webhook_id: str
    events: frozenset[str]


def subscribers() -> list[Subscriber]:
    """Every webhook with its events (one Query on the small partition)."""
    return [Subscriber(h.webhook_id, frozenset(str(e) for e in h.events or [])) for h in
            WebhookModel.query(PARTITION, attributes_to_get=["kind", "webhook_id", "events"])]


def signing_target(webhook_id: str) -> tuple[str, str] | None:
    """``(url, secret)`` of a webhook, None when it was deleted meanwhile."""
    try:
        hook = WebhookModel.get(PARTITION, webhook_id, consistent_read=True)
    except DoesNotExist:
        return None
    return hook.url, hook.secret
