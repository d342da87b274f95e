"""One settings module, configured from the environment (see .env.example).

With no DATABASE_URL the portal runs on SQLite, and with no REDIS_URL Celery runs tasks
eagerly in the web process, so `make run` needs nothing installed but Python.
"""

import os
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# pytest (8.2+) sets PYTEST_VERSION: the suite runs production settings over plain HTTP.
RUNNING_TESTS = "PYTEST_VERSION" in os.environ
HTTPS_ONLY = not DEBUG and not RUNNING_TESTS
SECRET_KEY = env(
    "SECRET_KEY",
    default="django-insecure-local-development-only-8f3b2c1d9e7a6b5c4d3e2f1a0b9c8d7e"
    if DEBUG
    else "",
)
if not SECRET_KEY:
    # Local runs without DEBUG still need a key; production must set SECRET_KEY.
    SECRET_KEY = "django-insecure-set-SECRET_KEY-in-production-1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the built-in widget templates, for FORM_RENDERER below
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "accounts",
    "notifications",
    "regions",
    "events",
    "peer_challenge",
    "benchmarking",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the user row read with the session (sli_portal/authentication.py).
    "sli_portal.authentication.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "sli_portal.middleware.SecurityHeadersMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
    # After every other middleware's process_view: wraps the view of a POST/PUT/PATCH/DELETE in
    # one transaction (ATOMIC_REQUESTS, which also wrapped every read, is off).
    "sli_portal.transactions.AtomicWritesMiddleware",
]

