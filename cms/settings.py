"""Settings for the column CMS.

Every value that differs between a laptop and a deployment comes from the
environment; the defaults are safe for local development only.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_flag("DEBUG", default=True)

_DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY == _DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Behind TLS (directly or through a proxy that sets X-Forwarded-Proto), HTTPS=1
# turns on everything a browser needs to keep the site on HTTPS.
HTTPS = env_flag("HTTPS")
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_flag("HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# The only hosts whose players a page may frame (SECURITY.md).
PLAYER_HOSTS = ["player.bilibili.com", "www.youtube-nocookie.com", "www.ixigua.com"]

INSTALLED_APPS = [
    "episodes.apps.EditorialAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "embed_video",
    "reversion",
    "axes",
    "column",
    "episodes",
    "wikijs",
    "pagecache",
    "backups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cms.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and the rest: a reader's cached page costs none of them (pagecache/middleware.py).
    "pagecache.middleware.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so it sees every 404 first: old wiki addresses keep working (wikijs/middleware.py).
    "wikijs.middleware.OldAddressFallbackMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "column.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write-ahead logging lets readers go on while one writer commits, and a
    # commit then costs no full disk sync: what a site on one machine needs.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side binding (Django's documented option) sends each query's text and
    # its parameters apart, so that psycopg can prepare a query once it has run
    # `prepare_threshold` times on a connection: PostgreSQL then plans it once.
    # It matters most for the content version, asked on nearly every request
    # (pagecache/version.py). PREPARE_THRESHOLD= (empty) turns preparing off, as
    # PgBouncer before 1.21 in transaction pooling needs.
    prepare_threshold = os.environ.get("PREPARE_THRESHOLD", "5")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=int(prepare_threshold) if prepare_threshold else None
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "cms"),
        },
        # Each worker's own copies of the hottest pages (see pagecache/middleware.py).
        "local": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("LOCAL_PAGE_CACHE_ENTRIES", "300"))},
        },
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The admin's address; a deployment may move it out of the way of scanners.
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"

# Public pages are cached whole; any change to the content makes new ones (pagecache/).
# Writes to the tables of these apps renew the content's version, except those of the models named.
PAGE_CACHE_CONTENT_APPS = ["column", "episodes", "taggit"]
# The search index is written only with the content it derives from; a reader's correction
# shows only once accepted, which writes the transcript.
PAGE_CACHE_IGNORED_MODELS = ["episodes.SearchEntry", "episodes.Correction"]
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_SHARED_SECONDS = int(os.environ.get("PAGE_CACHE_SHARED_SECONDS", "60"))
# Besides the admin (ADMIN_URL), never cached:
UNCACHED_PATH_PREFIXES = ("/language/", "/healthz", "/livez", "/static/", "/media/")

AUTHENTICATION_BACKENDS = [
    # Refuses logins from an address and username after repeated failures, across processes.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cms.security.client_address"
# How many proxies (load balancer, CDN) stand in front of the app and add to X-Forwarded-For.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
# How long a markdown text may take to render before it is refused (markup/render.py).
MARKDOWN_RENDER_SECONDS = float(os.environ.get("MARKDOWN_RENDER_SECONDS", "1.0"))
# A search's queries are stopped past this many seconds, and the reader is asked for fewer words.
SEARCH_SECONDS = float(os.environ.get("SEARCH_SECONDS", "2.0"))
# Readers' corrections stored per address in an hour: counted in the database, so every process agrees.
CORRECTIONS_PER_HOUR = int(os.environ.get("CORRECTIONS_PER_HOUR", "10"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
FORMAT_MODULE_PATH = ["cms.formats"]
CSRF_FAILURE_VIEW = "episodes.forbidden.csrf_failure"
# Interface strings are written in Chinese and translated to English in locale/.
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

SITE_NAME = os.environ.get("SITE_NAME", "节目文稿库")

TAGGIT_CASE_INSENSITIVE = True

# Players are built from the video id alone; nothing is fetched from the
# platforms while a page renders.
EMBED_VIDEO_BACKENDS = (
    "episodes.players.BilibiliBackend",
    "episodes.players.YouTubeBackend",
    "episodes.players.XiguaBackend",
    "episodes.players.AudioBackend",
)
EMBED_VIDEO_YOUTUBE_CHECK_THUMBNAIL = False
EMBED_VIDEO_YOUTUBE_DEFAULT_QUERY = ""
# A short link, as the Bilibili app's share button gives, is expanded when an editor saves it:
# the service's redirect is read within the timeout, in seconds (episodes/players/links.py).
PLAYER_SHORT_LINK_HOSTS = ["b23.tv"]
PLAYER_SHORT_LINK_BASE = "https://b23.tv/"
PLAYER_SHORT_LINK_TIMEOUT = float(os.environ.get("PLAYER_SHORT_LINK_TIMEOUT", "3"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
