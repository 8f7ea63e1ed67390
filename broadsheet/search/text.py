"""The text the index holds: a story's body without its markup, the same on both engines.

PostgreSQL strips the body in SQL (the function `search_plain`, created by the
migration); SQLite calls this module's `plain_text` under the same name from its
triggers. Both use the same two patterns, so both engines index the same words.
"""

from __future__ import annotations

import re
from typing import Any

# A tag, and the entities nh3 writes; each becomes a space (a word boundary).
TAG_PATTERN = r"<[^>]*>"
ENTITY_PATTERN = r"&(#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z]+);"

_tag = re.compile(TAG_PATTERN)
_entity = re.compile(ENTITY_PATTERN)


def plain_text(html: str | None) -> str:
    if not html:
        return ""
    return _entity.sub(" ", _tag.sub(" ", html))


def sqlite_functions_register(sender: object, connection: Any, **kwargs: object) -> None:
    """Give a new SQLite connection the functions the index triggers call."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function("search_plain", 1, plain_text, deterministic=True)
