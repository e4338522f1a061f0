"""Settings shared by every environment; everything deployment-specific comes from
the environment variables listed in docs/architecture.md ("Settings")."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")

# The public origin: canonical links, the sitemap, Open Graph tags and every link
# posted to the networks are built from it. seed_demo points the Wagtail Site at it.
BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL

INSTALLED_APPS = [
    "cms.core",
    "cms.content",
    "publishing",
    "cms.twofactor",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailmedia",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # /healthz first: no HTTPS redirect, host check or login in its way.
    "publishing.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (cms/core/csp.py, docs/security.md).
    "cms.core.csp.SiteCSPMiddleware",
    # /l/<code> short links answered before sessions, login and 2FA (their 404
    # page with the site's headers); visits our posts bring counted
    # (publishing/shortlinks.py).
    "publishing.shortlinks.ShortLinkMiddleware",
    # Public pages for anonymous visitors from the page cache, after the short
    # links (visits still counted) and before sessions: a hit skips the rest
    # (cms/content/page_cache/). Public HTML compressed inside it, so that an
    # entry holds it compressed (cms/core/compression.py).
    "cms.content.page_cache.middleware.PageCacheMiddleware",
    "cms.core.compression.PublicCompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-step sign-in to the admin (cms/twofactor): who gave a code, who must.
    "django_otp.middleware.OTPMiddleware",
    "cms.twofactor.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cms.content.context_processors.site_chrome",
            ],
        },
    },
]


def database_from_env():
    """SQLite is the embedded default; PostgreSQL comes through DATABASE_URL.

    Web, scheduler and sandbox write to SQLite at once: WAL lets readers go on while
    one writes, IMMEDIATE takes the write lock when a transaction starts (no upgrade
    deadlocks), and the timeout makes a writer wait instead of failing.
    """
    default_sqlite = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
    config = dj_database_url.parse(
        os.environ.get("DATABASE_URL", default_sqlite), conn_max_age=60
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


DATABASES = {"default": database_from_env()}


def page_cache_from_env(database):
    """The cache of public pages (cms/content/page_cache/), which every web worker
    and the scheduler (whose go-live purges it) must share. By default it lives
    where the `database` does: PostgreSQL, a table of it (`createcachetable`), which
    every host shares; SQLite, one host's database, a folder beside it, where a
    page served costs no database connection (SQLite opens one per request).
    PAGE_CACHE_URL=redis://... (several hosts) or file:///path (one host)."""
    url = os.environ.get("PAGE_CACHE_URL", "")
    options = {"MAX_ENTRIES": 20_000}
    if url.startswith(("redis://", "rediss://")):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
        }
    if url.startswith("file://"):
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": url.removeprefix("file://"),
            "OPTIONS": options,
        }
    if url:
        raise ImproperlyConfigured("PAGE_CACHE_URL must start with redis:// or file://")
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "page-cache"),
            "OPTIONS": options,
        }
    return {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "page_cache",
        "OPTIONS": options,
    }


CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": page_cache_from_env(DATABASES["default"]),
}
# Seconds a public page is kept at most; a change it shows purges it at once.
# 0: every page rendered (the header's navigation is still kept, 5 minutes).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_VALIDATORS = "django.contrib.auth.password_validation."
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": _VALIDATORS + name}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# Vietnamese first; English can be chosen per user in the admin (Account > Language).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_CONTENT_LANGUAGES = [("vi", "Tiếng Việt")]
# Our catalogue (makemessages writes it), and before it the hand-kept overrides of
# Wagtail's and Django's gaps, which makemessages must never drop as obsolete.
LOCALE_PATHS = [BASE_DIR / "locale_overrides", BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Vietnamese display formats: dd/mm/yyyy, HH:MM, "." digit grouping (cms/formats).
FORMAT_MODULE_PATH = ["cms.formats"]

STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = BASE_DIR / "static_collected"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Django serves uploads itself only in development and in browser tests; production
# serves them from the web server (docs/operations.md, later issue).
SERVE_MEDIA = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# The agency's name (SITE_ORGANISATION below): the admin home's welcome, the
# authenticator's issuer.
WAGTAIL_SITE_NAME = os.environ.get("SITE_ORGANISATION", "Bảo hiểm xã hội khu vực V")
WAGTAILADMIN_USER_LOGIN_FORM = "cms.core.forms.LoginForm"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILEMBEDS_FINDERS = [{"class": "cms.content.embeds.OfflineVideoFinder"}]
# Documents go through Wagtail's view: attachment unless PDF, nosniff, and a
# "default-src 'none'" policy (docs/security.md).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.content.forms.ImageForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# 24 megapixels: a phone photo passes, a decompression bomb does not.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 24_000_000
WAGTAILMEDIA = {"MEDIA_MODEL": "wagtailmedia.Media"}
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Avatars from Gravatar would leak staff e-mail hashes and need the internet.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"

# The public site's Content-Security-Policy (django-csp 4); under /admin/
# cms/core/csp.py adds what Wagtail's admin needs. Enforced everywhere, tests too.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'"],
        "frame-src": ["https://www.youtube-nocookie.com", "https://www.facebook.com"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}

# Network settings (docs/architecture.md, "Settings"): each network's options,
# fed by the environment (docs/operations.md); an unset variable leaves the
# network's own default (publishing/networks/<name>/). `make run` points the base
# URLs at the sandbox (dev.py).
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "")