ROOT_URLCONF = "sli_portal.urls"
WSGI_APPLICATION = "sli_portal.wsgi.application"

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
                "sli_portal.context_processors.navigation",
                "notifications.context_processors.unread_notifications",
            ],
            # sli_portal is not an installed app: its template tags are registered by name.
            "libraries": {
                "govuk": "sli_portal.templatetags.govuk",
                "frame": "sli_portal.templatetags.frame",
            },
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Off: sli_portal.transactions.AtomicWritesMiddleware makes each write request one transaction
# and leaves reads without BEGIN/COMMIT.
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run`'s zero-setup database: requests (and an eager report build) overlap, so each
    # transaction takes the write lock when it begins and waits for it (instead of failing with
    # "database is locked" when two deferred transactions both try to write), and readers do
    # not block the writer (WAL).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# Login throttling: five failures for one email from one address lock it for an hour.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or RUNNING_TESTS
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests and `make run` serve static files straight from the finders, no collectstatic needed.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG or RUNNING_TESTS)
WHITENOISE_AUTOREFRESH = DEBUG or RUNNING_TESTS
WHITENOISE_MANIFEST_STRICT = False

# Widgets render through the project's template settings, so templates/widgets/ (the GOV.UK date
# input of sli_portal/govuk_fields.py) is found.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Email: EMAIL_URL like smtp+tls://user:pass@host:587 ; the console by default.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="SLI Portal <no-reply@sli-portal.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that stops answering must not hold a worker (and its claimed emails) for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Celery: with no REDIS_URL there is no broker, so tasks run eagerly in-process.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# One Redis can serve several deployments (or test runs): each names its own queue.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_EAGER_PROPAGATES = True
if CELERY_TASK_ALWAYS_EAGER:
    # No beat either: outbox emails held for a while (undo windows) go out from the requests,
    # at most once a minute; outermost, so after the request's transaction has committed.
    MIDDLEWARE.insert(0, "sli_portal.middleware.EagerOutboxSweepMiddleware")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Tasks that live outside the apps' tasks modules: the outbox's delivery and sweep, data versions.
CELERY_IMPORTS = ["sli_portal.outbox", "sli_portal.data_versions"]
# Periodic work (django-celery-beat's DatabaseScheduler syncs these entries into its tables).
# Every sweep is idempotent: it re-queues only what its durable records say is still to do.
CELERY_BEAT_SCHEDULE = {
    # Every email still owed (its delivery task was lost, e.g. while Redis was down). Cheap
    # when there is nothing to send: one indexed query per email table.
    "outbox-sweep": {
        "task": "sli_portal.outbox.sweep",
        "schedule": 60,
    },
    # Pools, quorum warnings, feedback requests, reminders and any email left unsent.
    "events-sweep": {
        "task": "events.tasks.events_sweep",
        "schedule": 15 * 60,
    },
    "events-erase-expired-needs": {
        "task": "events.tasks.erase_expired_needs",
        "schedule": 24 * 60 * 60,
    },
    "peer-challenge-due-reminders": {
        "task": "peer_challenge.tasks.queue_due_reminders",
        "schedule": 24 * 60 * 60,
    },
    # Chase performance leads before/after the due date (once per LA, quarter and occasion).
    "benchmarking-chase-returns": {
        "task": "benchmarking.tasks.chase_returns",
        "schedule": 24 * 60 * 60,
    },
    # Notifications: yesterday's for those who asked for one email a day.
    "notifications-daily-digest": {
        "task": "notifications.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # Votes closing, actions overdue, progress due: once per person and occasion.
    "regions-notify-due": {
        "task": "regions.tasks.notify_due",
        "schedule": crontab(hour=6, minute=30),
    },
    # Exception narratives still owed for flagged figures (once per person and figure).
    "benchmarking-narratives-owed": {
        "task": "benchmarking.tasks.sweep_narratives_owed",
        "schedule": crontab(hour=6, minute=45),
    },
    # Fold the data-version counters of closed connections (sli_portal.data_versions).
    "data-versions-compact": {
        "task": "sli_portal.data_versions.compact",
        "schedule": crontab(hour=3, minute=15),
    },
    "benchmarking-lock-due-returns": {
        "task": "benchmarking.tasks.lock_due_returns",
        "schedule": 24 * 60 * 60,
    },
    # Report builds left queued while Redis was down, or whose worker died.
    "benchmarking-requeue-stale-report-builds": {
        "task": "benchmarking.tasks.requeue_stale_report_builds",
        "schedule": 5 * 60,
    },
    # Bulk return files whose check was lost (see benchmarking/services/upload_checks.py).
    "benchmarking-requeue-stale-upload-checks": {
        "task": "benchmarking.tasks.requeue_stale_upload_checks",
        "schedule": 60,
    },
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing a task must not hang a web request when Redis is down: fail fast, retry later.
# A Redis that accepts connections but never answers (paused, failing over) must not hang a
# request either: short connect and socket timeouts, and the outbox sweep sends the rest.
REDIS_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    **REDIS_TIMEOUTS,
}
CELERY_TASK_PUBLISH_RETRY = False

if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, but an outage is a miss, never a 500 (sli_portal/cache.py).
            "BACKEND": "sli_portal.cache.FailSafeRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": REDIS_TIMEOUTS,
        }
    }
else:
    # One process's memory: fine for caching reports (sessions are in the database either way).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Which release is running (e.g. the git commit, set by the deploy). Cached page bodies are kept
# per release (sli_portal.fragments.code_version); unset, the code is fingerprinted instead.
RELEASE_ID = env.str("RELEASE_ID", default="")
# Sessions in the database, read with the signed-in user's row in one query (sli_portal/sessions.py).
SESSION_ENGINE = "sli_portal.sessions"

# Behind a TLS-terminating proxy in production.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS_ONLY)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # container healthchecks speak plain HTTP
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=HTTPS_ONLY)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=HTTPS_ONLY)
SECURE_HSTS_SECONDS = env.int(
    "SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365 if HTTPS_ONLY else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
SECURE_HSTS_PRELOAD = HTTPS_ONLY
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# django-csp (Django 5.2 has no CSP of its own). No inline script anywhere (tests/sli_portal/
# test_security_headers.py scans templates/); the one inline <style> (the printable plan, also
# read by WeasyPrint) carries the request's nonce; charts are inline SVG.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# `make bench` adds a bare reference view to the same server (never on in production).
BENCH_ENABLED = env.bool("BENCH_ENABLED", default=False)

if RUNNING_TESTS:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Events: reminders this many days before an event; dietary/access needs erased this many days
# after it ends.
EVENTS_REMINDER_DAYS = tuple(int(d) for d in env.list("EVENTS_REMINDER_DAYS", default=["7", "1"]))
EVENTS_NEEDS_RETENTION_DAYS = env.int("EVENTS_NEEDS_RETENTION_DAYS", default=30)
# Cancelling an event or a place can be undone for this long: the emails it owes wait until then.
EVENTS_UNDO_MINUTES = env.int("EVENTS_UNDO_MINUTES", default=10)
EVENTS_DOCUMENT_MAX_BYTES = env.int("EVENTS_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Benchmarking: largest return file accepted (bytes).
BENCHMARKING_MAX_UPLOAD_BYTES = env.int("BENCHMARKING_MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
