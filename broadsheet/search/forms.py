"""The search page's parameters: lenient, because a bad filter should narrow nothing, not fail."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms

from broadsheet.core.periods import zone
from broadsheet.newsroom.models import Agency, Author, Section
from broadsheet.search.engines.base import Filters, Sort


class SearchForm(forms.Form):
    q = forms.CharField(required=False, strip=True, label="Search for")
    section = forms.ModelChoiceField(
        queryset=Section.objects.all(), to_field_name="slug", required=False, empty_label="All sections"
    )
    author = forms.ModelChoiceField(
        queryset=Author.objects.all(), to_field_name="slug", required=False, empty_label="Any author"
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(), to_field_name="code", required=False, empty_label="Any agency"
    )
    published_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    published_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(
        choices=[(Sort.RELEVANCE.value, "Most relevant"), (Sort.NEWEST.value, "Newest first")],
        required=False,
        label="Order",
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


def _day_start(day: date | None, time_zone: str) -> datetime | None:
    return None if day is None else datetime.combine(day, time.min, tzinfo=zone(time_zone))


def read_search(data: Mapping[str, Any], *, time_zone: str) -> tuple[SearchForm, str, Filters, Sort, int, list[str]]:
    """(form, query text, filters, sort, page, notes): invalid fields are dropped, each with a note."""
    form = SearchForm(data)
    form.is_valid()
    # The query itself is never refused: the parser makes sense of any text (a NUL, 10 kB, no words).
    text = str(data.get("q") or "").replace("\x00", " ").strip()
    notes = [
        f"We ignored the {form.fields[name].label or name} filter: {errs[0]}"
        for name, errs in form.errors.items()
        if name != "q"
    ]
    clean = form.cleaned_data
    start, end = clean.get("published_from"), clean.get("published_to")
    if start and end and end < start:
        start, end = end, start
    filters = Filters(
        published_from=_day_start(start, time_zone),
        published_before=_day_start(end + timedelta(days=1) if end else None, time_zone),
        section_id=clean["section"].pk if clean.get("section") else None,
        author_id=clean["author"].pk if clean.get("author") else None,
        agency_id=clean["agency"].pk if clean.get("agency") else None,
    )
    sort = Sort(clean.get("sort") or Sort.RELEVANCE)
    return form, text, filters, sort, clean.get("page") or 1, notes
