"""Reading an uploaded file of partner codes. Pure: bytes in, a parsed file out (no Django)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from broadsheet.partners.rules import check_code

HEADER_NAMES = frozenset({"code", "codes", "link", "links", "url", "activation code", "activation_code"})


@dataclass(frozen=True, slots=True)
class InvalidRow:
    line: int
    reason: str


@dataclass(slots=True)
class ParsedFile:
    codes: list[str] = field(default_factory=list)  # usable, each once, in file order
    duplicates_in_file: int = 0
    blank_lines: int = 0
    header_skipped: bool = False
    invalid: list[InvalidRow] = field(default_factory=list)
    error: str | None = None  # the whole file is unusable


def _decode(data: bytes) -> tuple[str | None, str | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, f"The file is not UTF-8 text (line {line}, byte {exc.start + 1}). Save it as CSV UTF-8."


def parse_codes(data: bytes, *, max_bytes: int, max_length: int) -> ParsedFile:
    """One code or link per row, in the first column; an optional header row; other columns ignored."""
    parsed = ParsedFile()
    if len(data) > max_bytes:
        parsed.error = f"The file is larger than {max_bytes:,} bytes. Split it and upload the parts."
        return parsed
    text, parsed.error = _decode(data)
    if text is None:
        return parsed
    seen: set[str] = set()
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            _take_row(parsed, seen, row, reader.line_num, max_length)
    except csv.Error as exc:
        parsed.error = f"The file is not valid CSV (line {reader.line_num}): {exc}."
    if parsed.error is None and not parsed.codes and not parsed.invalid:
        parsed.error = "The file holds no codes."
    return parsed


def _take_row(parsed: ParsedFile, seen: set[str], row: list[str], line: int, max_length: int) -> None:
    if not any(cell.strip() for cell in row):
        parsed.blank_lines += 1
        return
    first = row[0].strip()
    if not seen and not parsed.invalid and not parsed.header_skipped and first.lower() in HEADER_NAMES:
        parsed.header_skipped = True
        return
    check = check_code(row[0], max_length=max_length)
    if check.problem is not None:
        reason = "no code in the first column" if check.problem == "blank" else check.problem
        parsed.invalid.append(InvalidRow(line, reason))
    elif check.code in seen:
        parsed.duplicates_in_file += 1
    else:
        seen.add(check.code)
        parsed.codes.append(check.code)
