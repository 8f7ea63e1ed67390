"""The lead is the first block of the body, however the body is written (the fast path stops early)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from broadsheet.newsroom.html import split_blocks, split_lead

pieces = st.sampled_from(
    ["<p>", "</p>", "<h2>", "</h2>", "<blockquote>", "</blockquote>", "<ul><li>", "</li></ul>", "<em>", "</em>"]
)
fragments = st.lists(st.one_of(pieces, st.text(alphabet="ab \n<>&", max_size=6)), max_size=14).map("".join)


@given(fragments)
def test_the_lead_is_always_the_first_block(html: str) -> None:
    blocks = split_blocks(html)
    assert split_lead(html) == (blocks[0] if blocks else "")
