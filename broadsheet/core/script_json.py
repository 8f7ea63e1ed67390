"""JSON inside a `<script>` element (JSON-LD, page data), escaped as Django's `json_script` escapes it.

A script element ends at the first `</script` and, after a `<!--`, a `<script`
inside it changes how the parser looks for that end: a headline holding
`<!--<script>` could swallow the rest of the page. With `<`, `>` and `&`
written as `\\u003C`, `\\u003E` and `\\u0026` the text cannot end or bend the
element, and it is still the same JSON to every reader of it.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def script_json(data: Any) -> SafeString:
    """`data` as JSON text that is safe between `<script …>` and `</script>`."""
    text = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder).translate(_ESCAPES)
    return mark_safe(text)  # noqa: S308 - every character that could end or bend a script is escaped
