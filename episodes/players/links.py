"""What editors paste, turned into a player's canonical link, or refused with the reason.

The one request to the outside is made when an editor saves a Bilibili
short link (b23.tv, what the app's share button gives): the short-link
service is asked where it redirects, and only a redirect to a video is kept.
"""

import html
import http.client
import re
import urllib.error
import urllib.request
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from django.utils.translation import gettext
from embed_video.backends import (
    UnknownBackendException,
    UnknownIdException,
    detect_backend,
)

from episodes.players.backends import (
    AID,
    BVID,
    YOUTUBE_ID,
    BilibiliBackend,
    PlaceholderIdException,
    XiguaBackend,
    YouTubeBackend,
    is_placeholder,
)

IFRAME_SRC = re.compile(r"""<iframe\b[^>]*?\ssrc\s*=\s*(["']?)([^"'\s>]+)\1""", re.IGNORECASE)
# A link inside the text a share button copies: "【标题-哔哩哔哩】 https://b23.tv/AbCdEf1".
SHARED_LINK = re.compile(r"https?://[\w\-.~:/?#\[\]@!$&'()*+,;=%]+", re.ASCII)
# A link pasted without its scheme: "www.bilibili.com/video/BV…".
SCHEMELESS_LINK = re.compile(r"^[\w-]+(\.[\w-]+)+/", re.ASCII)
SHORT_CODE = re.compile(r"^/([0-9A-Za-z]+)/?$")

VIDEO_PLATFORMS = (BilibiliBackend, YouTubeBackend, XiguaBackend)


def pasted_link(value):
    """The link in what an editor pasted: an `<iframe>` snippet's address, the link in a share text."""
    value = html.unescape((value or "").strip())
    iframe = IFRAME_SRC.search(value)
    if iframe:
        return html.unescape(iframe.group(2))
    if re.search(r"\s", value) or not value.startswith(("http://", "https://", "//")):
        links = SHARED_LINK.findall(value)
        if len(links) == 1:
            return links[0]
    if SCHEMELESS_LINK.match(value):
        return "https://" + value
    return value


def link_for_id(value):
    """A bare Bilibili (BV…/av…) or YouTube id as its platform's link; anything else as it is."""
    if BVID.match(value):
        return f"https://www.bilibili.com/video/{value}/"
    if AID.match(value) and value.lower().startswith("av"):
        return f"https://www.bilibili.com/video/{value.lower()}/"
    if YOUTUBE_ID.match(value) and not value.isdigit():
        return f"https://www.youtube.com/watch?v={value}"
    if value.startswith("//"):
        return "https:" + value
    return value


def normalise_player_link(value, *, expand_short_links=False):
    """Turn whatever an editor pasted into the player's canonical link.

    Accepts a platform link, a protocol-relative player address, an
    `<iframe>` snippet, a share text, or a bare Bilibili (BV…/av…) or YouTube
    id; with `expand_short_links`, a Bilibili short link too (a request: see
    `expand_short_link`). Raises `ValidationError` with a message for editors
    that names what is wrong, and a `code` for each kind of refusal.
    """
    link = pasted_link(value)
    if not link:
        return ""
    if is_placeholder(link):
        raise ValidationError(
            gettext(
                "“%(placeholder)s”是模板里的占位符，不是视频。请换成这期视频的链接（或 BV 号、YouTube ID）。"
            )
            % {"placeholder": link},
            code="placeholder",
        )
    link = link_for_id(link)
    if is_short_link(link):
        if not expand_short_links:
            raise short_link_refused(
                gettext("%(url)s 是短链接，这里不能展开。") % {"url": link}, "short_link"
            )
        link = expand_short_link(link)
    try:
        return detect_backend(link).page_url
    except UnknownBackendException:
        raise unrecognised_link(link) from None
    except PlaceholderIdException as error:
        raise ValidationError(str(error), code="placeholder") from None
    except UnknownIdException as error:
        raise ValidationError(str(error), code="no_video_id") from None


