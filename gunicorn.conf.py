"""gunicorn as `make serve` runs it; every value can be set from the environment."""

import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
wsgi_app = "cms.wsgi:application"
accesslog = os.environ.get("ACCESS_LOG", "-") or None  # ACCESS_LOG= (empty) turns it off
# Recycling workers guards against slow leaks, but empties a local-memory
# cache: off unless asked for (MAX_REQUESTS=5000, say, with Redis).
max_requests = int(os.environ.get("MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
preload_app = True
