"""Video and audio players for django-embed-video.

Each backend recognises the links editors paste for one platform, extracts
the video id, and builds the player address from that id alone: nothing is
fetched from the platforms, so rendering a page never leaves the server.
"""

import html
import re
from urllib.parse import parse_qs, urlencode, urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from embed_video.backends import (
    UnknownBackendException,
    UnknownIdException,
    VideoBackend,
    detect_backend,
)
from embed_video.fields import EmbedVideoField

# The same character nine times is a template's placeholder (BV1xxxxxxxxx), not a video.
BVID = re.compile(r"^BV1(?!(.)\1{8}$)[0-9A-Za-z]{9}$")
AID = re.compile(r"^(?:av)?(\d{1,12})$", re.IGNORECASE)
YOUTUBE_ID = re.compile(r"^[\w-]{11}$")
XIGUA_ID = re.compile(r"^\d{6,25}$")
IFRAME_SRC = re.compile(r"""<iframe\b[^>]*?\ssrc\s*=\s*(["']?)([^"'\s>]+)\1""", re.IGNORECASE)


class PlayerBackend(VideoBackend):
    """A backend that builds its player from the parsed link, offline."""

    platform = ""
    label = ""
    is_audio = False

    @classmethod
    def is_valid(cls, url):
        return bool(cls.re_detect.match(url))

    @property
    def parts(self):
        return urlsplit(self._url if "://" in self._url else "https:" + self._url)

    @property
    def query_params(self):
        return parse_qs(self.parts.query)

    # The player's query parameter that starts playback at a second (the episode page's script sets it).
    seek_parameter = None

    @property
    def page_url(self):
        """The address of the video on its platform, for readers and feeds."""
        raise NotImplementedError

    def page_url_at(self, seconds):
        """The video's page, playing from `seconds`; the plain page where the platform cannot be told."""
        return self.page_url

    def get_thumbnail_url(self):
        return None


class BilibiliBackend(PlayerBackend):
    platform = "bilibili"
    label = "B站"
    seek_parameter = "t"
    re_detect = re.compile(
        r"^(https?:)?//((www\.|m\.)?bilibili\.com/video/|player\.bilibili\.com/player\.html)",
        re.IGNORECASE,
    )

    def get_code(self):
        params = self.query_params
        if self.parts.hostname.startswith("player."):
            candidates = params.get("bvid", []) + [f"av{aid}" for aid in params.get("aid", [])]
        else:
            segments = [s for s in self.parts.path.split("/") if s]
            candidates = segments[1:2]
        for candidate in candidates:
            if BVID.match(candidate):
                return candidate
            aid = AID.match(candidate)
            if aid and candidate.lower().startswith("av"):
                return f"av{aid.group(1)}"
        raise UnknownIdException(gettext("B站链接中找不到视频号（BV 号）：%(url)s") % {"url": self._url})

    @property
    def video_page(self):
        params = self.query_params
        for key in ("p", "page"):
            for value in params.get(key, []):
                if value.isdigit() and int(value) > 0:
                    return int(value)
        return 1

    def _id_params(self):
        code = self.get_code()
        return {"aid": code[2:]} if code.startswith("av") else {"bvid": code}

    def get_url(self):
        params = self._id_params() | {
            "page": self.video_page,
            "high_quality": 1,
            "danmaku": 1,
            "autoplay": 0,
        }
        return f"https://player.bilibili.com/player.html?{urlencode(params)}"

    @property
    def page_url(self):
        url = f"https://www.bilibili.com/video/{self.get_code()}/"
        return url if self.video_page == 1 else f"{url}?p={self.video_page}"

    def page_url_at(self, seconds):
        return f"{self.page_url}{'&' if '?' in self.page_url else '?'}t={seconds}"


