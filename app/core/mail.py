"""The team's SMTP server (SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_FROM,
SMTP_TLS: starttls, ssl or none): one connection and the sender every email of Relais uses."""

from __future__ import annotations

import smtplib
import ssl

from flask import current_app

TIMEOUT = 15  # seconds: an unreachable server must not hold a worker for long


def connect(config) -> smtplib.SMTP:
    """An open, logged-in connection to the configured server (use it in a `with`)."""
    mode = (config.get("SMTP_TLS") or "starttls").lower()
    host, port = config["SMTP_HOST"], config.get("SMTP_PORT") or 587
    if mode == "ssl":
        server = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT,
                                  context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(host, port, timeout=TIMEOUT)
        if mode == "starttls":
            server.starttls(context=ssl.create_default_context())
    if config.get("SMTP_USER"):
        server.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
    return server


def sender() -> str:
    config = current_app.config
    return config.get("SMTP_FROM") or config.get("SMTP_USER") or "relais@localhost"
