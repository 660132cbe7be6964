"""Configuration read from environment variables, with safe defaults for a laptop.

The environment is read when a config object is created (not at import), so each `create_app()`
sees the variables of its own process and tests can set them with monkeypatch.
"""

import logging
import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent

KNOWN_CRM_VARIABLES = {
    "CRM_ENV",
    "CRM_INSTANCE_DIR",
    "CRM_PROXY_HOPS",
    "CRM_LOG_FORMAT",
    "CRM_MEETING_REMINDER_MINUTES",
    "CRM_SEND_BATCH",
    "CRM_MAIL_LEASE_SECONDS",
    "CRM_MAIL_MAX_ATTEMPTS",
    "CRM_MAIL_RETRY_BASE_SECONDS",
    "CRM_MAIL_RETRY_MAX_SECONDS",
    "CRM_MAIL_DB_RETRY_SECONDS",
    "CRM_DB_POOL_SIZE",
    "CRM_DB_MAX_OVERFLOW",
    "CRM_SCHEDULER_TICK_SECONDS",
    "CRM_ENV_FILE",
    "CRM_BASE_URL",
    "CRM_DEFAULT_TIMEZONE",
    "CRM_MAX_UPLOAD_MB",
    "CRM_MAX_FORM_KB",
    "CRM_BOARD_POLL_SECONDS",
    # Read by scripts/test.sh and tests, not by the app.
    "CRM_TEST_PG_PORT",
    "CRM_TEST_CHROMIUM",
}

log = logging.getLogger(__name__)


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(environ, name: str, default: int) -> int:
    raw = environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None


