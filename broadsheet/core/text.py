"""Text from outside, made safe to store, show and write out. Plain Python, no Django.

Three jobs, one table of characters each:

* `normalise_text` for text that may run over lines (a story's body): Unicode
  NFC; line ends become "\\n"; control characters other than tab and newline,
  Unicode noncharacters (U+FFFE, U+FDD0 …) and lone surrogates are removed.
* `normalise_line` for one-line fields (headlines, names, datelines): the same,
  tabs and line breaks become spaces, and the bidirectional embedding, override
  and isolate controls (U+202A to U+202E, U+2066 to U+2069) are removed, because one
  of them can turn the rest of a line around, the site's name in a `<title>`
  included. The marks U+200E / U+200F / U+061C and the joiners U+200C (ZWNJ) /
  U+200D (ZWJ), which Indic scripts need to shape words, are kept.
* `xml_text` for writers of XML 1.0: removes every character XML 1.0 does not
  allow, whatever is stored.
"""

from __future__ import annotations

import re
import unicodedata

_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff"  # those of the basic plane; the other planes' below
_ASTRAL_NONCHARACTERS = "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(1, 17))
_BIDI_RANGES = "\u202a-\u202e\u2066-\u2069"
BIDI_CONTROLS = frozenset([*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))])

# What text loses (controls but tab and newline, noncharacters, lone surrogates) and, for one line, also
# the bidi controls; line and paragraph separators become a newline, or in one line a space.
_TEXT_DROP = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\ud800-\\udfff{_NONCHARACTERS}]")
_LINE_DROP = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\ud800-\\udfff{_NONCHARACTERS}{_BIDI_RANGES}]")
# The 32 noncharacters beyond the basic plane are a class of their own, tried only on text that has a
# character beyond it: in one class with the rest they made every character cost ten times as much.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_ASTRAL_DROP = re.compile(f"[{_ASTRAL_NONCHARACTERS}]")
_TEXT_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n"})
_LINE_BREAKS = str.maketrans({"\t": " ", "\n": " ", "\u2028": " ", "\u2029": " "})

_NOT_XML = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_BIDI = re.compile(f"[{_BIDI_RANGES}]")
_INVISIBLE = re.compile(f"[\\x00-\\x08\\x0b-\\x0c\\x0e-\\x1f\\x7f-\\x9f{_BIDI_RANGES}\\ufffe\\uffff]")


def _nfc(value: str) -> str:
    if value.isascii() or unicodedata.is_normalized("NFC", value):
        return value
    return unicodedata.normalize("NFC", value)


def normalise_text(value: str) -> str:
    """Multi-line text, safe to store: NFC, "\\n" line ends, no control characters but tab and newline."""
    if not value:
        return ""
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if not value.isascii():
        value = value.translate(_TEXT_BREAKS)
    return _nfc(_drop(_TEXT_DROP, value))


def normalise_line(value: str) -> str:
    """One-line text: as `normalise_text`, line breaks and tabs become spaces, no bidi controls."""
    if not value:
        return ""
    value = value.replace("\r\n", " ").translate(_LINE_BREAKS)
    return _nfc(_drop(_LINE_DROP, value))


def _drop(pattern: re.Pattern[str], value: str) -> str:
    value = pattern.sub("", value)
    if not value.isascii() and _ASTRAL.search(value):
        value = _ASTRAL_DROP.sub("", value)
    return value


def xml_text(value: str) -> str:
    """`value` with every character XML 1.0 forbids removed (controls, U+FFFE/U+FFFF, lone surrogates)."""
    return _NOT_XML.sub("", value) if value else value


def visible_controls(value: str) -> str:
    """Control and bidi characters written out as "⟨U+001B⟩", for showing hostile originals to the desk."""
    return _INVISIBLE.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", value)


def has_controls(value: str) -> bool:
    """Control characters other than tab, newline and carriage return."""
    return bool(_CONTROL.search(value))


def has_bidi_controls(value: str) -> bool:
    return bool(_BIDI.search(value))


def first_surrogate(value: str) -> int | None:
    """Where the first lone surrogate is (text that is not valid Unicode and cannot be stored), or None."""
    found = _SURROGATE.search(value)
    return found.start() if found else None
