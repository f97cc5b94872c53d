"""The Relais application factory: it only wires; every step is a small `register_*`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from app.config import DEV_SECRET, Config

if TYPE_CHECKING:  # Flask is imported by create_app: the plain-Python packages
    # (app/imports/parsing, app/scoring/engine, app/contracts/document) load without it,
    # e.g. in an import's reading process (20 MB less).
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
    register_features(app)
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
    from app.core import (  # noqa: F401 - limit_storage: relaisdb://
        audit,
        audit_query,
        audit_view,
        data_version,
        limit_storage,
    )
    from app.core.sqlite import configure_sqlite
    from app.extensions import csrf, db, limiter, migrate
    from app.i18n import formats as i18n
    from app.models.base import render_alembic_item
    from app.security import register_security

    db.init_app(app)
    data_version.install(app)
    audit.listen()
    migrate.init_app(
        app, db, directory=str(ROOT / "migrations"), render_as_batch=True,
        render_item=render_alembic_item, compare_type=True,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_i18n(app)
    audit_view.init_app(app)
    audit_query.init_app(app)
    register_security(app)
    configure_sqlite(app)


def register_features(app: Flask) -> None:
    """Each feature attaches its blueprint, in the order the URL map has always had."""
    from app.admin import routes as admin
    from app.auth import routes as auth
    from app.brands import routes as brands
    from app.campaigns import routes as campaigns
    from app.contracts import routes as contracts
    from app.contracts.signing import routes as signing
    from app.imports import routes as imports
    from app.influencers import routes as influencers
    from app.main import routes as main
    from app.network import routes as network

    for feature in (main, auth, admin, brands, influencers, imports, campaigns, network,
                    signing, contracts):
        feature.register(app)


def register_errors(app: Flask) -> None:
    from app.errors import register_error_handlers

    register_error_handlers(app)


def register_cli(app: Flask) -> None:
    from app.cli import register_commands

    register_commands(app)
