"""The base of every request schema.

Its validators are built on first use (pydantic's ``defer_build``): every function imports
``app.py`` and with it every route's schemas, but a cold start then pays only for the schemas
of what it serves (the pinned pydantic builds a deferred model under a lock — ``_rebuild_lock``
in ``pydantic/main.py`` — so the gateway's threads are safe too). Subclasses add their own
``model_config`` (``extra=...``); pydantic merges it with this one.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Schema(BaseModel):
    """A request schema (pydantic model built when it is first used)."""

    model_config = ConfigDict(defer_build=True)
