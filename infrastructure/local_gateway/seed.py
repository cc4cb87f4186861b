"""Development seed (not in the Lambda package), loaded by the local gateway at every start.

* a semiconductor back-end plant (die bond, wire bond, molding, plating, reflow, test lines),
  a critical escalation policy (owner → on-duty leader at 5 min → section manager at 15, repeated
  twice) and a day/night roster per line;
* templates for that plant (fixed ids: reloading replaces them);
* one realistic demo incident — a reflow-oven excursion on Line 3 with a few messages,
  temperature readings (``incident_data``), a photo and a reaction — so a newcomer's first
  screen is not an empty list.

Idempotent: the demo room is found again by its reference in the description, every message
has a fixed ``client_id`` (a resend returns the original ack), the photo is found by its file
name, reactions are idempotent. A start interrupted half-way completes the rest next time.
Everything goes through the app's own use cases (``chalicelib``), as a user would.
"""

from __future__ import annotations

import io
import json
import secrets
import urllib.request
import uuid
from typing import Any

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
DEMO_PASSWORD = "Passw0rd!"  # the development directory's (infrastructure/local/dev-directory.json)
DOMAIN = "panjit.com.tw"

# ------------------------------------------------------------------------------ the demo incident
DEMO_REFERENCE = "IR-DEMO-0001"  # in the description: how the seed finds its room again
DEMO_ROOM = {
    "title": "Line 3 回焊爐 RF-03 第 5 溫區超溫",
    "template_id": "3d1f7a52-6c0e-4c43-9d55-2b8e7a1f0a01",
    "severity": "high",
    "location": "A 廠 / Line 3 / 回焊爐 RF-03",
    "line_id": "L3", "station_id": "RF-03", "equipment_id": "RF-03",
    "description": ("機台：回焊爐 RF-03（8 溫區）\n警報代碼 / Alarm code：TEMP-HI Z5\n"
                    "停機時間 / Down since：08:52 暫停投板\n已採取措施 / Actions taken：切換備用熱電偶、"
                    "隔離 3 批待推拉力測試\n" f"事件編號 / Reference：{DEMO_REFERENCE}（示範資料 demo data）"),
}
DEMO_MEMBERS = [("chen.editor", "EDITOR"), ("lee.viewer", "VIEWER")]  # + the template's huang.tech, wu.engineer
PHOTO_NAME = "RF-03-Z5-熱電偶.jpg"
_NS = uuid.UUID("6f1c2f0e-4a55-4f7e-9c1e-0d3e5a7b9c01")

# (key, sender, message_type, content); key names the fixed client_id
DEMO_MESSAGES: list[tuple[str, str, str, Any]] = [
    ("alarm", "wang.owner", "text",
     "08:52 RF-03 第 5 溫區 245°C，超出 SPEC 上限 240°C，已暫停投板。請設備課與製程協助確認。"),
    ("reading-1", "huang.tech", "incident_data",
     {"zone": "Z5", "temperature": 245.3, "setpoint": 235, "spec_max": 240, "o2_ppm": 820, "minutes_ago": 40}),
    ("diagnosis", "huang.tech", "text",
     "到場確認：Z5 上加熱器熱電偶讀值漂移，接點有氧化。先切換備用熱電偶，溫控恢復中。"),
    ("photo", "huang.tech", "image_ref", "RF-03 Z5 熱電偶接點氧化"),
    ("reading-2", "huang.tech", "incident_data",
     {"zone": "Z5", "temperature": 241.0, "setpoint": 235, "spec_max": 240, "o2_ppm": 805, "minutes_ago": 25}),
    ("reading-3", "huang.tech", "incident_data",
     {"zone": "Z5", "temperature": 236.2, "setpoint": 235, "spec_max": 240, "o2_ppm": 790, "minutes_ago": 10}),
    ("lots", "wu.engineer", "text",
     "已調閱 SPI/AOI 紀錄：08:20–08:52 過爐的 3 批（Lot 24A0311–0313）需加測推拉力，先 hold。"),
    ("hold", "chen.editor", "text", "品保確認 hold 3 批共 1,920 pcs，推拉力結果出來後再判定。"),
]
DEMO_REACTIONS = [("diagnosis", "wang.owner", "👍"), ("diagnosis", "chen.editor", "👍")]


def _email(username: str) -> str:
    return f"{username}@{DOMAIN}"


def _principal(username: str) -> Principal:
    """The demo user as a caller; logged in once (through the dev directory) if unknown yet,
    as members must have logged in before they can be added to a room."""
    from chalicelib.auth import service as auth
    from chalicelib.auth import users

    user = users.get_user(_email(username))
    if user is None:
        auth.login(username, DEMO_PASSWORD)
        user = users.get_user(_email(username))
    if user is None:
        raise RuntimeError(f"demo user {username} could not be created")
    return Principal(user_id=user.user_id, display_name=user.display_name, department=user.department,
                     is_admin=bool(user.is_admin), session_id="seed")


