"""Metrics imported from CSV: matching rows to operations, values, all-or-nothing, hostile files."""

from __future__ import annotations

import codecs
import io
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from app.campaigns.operations import metrics_import as service
from app.campaigns.operations import metrics_template
from app.campaigns.report.figures import campaign_kpis
from app.codes import METRICS
from app.core.errors import ServiceError
from app.extensions import db as _db
from app.models import AuditEvent, Campaign, Operation
from tests.factories import make_influencer, make_operation, make_participant


def run(s, tmp_path, text, **kwargs):
    """Imports `text` (bytes, or text written in `file_encoding`) into the campaign."""
    encoding = kwargs.pop("file_encoding", "utf-8")
    path = tmp_path / "metrics.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return service.import_metrics(s.campaign_id, str(path), **kwargs)


def reasons(report) -> list[tuple[int, str, str, str]]:
    return [(r["line"], r["column"], r["value"], r["reason"]) for r in report["rejected_rows"]]


# --- which operation ----------------------------------------------------------------------

def test_by_operation_id(s, tmp_path, measured):
    report = run(s, tmp_path, f"operation_id,impressions,reach,likes\n{s.insta},25000,12400,830\n"
                              f"#{s.hugo},100,90,7\n")
    assert report == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0,
                      "rejected_rows": []}
    assert measured(s.insta) == {"impressions": 25_000, "reach": 12_400, "likes": 830}
    assert measured(s.hugo) == {"impressions": 100, "reach": 90, "likes": 7}
    assert measured(s.tiktok) == {} and measured(s.elsewhere) == {}
    op = _db.session.get(Operation, s.insta)
    assert op.metrics_source == "import" and op.metrics_updated_at is not None
    assert op.version == 2  # the optimistic lock moves on: an open edit form is now stale


def test_id_header_alone(s, tmp_path, measured):
    report = run(s, tmp_path, f"ID;Likes\n{s.insta};3\n")
    assert report["created"] == 1 and measured(s.insta) == {"likes": 3}


def test_by_handle_platform_and_date(s, tmp_path, measured):
    report = run(s, tmp_path, "handle,platform,date,likes\n"
                              "@lea.mode,Instagram,14/03/2025,10\n"
                              "lea.tt,tiktok,2025-03-14,20\n")
    assert report["created"] == 2 and report["rejected"] == 0
    assert measured(s.insta) == {"likes": 10} and measured(s.tiktok) == {"likes": 20}


def test_by_profile_address_and_published_date(s, tmp_path, measured):
    report = run(s, tmp_path, "profil;date de publication;vues\n"
                              "https://www.instagram.com/lea.mode/;21/03/2025;900\n"
                              "https://www.tiktok.com/@hugo.run;;5\n")
    assert report["created"] == 1
    assert measured(s.story) == {"views": 900}
    assert reasons(report) == [(3, "date de publication", "",
                                "the date of the operation is missing (planned or published)")]


def test_a_bare_handle_names_its_own_platform(s, tmp_path, measured):
    # Léa has an Instagram and a TikTok operation on 14/03: her Instagram handle picks one.
    report = run(s, tmp_path, "compte;date;j'aime\nlea.mode;14/03/2025;4\n")
    assert report["created"] == 1 and measured(s.insta) == {"likes": 4}


def test_generic_date_matches_planned_or_published(s, tmp_path, measured):
    report = run(s, tmp_path, "handle,platform,date,saves\nlea.mode,instagram,20/03/2025,1\n"
                              "lea.mode,instagram,21/03/2025,2\n")
    # Both rows name the story (planned 20/03, published 21/03): the second is a duplicate.
    assert report["created"] == 1 and measured(s.story) == {"saves": 1}
    assert reasons(report) == [(3, "handle", "lea.mode",
                                f"operation {s.story} is already on line 2")]


def test_ambiguous_operations_are_rejected(s, tmp_path, measured):
    # a second Instagram post of Léa's on the same day
    make_operation(_db.session.get(Operation, s.insta).participant, platform="instagram",
                   planned_on=date(2025, 3, 14))
    report = run(s, tmp_path, "handle,platform,date,likes\nlea.mode,instagram,14/03/2025,10\n")
    assert report["created"] == 0 and measured(s.insta) == {}
    assert reasons(report) == [(2, "handle", "lea.mode",
                                "2 operations of lea.mode on 2025-03-14: add the operation_id "
                                "to tell them apart")]


