"""Dangjian settings. Everything that differs between machines comes from the environment.

Local runs need nothing set: SQLite under var/, a development secret and development
field-encryption keys. Production sets DANGJIAN_ENV=production and must then provide
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, DANGJIAN_FIELD_KEYS,
DANGJIAN_HASH_KEY and DANGJIAN_AUDIT_KEY (see README).
"""

import hashlib
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.urls import reverse_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env("DANGJIAN_ENV", "development") == "production"
DEBUG = env_bool("DJANGO_DEBUG", False) and not PRODUCTION

_DEV_SECRET = "dangjian-development-only-secret-key-do-not-use-in-production-0123456789"
SECRET_KEY = env("DJANGO_SECRET_KEY") or (None if PRODUCTION else _DEV_SECRET)
if not SECRET_KEY:
    raise ImproperlyConfigured("生产环境必须设置 DJANGO_SECRET_KEY")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "unfold.apps.BasicAppConfig",
    "unfold.contrib.filters",
    "unfold.contrib.forms",
    "dangjian.site.admin_config.DangjianAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "dangjian.site.admin_config.AxesConfig",  # django-axes: login lockout (its pages in Chinese)
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "treebeard",
    # the second factor (TOTP and recovery codes, dangjian.accounts.second_factor) and the CSP
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_q",  # the job queue (dangjian.core.jobs)
    # the layers, bottom to top (ARCHITECTURE.md): framework, platform, zone kernel, domains,
    # figures, composition root
    "dangjian.core",
    "dangjian.accounts",
    "dangjian.audit",
    "dangjian.notifications",
    "dangjian.organizations",
    "dangjian.enterprises",
    "dangjian.members",
    "dangjian.cadres",
    "dangjian.partylife",
    "dangjian.projects",
    "dangjian.servicedesk",
    "dangjian.ratings",
    "dangjian.investment",
    "dangjian.talent",
    "dangjian.indicators",
    "dangjian.reports",
    "dangjian.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dangjian.site.csp.PathCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "dangjian.site.second_factor.SecondFactorMiddleware",
    "dangjian.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # after the messages: a session past its idle or absolute limit ends with a message
    "dangjian.site.sessions.SessionLimitMiddleware",
    # a user who must change their password sees only the 修改密码 page (accounts.passwords)
    "dangjian.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # the site's own templates come before the admin theme's (its dashboard is admin/index.html)
        "DIRS": [BASE_DIR / "dangjian" / "site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# On PostgreSQL the application connects as a role that owns no table (DATABASE_URL; see
# `db_grant_app_role` and README); `migrate`, `db_grant_app_role` and `audit_archive` run as the
# owner: DANGJIAN_DB_OWNER=1 connects with DATABASE_OWNER_URL instead.
DB_OWNER = env_bool("DANGJIAN_DB_OWNER", False)
if DB_OWNER and not env("DATABASE_OWNER_URL"):
    raise ImproperlyConfigured("DANGJIAN_DB_OWNER=1 时必须设置 DATABASE_OWNER_URL（数据库属主的连接）")
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_OWNER_URL")
        if DB_OWNER
        else env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'dangjian.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
# Connection pooling on PostgreSQL (Django's psycopg pool): DANGJIAN_DB_POOL=1 keeps up to
# DANGJIAN_DB_POOL_MAX connections open per process (the web server's; the queue worker forks its
# processes, whose pool threads would not survive the fork, so deploy/ runs it with the pool off).
# A pooled connection is handed back at the end of each request: CONN_MAX_AGE must be 0.
DB_POOL = env_bool("DANGJIAN_DB_POOL", False) and not DB_OWNER
if DB_POOL:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DANGJIAN_DB_POOL 只能用于 PostgreSQL（DATABASE_URL=postgres://…）")
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(env("DANGJIAN_DB_POOL_MIN", "1")),
        "max_size": int(env("DANGJIAN_DB_POOL_MAX", "4")),
        # seconds a request waits for a free connection before it fails
        "timeout": float(env("DANGJIAN_DB_POOL_TIMEOUT", "10")),
    }
