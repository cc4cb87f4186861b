"""REST routes of webhooks (thin: declare, call the service; administrators only)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.auth.http import authed_route
from chalicelib.auth.principal import Principal
from chalicelib.webhooks import service
from chalicelib.webhooks.schemas import ListDeliveries, WebhookBody

bp = Blueprint(__name__)


@authed_route(bp, "/webhooks", methods=["GET"])
def list_webhooks(principal: Principal) -> dict[str, Any]:
    """Webhooks (administrators; no secrets)."""
    return service.list_webhooks(principal)


@authed_route(bp, "/webhooks", methods=["POST"], body=WebhookBody, status=201)
def create_webhook(principal: Principal, body: WebhookBody) -> dict[str, Any]:
    """Register a webhook (administrators); the secret is shown once."""
    return service.create_webhook(principal, body)


@authed_route(bp, "/webhooks/{webhook_id}", methods=["DELETE"], status=204)
def delete_webhook(principal: Principal, webhook_id: str) -> None:
    """Delete a webhook (administrators)."""
    service.delete_webhook(principal, webhook_id)


@authed_route(bp, "/webhooks/{webhook_id}/deliveries", methods=["GET"], query=ListDeliveries)
def list_deliveries(principal: Principal, webhook_id: str, query: ListDeliveries) -> dict[str, Any]:
    """A webhook's delivery log, newest first (administrators)."""
    return service.list_deliveries(principal, webhook_id, query)
