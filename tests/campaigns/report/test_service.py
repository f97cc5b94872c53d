"""The campaign report service: figures against hand-computed values (zero and missing
metrics included), a constant number of SQL statements, the CSV, the SVG charts and the
PDF's URL fetcher. The `flask campaigns report` command has test_cli.py."""

from __future__ import annotations

import json
from datetime import date

import pytest

from app.campaigns.report import output, service, summary
from app.campaigns.report import svg as report_svg
from app.core.errors import NotFound
from app.core.pdf import local_path
from tests import factories


def test_totals_match_the_hand_computed_figures(small):
    total = service.campaign_report(small.campaign.id).total
    for name, expected in small.expected.items():
        actual = getattr(total, name)
        if isinstance(expected, float):
            assert actual == pytest.approx(expected), name
        else:
            assert actual == expected, name
    assert total.missing_rates == {"tiktok"}


def test_headlines_check_targets_in_their_units(small):
    lines = {line.code: line for line in service.campaign_report(small.campaign.id).headlines}
    assert [code for code in lines] == ["reach", "impressions", "engagements",
                                        "engagement_rate_reach", "engagement_rate_followers",
                                        "cpe", "cpm", "emv", "roi", "conversions"]
    assert (lines["reach"].actual, lines["reach"].target, lines["reach"].met) == (
        25_000, 20_000, True)
    # CPE: 0,31 € against a 0,50 € ceiling (targets are typed in currency units).
    assert lines["cpe"].target == 50 and lines["cpe"].met is True
    assert lines["cpe"].lower_is_better
    # CPM: 16,67 € over a 10 € ceiling.
    assert lines["cpm"].actual == pytest.approx(1666.67, abs=0.01)
    assert lines["cpm"].met is False
    # ROI: 500 € of revenue for 500 € of cost is 0, under the target of 1.
    assert lines["roi"].met is False and lines["engagement_rate_reach"].met is True
    # No conversion entered: the target cannot be judged yet.
    assert lines["conversions"].actual is None and lines["conversions"].met is None
    assert lines["emv"].target is None and lines["emv"].met is None


def test_targets_that_are_not_numbers_are_ignored(db):
    campaign = factories.make_campaign(kpi_targets={"reach": "lots", "cpe": True, "bogus": 3,
                                                    "roi": None, "emv": [1], "cpm": {}})
    lines = service.campaign_report(campaign.id).headlines
    assert all(line.target is None for line in lines)


def test_non_finite_targets_are_ignored():
    from app.campaigns.report.kpis import Kpis

    lines = service.headlines(Kpis(reach=10), {"reach": float("nan"), "cpe": float("inf")})
    assert all(line.target is None and line.met is None for line in lines)


def test_budget_committed_proposed_spent_and_cost(small, db):
    budget = service.campaign_report(small.campaign.id).budget
    assert budget.budget_cents == 100_000
    assert budget.committed_cents == 50_000  # Ana 300 € + Ben 200 € agreed
    assert budget.proposed_cents == 10_000  # Cléo: proposed, not agreed
    assert budget.spent_cents == 0  # nobody is marked as paid
    assert budget.cost_cents == 50_000 and budget.unallocated_cents == 0
    assert budget.remaining_cents == 50_000 and not budget.over
    small.ben.stage = "paid"
    db.session.commit()
    assert service.campaign_report(small.campaign.id).budget.spent_cents == 20_000


def test_over_budget_when_committed_fees_exceed_it(db):
    campaign = factories.make_campaign(budget_cents=10_000)
    factories.make_participant(campaign, stage="contracted", agreed_fee_cents=15_000)
    factories.make_participant(campaign, stage="declined", agreed_fee_cents=99_000)
    budget = service.campaign_report(campaign.id).budget
    assert budget.committed_cents == 15_000 and budget.over
    assert budget.cost_cents == 15_000  # an agreed fee without operations still costs
    assert budget.unallocated_cents == 15_000 and budget.spent_cents == 0


