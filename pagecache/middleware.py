"""Whole public pages from the cache, answered before the rest of the middleware runs.

A reader without a session (every anonymous reader) asking for a page with
GET or HEAD is answered here, from the cache, when a page for the content's
version, the reader's language and the address is there; the sessions,
CSRF, authentication and messages machinery never runs for them. Anyone
with a session, staff above all, passes through untouched and is never
served or stored. A page built for a reader is stored with every header the
inner middleware gave it, and its version makes its ETag, so readers and
CDNs revalidate for the cost of one query.

A page's key names its version, so a copy kept in a worker's own memory can
never be stale: with Redis, the hottest pages are also kept in each worker
(the `local` cache) and served without a round trip.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponseNotModified
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from pagecache.version import content_version


def page_caches():
    """The caches that hold pages, nearest first: the worker's own, then the shared one."""
    return [caches[alias] for alias in ("local", "default") if alias in settings.CACHES]


def cached_page(key):
    nearer = []
    for page_cache in page_caches():
        response = page_cache.get(f"page:{key}")
        if response is not None:
            for near_cache in nearer:
                near_cache.set(f"page:{key}", response, settings.PAGE_CACHE_SECONDS)
            return response
        nearer.append(page_cache)
    return None


class PublicPageCacheMiddleware:
    """Serve anonymous GET requests for public pages from the cache, with ETags."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        language = translation.get_language_from_request(request)
        key = hashlib.sha256(f"{content_version()}|{language}|{request.get_full_path()}".encode()).hexdigest()
        etag = f'"{key[:32]}"'
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
            response["ETag"] = etag
            return response
        response = cached_page(key)
        if response is None:
            response = self.get_response(request)
            if self.cacheable_response(response):
                self.store(key, etag, response)
        return response

    @staticmethod
    def store(key, etag, response):
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=0, s_maxage=settings.PAGE_CACHE_SHARED_SECONDS)
        patch_vary_headers(response, ["Cookie", "Accept-Language"])
        # Written piece by piece (as feeds are), a response would be stored and sent in thousands of chunks.
        response.content = response.content
        for page_cache in page_caches():
            page_cache.set(f"page:{key}", response, settings.PAGE_CACHE_SECONDS)

    @staticmethod
    def cacheable_request(request):
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(("/" + settings.ADMIN_URL, *settings.UNCACHED_PATH_PREFIXES))
        )

    @staticmethod
    def cacheable_response(response):
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "no-cache" not in response.get("Cache-Control", "")
            and "private" not in response.get("Cache-Control", "")
        )