def _list(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


class ConfigError(RuntimeError):
    pass


# Where the production guide puts the settings every process reads. A command started on such a machine
# without them would quietly run on a new SQLite file; it refuses instead (see config_from_env).
PRODUCTION_ENV_FILE = "/etc/cabildeo/cabildeo.env"
PSYCOPG_HINT = "use postgresql+psycopg://USER:PASSWORD@HOST:5432/DATABASE"


def instance_dir(environ=os.environ) -> Path:
    return Path(environ.get("CRM_INSTANCE_DIR") or BASE_DIR / "instance")


def default_database_url(environ=os.environ) -> str:
    return f"sqlite:///{instance_dir(environ) / 'cabildeo.sqlite3'}"


class Config:
    """Values shared by every environment; subclasses set what differs.

    Class attributes are the defaults; `read_environment` overlays the process environment.
    """

    ENV_NAME = "development"
    READS_ENVIRONMENT = True
    DEBUG = False
    TESTING = False
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI = default_database_url({})
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLITE_BUSY_TIMEOUT_MS = 30_000
    TRUSTED_HOSTS: list[str] | None = None
    PROXY_HOPS = 0
    LOG_FORMAT = "text"
    BASE_URL = "http://127.0.0.1:5000"
    INSTANCE_DIR = str(instance_dir({}))

    BABEL_DEFAULT_LOCALE = "es_PE"
    BABEL_DEFAULT_TIMEZONE = "America/Lima"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = {"es_PE": "Español (Perú)", "en": "English"}

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    # The sliding expiry moves forward at most this often: the cookie is re-signed once a minute, not per request.
    SESSION_REFRESH_SECONDS = 60
    WTF_CSRF_TIME_LIMIT = None
    HSTS = False
    # Request bodies: every request is capped at MAX_CONTENT_LENGTH; pages without uploads at MAX_FORM_BYTES.
    MAX_CONTENT_LENGTH = 32 * 1024 * 1024
    MAX_FORM_BYTES = 1024 * 1024

    PASSWORD_HASH_METHOD = "scrypt"
    # Failed logins are counted in the database per email and address together, and per address.
    # Past the free failures each one adds a growing delay (2 s, 4 s, 8 s …) up to LOGIN_MAX_DELAY_MINUTES.
    LOGIN_FREE_FAILURES = 5
    LOGIN_ADDRESS_FREE_FAILURES = 50
    LOGIN_MAX_DELAY_MINUTES = 15
    LOGIN_WINDOW_HOURS = 24
    # Password-reset requests per email and per address within the window.
    RESET_PER_EMAIL = 3
    RESET_PER_ADDRESS = 10
    RESET_WINDOW_MINUTES = 60

    MAIL_FROM = "Cabildeo <no-reply@cabildeo.local>"
    SMTP_HOST = ""
    SMTP_PORT = 587
    SMTP_USERNAME = ""
    SMTP_PASSWORD = ""
    SMTP_STARTTLS = True
    SMTP_SSL = False
    SMTP_TIMEOUT = 20
    MAIL_FILE_DIR = str(instance_dir({}) / "mail")
    MEETING_REMINDER_MINUTES = 120
    # The sender (docs/reminders.md): rows claimed at a time, how long a claim lasts, how often a message is
    # tried before it is marked failed, the retry backoff, and how long recording an outcome is retried through
    # a database outage before the sender gives up and releases its batch.
    SEND_BATCH = 50
    MAIL_LEASE_SECONDS = 300
    MAIL_MAX_ATTEMPTS = 10
    MAIL_RETRY_BASE_SECONDS = 60
    MAIL_RETRY_MAX_SECONDS = 6 * 3600
    MAIL_DB_RETRY_SECONDS = 60
    MAIL_MESSAGE_ID_DOMAIN = "cabildeo.local"
    # How often the scheduler's every-minute jobs run (its heartbeat runs twice as often).
    SCHEDULER_TICK_SECONDS = 60
    # PostgreSQL connections one process may hold at most (pool size; overflow 0 by default, so it is a ceiling).
    DB_POOL_SIZE = 5
    DB_MAX_OVERFLOW = 0
    # How often an open whip board asks whether it changed (an unchanged board costs a 304).
    BOARD_POLL_SECONDS = 10

    def __init__(self, environ=None, **overrides):
        if self.READS_ENVIRONMENT:
            self.read_environment(os.environ if environ is None else environ)
        for key, value in overrides.items():
            setattr(self, key, value)
        if "SQLALCHEMY_DATABASE_URI" in overrides:
            self.DATABASE_URL_GIVEN = True

    def read_environment(self, environ) -> None:
        folder = instance_dir(environ)
        self.INSTANCE_DIR = str(folder)
        self.SECRET_KEY = environ.get("SECRET_KEY") or self.SECRET_KEY
        self.SQLALCHEMY_DATABASE_URI = environ.get("DATABASE_URL") or default_database_url(environ)
        self.TRUSTED_HOSTS = _list(environ.get("TRUSTED_HOSTS")) or None
        self.PROXY_HOPS = _int(environ, "CRM_PROXY_HOPS", self.PROXY_HOPS)
        self.LOG_FORMAT = environ.get("CRM_LOG_FORMAT") or self.LOG_FORMAT
        self.BASE_URL = environ.get("CRM_BASE_URL") or self.BASE_URL
        self.BABEL_DEFAULT_TIMEZONE = environ.get("CRM_DEFAULT_TIMEZONE") or self.BABEL_DEFAULT_TIMEZONE
        self.MAIL_FROM = environ.get("MAIL_FROM") or self.MAIL_FROM
        self.SMTP_HOST = environ.get("SMTP_HOST", self.SMTP_HOST)
        self.SMTP_PORT = _int(environ, "SMTP_PORT", self.SMTP_PORT)
        self.SMTP_USERNAME = environ.get("SMTP_USERNAME", self.SMTP_USERNAME)
        self.SMTP_PASSWORD = environ.get("SMTP_PASSWORD", self.SMTP_PASSWORD)
        self.SMTP_STARTTLS = _bool(environ.get("SMTP_STARTTLS"), self.SMTP_STARTTLS)
        self.SMTP_SSL = _bool(environ.get("SMTP_SSL"), self.SMTP_SSL)
        self.SMTP_TIMEOUT = _int(environ, "SMTP_TIMEOUT", self.SMTP_TIMEOUT)
        self.MAIL_FILE_DIR = str(folder / "mail")
        self.MEETING_REMINDER_MINUTES = _int(environ, "CRM_MEETING_REMINDER_MINUTES", self.MEETING_REMINDER_MINUTES)
        self.SEND_BATCH = _int(environ, "CRM_SEND_BATCH", self.SEND_BATCH)
        self.MAIL_LEASE_SECONDS = _int(environ, "CRM_MAIL_LEASE_SECONDS", self.MAIL_LEASE_SECONDS)
        self.MAIL_MAX_ATTEMPTS = _int(environ, "CRM_MAIL_MAX_ATTEMPTS", self.MAIL_MAX_ATTEMPTS)
        self.MAIL_RETRY_BASE_SECONDS = _int(environ, "CRM_MAIL_RETRY_BASE_SECONDS", self.MAIL_RETRY_BASE_SECONDS)
        self.MAIL_RETRY_MAX_SECONDS = _int(environ, "CRM_MAIL_RETRY_MAX_SECONDS", self.MAIL_RETRY_MAX_SECONDS)
        self.MAIL_DB_RETRY_SECONDS = _int(environ, "CRM_MAIL_DB_RETRY_SECONDS", self.MAIL_DB_RETRY_SECONDS)
        self.SCHEDULER_TICK_SECONDS = _int(environ, "CRM_SCHEDULER_TICK_SECONDS", self.SCHEDULER_TICK_SECONDS)
        self.DB_POOL_SIZE = _int(environ, "CRM_DB_POOL_SIZE", self.DB_POOL_SIZE)
        self.DB_MAX_OVERFLOW = _int(environ, "CRM_DB_MAX_OVERFLOW", self.DB_MAX_OVERFLOW)
        self.BOARD_POLL_SECONDS = _int(environ, "CRM_BOARD_POLL_SECONDS", self.BOARD_POLL_SECONDS)
        self.DATABASE_URL_GIVEN = bool(environ.get("DATABASE_URL"))
        if not self.SQLALCHEMY_DATABASE_URI.startswith("sqlite"):
            # A ceiling per process, so the sum in docs/production.md holds (SQLAlchemy's default allows 15).
            self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_size": self.DB_POOL_SIZE, "max_overflow": self.DB_MAX_OVERFLOW}
        self.FLASK_DEBUG_REQUESTED = _bool(environ.get("FLASK_DEBUG"))
        self.MAX_CONTENT_LENGTH = _int(environ, "CRM_MAX_UPLOAD_MB", self.MAX_CONTENT_LENGTH // 2**20) * 2**20
        self.MAX_FORM_BYTES = _int(environ, "CRM_MAX_FORM_KB", self.MAX_FORM_BYTES // 1024) * 1024

    DATABASE_URL_GIVEN = False
    FLASK_DEBUG_REQUESTED = False

    def validate(self) -> None:
        """Every environment: a URL SQLAlchemy cannot load gets the fix, not a driver traceback."""
        check_database_url(self.SQLALCHEMY_DATABASE_URI)
        if self.MAIL_LEASE_SECONDS < 30 or self.SEND_BATCH < 1 or self.MAIL_MAX_ATTEMPTS < 1:
            raise ConfigError("CRM_MAIL_LEASE_SECONDS must be at least 30, CRM_SEND_BATCH and CRM_MAIL_MAX_ATTEMPTS at least 1")


class DevelopmentConfig(Config):
    ENV_NAME = "development"

    def read_environment(self, environ) -> None:
        super().read_environment(environ)
        if not self.SECRET_KEY:
            self.SECRET_KEY = _laptop_secret(Path(self.INSTANCE_DIR))


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS = True
    LOG_FORMAT = "json"

    def validate(self) -> None:
        super().validate()
        if self.FLASK_DEBUG_REQUESTED or self.DEBUG:
            raise ConfigError("FLASK_DEBUG is on: the debugger runs any code a visitor sends; unset it when CRM_ENV=production")
        if not self.SECRET_KEY or len(self.SECRET_KEY) < 16:
            raise ConfigError("SECRET_KEY must be set when CRM_ENV=production (at least 16 characters)")
        if not self.TRUSTED_HOSTS:
            raise ConfigError("TRUSTED_HOSTS must list the host names served when CRM_ENV=production")
        if not self.DATABASE_URL_GIVEN:
            raise ConfigError(
                "DATABASE_URL must be set when CRM_ENV=production (a missing one would mean a new, empty SQLite file)"
            )


class TestingConfig(Config):
    """Ignores the environment so a developer's variables never leak into the suite."""

    __test__ = False  # not a pytest test class
    ENV_NAME = "testing"
    READS_ENVIRONMENT = False
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"
    MAIL_FILE_DIR = ""


def check_database_url(url: str) -> None:
    """`postgres://` (Heroku style) and a bare `postgresql://` (psycopg2, not installed) name the wrong driver."""
    scheme = (url or "").split("://", 1)[0].lower()
    if scheme in ("postgres", "postgresql", "postgresql+psycopg2"):
        raise ConfigError(f"DATABASE_URL starts with {scheme}://, which needs a driver Cabildeo does not install: {PSYCOPG_HINT}")


def _laptop_secret(folder: Path) -> str:
    """A random key kept in instance/, so a laptop never signs sessions with a published value."""
    path = folder / "secret_key"
    try:
        existing = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        existing = ""
    if existing:
        return existing
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


def warn_unknown_variables(environ=os.environ) -> list[str]:
    unknown = sorted(k for k in environ if k.startswith("CRM_") and k not in KNOWN_CRM_VARIABLES)
    for name in unknown:
        log.warning("Unknown configuration variable %s is ignored", name)
    return unknown


ENVIRONMENTS = {"development": DevelopmentConfig, "production": ProductionConfig}


def config_from_env(environ=None) -> Config:
    environ = os.environ if environ is None else environ
    env_file = environ.get("CRM_ENV_FILE") or PRODUCTION_ENV_FILE
    if not environ.get("CRM_ENV") and os.path.exists(env_file):
        raise ConfigError(
            f"{env_file} exists but its settings are not loaded (CRM_ENV is not set), so this command would run on "
            "a new SQLite file instead of the production database. Run it through deploy/cabildeo-manage, which "
            "loads the file (see docs/production.md), or set CRM_ENV=development explicitly for a laptop instance."
        )
    env = (environ.get("CRM_ENV") or "development").strip().lower()
    if env not in ENVIRONMENTS:
        raise ConfigError(f"CRM_ENV must be development or production, not {env!r}")
    config = ENVIRONMENTS[env](environ)
    config.validate()
    return config
