"""The reference of bench/load_list: a minimal Flask app, served by the same gunicorn with the
same settings, that renders a Jinja page of a given byte size with no database.

    RELAIS_REFERENCE_BYTES=45000 gunicorn -w 2 bench.reference_app:app

Its `/influencers/` renders a table of made-up rows (escaped values, a link and a number
per row, as a list page has) until the page weighs about RELAIS_REFERENCE_BYTES bytes: what
Flask, Jinja and gunicorn cost on this machine for a page that size, i.e. the framework's
own ceiling that Relais's list pages are compared with.
"""

from __future__ import annotations

import os

from flask import Flask, render_template_string

PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
<table>{% for row in rows %}
<tr><td><a href="/influencers/{{ row.id }}">{{ row.name }}</a></td><td>{{ row.kind }}</td>
<td class="num">{{ row.followers }}</td><td class="num">{{ row.rate }}</td>
<td>{{ row.country }}</td><td><span class="pill">{{ row.status }}</span></td>
<td>{{ row.tags }}</td></tr>{% endfor %}
</table></main></body></html>"""

ROW = {"id": 12345, "name": "Marie-Hélène Dupont & Cie", "kind": "Créatrice", "followers":
       "12,4 k", "rate": "3,2 %", "country": "FR", "status": "Contactée",
       "tags": "beauté, mode, voyage"}


def create_app(target_bytes: int) -> Flask:
    app = Flask(__name__)
    empty = len(page_for(0).encode())
    count = max(1, round((target_bytes - empty) / (len(page_for(1).encode()) - empty)))

    @app.get("/influencers/")
    def index():
        rows = [dict(ROW, id=ROW["id"] + i) for i in range(count)]
        return render_template_string(PAGE, title="Influenceurs", rows=rows)

    @app.get("/health")
    def health():
        return "ok"

    return app


def page_for(count: int) -> str:
    """The page for `count` rows, rendered outside any app (to size it)."""
    from jinja2 import Environment

    rows = [dict(ROW, id=ROW["id"] + i) for i in range(count)]
    return Environment(autoescape=True).from_string(PAGE).render(title="Influenceurs",
                                                                rows=rows)


app = create_app(int(os.environ.get("RELAIS_REFERENCE_BYTES", "45000")))