def _reading(content: dict[str, Any]) -> dict[str, Any]:
    """A reading stamped ``minutes_ago`` before now (the chart shows a curve, not one instant)."""
    from datetime import UTC, datetime, timedelta

    data = dict(content)
    at = datetime.now(UTC) - timedelta(minutes=data.pop("minutes_ago", 0))
    data["timestamp"] = at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"
    return data


def _client_id(key: str) -> str:
    return str(uuid.uuid5(_NS, key))


def _find_demo_room(owner: Principal) -> str | None:
    from chalicelib.rooms import service as rooms

    found = rooms.list_rooms(owner, schemas.ListRooms(q=DEMO_REFERENCE.lower(), limit=5))["rooms"]
    return str(found[0]["room_id"]) if found else None


def _demo_photo() -> bytes:
    """A synthetic photo of the oven's control screen (Pillow; no binary in the repository)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (960, 640), (18, 24, 32))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 920, 600), outline=(90, 110, 130), width=3)
    draw.text((70, 60), "RF-03 REFLOW  ZONE PROFILE  (deg C)", fill=(200, 220, 240))
    zones = [150, 175, 190, 215, 245, 240, 225, 180]
    for i, temp in enumerate(zones):
        x0 = 90 + i * 100
        top = 560 - int((temp - 100) * 2.6)
        colour = (230, 60, 50) if temp > 240 else (60, 170, 110)
        draw.rectangle((x0, top, x0 + 60, 560), fill=colour)
        draw.text((x0 + 8, top - 22), str(temp), fill=(240, 240, 240))
        draw.text((x0 + 18, 570), f"Z{i + 1}", fill=(180, 190, 200))
    limit_y = 560 - int((240 - 100) * 2.6)
    draw.line((80, limit_y, 900, limit_y), fill=(250, 200, 40), width=2)
    draw.text((800, limit_y - 20), "SPEC 240", fill=(250, 200, 40))
    draw.text((70, 90), "ALARM TEMP-HI Z5  08:52", fill=(250, 90, 80))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return out.getvalue()


def _post_form(url: str, fields: dict[str, str], filename: str, content_type: str, data: bytes) -> int:
    """The browser's multipart POST to the presigned form (the store checks its policy)."""
    boundary = "----seed" + secrets.token_hex(12)
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="upload"\r\n'
                 f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    request = urllib.request.Request(url, data=b"".join(parts), method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the configured local store
        return int(response.status)


def _demo_photo_file(room_id: str, uploader: Principal) -> str:
    """The photo's file id (uploaded and completed once; found by name afterwards)."""
    from chalicelib.files import schemas as file_schemas
    from chalicelib.files import service as files

    listed = files.list_files(room_id, uploader, file_schemas.ListFiles(type="image", limit=100))["files"]
    for item in listed:
        if item["filename"] == PHOTO_NAME:
            return str(item["file_id"])
    photo = _demo_photo()
    form = files.request_upload(room_id, uploader, file_schemas.RequestUpload(
        filename=PHOTO_NAME, content_type="image/jpeg", size=len(photo)))
    _post_form(form["upload"]["url"], form["upload"]["fields"], PHOTO_NAME, "image/jpeg", photo)
    return str(files.complete_upload(room_id, form["file_id"], uploader)["file_id"])


def load_demo_incident() -> str:
    """Create (or complete) the demo incident; returns its room id."""
    from chalicelib.core.errors import Conflict
    from chalicelib.messaging import operations
    from chalicelib.messaging import service as messaging
    from chalicelib.messaging.schemas import NewMessage
    from chalicelib.rooms import members
    from chalicelib.rooms import service as rooms

    people = {name: _principal(name) for name in
              ("wang.owner", "huang.tech", "wu.engineer", "chen.editor", "lee.viewer")}
    owner = people["wang.owner"]
    room_id = _find_demo_room(owner)
    if room_id is None:
        room_id = str(rooms.create_room(owner, schemas.CreateRoom.model_validate(DEMO_ROOM))["room_id"])
    for name, role in DEMO_MEMBERS:
        try:
            members.add_member(room_id, owner, schemas.AddMember(user_id=people[name].user_id, role=role))
        except Conflict:
            pass  # already a member
    from chalicelib.rooms import escalation

    escalation.acknowledge(room_id, people["huang.tech"])  # the technician took it (idempotent)
    acks: dict[str, dict[str, Any]] = {}
    for key, sender, message_type, content in DEMO_MESSAGES:
        if message_type == "incident_data":
            content = _reading(content)
        body: dict[str, Any] = {"room_id": room_id, "client_id": _client_id(key), "message_type": message_type,
                                "content": content}
        if message_type == "image_ref":
            body["file_id"] = _demo_photo_file(room_id, people[sender])
        acks[key] = messaging.send_message(people[sender].user_id, NewMessage.model_validate(body), set())
    for key, who, emoji in DEMO_REACTIONS:
        operations.react(people[who].user_id, room_id, acks[key]["message_id"], emoji, add=True)
    return room_id


# A semiconductor back-end plant (loaded only while the plant is empty: an administrator's edits stay).
DEV_PLANT = {"sites": [{"site_id": "HQ", "name": "岡山廠 Gangshan", "areas": [
    {"area_id": "FOL", "name": "前段 Front of line", "lines": [
        {"line_id": "L-DB1", "name": "黏晶 Die bond 1", "stations": [
            {"station_id": "DB-01", "name": "DB-01 ASM AD838"}, {"station_id": "DB-02", "name": "DB-02 ASM AD838"}]},
        {"line_id": "L-WB1", "name": "焊線 Wire bond 1", "stations": [
            {"station_id": "WB-01", "name": "WB-01 K&S IConn"}, {"station_id": "WB-02", "name": "WB-02 K&S IConn"},
            {"station_id": "WB-07", "name": "WB-07 K&S IConn"}]}]},
    {"area_id": "EOL", "name": "後段 End of line", "lines": [
        {"line_id": "L-MD1", "name": "封膠 Molding 1", "stations": [{"station_id": "MD-01", "name": "MD-01 Towa"}]},
        {"line_id": "L-PL1", "name": "電鍍 Plating 1", "stations": [{"station_id": "PL-01", "name": "PL-01 錫鍍線"}]},
        {"line_id": "L3", "name": "Line 3 回焊 Reflow", "stations": [
            {"station_id": "RF-03", "name": "RF-03 回焊爐 Reflow oven"}]},
        {"line_id": "L-TS1", "name": "測試 Test 1", "stations": [
            {"station_id": "TS-01", "name": "TS-01 Advantest"}, {"station_id": "TS-02", "name": "TS-02 Advantest"}]}]}]}]}
CRITICAL_POLICY_ID = "3d1f7a52-6c0e-4c43-9d55-2b8e7a1f0b01"
CRITICAL_POLICY = {"name": "嚴重 Critical：負責人 → 當班組長 → 課長", "repeat": 2, "steps": [
    {"after_minutes": 0, "notify": {"roles": ["OWNER"]}},
    {"after_minutes": 5, "notify": {"on_duty": [line["line_id"] for area in DEV_PLANT["sites"][0]["areas"]
                                                for line in area["lines"]]}},
    {"after_minutes": 15, "notify": {"users": ["tsai.supervisor@panjit.com.tw"]}}]}
DEV_ROSTER = {"shifts": [
    {"name": "日班 Day", "start": "08:00", "end": "20:00", "users": ["huang.tech@panjit.com.tw"]},
    {"name": "夜班 Night", "start": "20:00", "end": "08:00", "users": ["wu.engineer@panjit.com.tw"]}]}


def load_response_loop() -> None:
    """The plant (while empty), the critical policy (fixed id) and a day/night roster per line
    (while none is set); the equipment-alarm template escalates by the critical policy."""
    from chalicelib.plant import service as plant
    from chalicelib.plant.schemas import PlantTree
    from chalicelib.response import service as response
    from chalicelib.response.schemas import PolicyBody, RosterBody

    if not plant.get_plant()["sites"]:
        plant.put_plant(SYSTEM, PlantTree.model_validate(DEV_PLANT))
    response.create_policy(SYSTEM, PolicyBody.model_validate(CRITICAL_POLICY), policy_id=CRITICAL_POLICY_ID)
    for area in plant.get_plant()["sites"][0]["areas"]:
        for line in area["lines"]:
            if not response.get_roster(line["line_id"])["shifts"]:
                response.put_roster(SYSTEM, line["line_id"], RosterBody.model_validate(DEV_ROSTER))


def load_dev_seed() -> str:
    """Plant, policy, rosters, templates and the demo incident; returns a one-line summary for the log."""
    load_response_loop()
    for template_id, data in DEV_TEMPLATES:
        if template_id.endswith("0a01"):  # the equipment alarm escalates
            data = {**data, "escalation_policy_id": CRITICAL_POLICY_ID}
        templates.create_template(SYSTEM, schemas.CreateTemplate.model_validate(data), template_id=template_id)
    room_id = load_demo_incident()
    return json.dumps({"templates": len(DEV_TEMPLATES), "demo_room": room_id,
                       "demo_messages": len(DEMO_MESSAGES)})
