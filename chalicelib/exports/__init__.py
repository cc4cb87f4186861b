"""Exports of a room's history: the incident report (Markdown, PDF) and station QR sheets."""

__all__: list[str] = []
