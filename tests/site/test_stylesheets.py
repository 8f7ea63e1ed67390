"""Our stylesheets parse as their authors meant: a block left open swallows every rule after it
(on 1 December 2026 an unclosed @media block turned the search page's desktop styles off)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "broadsheet" / "static"
SHEETS = sorted(p for p in STATIC.rglob("*.css") if "vendor" not in p.parts)


def _without_comments_and_strings(css: str) -> str:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return re.sub(r"\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'", '""', css)


@pytest.mark.parametrize("sheet", SHEETS, ids=[str(p.relative_to(STATIC)) for p in SHEETS])
def test_every_block_is_closed_where_it_opens(sheet: Path) -> None:
    depth = 0
    for number, line in enumerate(_without_comments_and_strings(sheet.read_text()).splitlines(), start=1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"{sheet.name}:{number} closes a block that is not open"
        if re.match(r"^(@media|@supports|[.#a-z*:\[])", line) and "{" in line:
            # A top-level rule or at-rule starts at the left margin: nothing may still be open around it
            # unless it is indented inside an @media block, which our sheets always indent.
            outside = depth - (line.count("{") - line.count("}"))
            assert outside == 0, f"{sheet.name}:{number} starts inside an open block"
    assert depth == 0, f"{sheet.name} ends with {depth} block(s) open"
