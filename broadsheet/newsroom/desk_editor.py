"""The desk's rich-text editor (django-prose-editor), limited to what the body sanitiser keeps.

The editor offers only what `newsroom.html.sanitise_body` lets through, so what an
editor sees while writing is what readers get; the sanitiser still runs on save,
whatever the browser sent.

"Picture from the library" is our own extension (`static/desk/picture-picker.js`,
registered in settings.DJANGO_PROSE_EDITOR_EXTENSIONS): it searches the library or
uploads into it and inserts a figure (image with alt text, caption) that the
reader's page expands into the full sized, responsive picture with its credit.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse_lazy
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import ProseEditorWidget
from js_asset import Media

from broadsheet.newsroom.html import images_without_alt

# django-prose-editor extensions: each produces only tags in newsroom.html.ALLOWED_TAGS.
EXTENSIONS: dict[str, Any] = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Figure": True,
    "Caption": True,
    "Image": True,
    "LibraryPicture": {
        "searchUrl": reverse_lazy("admin:pictures_picture_picker"),
        "uploadUrl": reverse_lazy("admin:pictures_picture_picker_upload"),
    },
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
    "HTML": True,
    "SpecialCharacters": True,
}


class DeskEditorWidget(ProseEditorWidget):  # type: ignore[misc]  # the package has no type hints
    """The package's widget plus the picker's stylesheet."""

    @property
    def media(self) -> Media:
        media: Media = super().media + Media(css={"all": ["desk/picture-picker.css"]})
        return media


def require_alt_text(html: str) -> None:
    if missing := images_without_alt(html):
        raise ValidationError(
            f"Pictures in the body without alt text: {missing}. "
            "Select each one, choose Figure and describe what it shows for readers who cannot see it."
        )


def body_field(**kwargs: Any) -> ProseEditorFormField:
    return ProseEditorFormField(
        config={"extensions": EXTENSIONS}, widget=DeskEditorWidget, validators=[require_alt_text], **kwargs
    )


def prose_form_for[M: models.Model](model: type[M], fields: list[str]) -> type[forms.ModelForm[M]]:
    """A ModelForm whose `body` is edited in the rich-text editor."""
    meta = type("Meta", (), {"model": model, "fields": fields})
    form: type[forms.ModelForm[M]] = type(
        f"{model.__name__}DeskForm",
        (forms.ModelForm,),
        {"Meta": meta, "body": body_field(help_text="Bold, italic, headings, lists, quotes, links, figures, tables.")},
    )
    return form
