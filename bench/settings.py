"""The site's settings, plus the bare view that `make bench` measures pages against (bench/urls.py)."""

from cms.settings import *  # noqa: F403
from cms.settings import UNCACHED_PATH_PREFIXES

ROOT_URLCONF = "bench.urls"
UNCACHED_PATH_PREFIXES = (*UNCACHED_PATH_PREFIXES, "/bench/")
