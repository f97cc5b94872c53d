"""Configuration read from the environment.

Everything a deployment changes comes from environment variables (`RELAIS_*`,
`DATABASE_URL`, `REDIS_URL`, `SECRET_KEY`); nothing is read from files in the tree.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

DEV_SECRET = "relais-development-only-secret"  # noqa: S105 - refused outside development


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{Path(instance_path) / 'relais.sqlite3'}"
    # Heroku-style URLs name the old driver; Relais speaks psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    """Production-grade defaults; `RELAIS_ENV=development` relaxes cookie security only."""

    def __init__(self, instance_path: str) -> None:
        self.INSTANCE_PATH = instance_path  # uploads, SQLite files, the job queue
        self.ENV = os.environ.get("RELAIS_ENV", "production")
        development = self.ENV == "development"
        self.SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET if development else "")
        self.SQLALCHEMY_DATABASE_URI = _database_url(instance_path)
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.REDIS_URL = os.environ.get("REDIS_URL", "")
        self.MAX_CONTENT_LENGTH = _int("RELAIS_MAX_UPLOAD_MB", 20) * 1024 * 1024

        # Sessions (ASVS V7): idle and absolute timeouts end every login. No remember-me
        # cookie is issued; the REMEMBER_COOKIE_* settings only delete an old one.
        self.RELAIS_IDLE_TIMEOUT = timedelta(minutes=_int("RELAIS_IDLE_MINUTES", 30))
        self.RELAIS_ABSOLUTE_TIMEOUT = timedelta(hours=_int("RELAIS_ABSOLUTE_HOURS", 12))
        self.PERMANENT_SESSION_LIFETIME = self.RELAIS_ABSOLUTE_TIMEOUT
        self.REMEMBER_COOKIE_DURATION = timedelta(days=_int("RELAIS_REMEMBER_DAYS", 7))
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _bool("RELAIS_SECURE_COOKIES", not development)
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.RELAIS_HSTS = not development

        # ASVS V2: PBKDF2-SHA256 with a million iterations.
        self.RELAIS_PASSWORD_HASH = os.environ.get(
            "RELAIS_PASSWORD_HASH", "pbkdf2:sha256:1000000"
        )
        self.RELAIS_LOGIN_LIMIT_IP = os.environ.get("RELAIS_LOGIN_LIMIT_IP", "20 per 5 minutes")
        self.RELAIS_LOGIN_LIMIT_ACCOUNT = os.environ.get(
            "RELAIS_LOGIN_LIMIT_ACCOUNT", "5 per 5 minutes"
        )
        # Without Redis the limits count in the database, shared by every worker.
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "relaisdb://"
        self.RATELIMIT_HEADERS_ENABLED = False

        self._mail()
        self.LANGUAGES = ["fr", "en"]
        self.BABEL_DEFAULT_LOCALE = "fr"
        self.BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).parent / "i18n")
        self.RELAIS_PAGE_SIZE = _int("RELAIS_PAGE_SIZE", 50)
        # Influencer list pages each web worker keeps until the next write (0: none;
        # app/influencers/list_cache.py). About 40 KB a page.
        self.LIST_CACHE_SIZE = _int("RELAIS_LIST_CACHE_SIZE", 200)
        # Imports of at least this many rows, into tables holding no more influencers than
        # the file has rows, build their indexes once at the end (app/imports/bulk_load.py).
        self.RELAIS_IMPORT_BULK_ROWS = _int("RELAIS_IMPORT_BULK_ROWS", 5000)
        # Files of at least this many rows are read and normalised in a second process
        # while this one writes (app/imports/parsing/parse_ahead.py): starting it costs ~1 s.
        self.RELAIS_IMPORT_AHEAD_ROWS = _int("RELAIS_IMPORT_AHEAD_ROWS", 5000)
        # A job row "running" whose lease (heartbeat) is older than this is failed: its
        # worker stopped (app/core/jobs_lease.py).
        self.RELAIS_JOB_LEASE_SECONDS = _int("RELAIS_JOB_LEASE_SECONDS", 120)

        self.TESTING = False

    def _mail(self) -> None:
        """SMTP, emailed links, proxies and the signing links' lifetime."""
        # Signing links by email (contracts); without SMTP_HOST the links are shown to copy.
        # SMTP_TLS: starttls (default), ssl (implicit TLS, port 465) or none.
        self.SMTP_HOST = os.environ.get("SMTP_HOST", "")
        self.SMTP_PORT = _int("SMTP_PORT", 587)
        self.SMTP_USER = os.environ.get("SMTP_USER", "")
        self.SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
        self.SMTP_FROM = os.environ.get("SMTP_FROM", "")
        self.SMTP_TLS = os.environ.get("SMTP_TLS", "starttls")
        # The public address in emailed links (e.g. https://relais.example.org); unset, the
        # address the team member who sends is using.
        self.RELAIS_BASE_URL = os.environ.get("RELAIS_BASE_URL", "")
        # Reverse proxies in front of the app (0: none). With N, the client's address is
        # taken from the N-th X-Forwarded-For from the right: login limits and signing
        # evidence record the signer's IP, not the proxy's. Never trust headers without one.
        self.RELAIS_PROXIES = _int("RELAIS_PROXIES", 0)
        # How long a contract's signing links stay valid (1 to 90 days).
        self.RELAIS_SIGNING_DAYS = _int("RELAIS_SIGNING_DAYS", 14)
        # How long a "forgot password" link stays valid. Such links are emailed only when
        # RELAIS_BASE_URL is set too: never to an address read from the request's Host.
        self.RELAIS_PASSWORD_RESET_MINUTES = _int("RELAIS_PASSWORD_RESET_MINUTES", 60)


class TestConfig(Config):
    """Used by the test suite: same code paths, faster hashing (jobs run inline through
    RELAIS_JOBS_IMMEDIATE=1, set by tests/conftest.py before app.jobs is imported)."""

    def __init__(self, instance_path: str, database_url: str) -> None:
        super().__init__(instance_path)
        self.ENV = "testing"
        self.TESTING = True
        self.SECRET_KEY = "test-secret"  # noqa: S105
        self.SQLALCHEMY_DATABASE_URI = database_url
        # A million PBKDF2 rounds per login would make the suite crawl; the hashing
        # code path is the same, only the cost parameter differs.
        self.RELAIS_PASSWORD_HASH = "pbkdf2:sha256:1000"  # noqa: S105
        self.SESSION_COOKIE_SECURE = False
        self.REMEMBER_COOKIE_SECURE = False
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.RELAIS_HSTS = False
        self.SMTP_HOST = ""  # tests that email start their own SMTP sink
