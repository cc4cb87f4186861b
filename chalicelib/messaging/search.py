"""Full-text search over the rooms a caller belongs to, on an inverted index in DynamoDB.

The index (``search-terms``: one small entry per (room, term, message), newest first) is kept
from the Messages stream by its own consumer (``messaging.search_index``). A search Queries one
term of the query per room (the cost follows the hits of that term, not the number of messages
stored), then loads the candidates and keeps those that really contain every term (precision),
with highlights.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from typing import Any

from chalicelib.auth.principal import Principal
from chalicelib.core.cursor import decode_cursor, encode_cursor
from chalicelib.messaging.models import SearchTermModel
from chalicelib.messaging.schemas import SearchQuery
from chalicelib.messaging.search_index import searchable_text
from chalicelib.messaging.text import Query, highlights, parse_query
from chalicelib.rooms import access
from chalicelib.timeline.models import MessageModel
from chalicelib.timeline.views import message_view

BATCH = 25


def _candidates(room_id: str, term: str, before: str | None) -> Iterator[tuple[str, str, int]]:
    condition = SearchTermModel.position < before if before else None
    for entry in SearchTermModel.query(f"{room_id}#{term}", condition, scan_index_forward=False, page_size=50):
        yield entry.position, room_id, int(entry.sequence_number)


def search(user_id: str, room_ids: list[str], q: str, limit: int, cursor: str | None) -> dict[str, Any]:
    """Newest first across ``room_ids``; ``{"results": [{message, highlights}], "next_cursor"}``."""
    query: Query = parse_query(q)
    if query.empty:
        return {"results": [], "next_cursor": None}
    scope = {"q": q, "rooms": sorted(room_ids)}
    start = decode_cursor(cursor, user_id, scope)
    before = str(start["p"]) if start else None
    term = query.lookup_term()
    merged = heapq.merge(*(_candidates(r, term, before) for r in room_ids), reverse=True)
    results: list[dict[str, Any]] = []
    last_position: str | None = None
    more = False
    while not more:
        chunk: list[tuple[str, str, int]] = []
        for candidate in merged:
            chunk.append(candidate)
            if len(chunk) == BATCH:
                break
        if not chunk:
            break
        loaded = {(m.room_id, int(m.sequence_number)): m
                  for m in MessageModel.batch_get([(room, seq) for _, room, seq in chunk])}
        for position, room, seq in chunk:
            if len(results) == limit:
                more = True
                break
            message = loaded.get((room, seq))
            spans = highlights(searchable_text(message), query) if message is not None else None
            last_position = position
            if spans:
                results.append({"message": message_view(message), "highlights": spans})  # type: ignore[arg-type]
        if len(results) == limit and not more:
            more = next(merged, None) is not None
    next_cursor = encode_cursor({"p": last_position}, user_id, scope) if more and last_position else None
    _add_room_titles(results)
    return {"results": results, "next_cursor": next_cursor}


def _add_room_titles(results: list[dict[str, Any]]) -> None:
    """Each result names its room (one BatchGet for the distinct rooms of the page)."""
    titles = access.room_titles(sorted({r["message"]["room_id"] for r in results}))
    for result in results:
        result["room_title"] = titles.get(result["message"]["room_id"], "")


def search_for(principal: Principal, query: SearchQuery) -> dict[str, Any]:
    """``GET /api/messages/search``: in one room or in every room the caller belongs to
    (administrators too search only the rooms they are members of)."""
    if query.room_id:
        access.get_access(query.room_id, principal, "VIEWER")
        if not access.is_member(query.room_id, principal.user_id):
            return {"results": [], "next_cursor": None}
        room_ids = [query.room_id]
    else:
        room_ids = access.room_ids_of(principal.user_id)
    return search(principal.user_id, room_ids, query.q, query.limit, query.cursor)
