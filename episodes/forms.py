"""The public's one form: a reader's correction to a paragraph of a transcript."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from cms.security import client_address
from episodes.models import Correction


def address_hash(request):
    """The sender's address, keyed with the site's secret: enough to count by, never the address itself."""
    return salted_hmac("episodes.correction.address", client_address(request), algorithm="sha256").hexdigest()


class CorrectionForm(forms.ModelForm):
    # Left empty by people, who never see it; filled in by robots that fill in every field.
    website = forms.CharField(
        label=_("请勿填写此栏"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Correction
        fields = ["proposed", "note", "name"]
        widgets = {
            "proposed": forms.Textarea(attrs={"rows": 8}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)

    def clean_proposed(self):
        proposed = self.cleaned_data["proposed"].replace("\r\n", "\n").strip()
        if proposed == self.instance.original.strip():
            raise ValidationError(_("这段文字还没有改动。请直接在框中修改后再提交。"), code="unchanged")
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
        return self.cleaned_data
