"""The authenticated caller (a small module: stream consumers and access checks import it
without the directory client)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Principal:
    """The authenticated caller."""

    user_id: str
    display_name: str
    department: str
    is_admin: bool
    session_id: str
    can_read_reports: bool = False  # administrators and members of REPORT_GROUP

    def public(self) -> dict[str, Any]:
        """The user object of the contract."""
        data = asdict(self)
        data.pop("session_id")
        return data
