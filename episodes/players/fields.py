"""The player link's form and model fields, and the box that shows what a link was recognised as."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _
from embed_video.fields import EmbedVideoField

from episodes.players.links import normalise_player_link, recognised_player


class PlayerLinkInput(forms.TextInput):
    """The link box, with the platform and the video id it was recognised as beside it."""

    template_name = "episodes/widgets/player_link.html"

    class Media:
        css = {"all": ["episodes/admin.css"]}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        player = recognised_player(value)
        if player is not None:
            widget = context["widget"]
            widget["recognised_as"] = player.recognised_as
            widget["recognised_id"] = f"{widget['attrs'].get('id', name)}-recognised"
            described = [widget["attrs"].get("aria-describedby"), widget["recognised_id"]]
            widget["attrs"]["aria-describedby"] = " ".join(filter(None, described))
        return context


class PlayerLinkBoundField(BoundField):
    def value(self):
        # Redisplayed, an accepted link shows as it will be stored: a short link already expanded,
        # so that saving again asks the short-link service nothing.
        cleaned = getattr(self.form, "cleaned_data", {})
        return cleaned[self.name] if self.name in cleaned else super().value()


class PlayerLinkFormField(forms.CharField):
    widget = PlayerLinkInput
    bound_field_class = PlayerLinkBoundField

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault(
            "help_text", _("粘贴视频页面链接、BV 号、YouTube ID 或整段 iframe 代码；播客填音频文件地址。")
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalise_player_link(super().to_python(value), expand_short_links=True)

    def has_changed(self, initial, data):
        # Offline: a short link is never the stored link, and asking the service a second time
        # in the same save would double the editor's wait.
        try:
            return not self.disabled and normalise_player_link(data) != (initial or "")
        except ValidationError:
            return True


class PlayerLinkField(EmbedVideoField):
    """django-embed-video's field, storing one canonical link per player."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 500)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return normalise_player_link(super().to_python(value))

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PlayerLinkFormField, **kwargs})
