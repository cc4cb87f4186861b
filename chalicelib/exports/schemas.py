"""Request models of the exports."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict

from chalicelib.core.schema import Schema


class ReportQuery(Schema):
    """``?format=md|pdf`` (PDF when left out)."""

    model_config = ConfigDict(extra="forbid")
    format: Literal["md", "pdf"] = "pdf"
