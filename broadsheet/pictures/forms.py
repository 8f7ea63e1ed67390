"""The upload form: checked before anything is kept (the library's page and the editor's picker both use it)."""

from __future__ import annotations

from django import forms

from broadsheet.pictures import conf
from broadsheet.pictures.images import read_upload
from broadsheet.pictures.models import Picture
from broadsheet.pictures.rules import PictureRefused, check_size


class PictureForm(forms.ModelForm[Picture]):
    upload = forms.FileField(
        required=False,
        help_text="JPEG, PNG, WebP or GIF. The site serves resized copies made now; the original is kept privately.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )

    class Meta:
        model = Picture
        fields = ["alt", "caption", "credit"]

    def clean_upload(self) -> bytes | None:
        upload = self.cleaned_data.get("upload")
        if upload is None:
            if self.instance.pk is None:
                raise forms.ValidationError("Choose a picture to upload.")
            return None
        try:
            check_size(size_bytes=upload.size or 0, limits=conf.limits())
            data: bytes = upload.read()
            read_upload(data, limits=conf.limits())
        except PictureRefused as exc:
            raise forms.ValidationError(str(exc)) from None
        self.upload_name = upload.name or "upload"
        return data
