"""Room templates: everyone lists them, administrators manage them."""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.auth.principal import Principal
from chalicelib.core import clock
from chalicelib.core.errors import Forbidden, NotFound, ValidationFailed
from chalicelib.response import service as policies
from chalicelib.rooms import schemas
from chalicelib.rooms.models import DefaultMember, TemplateModel


def template_view(t: TemplateModel) -> dict[str, Any]:
    """The contract's template object."""
    return {
        "template_id": t.template_id, "name": t.name, "incident_type": t.incident_type,
        "default_severity": t.default_severity, "description": t.description,
        "default_members": [{"user_id": m.user_id, "role": m.role} for m in t.default_members or []],
        "escalation_policy_id": t.escalation_policy_id,
        "created_by": t.created_by, "created_at": t.created_at, "updated_at": t.updated_at,
    }


def _require_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise Forbidden("Only administrators manage templates")


def _get(template_id: str) -> TemplateModel:
    if not clock.is_uuid(template_id):
        raise NotFound("Template not found")
    try:
        return TemplateModel.get("template", template_id)
    except DoesNotExist:
        raise NotFound("Template not found") from None


def list_templates() -> dict[str, Any]:
    """All templates by name (one small partition: a Query)."""
    templates = sorted(TemplateModel.query("template"), key=lambda t: t.name)
    return {"templates": [template_view(t) for t in templates]}


def _members(items: list[schemas.TemplateMember]) -> list[DefaultMember]:
    return [DefaultMember(user_id=m.user_id.lower(), role=m.role) for m in items]


def create_template(principal: Principal, body: schemas.CreateTemplate, template_id: str | None = None) -> dict[str, Any]:
    """Administrators add a template."""
    _require_admin(principal)
    if body.escalation_policy_id:
        policies.policy_copy(body.escalation_policy_id)  # 404 for an unknown policy
    now = clock.iso()
    template = TemplateModel(
        "template", template_id or clock.new_id(), name=body.name, incident_type=body.incident_type,
        default_severity=body.default_severity, description=body.description,
        default_members=_members(body.default_members), created_by=principal.user_id,
        created_at=now, updated_at=now, escalation_policy_id=body.escalation_policy_id,
    )
    template.save()
    return template_view(template)


def update_template(principal: Principal, template_id: str, body: schemas.UpdateTemplate) -> dict[str, Any]:
    """Administrators change a template."""
    _require_admin(principal)
    template = _get(template_id)
    changes = body.model_dump(exclude_unset=True)
    if not changes or any(v is None for v in changes.values()):
        raise ValidationFailed("Nothing to change or a null field",
                               details=[{"field": k, "message": "must not be null"} for k, v in changes.items()
                                        if v is None] or [{"field": "body", "message": "no fields"}])
    if changes.get("escalation_policy_id"):
        policies.policy_copy(changes["escalation_policy_id"])  # 404 for an unknown policy
    for key in ("name", "incident_type", "default_severity", "description", "escalation_policy_id"):
        if key in changes:
            setattr(template, key, changes[key])
    if body.default_members is not None:
        template.default_members = _members(body.default_members)
    template.updated_at = clock.iso()
    template.save()
    return template_view(template)


def delete_template(principal: Principal, template_id: str) -> None:
    """Administrators remove a template (rooms made from it keep their ``template_id``)."""
    _require_admin(principal)
    _get(template_id).delete()