def env_options(**variables):
    """{option: value} of those environment `variables` ({option: name}) set;
    NETWORK_TIMEOUT, seconds before a call to a network gives up, for both."""
    options = {
        option: os.environ[name]
        for option, name in variables.items()
        if name in os.environ
    }
    if "NETWORK_TIMEOUT" in os.environ:
        options["timeout"] = float(os.environ["NETWORK_TIMEOUT"])
    return options


PUBLISHING_NETWORKS = {
    "facebook": {
        "BACKEND": "publishing.networks.facebook.FacebookNetwork",
        "OPTIONS": {
            "app_id": os.environ.get("FACEBOOK_APP_ID", ""),
            "app_secret": os.environ.get("FACEBOOK_APP_SECRET", ""),
            **env_options(
                graph_url="FACEBOOK_GRAPH_URL",
                dialog_url="FACEBOOK_DIALOG_URL",
                api_version="FACEBOOK_API_VERSION",
                video_url="FACEBOOK_VIDEO_URL",
            ),
        },
    },
    "zalo": {
        "BACKEND": "publishing.networks.zalo.ZaloNetwork",
        "OPTIONS": {
            "app_id": os.environ.get("ZALO_APP_ID", ""),
            "app_secret": os.environ.get("ZALO_APP_SECRET", ""),
            "oa_secret_key": os.environ.get("ZALO_OA_SECRET_KEY", ""),
            **env_options(openapi_url="ZALO_OPENAPI_URL", oauth_url="ZALO_OAUTH_URL"),
        },
    },
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
# A hanging mail server must not stall the scheduler's notification job.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@localhost")

# Labels of the campaign site shown in the public header and footer.
SITE_ORGANISATION = os.environ.get("SITE_ORGANISATION") or _("Social Security Region V")
SITE_HOTLINE = "1900 9068"
# The agency's logo (admin sidebar, sign-in, error pages) and favicon (admin and
# public site): a static path or an address. The repository's are placeholders.
SITE_LOGO = os.environ.get("SITE_LOGO", "brand/logo.svg")
SITE_FAVICON = os.environ.get("SITE_FAVICON", "brand/favicon.svg")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        # LOG_FORMAT=json: one JSON object per line (cms/logging.py).
        "json": {"()": "cms.logging.JsonLines"},
    },
    "filters": {
        "redact": {"()": "cms.logging.RedactSecrets"},
        "overlap": {"()": "cms.logging.DropOverlapNotices"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if os.environ.get("LOG_FORMAT") == "json" else "plain",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # APScheduler logs every run of every job at INFO (each 5 s); ours say what
        # was posted where.
        "apscheduler": {"level": "WARNING"},
        "apscheduler.scheduler": {"level": "WARNING", "filters": ["overlap"]},
    },
}

# Publishing: the dispatcher, the scheduler process and engagement reads. What each
# is, its unit and its default: publishing/conf.py; set here only from the environment.
globals().update(
    {
        name: int(os.environ[name])
        for name in (
            "PUBLISHING_DISPATCH_INTERVAL",
            "PUBLISHING_WORKERS",
            "PUBLISHING_MAX_ATTEMPTS",
            "PUBLISHING_MAX_RETRY_AGE",
            "PUBLISHING_LEASE_SECONDS",
            "PUBLISHING_CATCH_UP",
            "PUBLISHING_ENGAGEMENT_FIRST",
            "PUBLISHING_QUESTIONS_INTERVAL",
            "PUBLISHING_QUESTIONS_RETENTION",
            "PUBLISHING_ZALO_WEBHOOK_MAX_AGE",
            "PUBLISHING_ZALO_ANSWER_DAYS",
        )
        if name in os.environ
    }
)
