"""Article HTML: the allow-list sanitiser and the split into lead and rest."""

from __future__ import annotations

from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "b",
    "i",
    "a",
    "br",
    "figure",
    "figcaption",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}, "th": {"scope"}}
BLOCK_TAGS = {"p", "h2", "h3", "h4", "blockquote", "ul", "ol", "figure", "table"}


def sanitise_body(html: str) -> str:
    """Keep only the tags and attributes a story needs; scripts and handlers go."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


class _BlockSplitter(HTMLParser):
    """Finds the character offsets where each top-level block of a fragment ends."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.ends: list[int] = []
        self._line_offsets: list[int] = []

    def feed_with_offsets(self, text: str) -> None:
        offset = 0
        for line in text.splitlines(keepends=True):
            self._line_offsets.append(offset)
            offset += len(line)
        if not self._line_offsets:
            self._line_offsets.append(0)
        self.feed(text)
        self.close()

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_offsets[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS and self.depth > 0:
            self.depth -= 1
            if self.depth == 0:
                self.ends.append(self._offset() + len(f"</{tag}>"))


def split_blocks(html: str) -> list[str]:
    """Split sanitised body HTML into its top-level blocks, in order."""
    parser = _BlockSplitter()
    parser.feed_with_offsets(html)
    blocks: list[str] = []
    start = 0
    for end in parser.ends:
        chunk = html[start:end].strip()
        if chunk:
            blocks.append(chunk)
        start = end
    tail = html[start:].strip()
    if tail:
        blocks.append(tail)
    return blocks


class _FirstBlock(_BlockSplitter):
    """Stops at the end of the first top-level block: the lead needs nothing after it."""

    class Found(Exception):
        pass

    def handle_endtag(self, tag: str) -> None:
        super().handle_endtag(tag)
        if self.ends:
            raise self.Found


def split_lead(html: str) -> str:
    """The first paragraph: all a blocked reader may see of the body (the first of `split_blocks`)."""
    parser = _FirstBlock()
    try:
        parser.feed_with_offsets(html)
    except _FirstBlock.Found:
        return html[: parser.ends[0]].strip()
    return html.strip()


class _AltFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.missing = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img" and not (dict(attrs).get("alt") or "").strip():
            self.missing += 1


def images_without_alt(html: str) -> int:
    """How many <img>s in a body have no alt text (the desk refuses to save those)."""
    finder = _AltFinder()
    finder.feed(html)
    finder.close()
    return finder.missing
