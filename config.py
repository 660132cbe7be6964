"""Configuration read from environment variables, with safe defaults for a laptop."""

import logging
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("CRM_INSTANCE_DIR", BASE_DIR / "instance"))

KNOWN_CRM_VARIABLES = {
    "CRM_ENV",
    "CRM_INSTANCE_DIR",
    "CRM_PROXY_HOPS",
    "CRM_LOG_FORMAT",
    "CRM_MEETING_REMINDER_MINUTES",
    "CRM_SEND_BATCH",
    "CRM_BASE_URL",
    "CRM_DEFAULT_TIMEZONE",
}

log = logging.getLogger(__name__)


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


class ConfigError(RuntimeError):
    pass


class Config:
    """Values shared by every environment; subclasses set what differs."""

    ENV_NAME = "development"
    DEBUG = False
    TESTING = False
    SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'cabildeo.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLITE_BUSY_TIMEOUT_MS = 30_000
    TRUSTED_HOSTS = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()]
    PROXY_HOPS = _int("CRM_PROXY_HOPS", 0)
    LOG_FORMAT = os.environ.get("CRM_LOG_FORMAT", "text")
    BASE_URL = os.environ.get("CRM_BASE_URL", "http://127.0.0.1:5000")

    BABEL_DEFAULT_LOCALE = "es_PE"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("CRM_DEFAULT_TIMEZONE", "America/Lima")
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = {"es_PE": "Español (Perú)", "en": "English"}

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    WTF_CSRF_TIME_LIMIT = None
    HSTS = False

    PASSWORD_HASH_METHOD = "scrypt"
    LOGIN_MAX_FAILURES = 10
    LOGIN_LOCK_MINUTES = 15

    MAIL_FROM = os.environ.get("MAIL_FROM", "Cabildeo <no-reply@cabildeo.local>")
    SMTP_HOST = os.environ.get("SMTP_HOST", "")
    SMTP_PORT = _int("SMTP_PORT", 587)
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_STARTTLS = _bool(os.environ.get("SMTP_STARTTLS"), True)
    SMTP_SSL = _bool(os.environ.get("SMTP_SSL"), False)
    SMTP_TIMEOUT = _int("SMTP_TIMEOUT", 20)
    MAIL_FILE_DIR = str(INSTANCE_DIR / "mail")
    MEETING_REMINDER_MINUTES = _int("CRM_MEETING_REMINDER_MINUTES", 120)
    SEND_BATCH = _int("CRM_SEND_BATCH", 50)

    def __init__(self, **overrides):
        for key, value in overrides.items():
            setattr(self, key, value)

    def validate(self) -> None:
        """Production refuses to start on development defaults."""


class DevelopmentConfig(Config):
    ENV_NAME = "development"


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS = True
    LOG_FORMAT = os.environ.get("CRM_LOG_FORMAT", "json")

    def validate(self) -> None:
        if not os.environ.get("SECRET_KEY"):
            raise ConfigError("SECRET_KEY must be set when CRM_ENV=production")
        if not self.TRUSTED_HOSTS:
            raise ConfigError("TRUSTED_HOSTS must list the host names served when CRM_ENV=production")


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key"
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"
    MAIL_FILE_DIR = ""


def warn_unknown_variables(environ=os.environ) -> list[str]:
    unknown = sorted(k for k in environ if k.startswith("CRM_") and k not in KNOWN_CRM_VARIABLES)
    for name in unknown:
        log.warning("Unknown configuration variable %s is ignored", name)
    return unknown


def config_from_env() -> Config:
    env = os.environ.get("CRM_ENV", "development").lower()
    classes = {"development": DevelopmentConfig, "production": ProductionConfig}
    if env not in classes:
        raise ConfigError(f"CRM_ENV must be development or production, not {env!r}")
    config = classes[env]()
    config.validate()
    return config
