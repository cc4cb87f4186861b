"""The data of one incident report (what the renderers draw)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Entry:
    """One line of the history: a message or a system event."""

    seq: int
    at: str
    sender: str
    kind: str  # text | image_ref | file_ref | incident_data | system
    text: str  # what is shown ("" for a deleted message)
    deleted: bool = False
    edited: bool = False
    file_id: str | None = None


@dataclass
class Report:
    """Everything a report shows, rendered by ``markdown.render`` and ``pdf.render``."""

    room: dict[str, Any]
    place: dict[str, str]
    entries: list[Entry] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)
    photos: list[dict[str, Any]] = field(default_factory=list)  # {file_id, filename, thumbnail_key}
    series: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    truncated: bool = False

    @property
    def title(self) -> str:
        """The room's title."""
        return str(self.room.get("title") or "")
