"""A small local SMTP sink: the standard library's smtplib talks to it over TCP as it would
to a real server, and the tests read what it received (fixture `smtp` in tests/conftest.py)."""

from __future__ import annotations

import socketserver
import threading

BASE = "https://relais.example.org"


class Session(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: greeting, EHLO, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 sink ESMTP")
        envelope: dict = {"rcpt": []}
        while line := self.rfile.readline():
            verb = line.decode(errors="replace").strip().split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250-sink")
                self.reply("250 8BITMIME")
            elif verb == "MAIL":
                envelope = {"from": line.decode().strip(), "rcpt": []}
                self.reply("250 OK")
            elif verb == "RCPT":
                envelope["rcpt"].append(line.decode().strip().split(":", 1)[1].strip("<> "))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                self.server.messages.append((envelope, self._data()))
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:  # RSET, NOOP
                self.reply("250 OK")

    def _data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)


class Sink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Session)
        self.messages: list[tuple[dict, bytes]] = []


def serve(app):
    """Points the app's SMTP settings at a fresh sink for the duration of a test."""
    sink = Sink()
    thread = threading.Thread(target=sink.serve_forever, daemon=True)
    thread.start()
    saved = {k: app.config.get(k) for k in ("SMTP_HOST", "SMTP_PORT", "SMTP_TLS", "SMTP_FROM",
                                            "RELAIS_BASE_URL")}
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=sink.server_address[1], SMTP_TLS="none",
                      SMTP_FROM="contrats@agence-relais.fr", RELAIS_BASE_URL=BASE)
    yield sink
    app.config.update(saved)
    sink.shutdown()
    sink.server_close()
