"""Markdown as forms take it in."""

from django import forms
from django.db import models


class SourceTextField(forms.CharField):
    """A text as the site stores it: browsers send a textarea's line breaks as CRLF, the wiki's are LF.

    So an unchanged text is unchanged: no new revision, and an export that
    writes back the wiki's own bytes.
    """

    def __init__(self, *, strip=False, **kwargs):
        # Kept whole: a source's last line break is part of it, as the export writes it back.
        super().__init__(strip=strip, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


# For a ModelAdmin's or an inline's `formfield_overrides`: every text field of the model.
TEXT_AS_STORED = {models.TextField: {"form_class": SourceTextField}}
