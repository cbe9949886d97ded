"""The public's one form: a reader's correction to a paragraph of a transcript."""

import ipaddress

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from cms.security import client_address
from episodes.models import PROPOSAL_MAX_CHARACTERS, Correction, as_stored
from markup.render import validate_renderable_transcript
from markup.transcripts import readable_text, with_readable_text


def address_hash(request):
    """The sender's address, keyed with the site's secret: enough to count by, never the address itself.

    An IPv6 address counts by its /64, the block one subscriber is usually
    given: within it, a sender could take a new address for every send.
    """
    address = client_address(request)
    try:
        if ipaddress.ip_address(address).version == 6:
            address = str(ipaddress.ip_network(f"{address}/64", strict=False))
    except ValueError:
        pass  # not an address (a test client's, say): counted as it is
    return salted_hmac("episodes.correction.address", address, algorithm="sha256").hexdigest()


class CorrectionForm(forms.ModelForm):
    """A reader's correction, written as the paragraph reads and kept as its markdown source.

    Readers correct words, not markup: the form shows the paragraph's
    readable text (`original_text`) and puts the reader's text back into
    the source (`with_readable_text`), which proofreaders review and accept.
    Validated inside a transaction (see `CorrectionView`), so that the
    hourly limit holds under races.
    """

    # The model's length is checked in clean_proposed(), once line breaks are counted as stored.
    proposed = forms.CharField(
        label=_("建议改为"),
        help_text=_("只需改动文字：说话人的颜色、加粗和链接会原样保留。"),
        widget=forms.Textarea(attrs={"rows": 8}),
        strip=False,
    )
    # Left empty by people, who never see it; filled in by robots that fill in every field.
    website = forms.CharField(
        label=_("请勿填写此栏"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Correction
        fields = ["proposed", "note", "name"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.original_text = readable_text(self.instance.original).text
        self.initial["proposed"] = self.original_text

    def clean_proposed(self):
        # Browsers send each line break as two characters: counted once, as stored.
        edited = as_stored(self.cleaned_data["proposed"])
        if edited.strip() == self.original_text.strip():
            raise ValidationError(_("这段文字还没有改动。请直接在框中修改后再提交。"), code="unchanged")
        # The source is never shorter than its text: a text over the limit is refused before any diff.
        proposed = (
            edited
            if len(edited) > PROPOSAL_MAX_CHARACTERS
            else with_readable_text(self.instance.original, edited)
        )
        if len(proposed) > PROPOSAL_MAX_CHARACTERS:
            raise ValidationError(
                _("一段最多 %(limit)d 个字，您的修改有 %(count)d 个字。"),
                code="too_long",
                params={"limit": PROPOSAL_MAX_CHARACTERS, "count": len(proposed)},
            )
        return proposed

    def clean(self):
        if self.cleaned_data.get("website"):
            raise ValidationError(
                _("表单中一个应当留空的栏目被填写了，所以没有保存。如果您不是机器人，请刷新页面后重试。"),
                code="honeypot",
            )
        sent = Correction.objects.sent_within_the_hour(self.instance.address_hash).count()
        if sent >= settings.CORRECTIONS_PER_HOUR:
            raise ValidationError(
                _("感谢您的热心！一小时内最多可以提交 %(limit)d 条纠错，请稍后再来。"),
                code="rate_limited",
                params={"limit": settings.CORRECTIONS_PER_HOUR},
            )
        # Last, and only for a send that may be stored: rendering is the one costly check.
        if proposed := self.cleaned_data.get("proposed"):
            try:
                validate_renderable_transcript(proposed)
            except ValidationError as error:
                self.add_error("proposed", error)
        return self.cleaned_data
