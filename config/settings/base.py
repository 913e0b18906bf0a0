"""Settings shared by every environment; everything that differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = [
    h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "config.apps.AuditedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for the project's renderer below
    "guardian",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_celery_beat",
    "cases",
    "mottak",
    "permisjon",
    "savnet",
    "kartlegging",
    "retur",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.session_renewal.IdleSessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.request_limits.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "mottak.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cases.context_processors.notifications",
                "mottak.context_processors.navigation",
            ],
        },
    },
]

# Widgets render through the project's template engine, so templates/django/forms/ can replace
# Django's own: the select there writes its options inline, where Django's includes two
# templates per option (a list of 100 centres cost some 15 ms a page).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}


def with_replica_and_pooling(databases: dict) -> dict:
    """Add the report replica (docs/scaling.md) when DATABASE_REPLICA_URL is set: reads inside
    cases.db_routing.replica_reads() go there, all else to the primary. Behind pgbouncer in
    transaction mode (DATABASE_TRANSACTION_POOLING) server-side cursors cannot be used."""
    if os.environ.get("DATABASE_REPLICA_URL"):
        replica = dj_database_url.parse(
            os.environ["DATABASE_REPLICA_URL"], conn_max_age=databases["default"]["CONN_MAX_AGE"]
        )
        databases["replica"] = {**replica, "TEST": {"MIRROR": "default"}}
    if env_bool("DATABASE_TRANSACTION_POOLING", False):
        for database in databases.values():
            database["DISABLE_SERVER_SIDE_CURSORS"] = True
    return databases


DATABASES = with_replica_and_pooling(DATABASES)
DATABASE_ROUTERS = ["cases.db_routing.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "mottak.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Guardian: object permissions are the only way to reach personal data.
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

# Login hardening. The client address is REMOTE_ADDR unless DJANGO_TRUSTED_PROXY_COUNT names
# how many proxies in front of the app append to X-Forwarded-For (config/client_ip.py); a
# header from anyone else is ignored. Failures lock the pair (user name, address): a stranger
# guessing from elsewhere locks only their own address out, never the named user at theirs.
# Many user names failing from one address lock that address (config/login_throttle.py).
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
AXES_HANDLER = "config.login_throttle.ThrottledAxesHandler"
AXES_FAILURE_LIMIT = 5
AXES_USERNAMES_PER_ADDRESS_LIMIT = 10
AXES_COOLOFF_TIME = 0.5  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Second factor (mottak/services/mfa.py): the name authenticator apps show for the account.
OTP_TOTP_ISSUER = "EM-mottak"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Idle timeout: 30 minutes, renewed by config.session_renewal at most once a minute.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Rendered PDFs and uploads live under MEDIA_ROOT and are only served through access-checked views.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = None
# Retention per record type (KART-16, SAV-12; cases/retention.py, `manage.py retention_report`):
# a type not named keeps its registered period — "kartlegging.mapping" {"weeks": 2},
# "savnet.photo" {"months": 6}, "permisjon.id_copy" {"days": 30}.
RETENTION: dict[str, dict[str, int]] = {}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 11 * 1024 * 1024
# A request body above this is refused (413) before it is read: config.request_limits.
REQUEST_MAX_BODY_BYTES = 11 * 1024 * 1024

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "ikke-svar@em-mottak.example")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Celery. The embedded default is kombu's filesystem transport; production and CI use Redis.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_FILESYSTEM_DIR = BASE_DIR / "var" / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FILESYSTEM_DIR / "out"),
        "data_folder_out": str(CELERY_BROKER_FILESYSTEM_DIR / "out"),
        "processed_folder": str(CELERY_BROKER_FILESYSTEM_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_FILESYSTEM_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
else:
    # Above the longest task so an unacknowledged task is not delivered twice while running.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Two queues besides the default, so rendering and the clocks scale apart (docs/scaling.md):
# a worker started without --queues consumes all three (the embedded demo, CI); a deployment
# runs render workers with `--queues=render` and clock workers with `--queues=sweep,celery`.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = {"celery": {}, "render": {}, "sweep": {}}
RENDER_TASKS = ("cases.render_dispatch",)
CLOCK_TASKS = (
    "cases.sweep_deadlines",
    "cases.drain_case_events",
    "cases.requeue_stale_dispatches",  # on the clock queue: it must run when renderers hang
    "cases.retention_run",
    "cases.delete_orphan_files",
    "mottak.publish_turned_18",
    "retur.plan_quarterly_meeting",
)
CELERY_TASK_ROUTES = {
    **{name: {"queue": "render"} for name in RENDER_TASKS},
    **{name: {"queue": "sweep"} for name in CLOCK_TASKS},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint's progress messages at INFO drown the worker log.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}

# Deadline alerts also go out by e-mail (no personal data: a count, a place and a link).
CASES_EMAIL_NOTIFICATIONS = env_bool("CASES_EMAIL_NOTIFICATIONS", True)
# noticing an absence opens an investigation of this many hours; the 24 hours to report
# a missing minor run from the earlier of "reason to believe" and the end of this window.
SAVNET_INVESTIGATION_HOURS = int(os.environ.get("SAVNET_INVESTIGATION_HOURS", "4"))