class YouTubeBackend(PlayerBackend):
    platform = "youtube"
    label = "YouTube"
    seek_parameter = "start"
    re_detect = re.compile(
        r"^(https?:)?//((www\.|m\.)?youtube\.com|(www\.)?youtube-nocookie\.com|youtu\.be)/",
        re.IGNORECASE,
    )

    def get_code(self):
        parts = self.parts
        segments = [s for s in parts.path.split("/") if s]
        if parts.hostname == "youtu.be":
            candidates = segments[:1]
        elif segments[:1] == ["watch"]:
            candidates = self.query_params.get("v", [])
        elif segments[:1] and segments[0] in {"embed", "shorts", "live", "v"}:
            candidates = segments[1:2]
        else:
            candidates = []
        for candidate in candidates:
            if YOUTUBE_ID.match(candidate):
                return candidate
        raise UnknownIdException(gettext("YouTube 链接中找不到 11 位的视频 ID：%(url)s") % {"url": self._url})

    def get_url(self):
        return f"https://www.youtube-nocookie.com/embed/{self.get_code()}"

    def get_thumbnail_url(self):
        return f"https://i.ytimg.com/vi/{self.get_code()}/hqdefault.jpg"

    @property
    def page_url(self):
        return f"https://www.youtube.com/watch?v={self.get_code()}"

    def page_url_at(self, seconds):
        return f"{self.page_url}&t={seconds}s"


class XiguaBackend(PlayerBackend):
    platform = "xigua"
    label = "西瓜视频"
    re_detect = re.compile(r"^(https?:)?//(www\.)?ixigua\.com/", re.IGNORECASE)

    def get_code(self):
        segments = [s for s in self.parts.path.split("/") if s]
        if segments[:1] == ["iframe"]:
            segments = segments[1:]
        if len(segments) == 1 and XIGUA_ID.match(segments[0]):
            return segments[0]
        raise UnknownIdException(gettext("西瓜视频链接中找不到数字视频 ID：%(url)s") % {"url": self._url})

    def get_url(self):
        return f"https://www.ixigua.com/iframe/{self.get_code()}?autoplay=0"

    @property
    def page_url(self):
        return f"https://www.ixigua.com/{self.get_code()}"


class AudioBackend(PlayerBackend):
    """A podcast episode: an audio file the browser plays itself."""

    platform = "podcast"
    label = "播客"
    is_audio = True
    re_detect = re.compile(r"^https?://[^\s/?#]+/[^\s?#]*\.(mp3|m4a)([?#]\S*)?$", re.IGNORECASE)

    def get_code(self):
        return self._url

    def get_url(self):
        return self._url

    @property
    def page_url(self):
        return self._url

    def page_url_at(self, seconds):
        # A media fragment: browsers start an audio file there.
        return f"{self._url.split('#', 1)[0]}#t={seconds}"


def normalise_player_link(value):
    """Turn whatever an editor pasted into the player's canonical link.

    Accepts a platform link, a protocol-relative player address, an
    `<iframe>` snippet, or a bare Bilibili (BV…/av…) or YouTube id. Raises
    `ValidationError` with a message for editors when it is none of these.
    """
    value = html.unescape((value or "").strip())
    if not value:
        return ""
    iframe = IFRAME_SRC.search(value)
    if iframe:
        value = html.unescape(iframe.group(2))
    if BVID.match(value):
        value = f"https://www.bilibili.com/video/{value}/"
    elif AID.match(value) and value.lower().startswith("av"):
        value = f"https://www.bilibili.com/video/{value.lower()}/"
    elif YOUTUBE_ID.match(value) and not value.isdigit():
        value = f"https://www.youtube.com/watch?v={value}"
    elif value.startswith("//"):
        value = "https:" + value
    try:
        backend = detect_backend(value)
        return backend.page_url
    except UnknownBackendException:
        raise ValidationError(
            gettext(
                "不支持的链接。请粘贴 B站、YouTube 或西瓜视频的视频链接（或 BV 号、YouTube ID），"
                "播客请粘贴 mp3 / m4a 音频文件的地址。"
            ),
            code="unsupported",
        ) from None
    except UnknownIdException as error:
        raise ValidationError(str(error), code="no_video_id") from None


class PlayerLinkFormField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault(
            "help_text", _("粘贴视频页面链接、BV 号、YouTube ID 或整段 iframe 代码；播客填音频文件地址。")
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalise_player_link(super().to_python(value))


class PlayerLinkField(EmbedVideoField):
    """django-embed-video's field, storing one canonical link per player."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 500)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return normalise_player_link(super().to_python(value))

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PlayerLinkFormField, **kwargs})
