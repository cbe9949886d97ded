"""The site's URLs, and a bare Django view: the reference for what a cached page could cost.

The bare view answers with the bytes of a page the benchmark saved
(BENCH_BARE_PAGE), through the same middleware as every request, with no
query and no cache: what a request costs Django and gunicorn alone.
"""

import functools
import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from cms.urls import urlpatterns as site_urlpatterns


@functools.cache
def saved_page():
    return Path(os.environ["BENCH_BARE_PAGE"]).read_bytes()


def bare(request):
    return HttpResponse(saved_page(), content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
