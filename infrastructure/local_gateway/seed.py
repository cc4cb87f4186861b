"""Development seed (not in the Lambda package): templates for a semiconductor back-end plant,
loaded by the local gateway (idempotent)."""

from __future__ import annotations

from chalicelib.auth.principal import Principal
from chalicelib.rooms import schemas, templates

# Fixed ids so reloading replaces rather than duplicates.
DEV_TEMPLATES = [
    ("3d1f7a52-6c0e-4c43-9d55-2b8e7a1f0a01", {
        "name": "設備異常 Equipment alarm",
        "incident_type": "equipment_failure",
        "default_severity": "high",
        "description": "機台：\n警報代碼 / Alarm code：\n停機時間 / Down since：\n已採取措施 / Actions taken：\n"
                       "（例：Line 3 回焊爐溫度超出 SPEC、Die bonder 吸嘴堵塞、Wire bonder 斷線頻繁）",
        "default_members": [{"user_id": "huang.tech@panjit.com.tw", "role": "EDITOR"},
                            {"user_id": "wu.engineer@panjit.com.tw", "role": "EDITOR"}],
    }),
    ("3d1f7a52-6c0e-4c43-9d55-2b8e7a1f0a02", {
        "name": "品質異常 Yield / quality excursion",
        "incident_type": "quality_issue",
        "default_severity": "high",
        "description": "產品 / Device：\n批號 / Lot：\n站別 / Station：\n不良現象 / Defect mode：\n"
                       "良率 / Yield（目標 target / 實際 actual）：\n隔離數量 / Quantity on hold：",
        "default_members": [{"user_id": "chen.editor@panjit.com.tw", "role": "EDITOR"},
                            {"user_id": "wu.engineer@panjit.com.tw", "role": "EDITOR"}],
    }),
    ("3d1f7a52-6c0e-4c43-9d55-2b8e7a1f0a03", {
        "name": "缺料 Material shortage",
        "incident_type": "material_shortage",
        "default_severity": "medium",
        "description": "料號 / Part number：\n需求數量 / Quantity needed：\n現有庫存 / On hand：\n"
                       "預計斷線時間 / Line stops at：\n供應商 / Supplier：",
        "default_members": [{"user_id": "lee.viewer@panjit.com.tw", "role": "VIEWER"},
                            {"user_id": "tsai.supervisor@panjit.com.tw", "role": "EDITOR"}],
    }),
]

SYSTEM = Principal(user_id="system", display_name="system", department="", is_admin=True, session_id="seed")


def load_dev_seed() -> int:
    """Create or refresh the development templates; returns how many."""
    for template_id, data in DEV_TEMPLATES:
        templates.create_template(SYSTEM, schemas.CreateTemplate.model_validate(data), template_id=template_id)
    return len(DEV_TEMPLATES)
