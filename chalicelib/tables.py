"""Every DynamoDB table of the app, in one explicit list.

Used by table creation (``infrastructure/create_tables.py``, the local gateway, tests), by the
CloudFormation generator (``infrastructure/package``) and by :func:`bind_middleware`, which
points the models at the configured tables once per Lambda invocation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pynamodb.models import Model

from chalicelib.auth.models import LoginFailureModel, RefreshTokenModel, SessionModel, UserModel, WsTicketModel
from chalicelib.catalog.models import EventCatalogModel
from chalicelib.connections.models import ConnectionModel, PresenceModel, SubscriptionModel
from chalicelib.core import db
from chalicelib.core.settings import Settings
from chalicelib.files.models import FileModel
from chalicelib.integrations.models import IntegrationKeyModel, OpenIncidentModel
from chalicelib.messaging.models import AuditModel, IncidentPointModel, SearchTermModel
from chalicelib.notifications.models import (
    NotificationKeyModel,
    NotificationModel,
    NotificationSettingsModel,
    PushSubscriptionModel,
)
from chalicelib.outbound.models import DeliveryModel
from chalicelib.plant.models import PlantModel
from chalicelib.reports.models import ReportDayModel
from chalicelib.response.models import PolicyModel, RosterModel
from chalicelib.rooms.models import MembershipModel, RoomModel, TemplateModel
from chalicelib.timeline.models import ClientIdModel, MessageModel
from chalicelib.webhooks.models import WebhookModel

MODELS: tuple[type[Model], ...] = (
    # auth
    UserModel, SessionModel, RefreshTokenModel, LoginFailureModel, WsTicketModel,
    # connections
    ConnectionModel, SubscriptionModel, PresenceModel,
    # timeline
    MessageModel, ClientIdModel,
    # notifications, the response loop
    NotificationModel, NotificationKeyModel, PolicyModel, RosterModel, PlantModel,
    NotificationSettingsModel, PushSubscriptionModel, EventCatalogModel,
    # outbound deliveries (e-mail, Web Push, webhooks)
    DeliveryModel,
    # webhooks
    WebhookModel,
    # rooms
    RoomModel, MembershipModel, TemplateModel,
    # files
    FileModel,
    # messaging
    AuditModel, IncidentPointModel, SearchTermModel,
    # machine-raised incidents
    IntegrationKeyModel, OpenIncidentModel,
    # reports
    ReportDayModel,
)


def by_logical_name() -> dict[str, type[Model]]:
    """``{"messages": MessageModel, ...}`` (the short names used in templates and ARNs)."""
    return {db.logical_name(m): m for m in MODELS}


def bind(settings: Settings | None = None) -> None:
    """Point every model at its table (cheap and idempotent)."""
    db.bind_models(MODELS, settings)


def create_all() -> list[str]:
    """Create the missing tables; returns the names created."""
    return db.create_tables(MODELS)


def delete_all() -> None:
    """Drop every table (tests only)."""
    db.delete_tables(MODELS)


def bind_middleware(event: Any, get_response: Callable[[Any], Any]) -> Any:
    """Chalice middleware (all event types): bind the models, then handle the event."""
    bind()
    return get_response(event)