# PostgreSQL's JIT compilation costs a second and more on the figures' queries of a large scope (the
# planner's costs pass its threshold) and saves little on queries of this length: off for the
# application's connections unless DANGJIAN_PG_JIT=1.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
    "DANGJIAN_PG_JIT", False
):
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # concurrent writers wait for each other instead of failing with "database is locked": WAL lets
    # readers go on while one writes, every transaction takes the write lock when it begins (so a
    # reader never has to upgrade mid-way), and a writer waits up to `timeout` seconds for the lock
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# django-axes' backend first: a locked account is refused before its password is even checked
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "dangjian.accounts.backends.GrantBackend"]
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"  # signing in at /admin/login/ itself leads to the dashboard

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "dangjian.accounts.passwords.CharacterKindsValidator", "OPTIONS": {"min_kinds": 3}},
    {"NAME": "dangjian.accounts.passwords.LoginNameValidator"},
    {"NAME": "dangjian.accounts.passwords.PasswordHistoryValidator"},
]
# a new password may not be one of the last PASSWORD_HISTORY; a password this many days old must be
# changed at the next page (0: never)
PASSWORD_HISTORY = int(env("DANGJIAN_PASSWORD_HISTORY", "5"))
PASSWORD_MAX_AGE_DAYS = int(env("DANGJIAN_PASSWORD_MAX_AGE_DAYS", "90"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "dangjian" / "site" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# collectstatic writes here; whitenoise serves it from each web machine (nginx may too: deploy/)
STATIC_ROOT = Path(env("DANGJIAN_STATIC_ROOT", str(BASE_DIR / "var" / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DANGJIAN_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# uploaded files are served only by the scoped download view (dangjian.site.files); behind nginx
# it answers with X-Accel-Redirect to the internal /protected-media/ location (README)
MEDIA_ACCEL_REDIRECT = env_bool("DANGJIAN_MEDIA_ACCEL", False)
# dry-run ledger uploads waiting for confirmation: never under MEDIA_ROOT (they may hold clear ID
# numbers). With several web machines the confirmation may reach another machine than the upload:
# the folder is then a shared mount (like MEDIA_ROOT), read through the storage "ledger_pending".
LEDGER_PENDING_DIR = env("DANGJIAN_LEDGER_PENDING_DIR", str(BASE_DIR / "var" / "ledger-pending"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "ledger_pending": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": LEDGER_PENDING_DIR,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
    # background jobs' files (an uploaded ledger, an export, a summary; they may hold full ID
    # numbers): outside the media files too, on a mount every web and worker machine shares
    "jobs": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env("DANGJIAN_JOBS_DIR", str(BASE_DIR / "var" / "jobs")),
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# how long an API token lasts; a changed password ends it at once
API_TOKEN_HOURS = int(env("DANGJIAN_API_TOKEN_HOURS", "12"))
# a ledger file's limits, checked before and while it is read (core.ledgers.reader.limits)
LEDGER_MAX_BYTES = int(env("DANGJIAN_LEDGER_MAX_MB", "20")) * 1024 * 1024
LEDGER_MAX_ROWS = int(env("DANGJIAN_LEDGER_MAX_ROWS", "200000"))
LEDGER_MAX_CELLS = int(env("DANGJIAN_LEDGER_MAX_CELLS", "5000000"))

# Personal data: the algorithm ("fernet", or "sm4" for 国密 SM4-GCM with HMAC-SM3), its keys
# (first one encrypts, all decrypt, so keys can rotate: manage.py rotate_field_keys) and a
# separate key for the keyed hash used to find and de-duplicate values (dangjian.core.crypto).
FIELD_CIPHER = env("DANGJIAN_FIELD_CIPHER", "fernet")
if FIELD_CIPHER not in ("fernet", "sm4"):
    raise ImproperlyConfigured("DANGJIAN_FIELD_CIPHER 只能是 fernet 或 sm4")
FIELD_ENCRYPTION_KEYS = env_list("DANGJIAN_FIELD_KEYS")  # Fernet keys
FIELD_SM4_KEYS = env_list("DANGJIAN_SM4_KEYS")  # SM4 keys, 32 hex digits each
FIELD_HASH_KEY = env("DANGJIAN_HASH_KEY", "")
_CIPHER_KEYS = {
    "fernet": (FIELD_ENCRYPTION_KEYS, "DANGJIAN_FIELD_KEYS"),
    "sm4": (FIELD_SM4_KEYS, "DANGJIAN_SM4_KEYS"),
}
if PRODUCTION and (not _CIPHER_KEYS[FIELD_CIPHER][0] or not FIELD_HASH_KEY):
    raise ImproperlyConfigured(f"生产环境必须设置 {_CIPHER_KEYS[FIELD_CIPHER][1]} 和 DANGJIAN_HASH_KEY")
# the key of `manage.py backup` archives (AES-256-GCM); kept apart from the database and the
# archives. Production refuses to back up or restore without one; local runs derive one.
BACKUP_KEY = env("DANGJIAN_BACKUP_KEY", "")
# the font the summary's charts are drawn with ('' = Noto Sans CJK from Debian's fonts-noto-cjk)
CJK_FONT = env("DANGJIAN_CJK_FONT", "")
# where the nightly backup job writes (a mount of other storage; '' = no nightly backup job)
BACKUP_DIR = env("DANGJIAN_BACKUP_DIR", "")

# The audit log (dangjian.audit): the key of its hash chain, kept outside the database (local runs
# derive one from SECRET_KEY); the file its daily anchors and archive tails are appended to; how
# many days entries stay in the database before `audit_archive` may move them to a file.
AUDIT_CHAIN_KEY = env("DANGJIAN_AUDIT_KEY") or (
    None if PRODUCTION else hashlib.sha256(b"dangjian-audit-chain\n" + SECRET_KEY.encode()).hexdigest()
)
if not AUDIT_CHAIN_KEY:
    raise ImproperlyConfigured("生产环境必须设置 DANGJIAN_AUDIT_KEY（审计日志哈希链的密钥）")
AUDIT_ANCHOR_FILE = env("DANGJIAN_AUDIT_ANCHOR_FILE", str(BASE_DIR / "var" / "log" / "audit-anchor.log"))
AUDIT_MIN_RETENTION_DAYS = 180
# where the daily job archives the entries older than the retention period ('' = not archived)
AUDIT_ARCHIVE_DIR = env("DANGJIAN_AUDIT_ARCHIVE_DIR", "")
AUDIT_RETENTION_DAYS = int(env("DANGJIAN_AUDIT_RETENTION_DAYS", str(AUDIT_MIN_RETENTION_DAYS)))
if AUDIT_RETENTION_DAYS < AUDIT_MIN_RETENTION_DAYS:
    raise ImproperlyConfigured(f"DANGJIAN_AUDIT_RETENTION_DAYS 不得少于 {AUDIT_MIN_RETENTION_DAYS} 天")

# Email of notifications (dangjian.notifications): sent only when a mail server is configured
# (DJANGO_EMAIL_HOST; none by default, so nothing is sent) and the user has an address. Links in
# an email start with DANGJIAN_SITE_URL (https://dangjian.example.gov.cn), else they are paths.
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "")
EMAIL_PORT = int(env("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(env("DJANGO_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "noreply@localhost")
SITE_URL = env("DANGJIAN_SITE_URL", "").rstrip("/")

# Login lockout (django-axes, see dangjian.accounts.lockout): LOCKOUT_FAILURES failed sign-ins of
# one user name within LOCKOUT_WINDOW_MINUTES lock it for LOCKOUT_MINUTES, on every sign-in page
# and the API token; the security administrator lifts a lock early (后台 系统 › 登录锁定).
LOCKOUT_FAILURES = int(env("DANGJIAN_LOCKOUT_FAILURES", "5"))
LOCKOUT_WINDOW_MINUTES = int(env("DANGJIAN_LOCKOUT_WINDOW_MINUTES", "15"))
LOCKOUT_MINUTES = int(env("DANGJIAN_LOCKOUT_MINUTES", "30"))
# how many reverse proxies in front add X-Forwarded-For (0: the client's address is REMOTE_ADDR and
# the header, which anyone can send, is ignored by the lockout's records and the rate limits)
PROXY_COUNT = int(env("DANGJIAN_PROXY_COUNT", "0"))
AXES_HANDLER = "dangjian.accounts.lockout.WindowedLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "dangjian.accounts.lockout.client_address"
AXES_FAILURE_LIMIT = "dangjian.accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = "dangjian.accounts.lockout.lock_duration"
# by user name alone: the account is locked wherever the attempts come from (by user name and IP
# together an attacker would change address; by IP a whole office behind one address would be
# locked out by one person). The API token endpoint is also limited per address (throttling).
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure with its time: the window is counted from it
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lock lasts LOCKOUT_MINUTES from locking
AXES_LOCKOUT_CALLABLE = "dangjian.accounts.lockout.lockout_response"
AXES_ENABLE_ADMIN = False  # the lockouts' pages are the site's own (dangjian.site.lockouts)
AXES_VERBOSE = False
SILENCED_SYSTEM_CHECKS = ["axes.W006"]  # lockout by user name without the IP, on purpose (above)

# Sessions: signed out after SESSION_IDLE_MINUTES without a request (a warning shows shortly
# before, with a button to go on), and after SESSION_MAX_HOURS whatever the activity
# (dangjian.site.sessions). The cookie lives no longer than the absolute limit.
SESSION_IDLE_MINUTES = int(env("DANGJIAN_IDLE_MINUTES", "30"))
SESSION_IDLE_WARNING_MINUTES = int(env("DANGJIAN_IDLE_WARNING_MINUTES", "2"))
SESSION_MAX_HOURS = int(env("DANGJIAN_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
# Sessions live in the database, so every web machine behind nginx reads the same ones (nothing on
# a machine's disk); with Redis, DANGJIAN_SESSIONS=cached_db reads them through the cache first.
_SESSION_ENGINES = {
    "db": "django.contrib.sessions.backends.db",
    "cached_db": "django.contrib.sessions.backends.cached_db",
}
if env("DANGJIAN_SESSIONS", "db") not in _SESSION_ENGINES:
    raise ImproperlyConfigured("DANGJIAN_SESSIONS 只能是 db 或 cached_db")
SESSION_ENGINE = _SESSION_ENGINES[env("DANGJIAN_SESSIONS", "db")]

# The cache holds the API's request counts (throttling) and running jobs' progress: one Redis for
# all the machines in production (DANGJIAN_REDIS_URL, redis://127.0.0.1:6379/1).
if env("DANGJIAN_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("DANGJIAN_REDIS_URL"),
            # a Redis that does not answer fails a request (and the health check) in seconds
            "OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 5},
        }
    }
else:
    # files under var/cache: shared by the web server and the job worker of `make run`
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("DANGJIAN_CACHE_DIR", str(BASE_DIR / "var" / "cache")),
        }
    }

# Background jobs (dangjian.core.jobs) on django-q2: in production Redis is the broker
# (DANGJIAN_QUEUE_REDIS_URL, else DANGJIAN_REDIS_URL), so workers may run on several machines;
# without Redis the database is the broker (`make run` needs nothing more). A running job's
# progress goes to the cache (its work may be one long transaction), its outcome to its record.
# JOBS_INLINE runs a job in the process that starts it, when its transaction commits (the tests).
JOBS_INLINE = env_bool("DANGJIAN_JOBS_INLINE", False)
JOBS_KEEP_DAYS = int(env("DANGJIAN_JOBS_KEEP_DAYS", "30"))  # a finished job's files are kept so long
# a ledger file of more rows than this is imported in the background, with a progress bar
JOBS_IMPORT_ROWS = int(env("DANGJIAN_JOBS_IMPORT_ROWS", "2000"))
JOBS_EXPORT_ROWS = int(env("DANGJIAN_JOBS_EXPORT_ROWS", "5000"))  # likewise an export of more records
QUEUE_REDIS_URL = env("DANGJIAN_QUEUE_REDIS_URL") or env("DANGJIAN_REDIS_URL")
Q_CLUSTER = {
    "name": "dangjian",
    "workers": int(env("DANGJIAN_QUEUE_WORKERS", "2")),
    "timeout": int(env("DANGJIAN_QUEUE_TIMEOUT", "3600")),
    "retry": int(env("DANGJIAN_QUEUE_TIMEOUT", "3600")) + 600,
    "max_attempts": 1,
    "save_limit": 1000,
    "catch_up": False,
    "label": "后台任务",
    "poll": float(env("DANGJIAN_QUEUE_POLL", "1")),  # seconds between the database broker's looks
    **({"redis": QUEUE_REDIS_URL} if QUEUE_REDIS_URL else {"orm": "default"}),
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "dangjian.site.api_tokens.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["dangjian.core.api_permissions.ScopedModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "dangjian.core.api.exception_handler",
    # requests per user (signed in) and per address (not signed in), and token sign-ins per address
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "NUM_PROXIES": PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("DANGJIAN_API_ANON_RATE", "60/minute"),
        "user": env("DANGJIAN_API_USER_RATE", "600/minute"),
        "token": env("DANGJIAN_API_TOKEN_RATE", "10/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "党建引领发展平台 API",
    "DESCRIPTION": "Dangjian REST API：党组织、阵地与岗区、党员、企业、指标。所有数据按当前用户的授权范围返回。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # the machine's own fonts: nothing is fetched from outside the installation
    "REDOC_UI_SETTINGS": {
        "theme": {
            "typography": {
                "fontFamily": '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif',
                "headings": {
                    "fontFamily": '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif'
                },
                "code": {"fontFamily": "monospace"},
            }
        }
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "DocumentCategoryEnum": "dangjian.partylife.models.DocumentCategory",
        "DuesCategoryEnum": "dangjian.members.models.DuesCategory",
        "RequestKindEnum": "dangjian.servicedesk.models.RequestKind",
        "ActivityKindEnum": "dangjian.partylife.models.ActivityKind",
        "MeetingKindEnum": "dangjian.partylife.models.MeetingKind",
        "TrainingKindEnum": "dangjian.partylife.models.TrainingKind",
        "OrganizationKindEnum": "dangjian.organizations.models.OrgKind",
        "UnitNatureEnum": "dangjian.organizations.models.UnitNature",
        "StarsEnum": "dangjian.ratings.models.STAR_CHOICES",
        "CheckMethodEnum": "dangjian.ratings.models.CheckMethod",
        "InvestmentStageEnum": "dangjian.investment.models.Stage",
    },
}

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    # behind nginx, which says whether the browser came by HTTPS (deploy/nginx/dangjian.conf);
    # DJANGO_TRUST_X_FORWARDED_PROTO=0 where the server is reached directly
    if env_bool("DJANGO_TRUST_X_FORWARDED_PROTO", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # the health check answers a probe by plain HTTP on the machine's own port (deploy/, README)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# the host the browser asked for as nginx passes it on (X-Forwarded-Host), for absolute addresses
USE_X_FORWARDED_HOST = env_bool("DJANGO_USE_X_FORWARDED_HOST", False)

# Logs go to standard output, one line each (systemd's journal or the terminal of `make serve`),
# the web server's access log beside them (gunicorn --access-logfile -).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "line"}
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        # django-q2's own logger writes the worker's start, stop and failed tasks
        "django-q": {
            "handlers": ["console"],
            "level": env("DANGJIAN_QUEUE_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
    },
}

UNFOLD = {
    "SITE_TITLE": "党建引领发展平台",
    "SITE_HEADER": "党建引领发展平台",
    "SITE_SUBHEADER": "高新区党工委",
    "SITE_SYMBOL": "flag",
    "SHOW_HISTORY": False,
    "SHOW_VIEW_ON_SITE": False,
    "SHOW_BACK_BUTTON": True,
    "DASHBOARD_CALLBACK": "dangjian.site.admin_site.dashboard_callback",
    "STYLES": [lambda request: static("dangjian/site.css")],
    # site.js: the print buttons; calendar.js: the date picker's month title in Chinese order
    # (2026年11月), its other strings being in the djangojs catalog of dangjian/site/locale;
    # idle.js: the warning before the idle sign-out (dangjian.site.sessions)
    "SCRIPTS": [
        lambda request: static("dangjian/site.js"),
        lambda request: static("dangjian/calendar.js"),
        lambda request: static("dangjian/idle.js"),
    ],
    "COLORS": {
        "primary": {
            "50": "oklch(97.1% .013 17.38)",
            "100": "oklch(93.6% .032 17.717)",
            "200": "oklch(88.5% .062 18.334)",
            "300": "oklch(80.8% .114 19.571)",
            "400": "oklch(70.4% .191 22.216)",
            "500": "oklch(63.7% .237 25.331)",
            "600": "oklch(57.7% .245 27.325)",
            "700": "oklch(50.5% .213 27.518)",
            "800": "oklch(44.4% .177 26.899)",
            "900": "oklch(39.6% .141 25.723)",
            "950": "oklch(25.8% .092 26.042)",
        },
    },
    # the account menu (top right): the password and the second factor (双因素认证)
    "ACCOUNT": {
        "navigation": [
            {"title": "修改密码", "link": reverse_lazy("admin:password_change")},
            {"title": "双因素认证", "link": reverse_lazy("admin:second_factor")},
        ]
    },
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": False,
        "navigation": "dangjian.site.admin_site.sidebar_navigation",
    },
}

# Content-Security-Policy (django-csp; dangjian.site.csp adds what the back office's theme and the
# API documentation need, on their paths only; README, 内容安全策略)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# The second factor (django-otp): the name an authenticator app shows beside the account
OTP_TOTP_ISSUER = "党建引领发展平台"
