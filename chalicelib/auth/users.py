"""Known users (people who logged in once, or were named by an administrator): lookups and
the member picker's prefix search. Other domains read users only through these functions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.auth.models import UserModel


@dataclass(frozen=True)
class User:
    """A known user as other domains see it."""

    user_id: str
    display_name: str
    department: str
    is_admin: bool

    def public(self) -> dict[str, Any]:
        """The contract's user object."""
        return asdict(self)


def _user(model: UserModel) -> User:
    return User(model.user_id, model.display_name, model.department or "", bool(model.is_admin))


def get_user(user_id: str) -> User | None:
    """One user, or ``None`` when unknown."""
    try:
        return _user(UserModel.get(user_id))
    except DoesNotExist:
        return None


def users_by_id(user_ids: Iterable[str]) -> dict[str, User]:
    """Known users among ``user_ids`` (BatchGet)."""
    ids = list(dict.fromkeys(user_ids))
    return {u.user_id: _user(u) for u in UserModel.batch_get(ids)} if ids else {}


def display_name(user_id: str) -> str:
    """A user's display name (the id when unknown)."""
    try:
        return str(UserModel.get(user_id, attributes_to_get=["display_name"]).display_name)
    except DoesNotExist:
        return user_id


def search_users(q: str, limit: int) -> list[User]:
    """Users whose display name or e-mail starts with ``q`` (Query on two indexes), by name."""
    prefix = q.strip().lower()
    found: dict[str, UserModel] = {}
    if prefix:
        by_name = UserModel.by_name.query("user", UserModel.search_key.startswith(prefix), limit=limit)
        by_email = UserModel.by_email.query("user", UserModel.user_id.startswith(prefix), limit=limit)
        for user in [*by_name, *by_email]:
            found.setdefault(user.user_id, user)
    else:
        for user in UserModel.by_name.query("user", limit=limit):
            found.setdefault(user.user_id, user)
    return [_user(u) for u in sorted(found.values(), key=lambda u: u.search_key)[:limit]]
