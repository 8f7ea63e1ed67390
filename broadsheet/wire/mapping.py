"""Subjects to sections, tags and access: the wire desk's rules applied to one item. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from broadsheet.wire.items import Subject


@dataclass(frozen=True, slots=True)
class Rule:
    """`match` is a media topic code (`medtop:04000000`) or a keyword, compared without case."""

    match: str
    section_id: int | None = None
    tag_id: int | None = None
    access: str = ""
    source_id: int | None = None  # None: the rule applies to every source


@dataclass(frozen=True, slots=True)
class Placement:
    section_id: int | None
    tag_ids: tuple[int, ...]
    access: str


def _keys(subjects: Iterable[Subject]) -> set[str]:
    keys: set[str] = set()
    for subject in subjects:
        if subject.code:
            keys.add(subject.code.lower())
        if subject.name:
            keys.add(subject.name.strip().lower())
    return keys


def place(
    subjects: Iterable[Subject],
    rules: Sequence[Rule],
    *,
    source_id: int,
    default_section_id: int | None,
    default_access: str,
) -> Placement:
    """Rules are taken in order: the first that names a section (or access) wins; every match adds its tag."""
    keys = _keys(subjects)
    section_id, access, tags = None, "", list[int]()
    for rule in rules:
        if rule.source_id not in (None, source_id) or rule.match.strip().lower() not in keys:
            continue
        if section_id is None and rule.section_id is not None:
            section_id = rule.section_id
        if not access and rule.access:
            access = rule.access
        if rule.tag_id is not None and rule.tag_id not in tags:
            tags.append(rule.tag_id)
    return Placement(
        section_id=section_id if section_id is not None else default_section_id,
        tag_ids=tuple(tags),
        access=access or default_access,
    )