@pytest.mark.parametrize(("row", "column", "value", "reason"), [
    ("{elsewhere},,,,5", "operation_id", "{elsewhere}", "there is no operation {elsewhere} in "
                                                        "this campaign"),
    ("999999,,,,5", "operation_id", "999999", "there is no operation 999999 in this campaign"),
    ("abc,,,,5", "operation_id", "abc", "not an operation number"),
    ("=1+1,,,,5", "operation_id", "=1+1", "not an operation number"),
    (",inconnu,instagram,14/03/2025,5", "handle", "inconnu",
     "nobody in this campaign has the account inconnu"),
    (",hugo.run,instagram,15/03/2025,5", "handle", "hugo.run",
     "nobody in this campaign has the account hugo.run"),
    (",hugo.run,tiktok,16/03/2025,5", "handle", "hugo.run",
     "no operation of hugo.run on 2025-03-16 in this campaign"),
    (",hugo.run,myspace,15/03/2025,5", "platform", "myspace", "Unknown platform “myspace”."),
    (",hugo.run,tiktok,31/02/2025,5", "date", "31/02/2025", "no such day"),
    (",,,,5", "handle", "", "an operation_id, or a handle (or profile address) and a date, "
                            "are needed"),
    (",https://www.instagram.com/p/XYZ/,,14/03/2025,5", "handle",
     "https://www.instagram.com/p/XYZ/", "This address is a post or a page, not a profile."),
])
def test_unknown_operations_are_rejected_never_invented(s, tmp_path, row, column, value, reason,
                                                        measured, snapshot):
    fill = {"elsewhere": s.elsewhere}
    before = snapshot()
    report = run(s, tmp_path, "operation_id,handle,platform,date,likes\n"
                              + row.format(**fill) + "\n")
    assert reasons(report) == [(2, column, value.format(**fill), reason.format(**fill))]
    assert report["rejected"] == 1 and report["created"] == 0
    assert snapshot() == before
    assert measured(s.elsewhere) == {}


# --- headers and numbers --------------------------------------------------------------------

def test_french_headers_and_numbers_cp1252_semicolons(s, tmp_path, stored_metrics):
    text = ("Identifiant de l'opération;Participant;Impressions;Portée;Vues;J'aime;"
            "Commentaires;Partages;Enregistrements;Clics;Ventes;Chiffre d'affaires;Coût (€)\r\n"
            f"{s.insta};Léa;1,2 M;12 400;9,5 k;1\u00a0830;41;12;7;95;3;3 000,50 €;1 200,50\r\n")
    report = run(s, tmp_path, text, file_encoding="cp1252")
    assert report["created"] == 1, report
    assert stored_metrics(s.insta) == {
        "impressions": 1_200_000, "reach": 12_400, "views": 9_500, "likes": 1_830,
        "comments": 41, "shares": 12, "saves": 7, "clicks": 95, "conversions": 3,
        "revenue": 300_050, "cost": 120_050}


def test_english_headers_with_units(s, tmp_path, measured):
    text = (f"Operation ID,Total reach,Link clicks,Revenue (EUR),Cost EUR\n"
            f"{s.hugo},\"1,234\",12,\"1,200.50\",€80\n")
    report = run(s, tmp_path, text)
    assert report["created"] == 1, report
    assert measured(s.hugo) == {"reach": 1_234, "clicks": 12, "revenue": 120_050, "cost": 8_000}


def test_utf8_bom_and_tabs(s, tmp_path, measured):
    text = codecs.BOM_UTF8 + f"operation_id\treach\n{s.insta}\t77\n".encode()
    report = run(s, tmp_path, text)
    assert report["created"] == 1 and measured(s.insta) == {"reach": 77}


# --- values: empty, zero, rejected ----------------------------------------------------------

def test_empty_leaves_as_is_and_zero_is_zero(s, tmp_path, measured):
    _db.session.execute(update(Operation).where(Operation.id == s.insta)
                        .values(reach=100, likes=5, cost_cents=900))
    _db.session.commit()
    report = run(s, tmp_path, f"operation_id;reach;likes;comments;cost\n{s.insta};;0;-;\n")
    assert report["updated"] == 1 and report["created"] == 0
    assert measured(s.insta) == {"reach": 100, "likes": 0, "cost": 900}


def test_same_values_are_unchanged_and_not_written(s, tmp_path, audit_count, snapshot):
    text = f"operation_id;reach;likes\n{s.insta};100;5\n{s.hugo};;\n"
    run(s, tmp_path, text)
    before, events = snapshot(), audit_count()
    report = run(s, tmp_path, text)
    assert report == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 0,
                      "rejected_rows": []}
    assert snapshot() == before and audit_count() == events


