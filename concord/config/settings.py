"""Concord settings. Every value comes from the environment; `.env.example` lists them all.

Environments differ in values, not in code. The embedded default (no DATABASE_URL) is SQLite in WAL mode.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

from concord.config.env import env_bool, env_int, env_list, env_secret, env_secret_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = BASE_DIR.parent

DEBUG = env_bool("CONCORD_DEBUG", False)
# The development secret only ever applies with DEBUG on; production must set its own.
SECRET_KEY = env_secret("CONCORD_SECRET_KEY", "dev-insecure-secret-key-change-me" if DEBUG else None)
ALLOWED_HOSTS = env_list("CONCORD_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CONCORD_CSRF_TRUSTED_ORIGINS")
# The address people reach Concord at: links in e-mails are built from it.
CONCORD_BASE_URL = env_str("CONCORD_BASE_URL", "http://127.0.0.1:8000")
# Encryption at rest (concord/common/encryption.py): Fernet keys, newest first, and the separate key of the
# blind indexes. Never derived from SECRET_KEY; missing keys fail loudly when an encrypted field is used.
FIELD_ENCRYPTION_KEYS = env_secret_list("CONCORD_FIELD_ENCRYPTION_KEYS")
BLIND_INDEX_KEY = env_secret("CONCORD_BLIND_INDEX_KEY", "")

INSTALLED_APPS = [
    "modeltranslation",  # must come before django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Before allauth, so that its templates in concord/accounts/templates override allauth's own.
    "concord.accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "template_partials",
    "csp",
    "simple_history",
    "concord.audit",
    "concord.network",
    "concord.coordination",
    "concord.cases",
    "concord.common",
    "concord.demo",
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before the session rules below, which leave a message when they sign someone out or redirect.
    "django.contrib.messages.middleware.MessageMiddleware",
    "concord.accounts.middleware.NoStoreForSignedInMiddleware",
    "concord.accounts.middleware.IdleTimeoutMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "concord.accounts.middleware.RequireTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "concord.config.urls"
WSGI_APPLICATION = "concord.config.wsgi.application"

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
                "csp.context_processors.nonce",
                "concord.accounts.context_processors.membership",
            ],
        },
    },
]

FORM_RENDERER = "concord.common.forms.ConcordFormRenderer"

# --- Database -------------------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("CONCORD_DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("CONCORD_SQLITE_PATH", str(REPO_DIR / "var" / "concord.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE transactions + WAL + a busy timeout let the web and worker processes share the
                # file without "database is locked" errors under normal load.
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # A database cache: shared between processes (allauth's rate limits need that) and no extra service.
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "concord_cache"}
}

# --- Accounts and sign-in -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # axes first, so a locked-out username+IP never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
# Nobody signs themselves up: organisation administrators invite people (accounts.services.invite_member).
ACCOUNT_ADAPTER = "concord.accounts.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 15 * 60
# Closed cases are anonymised this many days after closure (manage.py anonymise_closed_cases).
CONCORD_CASE_RETENTION_DAYS = env_int("CONCORD_CASE_RETENTION_DAYS", 3650)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("CONCORD_MFA_ISSUER", "Concord")
# Accept the code before and after the current one: phones in field offices drift by tens of seconds.
MFA_TOTP_TOLERANCE = 1
# Sessions are recorded at sign-in; tracking activity would write a row on every request.
USERSESSIONS_TRACK_ACTIVITY = False
# axes locks by username + address; allauth's own per-address limit stays, and its per-account limit is
# raised above axes' so that failures from one address do not lock the account everywhere.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,20/15m/key"}

AXES_FAILURE_LIMIT = env_int("CONCORD_AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
# Lock the username from one address: a whole NGO office often shares a single NAT address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
# allauth authenticates with email=..., not login=...: see the callable.
AXES_USERNAME_CALLABLE = "concord.accounts.lockout.attempted_login"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 12 * 60 * 60  # absolute lifetime
SESSION_IDLE_TIMEOUT = env_int("CONCORD_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Security headers -----------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("CONCORD_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("CONCORD_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("CONCORD_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("CONCORD_HSTS_PRELOAD", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("CONCORD_BEHIND_PROXY") else None

# Nothing loads from another host: every source is 'self' (and the per-request nonce for inline scripts).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Internationalisation -------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("sq", _("Albanian")),
    ("sr-latn", _("Serbian (Latin)")),
    ("sr", _("Serbian (Cyrillic)")),
    ("mk", _("Macedonian")),
    ("bs", _("Bosnian")),
    ("hr", _("Croatian")),
    ("cnr", _("Montenegrin")),
    ("ro", _("Romanian")),
    ("bg", _("Bulgarian")),
]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {
    "default": ("en",),
    "cnr": ("sr-latn", "en"),
    "bs": ("hr", "sr-latn", "en"),
    "hr": ("bs", "sr-latn", "en"),
    "sr": ("sr-latn", "en"),
}
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
FORMAT_MODULE_PATH = ["concord.formats"]
TIME_ZONE = env_str("CONCORD_TIME_ZONE", "Europe/Tirane")
USE_TZ = True

# Montenegrin is not in Django's LANG_INFO; it falls back to Serbian (Latin) catalogues.
import django.conf.locale  # noqa: E402

django.conf.locale.LANG_INFO["cnr"] = {
    "bidi": False,
    "code": "cnr",
    "name": "Montenegrin",
    "name_local": "Crnogorski",
    "fallback": ["sr-latn"],
}

# --- Static files ---------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("CONCORD_STATIC_ROOT", str(REPO_DIR / "var" / "static")))
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
WHITENOISE_MAX_AGE = 365 * 24 * 60 * 60

# --- Uploaded case documents (stored encrypted, never served directly: cases/documents.py) ---------------
MEDIA_ROOT = Path(env_str("CONCORD_MEDIA_ROOT", str(REPO_DIR / "var" / "media")))
MEDIA_URL = "/media-not-served/"  # documents are downloaded only through an audited view
CONCORD_MAX_DOCUMENT_BYTES = env_int("CONCORD_MAX_DOCUMENT_BYTES", 10 * 1024 * 1024)

# --- API ------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "concord.accounts.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env_str("CONCORD_API_RATE", "2000/hour")},
    "EXCEPTION_HANDLER": "concord.config.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Concord API",
    "DESCRIPTION": "The network registry and coordination work of an anti-trafficking network.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for a choice set several fields share.
    "ENUM_NAME_OVERRIDES": {
        "TaskStatusEnum": "concord.coordination.models.Task.Status",
        "DocumentKindEnum": "concord.cases.models.CaseDocument.Kind",
        "ProceedingOutcomeEnum": "concord.cases.models.LegalProceeding.Outcome",
        "ReferralServiceEnum": "concord.cases.models.ReferralService",
        "CaseStatusEnum": "concord.cases.vocabulary.CaseStatus",
        "WebsiteOrAppEnum": "concord.cases.vocabulary.WebsiteOrApp",
        "CountryCodeEnum": "concord.cases.services.cases.COUNTRY_CHOICES",
    },
}

# --- E-mail and logging ---------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("CONCORD_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("CONCORD_FROM_EMAIL", "concord@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CONCORD_LOG_LEVEL", "WARNING")},
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
