"""Parsing an uploaded CSV of codes (pure: bytes in, a parsed file out)."""

from __future__ import annotations

from broadsheet.partners.csvfile import InvalidRow, parse_codes


def parse(data: bytes, max_bytes: int = 10_000, max_length: int = 40):  # type: ignore[no-untyped-def]
    return parse_codes(data, max_bytes=max_bytes, max_length=max_length)


def test_a_bom_a_header_crlf_and_blank_lines_are_handled() -> None:
    parsed = parse(b"\xef\xbb\xbfcode\r\nAAA-1\r\n\r\n  \r\nBBB-2\r\n,\r\n")
    assert parsed.header_skipped
    assert parsed.codes == ["AAA-1", "BBB-2"]
    assert parsed.blank_lines == 3
    assert parsed.invalid == [] and parsed.error is None


def test_without_a_header_the_first_row_is_a_code_and_other_columns_are_ignored() -> None:
    parsed = parse(b"AAA-1,first batch\nBBB-2,first batch\n")
    assert parsed.codes == ["AAA-1", "BBB-2"]
    assert not parsed.header_skipped


def test_duplicates_in_the_file_are_counted_once_kept() -> None:
    parsed = parse(b"code\nAAA\nBBB\nAAA\n AAA \n")
    assert parsed.codes == ["AAA", "BBB"]
    assert parsed.duplicates_in_file == 2


def test_invalid_rows_are_reported_with_their_line_numbers() -> None:
    parsed = parse(b"code\nGOOD-1\n,note without a code\nHAS SPACE\n" + b"X" * 41 + b"\nGOOD-2\n")
    assert parsed.invalid == [
        InvalidRow(3, "no code in the first column"),
        InvalidRow(4, "contains spaces or control characters"),
        InvalidRow(5, "longer than 40 characters"),
    ]
    assert parsed.codes == ["GOOD-1", "GOOD-2"]


def test_invalid_utf8_is_a_file_error_naming_the_line() -> None:
    parsed = parse(b"code\nAAA\nB\xff\xfeB\n")
    assert parsed.error is not None and "not UTF-8" in parsed.error and "line 3" in parsed.error
    assert parsed.codes == []


def test_an_oversize_file_is_refused_unread() -> None:
    parsed = parse(b"A\n" * 100, max_bytes=50)
    assert parsed.error is not None and "larger than 50 bytes" in parsed.error
    assert parsed.codes == []


def test_an_empty_file_or_only_a_header_holds_no_codes() -> None:
    assert parse(b"").error == "The file holds no codes."
    assert parse(b"code\n\n").error == "The file holds no codes."


def test_a_quoted_link_with_a_comma_is_one_code() -> None:
    parsed = parse(b'link\n"https://partner.example/r?a=1,2"\n', max_length=100)
    assert parsed.codes == ["https://partner.example/r?a=1,2"]