@pytest.mark.parametrize(("column", "value", "reason"), [
    ("likes", "-5", "negative"),
    ("likes", "\u221212", "negative"),
    ("reach", "3000000000", "too large"),
    ("reach", "1e9", "not a number"),
    ("views", "12,5", "not a whole number"),
    ("views", "=SUM(A1:A9)", "not a number"),
    ("cost", "-10", "negative"),
    ("cost", "(10)", "negative"),
    ("cost", "120 $", "not in the campaign's currency (EUR)"),
    ("cost", "80 GBP", "not in the campaign's currency (EUR)"),
    ("revenue", "2 000 000 000 €", "too large"),
    ("revenue", "douze", "not an amount"),
])
def test_bad_values_reject_the_row(s, tmp_path, column, value, reason, snapshot):
    before = snapshot()
    report = run(s, tmp_path, f'operation_id;{column}\n{s.insta};"{value}"\n')
    assert reasons(report) == [(2, column, value, reason)]
    assert snapshot() == before


def test_a_rejected_row_leaves_the_others_imported(s, tmp_path, measured):
    report = run(s, tmp_path, f"operation_id;likes;comments\n{s.insta};5;-1\n{s.hugo};6;2\n")
    assert (report["created"], report["rejected"]) == (1, 1)
    assert measured(s.insta) == {} and measured(s.hugo) == {"likes": 6, "comments": 2}


def test_money_in_the_campaigns_currency(db, tmp_path, build_setting, measured):
    s = build_setting(currency="USD")
    report = run(s, tmp_path, f"operation_id;revenue;cost\n{s.insta};$1,500.25;12 €\n"
                              f"{s.hugo};1500;10 USD\n")
    assert reasons(report) == [(2, "cost", "12 €", "not in the campaign's currency (USD)")]
    assert measured(s.hugo) == {"revenue": 150_000, "cost": 1_000}


# --- one transaction ------------------------------------------------------------------------

def test_dry_run_writes_nothing(s, tmp_path, audit_count, snapshot):
    before, events = snapshot(), audit_count()
    report = run(s, tmp_path, f"operation_id;likes\n{s.insta};5\n{s.hugo};x\n", dry_run=True)
    assert (report["created"], report["rejected"]) == (1, 1)
    assert snapshot() == before and audit_count() == events


def test_a_read_error_late_in_the_file_writes_nothing(s, tmp_path, audit_count, snapshot):
    before, events = snapshot(), audit_count()
    text = f'operation_id;likes\n{s.insta};5\n{s.hugo};6\n{s.tiktok};"never closed\n'
    with pytest.raises(ServiceError, match="never closed"):
        run(s, tmp_path, text)
    assert snapshot() == before and audit_count() == events


def test_a_failure_while_writing_leaves_nothing_written(s, tmp_path, monkeypatch, audit_count,
                                                        snapshot):
    """The first chunk is written, the second fails: the whole file is rolled back."""
    monkeypatch.setattr(service, "WRITE_BATCH", 1)
    real, calls = service.update_chunk, []

    def failing(statement, chunk):
        calls.append(chunk)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        real(statement, chunk)

    monkeypatch.setattr(service, "update_chunk", failing)
    before, events = snapshot(), audit_count()
    with pytest.raises(RuntimeError):
        run(s, tmp_path, f"operation_id;likes\n{s.insta};5\n{s.hugo};6\n")
    assert len(calls) == 2
    assert snapshot() == before and audit_count() == events


def test_an_operation_changed_meanwhile_stops_the_import(s, tmp_path, monkeypatch, snapshot):
    real = service.load_campaign

    def then_someone_saves(campaign_id):
        loaded = real(campaign_id)
        _db.session.execute(update(Operation).where(Operation.id == s.hugo)
                            .values(version=Operation.version + 1))
        return loaded

    monkeypatch.setattr(service, "load_campaign", then_someone_saves)
    before = snapshot()
    with pytest.raises(ServiceError, match="Someone changed operations"):
        run(s, tmp_path, f"operation_id;likes\n{s.insta};5\n{s.hugo};6\n")
    assert snapshot() == before


def test_one_audit_event_for_the_import(s, audit_count, metrics_file):
    events = audit_count()
    service.import_metrics(s.campaign_id, metrics_file(f"operation_id;likes\n{s.insta};5\n"
                                                          f"{s.hugo};6\n{s.tiktok};-1\n"),
                           filename="stats mars.csv")
    assert audit_count() == events + 1
    event = _db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.entity_type, event.entity_id, event.action) == (
        "campaign", s.campaign_id, "update")
    assert event.changes == {"created": [None, 2], "updated": [None, 0],
                             "unchanged": [None, 0], "rejected": [None, 1],
                             "file": [None, "stats mars.csv"]}


def test_the_kpis_use_the_imported_metrics(s, tmp_path):
    run(s, tmp_path, f"operation_id;reach;likes;comments;shares;saves;cost\n"
                     f"{s.insta};1000;40;5;3;2;100\n")
    kpis = campaign_kpis(s.campaign_id).by_operation[s.insta]
    assert kpis.engagements == 50 and kpis.engagement_rate_reach == pytest.approx(0.05)


