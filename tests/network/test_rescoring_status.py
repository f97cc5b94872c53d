"""Rescoring you can watch (app/network/routes.py, app/scoring/tasks.py, the status partial
templates/network/_scoring.html): after "Rescore" the page shows the queued run, then its
progress, then the new scores, read from the run's row on every request."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db as _db
from app.models import Relationship, ScoringRun
from app.models.base import utcnow
from app.scoring import rescoring, tasks
from tests.factories import make_influencer


@pytest.fixture()
def chain(db):
    people = [make_influencer(display_name=f"P{i}", accounts=[{
        "platform": "instagram", "handle": f"watch{i}", "followers": 1_000 * (i + 1)}])
        for i in range(3)]
    for a, b in zip(people, people[1:], strict=False):
        _db.session.add(Relationship(source_id=a.id, target_id=b.id, kind="reposts", weight=1))
    _db.session.commit()
    return people


@pytest.fixture()
def no_worker(monkeypatch):
    """The job is enqueued but no worker has taken it yet: the calls are only recorded."""
    calls: list[tuple] = []
    monkeypatch.setattr(tasks, "run_scoring", lambda *args: calls.append(args))
    return calls


def _status(client) -> str:
    return client.get("/network/rescore/progress").get_data(as_text=True)


def _polls(html: str) -> bool:
    return 'hx-trigger="every 1s"' in html


def _add_run(**values) -> ScoringRun:
    run = ScoringRun(**values)
    _db.session.add(run)
    _db.session.commit()
    return run


def test_rescore_shows_the_queued_run_then_its_progress_then_the_new_scores(
        member_client, chain, no_worker):
    response = member_client.post("/network/rescore")
    assert response.status_code == 302
    run = _db.session.scalar(select(ScoringRun))
    assert run.status == "queued" and no_worker == [(member_client.user.id, run.id)]
    page = member_client.get("/network/").get_data(as_text=True)
    assert "Scoring queued" in page and _polls(page) and "No scoring run yet" not in page
    assert re.search(r'<a href="/network/">Refresh</a>', page)  # without JavaScript
    assert 'action="/network/rescore"' not in page  # one run at a time

    seen: dict[int, str] = {}
    rescoring.rescore(progress=lambda percent: seen.update({percent: _status(member_client)}),
                      run_id=run.id)  # the worker; the page polls its progress
    phases = {0: "reading the people", 10: "building the relay graph",
              25: "computing the network figures", 70: "computing the scores",
              80: "writing the scores"}
    for percent, phase in phases.items():
        assert phase in seen[percent] and f'value="{percent}"' in seen[percent]
        assert _polls(seen[percent]) and "No scoring run yet" not in seen[percent]
    done = seen[100]
    assert "3 people, 2 links" in done and not _polls(done)
    assert f'data-run="{run.id}"' in done and 'action="/network/rescore"' in done


def test_a_run_finished_before_the_page_was_drawn_shows_as_finished(member_client, chain):
    # Jobs run inline in tests: the run is over before the redirect is followed.
    page = member_client.post("/network/rescore", follow_redirects=True).get_data(as_text=True)
    run = _db.session.scalar(select(ScoringRun))
    assert (run.status, run.progress) == ("done", 100)
    assert "3 people, 2 links" in page and not _polls(page)
    assert "Scoring started" in page and f'data-run="{run.id}"' in page


def test_progress_phases(viewer_client, db):
    run = _add_run(status="running", progress=40)
    html = _status(viewer_client)
    assert 'value="40"' in html and "computing the network figures" in html and _polls(html)
    run.progress = 80
    _db.session.commit()
    assert "writing the scores" in _status(viewer_client)
    assert 'action="/network/rescore"' not in html  # a viewer never sees the button


def test_a_failed_run_says_so_and_the_polling_stops(member_client, chain):
    finished = rescoring.rescore()
    _add_run(status="failed", error="RuntimeError: engine exploded",
             finished_at=utcnow())
    html = _status(member_client)
    assert "did not finish: the scores on show are older" in html
    assert "engine exploded" in html and not _polls(html)
    assert "3 people, 2 links" in html and f'data-run="{finished.id}"' in html
    assert 'action="/network/rescore"' in html


def test_a_run_left_behind_by_a_dead_worker_stops_blocking(member_client, chain, no_worker):
    _add_run(status="running", progress=40, started_at=utcnow() - timedelta(hours=1))
    html = _status(member_client)
    assert "did not finish." in html and not _polls(html)
    member_client.post("/network/rescore")
    assert _db.session.scalar(select(func.count()).select_from(ScoringRun)
                              .where(ScoringRun.status == "queued")) == 1


def test_a_run_queued_for_long_asks_whether_a_worker_runs(viewer_client, db):
    _add_run(status="queued", started_at=utcnow() - timedelta(minutes=2))
    html = _status(viewer_client)
    assert "No job worker has started this scoring run yet" in html and _polls(html)


def test_a_second_rescore_while_one_is_queued_is_refused(member_client, chain, no_worker):
    member_client.post("/network/rescore")
    page = member_client.post("/network/rescore", follow_redirects=True)
    assert "already in progress" in page.get_data(as_text=True)
    assert len(no_worker) == 1
    assert _db.session.scalar(select(func.count()).select_from(ScoringRun)) == 1


def test_a_job_that_cannot_be_enqueued_fails_its_run(member_client, chain, monkeypatch):
    def broken(*_args):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tasks, "run_scoring", broken)
    page = member_client.post("/network/rescore", follow_redirects=True).get_data(as_text=True)
    assert "could not be started" in page and not _polls(page)
    run = _db.session.scalar(select(ScoringRun))
    assert run.status == "failed" and "redis is down" in run.error


def test_the_job_carries_out_its_queued_run_once(db, chain):
    run = rescoring.queue()
    assert tasks.run_scoring.call_local(None, run.id) == run.id
    _db.session.refresh(run)
    assert (run.status, run.nodes) == ("done", 3)
    assert tasks.run_scoring.call_local(None, run.id) is None  # not queued any more
    assert _db.session.scalar(select(func.count()).select_from(ScoringRun)) == 1


def test_the_status_reads_in_french(client_as, chain, no_worker):
    from tests.factories import make_user

    member = client_as(make_user("member", locale="fr"))
    page = member.post("/network/rescore", follow_redirects=True).get_data(as_text=True)
    assert "Calcul des scores en file d'attente" in page and ">Actualiser</a>" in page
    rescoring.rescore(run_id=_db.session.scalar(select(ScoringRun.id)))
    html = member.get("/network/rescore/progress").get_data(as_text=True)
    assert "3 personnes, 2 liens" in html and "Recalculer les scores" in html