def test_participants_rows_and_their_kpis(small):
    rows = {row.name: row for row in service.campaign_report(small.campaign.id).participants}
    ana, ben, cleo = rows["Ana Lopez"], rows["Ben Martin"], rows["Cléo Durand"]
    assert (ana.kpis.operations, ana.kpis.reach, ana.kpis.engagements) == (2, 23_000, 1_500)
    assert ana.kpis.cost_cents == 30_000 and ana.kpis.emv_cents == 10_000
    assert ana.kpis.engagement_rate_followers == pytest.approx(1500 / 60000)
    assert ana.kpis.cpe_cents == pytest.approx(30000 / 1500)
    # Ben: every metric at zero on one operation, none on the other.
    assert (ben.kpis.reach, ben.kpis.engagements, ben.kpis.cost_cents) == (0, 0, 20_000)
    assert ben.kpis.engagement_rate_reach is None  # 0 / 0
    assert ben.kpis.cpe_cents is None  # no engagement to divide by
    assert cleo.kpis.cost_cents is None and cleo.kpis.roi is None
    assert cleo.stage == "negotiating"


def test_participants_sort_with_unknown_values_last(small):
    def names(sort):
        return [r.name for r in service.campaign_report(small.campaign.id, sort).participants]

    assert names("-engagements") == ["Ana Lopez", "Cléo Durand", "Ben Martin"]
    assert names("engagements") == ["Ben Martin", "Cléo Durand", "Ana Lopez"]
    assert names("cpe") == ["Ana Lopez", "Ben Martin", "Cléo Durand"]  # Ben, Cléo: unknown
    assert names("-cpe") == ["Ana Lopez", "Ben Martin", "Cléo Durand"]
    assert names("name") == ["Ana Lopez", "Ben Martin", "Cléo Durand"]
    assert names("-name") == ["Cléo Durand", "Ben Martin", "Ana Lopez"]
    for hostile in ("'; DROP TABLE campaign; --", "--name", "", "-"):
        report = service.campaign_report(small.campaign.id, hostile)
        assert report.sort == service.DEFAULT_SORT
        assert report.participants[0].name == "Ana Lopez"


def test_top_participants_by_engagements_else_emv(small, db):
    measure, rows = service.campaign_report(small.campaign.id).top
    assert measure == "engagements"
    assert [r.name for r in rows] == ["Ana Lopez", "Cléo Durand"]  # Ben's 0 is no result
    campaign = factories.make_campaign()
    only_impressions = factories.make_participant(campaign, agreed_fee_cents=100)
    factories.make_operation(only_impressions, platform="instagram", impressions=5_000)
    measure, rows = service.campaign_report(campaign.id).top
    assert measure == "emv" and rows[0].kpis.emv_cents == 5_000


def test_reach_over_time_by_published_else_planned_date(small):
    report = service.campaign_report(small.campaign.id)
    assert report.reach_over_time == [
        (date(2026, 3, 1), 8_000, 8_000),  # op 1: published date, not its planned one
        (date(2026, 3, 2), 0, 8_000),  # op 3: a measured zero is a point
        (date(2026, 3, 3), 17_000, 25_000),  # op 2 planned + op 5 published
    ]
    assert report.undated == 0


def test_undated_operations_with_reach_are_counted_apart(db):
    participant = factories.make_participant()
    factories.make_operation(participant, reach=100)
    factories.make_operation(participant, reach=50, planned_on=date(2026, 1, 2))
    report = service.campaign_report(participant.campaign_id)
    assert report.reach_over_time == [(date(2026, 1, 2), 50, 50)]
    assert report.undated == 1


def test_empty_campaign(db):
    campaign = factories.make_campaign()
    report = service.campaign_report(campaign.id)
    assert report.total.operations == 0 and report.participants == []
    assert report.top == ("engagements", []) and report.reach_over_time == []
    assert all(line.actual is None for line in report.headlines if line.kind != "count")


@pytest.mark.parametrize("campaign_id", [0, -1, 2**31, 2**63, 10**30, 123456])
def test_unknown_campaign_is_not_found(db, campaign_id):
    with pytest.raises(NotFound):
        service.campaign_report(campaign_id)


def test_campaign_in_the_trash_is_not_found(small, db):
    from datetime import UTC, datetime

    small.campaign.deleted_at = datetime.now(UTC)
    db.session.commit()
    with pytest.raises(NotFound):
        service.campaign_report(small.campaign.id)


