"""A StaleDataError no service caught (two saves of one record at the same moment) is
answered as a stale save, 409 with the conflict message, never a 500."""

from __future__ import annotations

from sqlalchemy.orm.exc import StaleDataError

from app import config as settings
from app import create_app


def test_an_uncaught_stale_save_is_a_conflict_not_an_error(tmp_path, database_url):
    app = create_app(settings.TestConfig(str(tmp_path), database_url))

    def lost():
        raise StaleDataError("UPDATE statement on table 'contract' expected to update 1 row(s)")

    app.add_url_rule("/_lost", "lost", lost)
    response = app.test_client().get("/_lost", headers={"Accept-Language": "en"})
    assert response.status_code == 409
    assert "Someone else changed this record in the meantime." in response.get_data(as_text=True)