def host_of(link):
    try:
        return urlsplit(link).hostname
    except ValueError:  # such as an unclosed [ of an IPv6 address
        return None


def unrecognised_link(link):
    """The refusal of a link that no backend takes: a known site's page that is no video, another site, no link."""
    host = host_of(link)
    if not host:
        return ValidationError(
            gettext(
                "“%(value)s”不是链接。请粘贴以 https:// 开头的完整视频链接（或 BV 号、YouTube ID），"
                "播客请粘贴 mp3 / m4a 音频文件的地址。"
            )
            % {"value": Truncator(link).chars(60)},
            code="not_a_link",
        )
    platform = next((backend for backend in VIDEO_PLATFORMS if backend.serves(host)), None)
    if platform:
        return ValidationError(platform.no_id_message(link), code="no_video_id")
    separator = gettext("、")
    sites = separator.join(
        gettext("%(platform)s（%(hosts)s）")
        % {"platform": backend.label, "hosts": separator.join(backend.hosts)}
        for backend in VIDEO_PLATFORMS
    )
    return ValidationError(
        gettext("不支持 %(host)s 的链接。支持的网站：%(sites)s；播客请粘贴 mp3 / m4a 音频文件的地址。")
        % {"host": host, "sites": sites},
        code="unsupported_site",
    )


def is_short_link(link):
    return host_of(link) in settings.PLAYER_SHORT_LINK_HOSTS


def short_link_refused(problem, code):
    """A short link that was not expanded: the editor is asked for the full link instead."""
    return ValidationError(
        gettext("%(problem)s请在浏览器里打开这个视频，把地址栏里的完整链接粘贴到这里。")
        % {"problem": problem},
        code=code,
    )


class _LeaveRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect's Location is the answer: the page it points to is never fetched."""

    def redirect_request(self, *args, **kwargs):
        return None


def expand_short_link(link):
    """The Bilibili video link that a short link redirects to, asked of the short-link service.

    Only form cleaning calls this, when an editor saves: the service gets
    PLAYER_SHORT_LINK_TIMEOUT seconds, and its redirect is read, not followed.
    """
    code = SHORT_CODE.match(urlsplit(link).path)
    if code is None:
        raise ValidationError(BilibiliBackend.no_id_message(link), code="no_video_id")
    service = settings.PLAYER_SHORT_LINK_BASE + code.group(1)
    request = urllib.request.Request(service, headers={"User-Agent": "Mozilla/5.0 (compatible; column-cms)"})
    try:
        with urllib.request.build_opener(_LeaveRedirects).open(
            request, timeout=settings.PLAYER_SHORT_LINK_TIMEOUT
        ) as response:
            status, location = response.status, None
    except urllib.error.HTTPError as answer:
        answer.close()
        status, location = answer.code, answer.headers.get("Location")
    except (OSError, http.client.HTTPException):
        problem = gettext("现在连不上 %(host)s，短链接 %(url)s 无法展开。") % {
            "host": host_of(link),
            "url": link,
        }
        raise short_link_refused(problem, "short_link_unreachable") from None
    if not location:
        problem = gettext("短链接 %(url)s 没有跳转到视频（短链接服务回答 %(status)s）。")
        raise short_link_refused(problem % {"url": link, "status": status}, "short_link_broken")
    target = urljoin(service, location)
    if not BilibiliBackend.is_valid(target):
        parts = urlsplit(target)
        problem = gettext("短链接 %(url)s 跳转到的不是 B站视频，而是 %(target)s。")
        raise short_link_refused(
            problem % {"url": link, "target": f"{parts.netloc}{parts.path}"}, "short_link_elsewhere"
        )
    return target


def recognised_player(value):
    """The backend of a link, recognised offline; None for an empty or refused one."""
    try:
        link = normalise_player_link(value)
    except ValidationError:
        return None
    return detect_backend(link) if link else None
