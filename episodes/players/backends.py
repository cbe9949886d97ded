"""The platforms' players for django-embed-video.

Each backend recognises the links of one platform, extracts the video id,
and builds the player address from that id alone: nothing is fetched from
the platforms, so rendering a page never leaves the server.
"""

import re
from pathlib import PurePosixPath
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from embed_video.backends import (
    UnknownIdException,
    VideoBackend,
)

BVID = re.compile(r"^BV1[0-9A-Za-z]{9}$")
AID = re.compile(r"^(?:av)?(\d{1,12})$", re.IGNORECASE)
YOUTUBE_ID = re.compile(r"^[\w-]{11}$")
XIGUA_ID = re.compile(r"^\d{6,25}$")
# The editors' wiki templates hold, where the id goes, the name of the id (BV号, YouTubeVID,
# 西瓜视频ID, 视频ID) or an id of one character repeated (BV1xxxxxxxxx, xxxxxxxxxxx): never a video.
PLACEHOLDER = re.compile(
    r"^(?:(?:BV|AV|YouTube|西瓜视频|西瓜|B站|视频)?\s*(?:V?ID|号|编号)|BV1(.)\1{8}|(.)\2{10})$", re.IGNORECASE
)


def is_placeholder(text):
    return bool(PLACEHOLDER.match(text))


class PlaceholderIdException(UnknownIdException):
    """The link holds a template's placeholder where its video id should be."""


class PlayerBackend(VideoBackend):
    """A backend that builds its player from the parsed link, offline."""

    platform = ""
    label = ""
    is_audio = False
    # The sites whose links this backend takes, with their subdomains; named to editors in refusals.
    hosts = ()
    # What a link of this platform must hold, named when it does not: "B站链接中找不到视频号（BV 号）".
    missing_id = ""

    @classmethod
    def is_valid(cls, url):
        return bool(cls.re_detect.match(url))

    @classmethod
    def serves(cls, host):
        return any(host == site or host.endswith("." + site) for site in cls.hosts)

    @classmethod
    def no_id_message(cls, url):
        return gettext("%(missing)s：%(url)s") % {"missing": cls.missing_id, "url": url}

    @property
    def parts(self):
        return urlsplit(self._url if "://" in self._url else "https:" + self._url)

    @property
    def query_params(self):
        return parse_qs(self.parts.query)

    @property
    def path_segments(self):
        return [unquote(segment) for segment in self.parts.path.split("/") if segment]

    # The player's query parameter that starts playback at a second (the episode page's script sets it).
    seek_parameter = None

    def id_candidates(self):
        """The parts of the link where this platform puts the video id."""
        raise NotImplementedError

    def match_id(self, candidate):
        """The video id in `candidate`, or None."""
        raise NotImplementedError

    def get_code(self):
        candidates = self.id_candidates()
        for candidate in candidates:
            code = None if is_placeholder(candidate) else self.match_id(candidate)
            if code:
                return code
        placeholder = next(filter(is_placeholder, candidates), None)
        if placeholder:
            raise PlaceholderIdException(
                gettext("%(missing)s：“%(placeholder)s”是模板里的占位符，不是视频。请换成这期视频的链接。")
                % {"missing": self.missing_id, "placeholder": placeholder}
            )
        raise UnknownIdException(self.no_id_message(self._url))

    @property
    def recognised_as(self):
        """What the editor is shown beside the link: the platform and the video's id there."""
        return f"{self.label} · {self.get_code()}"

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
    label = _("B站")
    hosts = ("bilibili.com",)
    missing_id = _("B站链接中找不到视频号（BV 号）")
    seek_parameter = "t"
    re_detect = re.compile(
        r"^(https?:)?//((www\.|m\.)?bilibili\.com/video/|player\.bilibili\.com/player\.html)",
        re.IGNORECASE,
    )

    def id_candidates(self):
        params = self.query_params
        if self.parts.hostname.startswith("player."):
            return params.get("bvid", []) + [f"av{aid}" for aid in params.get("aid", [])]
        return self.path_segments[1:2]

    def match_id(self, candidate):
        if BVID.match(candidate):
            return candidate
        aid = AID.match(candidate)
        return f"av{aid.group(1)}" if aid and candidate.lower().startswith("av") else None

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
    hosts = ("youtube.com", "youtu.be", "youtube-nocookie.com")
    missing_id = _("YouTube 链接中找不到 11 位的视频 ID")
    seek_parameter = "start"
    re_detect = re.compile(
        r"^(https?:)?//((www\.|m\.)?youtube\.com|(www\.)?youtube-nocookie\.com|youtu\.be)/",
        re.IGNORECASE,
    )

    def id_candidates(self):
        segments = self.path_segments
        if self.parts.hostname == "youtu.be":
            return segments[:1]
        if segments[:1] == ["watch"]:
            return self.query_params.get("v", [])
        if segments[:1] and segments[0] in {"embed", "shorts", "live", "v"}:
            return segments[1:2]
        return []

    def match_id(self, candidate):
        return candidate if YOUTUBE_ID.match(candidate) else None

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
    label = _("西瓜视频")
    hosts = ("ixigua.com",)
    missing_id = _("西瓜视频链接中找不到数字视频 ID")
    re_detect = re.compile(r"^(https?:)?//(www\.)?ixigua\.com/", re.IGNORECASE)

    def id_candidates(self):
        segments = self.path_segments
        if segments[:1] == ["iframe"]:
            segments = segments[1:]
        return segments if len(segments) == 1 else []

    def match_id(self, candidate):
        return candidate if XIGUA_ID.match(candidate) else None

    def get_url(self):
        return f"https://www.ixigua.com/iframe/{self.get_code()}?autoplay=0"

    @property
    def page_url(self):
        return f"https://www.ixigua.com/{self.get_code()}"


class AudioBackend(PlayerBackend):
    """A podcast episode: an audio file the browser plays itself."""

    platform = "podcast"
    label = _("播客")
    is_audio = True
    re_detect = re.compile(r"^https?://[^\s/?#]+/[^\s?#]*\.(mp3|m4a)([?#]\S*)?$", re.IGNORECASE)

    def get_code(self):
        return self._url

    @property
    def recognised_as(self):
        return f"{self.label} · {PurePosixPath(self.parts.path).name}"

    def get_url(self):
        return self._url

    @property
    def page_url(self):
        return self._url

    def page_url_at(self, seconds):
        # A media fragment: browsers start an audio file there.
        return f"{self._url.split('#', 1)[0]}#t={seconds}"