@pytest.mark.slow
def test_statement_count_does_not_grow_with_the_campaign(small, db, statements, grow):
    campaign_id = small.campaign.id
    with statements() as small_count:
        service.campaign_report(campaign_id)
    grow(small.campaign, participants=12, operations_each=4)
    campaign_id = small.campaign.id  # reloaded after the commits, outside the count
    with statements() as big_count:
        report = service.campaign_report(campaign_id)
    assert report.total.operations == 5 + 48  # the growth was read
    # The campaign, campaign_kpis' five, the participants, the reach by day.
    assert len(big_count) == len(small_count) == 8


def test_operations_page_is_constant_too(small, db, statements, grow):
    campaign_id = small.campaign.id
    with statements() as before:
        page = service.operations_page(campaign_id, 1, size=2)["page"]
    assert page.total == 5 and len(page.items) == 2
    grow(small.campaign, participants=5, operations_each=5)
    campaign_id = small.campaign.id
    with statements() as after:
        service.operations_page(campaign_id, 3, size=2)
    assert len(before) == len(after)


def test_json_for_the_cli(small):
    data = summary.as_json(service.campaign_report(small.campaign.id))
    assert data["campaign"]["name"] == "Printemps vélo" and data["campaign"]["participants"] == 3
    assert data["kpis"]["reach"] == 25_000 and data["kpis"]["cost"] == 500.0
    assert data["kpis"]["cpe"] == 0.31  # 500 € / 1 610 engagements
    budget = dict(data["budget"])
    assert budget.pop("cost_rule").startswith("cost = each participant's agreed fee")
    assert budget == {"budget": 1000.0, "committed": 500.0, "proposed": 100.0,
                      "spent": 0.0, "cost": 500.0, "not_on_an_operation": 0.0,
                      "remaining": 500.0, "over_budget": False}
    assert [(p["name"], p["cost"]) for p in data["participants"]] == [
        ("Ana Lopez", 300.0), ("Ben Martin", 200.0), ("Cléo Durand", None)]
    targets = {t["kpi"]: t for t in data["targets"]}
    assert targets["cpe"] == {"kpi": "cpe", "target": 0.5, "actual": 0.31, "met": True}
    assert targets["cpm"]["met"] is False and targets["conversions"]["met"] is None
    assert set(data["platforms"]) == {"instagram", "tiktok"}
    assert data["platforms"]["tiktok"]["emv"] is None
    json.dumps(data)  # JSON-ready as is


# --- CSV ------------------------------------------------------------------------------

def _csv(campaign, delimiter=","):
    import csv
    import io

    body = output.report_csv(campaign, delimiter)
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))


