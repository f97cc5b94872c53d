"""The Relais application factory: it only wires; every step is a small `register_*`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from app.config import DEV_SECRET, Config

if TYPE_CHECKING:  # Flask is imported by create_app: the plain-Python packages (app/imports,
    # app/scoring) load without it, e.g. in an import's reading process (20 MB less).
    from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Config | None = None) -> Flask:
    from flask import Flask

    app = Flask(
        __name__,
        instance_path=config.INSTANCE_PATH if config else os.environ.get(
            "RELAIS_INSTANCE_PATH", str(ROOT / "instance")),
        template_folder=str(ROOT / "templates"),
    )
    app.config.from_object(config or Config(app.instance_path))
    _refuse_weak_secret(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _trust_proxies(app)

    register_extensions(app)
    register_blueprints(app)
    register_errors(app)
    register_cli(app)
    return app


def _trust_proxies(app: Flask) -> None:
    proxies = app.config.get("RELAIS_PROXIES", 0)
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def _refuse_weak_secret(app: Flask) -> None:
    # ASVS 13.3: outside development a missing or default secret would let anyone forge
    # sessions, so the app refuses to start rather than run insecurely.
    if app.config["ENV"] in {"development", "testing"}:
        return
    secret = app.config.get("SECRET_KEY") or ""
    if secret in {"", DEV_SECRET} or len(secret) < 24:
        raise RuntimeError(
            "SECRET_KEY is missing or too weak: set a random value of at least 24 "
            "characters (e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`) "
            "or RELAIS_ENV=development for local use."
        )


def register_extensions(app: Flask) -> None:
    from app import auth, i18n
    from app.extensions import csrf, db, limiter, migrate
    from app.models.base import render_alembic_item
    from app.security import register_security
    from app.services import audit  # noqa: F401 - registers the audit flush listeners

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(ROOT / "migrations"), render_as_batch=True,
        render_item=render_alembic_item, compare_type=True,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    auth.init_login(app)
    i18n.init_i18n(app)
    register_security(app)
    _configure_sqlite(app)


# Connection-record flag: this SQLite connection's foreign keys are off (a bulk load).
FOREIGN_KEYS_OFF = "relais_foreign_keys_off"


def _configure_sqlite(app: Flask) -> None:
    """WAL, a busy timeout and enforced foreign keys on every SQLite connection."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from sqlalchemy import event

    from app.extensions import db

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "checkin")
    def _foreign_keys_back_on(dbapi_connection, record):
        # A bulk load (app/services/import_bulk.py) turns them off for its transaction.
        if dbapi_connection is not None and record.info.pop(FOREIGN_KEYS_OFF, False):
            dbapi_connection.execute("PRAGMA foreign_keys=ON")


def register_blueprints(app: Flask) -> None:
    from app.admin import rates as _rate_views  # noqa: F401 - attaches views
    from app.admin import scoring as _scoring_views  # noqa: F401 - attaches views
    from app.admin.routes import bp as admin_bp
    from app.auth.routes import bp as auth_bp
    from app.brands.routes import bp as brands_bp
    from app.campaigns import bp as campaigns_bp
    from app.campaigns import candidates as _candidate_views  # noqa: F401 - attaches views
    from app.campaigns import contract_batches as _batch_views  # noqa: F401 - attaches views
    from app.campaigns import metrics as _metric_views  # noqa: F401 - attaches views
    from app.campaigns import operations as _operation_views  # noqa: F401 - attaches views
    from app.campaigns import participants as _participant_views  # noqa: F401
    from app.campaigns import report as _report_views  # noqa: F401 - attaches views
    from app.campaigns import routes as _campaign_views  # noqa: F401 - attaches views
    from app.contract_pages import bp as contracts_bp
    from app.contract_pages import documents as _document_views  # noqa: F401 - attaches views
    from app.contract_pages import routes as _contract_views  # noqa: F401 - attaches views
    from app.contract_pages import workflow as _workflow_views  # noqa: F401 - attaches views
    from app.import_wizard import bp as import_wizard_bp
    from app.import_wizard import relationships as _relationship_views  # noqa: F401
    from app.import_wizard import routes as _import_views  # noqa: F401 - attaches views
    from app.influencers import bp as influencers_bp
    from app.influencers import routes as _influencer_views  # noqa: F401 - attaches views
    from app.main.routes import bp as main_bp
    from app.network import bp as network_bp
    from app.network import routes as _network_views  # noqa: F401 - attaches views
    from app.signing import bp as signing_bp
    from app.signing import routes as _signing_views  # noqa: F401 - attaches views

    for bp in (main_bp, auth_bp, admin_bp, brands_bp, influencers_bp,
               import_wizard_bp, campaigns_bp, network_bp, signing_bp, contracts_bp):
        app.register_blueprint(bp)


def register_errors(app: Flask) -> None:
    from app.errors import register_error_handlers

    register_error_handlers(app)


def register_cli(app: Flask) -> None:
    from app.cli import register_commands

    register_commands(app)
