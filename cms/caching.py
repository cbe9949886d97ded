"""Whole-page caching for the public, correct the moment anything changes.

Every cached page is keyed by the content's version: one small query that
reads, through indexes, the latest change and the number of rows of each
kind of content, and the latest publication time that has passed (it moves
when a scheduled episode's time comes). A save, a deletion, an import, or a
scheduled episode's time passing changes the version, so the next request
builds fresh pages, whichever process made the change and whatever cache
each process has (Redis, or one local memory per worker). The same version
makes the ETag, so readers and CDNs revalidate for the cost of that query.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

VERSION_SQL = """
SELECT
    (SELECT MAX(updated_at) FROM episodes_episode),
    (SELECT COUNT(*) FROM episodes_episode),
    (SELECT MAX(published_at) FROM episodes_episode WHERE status = 'published' AND published_at <= %s),
    (SELECT MAX(updated_at) FROM episodes_transcript),
    (SELECT MAX(updated_at) FROM column_column),
    (SELECT COUNT(*) FROM column_column),
    (SELECT MAX(updated_at) FROM column_page),
    (SELECT COUNT(*) FROM column_page)
"""


def content_version():
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL, [timezone.now()])
        return "|".join(str(value) for value in cursor.fetchone())


class PublicPageCacheMiddleware:
    """Serve anonymous GET requests for public pages from the cache, with ETags."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        version = content_version()
        key = hashlib.sha256(
            f"{version}|{request.LANGUAGE_CODE}|{request.get_full_path()}".encode()
        ).hexdigest()
        etag = f'"{key[:32]}"'
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
            response["ETag"] = etag
            return response
        response = cache.get(f"page:{key}")
        if response is None:
            response = self.get_response(request)
            if not self.cacheable_response(response):
                return response
            response["ETag"] = etag
            patch_cache_control(response, public=True, max_age=0, s_maxage=settings.PAGE_CACHE_SHARED_SECONDS)
            patch_vary_headers(response, ["Cookie", "Accept-Language"])
            if hasattr(response, "render"):
                response.render()
            # Written piece by piece (as feeds are), a response would be stored and sent in thousands of chunks.
            response.content = response.content
            cache.set(f"page:{key}", response, settings.PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def cacheable_request(request):
        return (
            request.method in ("GET", "HEAD")
            and not request.path.startswith(settings.UNCACHED_PATH_PREFIXES)
            and not request.user.is_authenticated
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