def test_unknown_or_deleted_campaign(s, metrics_file):
    path = metrics_file(f"operation_id;likes\n{s.insta};5\n")
    with pytest.raises(ServiceError, match="does not exist"):
        service.import_metrics(987654, path)
    campaign = _db.session.get(Campaign, s.campaign_id)
    campaign.deleted_at = campaign.created_at
    _db.session.commit()
    with pytest.raises(ServiceError, match="does not exist"):
        service.import_metrics(s.campaign_id, path)


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty"),
    (b"\x00\x01\x02\x89PNG\r\n\x1a\n" * 50, "not a text file"),
    (b"operation_id;likes\n1;" + b"9" * 2_000_000 + b"\n", "cannot be read|too long"),
    (";".join(f"c{n}" for n in range(3000)).encode() + b"\n1;2\n", "more than 500 columns"),
    (b"name;notes\nLea;hello\n", "no metric column"),
])
def test_unreadable_files_are_refused_whole(s, tmp_path, content, message, snapshot):
    before = snapshot()
    with pytest.raises(ServiceError, match=message):
        run(s, tmp_path, content)
    assert snapshot() == before


def test_many_rejected_rows_are_counted_beyond_the_report(s, tmp_path, monkeypatch):
    monkeypatch.setattr(service, "MAX_REPORTED", 3)
    report = run(s, tmp_path, "operation_id;likes\n" + "x;1\n" * 10)
    assert report["rejected"] == 10 and len(report["rejected_rows"]) == 3


# --- the example file -----------------------------------------------------------------------

def test_the_example_file_lists_the_operations_and_imports_back(s, tmp_path, measured):
    out = io.StringIO()
    count = metrics_template.write_template(
        out, s.campaign_id, ["operation_id", "Participant", "Platform", "Handle", "Kind",
                             "Planned date", *METRICS], ";",
        show_date=lambda d: d.strftime("%d/%m/%Y"), show_code=lambda group, code: code)
    lines = out.getvalue().splitlines()
    assert count == 4 and len(lines) == 5
    assert lines[1] == f"{s.insta};Léa Martin;instagram;lea.mode;post;14/03/2025" + ";" * 11
    assert str(s.elsewhere) not in {line.split(";")[0] for line in lines}
    filled = [lines[0], lines[1][:-11] + ";100;80" + ";" * 9]
    report = run(s, tmp_path, "\n".join(filled) + "\n")
    assert report["created"] == 1 and measured(s.insta) == {"impressions": 100, "reach": 80}


def test_the_example_file_neutralises_formulas(s):
    participant = make_participant(campaign=_db.session.get(Campaign, s.campaign_id),
                                   influencer=make_influencer(display_name='=HYPERLINK("x")'))
    make_operation(participant)
    out = io.StringIO()
    metrics_template.write_template(out, s.campaign_id, ["=h"] * 17, ",", show_date=str,
                           show_code=lambda group, code: code)
    text = out.getvalue()
    assert "'=HYPERLINK" in text and "'=h" in text
    assert ",=" not in text and not text.startswith("=")


# --- hostile files --------------------------------------------------------------------------

_CELLS = ["operation_id", "id", "handle", "platform", "date", "likes", "portée", "coût", "1",
          "2", "3", "4", "5", "lea.mode", "@hugo.run", "instagram", "14/03/2025", "0", "-1",
          "12 400", "9,5 M", "=1+1", "@SUM(A1)", '"', ";", "\r\n", "é", "", "\x00", "nan",
          "1e9", "99999999999999999999"]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(content=st.one_of(
    st.binary(max_size=2000),
    st.lists(st.lists(st.sampled_from(_CELLS), max_size=8), max_size=12).map(
        lambda rows: "\n".join(";".join(r) for r in rows).encode("utf-8")),
    st.lists(st.lists(st.text(max_size=12), max_size=6), max_size=8).map(
        lambda rows: "\n".join(",".join(r) for r in rows).encode("utf-8", "surrogatepass")),
))
@pytest.mark.slow
def test_hostile_files_never_crash_and_write_only_what_they_report(snapshot, s, tmp_path, content):
    before = {row[0]: row for row in snapshot()}
    try:
        report = run(s, tmp_path, content)
    except ServiceError:
        report = None
    after = {row[0]: row for row in snapshot()}
    changed = [op_id for op_id in before if before[op_id] != after[op_id]]
    if report is None:
        assert changed == []
    else:
        assert set(report) == {"created", "updated", "unchanged", "rejected", "rejected_rows"}
        assert len(changed) == report["created"] + report["updated"]
        assert s.elsewhere not in changed