def test_csv_rows_per_operation_then_totals(small, app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        rows = _csv(small.campaign)
    header, *operations, totals, blank, committed, spent, cost = rows
    assert len(operations) == 5 and header[0] == "Operation" and header[-1] == "ROI (%)"
    first = dict(zip(header, operations[0], strict=True))
    # By date (published, else planned): op 1 first; its cost is what op 2's typed cost
    # leaves of Ana's fee (300 − 100 €).
    assert first["Participant"] == "Ana Lopez" and first["Platform"] == "Instagram"
    assert first["Published on"] == "2026-03-01" and first["Reach"] == "8000"
    assert first["Engagements"] == "500" and first["Cost (entered)"] == ""
    assert first["Cost used by the KPIs"] == "200.00" and first["EMV"] == "100.00"
    assert first["ROI (%)"] == "150.00"  # (500 − 200) / 200
    assert first["Engagement rate (by reach) (%)"] == "6.25"  # 500 / 8 000
    missing = dict(zip(header, operations[4], strict=True))  # op 4, 5 Mar: no metric
    assert missing["Reach"] == "" and missing["Engagements"] == ""
    total = dict(zip(header, totals, strict=True))
    assert total["Operation"] == "Total" and total["Reach"] == "25000"
    assert total["Likes"] == "1400" and total["Cost (entered)"] == "100.00"
    assert total["Cost used by the KPIs"] == "500.00" and total["CPM"] == "16.67"
    assert total["CPE"] == "0.31" and total["ROI (%)"] == "0.00"
    assert blank == []
    assert committed == ["Committed (agreed fees)", "500.00"]
    assert spent == ["Spent (paid)", "0.00"] and cost == ["Cost used by the KPIs", "500.00"]


def test_csv_french_uses_semicolons_and_decimal_commas(small, app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        rows = _csv(small.campaign, ";")
    total = rows[-5]
    assert total[0] == "Total" and "500,00" in total and "16,67" in total
    assert "6,44" in total  # the engagement rate by reach, 1 610 / 25 000, as a percentage


def test_csv_neutralises_formulas(db, app, small_campaign):
    built = small_campaign(ana_name='=HYPERLINK("http://evil.example","x")')
    with app.test_request_context(headers={"Accept-Language": "en"}):
        rows = _csv(built.campaign)
    names = [row[1] for row in rows[1:-5]]
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in names
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


# --- SVG, file names, URL fetcher -----------------------------------------------------

def test_svg_bars_escape_labels_and_scale():
    svg = report_svg.bars(["<script>x</script>", "B"], [100, 50], str, 'a "title"')
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'width="270.0"' in svg and 'width="135.0"' in svg  # 100 % and 50 % of the room
    assert 'aria-label="a &#34;title&#34;"' in svg


def test_svg_bars_with_unknown_and_zero_values():
    svg = report_svg.bars(["a", "b"], [None, 0], lambda v: "—" if v is None else str(v), "t")
    assert svg.count('width="0.0"') == 2 and "—" in svg


def test_svg_line_with_one_and_several_points():
    one = report_svg.line(["1 Mar"], [5], str, "reach")
    assert "<polyline" not in one and "<circle" in one
    several = report_svg.line(["1 Mar", "2 Mar", "3 Mar"], [1, 2, 3], str, "reach")
    assert several.count("<circle") == 3 and "<polyline" in several and "3 Mar" in several


@pytest.mark.parametrize(("name", "expected"), [
    ("Printemps vélo 2026", "relais-report-printemps-velo-2026-2026-03-01.pdf"),
    ('../../etc/"passwd"\r\nX-Evil: 1', "relais-report-etc-passwd-x-evil-1-2026-03-01.pdf"),
    ("日本語", "relais-report-campaign-2026-03-01.pdf"),
    ("", "relais-report-campaign-2026-03-01.pdf"),
])
def test_filename_is_safe(name, expected):
    assert output.filename(name, "pdf", date(2026, 3, 1)) == expected


def test_fetcher_serves_only_static_files():
    static = output.STATIC
    stylesheet = static / "css" / "report_pdf.css"
    assert local_path(stylesheet.as_uri(), output.STATIC) == stylesheet.resolve()
    for url in ("file:///etc/passwd", (static / ".." / ".." / "pyproject.toml").as_uri(),
                "http://127.0.0.1:5000/health", "https://example.org/x.css",
                "data:text/css,body{}", "ftp://example.org/x", "file://evil.example/etc/x",
                (static / "css" / "nope.css").as_uri()):
        assert local_path(url, output.STATIC) is None, url
        with pytest.raises(ValueError, match="refused"):
            output.static_fetcher().fetch(url)


def test_pdf_renderer_reads_nothing_but_static_files(monkeypatch):
    asked, served = [], []
    make = output.static_fetcher

    def recording():
        fetcher = make()
        fetch = fetcher.fetch

        def spy(url, headers=None):
            asked.append(url)
            response = fetch(url, headers)
            served.append(url)
            return response

        fetcher.fetch = spy
        return fetcher

    monkeypatch.setattr(output, "static_fetcher", recording)
    pdf = output.render_pdf(
        '<html><head><link rel="stylesheet" href="css/report_pdf.css">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
        '<style>@import url("file:///etc/passwd"); p { background: url(../../../x.png) }'
        '</style></head><body><img src="file:///etc/passwd"><img src="https://example.org/a.png">'
        "<p>Bonjour</p></body></html>")
    assert pdf.startswith(b"%PDF-")
    assert {"http://127.0.0.1:9/x.css", "file:///etc/passwd",
            "https://example.org/a.png"} <= set(asked)
    assert [url.rsplit("/", 2)[-2:] for url in served] == [["css", "report_pdf.css"]]

