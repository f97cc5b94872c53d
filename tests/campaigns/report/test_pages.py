"""The campaign report over HTTP: the page, the KPIs per operation, the PDF (read back
with pdftotext) and the CSV; who may read them; hostile ids and query strings."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import UTC, datetime
from html import unescape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories

ENDPOINTS = ("report", "report/operations", "report.pdf", "report.csv")


def _text(response) -> str:
    """The page's text, tags removed and spaces collapsed."""
    html = re.sub(r"<script.*?</script>", " ", response.get_data(as_text=True), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _pdf_text(data: bytes, tmp_path) -> str:
    assert data.startswith(b"%PDF-")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    if shutil.which("pdftotext"):
        result = subprocess.run(["pdftotext", "-layout", str(path), "-"],  # noqa: S603, S607
                                capture_output=True, check=True)
        text = result.stdout.decode("utf-8")
    else:  # pypdf is a test dependency
        from pypdf import PdfReader

        text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return re.sub(r"\s+", " ", text)


# --- the page -------------------------------------------------------------------------

def test_viewer_reads_the_report(viewer_client, small):
    response = viewer_client.get(f"/campaigns/{small.campaign.id}/report")
    assert response.status_code == 200
    text = _text(response)
    assert "Printemps vélo" in text and "Cyclo Paris" in text
    assert "Engagement rate (by reach)" in text and "6.4%" in text
    assert "25,000" in text and "1,610" in text  # reach, engagements
    assert "Target ≥ 20,000 · ✓ Met" in text
    assert "Target ≤ €10.00 · ✗ Not met" in text  # CPM 11,67 €
    assert "Not measurable yet" in text  # conversions
    assert "4 of 5 operations measured." in text
    # Budget 1 000 €, committed 500 €, proposed 100 €, spent 0 €, KPI cost 500 €.
    assert ("Budget €1,000.00 Committed (agreed fees) €500.00 Proposed, not agreed yet "
            "€100.00 Spent (paid) €0.00 Cost used by the KPIs €500.00 Remaining €500.00") in text
    assert "No CPM is set for: TikTok" in text
    assert "/admin/rates" not in text  # a viewer cannot set them


def test_who_may_set_the_rates_gets_a_link_to_them(manager_client, member_client, small):
    url = f"/campaigns/{small.campaign.id}/report"
    assert 'href="/admin/rates"' in manager_client.get(url).get_data(as_text=True)
    member_page = member_client.get(url).get_data(as_text=True)
    assert "/admin/rates" not in member_page
    assert "A manager or an administrator can set them." in member_page


def test_chart_data_is_json_not_script(viewer_client, small):
    html = viewer_client.get(f"/campaigns/{small.campaign.id}/report").get_data(as_text=True)
    block = re.search(r'<script type="application/json" id="campaign-chart-data">(.*?)</script>',
                      html, re.S)
    data = json.loads(block.group(1))
    assert data["reach"]["values"] == [8000, 8000, 25000]
    assert data["platforms"] == {"labels": ["Instagram", "TikTok"], "values": [610, 1000]}
    assert data["top"] == {"measure": "engagements", "labels": ["Ana Lopez", "Cléo Durand"],
                           "values": [1500, 110]}
    # budget, committed, spent (nobody paid), the cost the KPIs use
    assert data["budget"]["values"] == [1000.0, 500.0, 0.0, 500.0]
    # No inline executable script nor style (CSP 'self').
    assert not re.search(r"<script(?![^>]*(src=|type=\"application/json\"))", html)
    assert " style=" not in html and "<style" not in html
    assert 'src="/static/js/campaign_charts.js"' in html
    assert 'src="/vendor/chart.umd.min.js"' in html


def test_chart_json_cannot_break_out_of_its_block(viewer_client, db, small_campaign):
    built = small_campaign(ana_name="</script><script>alert(1)</script>")
    html = viewer_client.get(f"/campaigns/{built.campaign.id}/report").get_data(as_text=True)
    assert "<script>alert(1)" not in html


def test_every_chart_has_a_text_alternative(viewer_client, small):
    html = viewer_client.get(f"/campaigns/{small.campaign.id}/report").get_data(as_text=True)
    for canvas in re.findall(r"<canvas[^>]*>", html):
        described = re.search(r'aria-describedby="([^"]+)"', canvas).group(1)
        assert f'id="{described}"' in html
    assert html.count("<canvas") == 4
    assert "25,000 people reached by Mar 3, 2026, over 3 publication days." in _text(
        viewer_client.get(f"/campaigns/{small.campaign.id}/report"))


def test_participant_table_sorts(viewer_client, small):
    url = f"/campaigns/{small.campaign.id}/report"
    html = viewer_client.get(url + "?sort=name").get_data(as_text=True)
    table = html[html.index('id="participants"'):]
    assert table.index("Ana Lopez") < table.index("Ben Martin") < table.index("Cléo Durand")
    html = viewer_client.get(url + "?sort=-name").get_data(as_text=True)
    table = html[html.index('id="participants"'):]
    assert table.index("Cléo Durand") < table.index("Ben Martin") < table.index("Ana Lopez")
    assert 'aria-sort="descending"' in table


@pytest.mark.slow
def test_participant_table_pages(viewer_client, db, grow):
    campaign = factories.make_campaign()
    grow(campaign, participants=30, operations_each=1)
    url = f"/campaigns/{campaign.id}/report"
    first = viewer_client.get(url).get_data(as_text=True)
    assert "Page 1 of 2" in first
    second = viewer_client.get(url + "?page=2").get_data(as_text=True)
    section = second[second.index('id="participants"'):]
    rows = section[:section.index("</section>")].split("<tfoot>")[0]
    assert rows.count('<th scope="row">') == 5


@pytest.mark.slow
def test_empty_campaign_has_an_empty_state(viewer_client, db):
    campaign = factories.make_campaign(name="Vide")
    response = viewer_client.get(f"/campaigns/{campaign.id}/report")
    assert response.status_code == 200
    text = _text(response)
    assert "Nothing to report yet" in text and "No participant yet." in text
    assert "Key figures" not in text and "<canvas" not in response.get_data(as_text=True)
    assert viewer_client.get(f"/campaigns/{campaign.id}/report.pdf").status_code == 200
    assert viewer_client.get(f"/campaigns/{campaign.id}/report.csv").status_code == 200


def test_money_in_the_campaign_currency(viewer_client, db):
    campaign = factories.make_campaign(currency="USD", budget_cents=12_345)
    text = _text(viewer_client.get(f"/campaigns/{campaign.id}/report"))
    assert "$123.45" in text and "€" not in text


def test_french_page(viewer_client, small, db):
    viewer_client.user.locale = "fr"
    db.session.commit()
    response = viewer_client.get(f"/campaigns/{small.campaign.id}/report")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.get_data(as_text=True)
    assert "25 000" in _text(response)  # a (narrow) no-break space, collapsed by _text


@pytest.mark.slow
def test_page_statement_count_is_constant(viewer_client, small, statements, grow):
    url = f"/campaigns/{small.campaign.id}/report"
    viewer_client.get(url)  # warm: the login's session and user rows
    with statements() as small_count:
        assert viewer_client.get(url).status_code == 200
    grow(small.campaign, participants=15, operations_each=4)
    with statements() as big_count:
        response = viewer_client.get(url)
    assert "of 65 operations measured" in _text(response)  # the page saw the growth
    assert len(big_count) == len(small_count)


def _one_cost_campaign():
    """2 000 € of fees on three measured operations (1 000 engagements, 20 000
    impressions), 450 € agreed with someone who has no operation yet, nothing paid."""
    campaign = factories.make_campaign(name="Musée", budget_cents=500_000)
    alice = factories.make_participant(campaign, stage="contracted", agreed_fee_cents=120_000)
    bruno = factories.make_participant(campaign, stage="live", agreed_fee_cents=80_000)
    factories.make_participant(campaign, stage="contracted", agreed_fee_cents=45_000)
    factories.make_participant(campaign, stage="negotiating", proposed_fee_cents=30_000)
    for who, platform, impressions, likes in ((alice, "instagram", 10_000, 500),
                                              (alice, "tiktok", 5_000, 300),
                                              (bruno, "instagram", 5_000, 200)):
        factories.make_operation(who, platform=platform, status="published",
                                 impressions=impressions, likes=likes)
    return campaign


def test_page_csv_and_json_share_one_cost(viewer_client, runner, db):
    """Spent was 2 450 € while CPE and CPM used 2 000 €, with nothing paid."""
    campaign = _one_cost_campaign()
    text = _text(viewer_client.get(f"/campaigns/{campaign.id}/report"))
    assert ("Committed (agreed fees) €2,450.00 Proposed, not agreed yet €300.00 Spent (paid) "
            "€0.00 Cost used by the KPIs €2,450.00 of which not on an operation yet "
            "€450.00") in text
    assert "€2.45" in text and "€122.50" in text  # CPE 2 450 € / 1 000, CPM / 20 000 × 1 000
    # Per platform: Instagram 600 + 800 €, TikTok 600 €, 450 € on no operation: 2 450 €.
    assert re.search(r"Instagram 2 .*€1,400\.00 TikTok 1 .*€600\.00 Not on an operation "
                     r"yet — .*€450\.00 Total 3 .*€2,450\.00", text)
    viewer_client.user.locale = "fr"
    db.session.commit()
    body = viewer_client.get(f"/campaigns/{campaign.id}/report.csv").data.decode("utf-8-sig")
    lines = body.splitlines()
    header = lines[0].split(";")
    total = dict(zip(header, lines[-5].split(";"), strict=True))
    cost = next(name for name in header if name.startswith("Coût") and "KPI" in name)
    assert total[cost] == "2450,00" and total["CPE"] == "2,45" and total["CPM"] == "122,50"
    assert lines[-6].split(";")[header.index(cost)] == "450,00"  # not on an operation yet
    assert [line.split(";")[1] for line in lines[-3:]] == ["2450,00", "0,00", "2450,00"]
    data = json.loads(runner.invoke(args=["campaigns", "report", str(campaign.id),
                                          "--json"]).output)
    assert data["kpis"]["cost"] == data["budget"]["cost"] == 2450.0
    assert data["kpis"]["cpe"] == 2.45 and data["kpis"]["cpm"] == 122.5
    assert (data["budget"]["spent"], data["budget"]["not_on_an_operation"]) == (0.0, 450.0)


# --- per operation --------------------------------------------------------------------

def test_operations_on_demand_as_a_fragment_and_a_page(viewer_client, small):
    url = f"/campaigns/{small.campaign.id}/report/operations"
    fragment = viewer_client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith("<section") and "<html" not in fragment
    assert fragment.count("<tr>") == 6  # header + 5 operations
    assert "Ana Lopez" in fragment and "Video" in fragment
    page = viewer_client.get(url).get_data(as_text=True)
    assert "<html" in page and 'aria-current="page"' in page


def test_operations_pages(viewer_client, small, grow):
    grow(small.campaign, participants=6, operations_each=5)
    url = f"/campaigns/{small.campaign.id}/report/operations"
    html = viewer_client.get(url + "?page=2", headers={"HX-Request": "1"}).get_data(as_text=True)
    assert "Page 2 of 2" in html and html.count("<tr>") == 1 + 10


# --- PDF ------------------------------------------------------------------------------

@pytest.mark.slow
def test_pdf_reads_back(viewer_client, small, tmp_path):
    response = viewer_client.get(f"/campaigns/{small.campaign.id}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="relais-report-printemps-velo-\d{4}-\d\d-\d\d\.pdf"',
                        disposition)
    assert response.headers["Cache-Control"] == "no-store"
    text = _pdf_text(response.data, tmp_path)
    for expected in ("Printemps vélo", "Cyclo Paris", "Key figures", "Reach",
                     "Cost per engagement (CPE)", "25,000", "1,610", "€16.67", "Not met",
                     "Per participant", "Ana Lopez", "Cléo Durand", "Budget", "€500.00",
                     "Spent (paid)", "Cost used by the KPIs", "TikTok"):
        assert expected in text, expected
    assert re.search(r"1 ?/ ?\d", text)  # page numbers


@pytest.mark.slow
def test_pdf_escapes_hostile_names_and_fetches_nothing(viewer_client, db, tmp_path, caplog,
                                                       small_campaign):
    hostile = '<img src="file:///etc/passwd"><link rel=stylesheet href="http://127.0.0.1:9/x.css">'
    built = small_campaign(name="Evil " + hostile, brand_name='@import "http://127.0.0.1:9/";',
                           ana_name="<style>@import url(http://127.0.0.1:9/a.css);</style>")
    started = datetime.now(UTC)
    response = viewer_client.get(f"/campaigns/{built.campaign.id}/report.pdf")
    assert response.status_code == 200
    assert (datetime.now(UTC) - started).total_seconds() < 20
    text = _pdf_text(response.data, tmp_path)
    assert '<img src="file:///etc/passwd">' in text  # shown as text, never loaded
    assert "root:x:0:0" not in text
    assert "relais-report-evil-img-src-file-etc-passwd" in response.headers["Content-Disposition"]


@pytest.mark.slow
def test_pdf_lists_the_first_fifty_participants(viewer_client, db, tmp_path, grow):
    campaign = factories.make_campaign()
    grow(campaign, participants=52, operations_each=1)
    text = _pdf_text(viewer_client.get(f"/campaigns/{campaign.id}/report.pdf").data, tmp_path)
    assert ("The 50 participants with the most engagements are listed here; the report page "
            "lists all 52.") in text


# --- CSV ------------------------------------------------------------------------------

def test_csv_download(viewer_client, small):
    response = viewer_client.get(f"/campaigns/{small.campaign.id}/report.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # once
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="relais-report-printemps-velo-')
    body = response.data.decode("utf-8")
    assert body.startswith("\ufeffOperation,Participant,")
    lines = body.strip().splitlines()
    # header, 5 operations, the total, a blank line, committed / spent / cost
    assert len(lines) == 1 + 5 + 1 + 1 + 3 and lines[6].startswith("Total,")
    assert lines[-3:] == ["Committed (agreed fees),500.00", "Spent (paid),0.00",
                          "Cost used by the KPIs,500.00"]


def test_csv_in_french_uses_semicolons(viewer_client, small, db):
    viewer_client.user.locale = "fr"
    db.session.commit()
    body = viewer_client.get(f"/campaigns/{small.campaign.id}/report.csv").data.decode()
    header = body.splitlines()[0]
    assert header.count(";") == 25 and "," not in header.replace("(", "").replace(")", "")
    assert ";500,00;" in body.splitlines()[6] and ";16,67;" in body.splitlines()[6]


# --- access and hostile input ---------------------------------------------------------

@pytest.mark.parametrize("path", ENDPOINTS)
def test_anonymous_goes_to_login(client, small, path):
    response = client.get(f"/campaigns/{small.campaign.id}/{path}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("campaign_id", ["0", "999999", "99999999999999999999999", "-1", "abc",
                                         "1.5", "1%20OR%201=1", "%E2%91%A0"])
def test_hostile_ids_are_404(viewer_client, db, path, campaign_id):
    assert viewer_client.get(f"/campaigns/{campaign_id}/{path}").status_code == 404


@pytest.mark.parametrize("path", ENDPOINTS)
def test_nul_byte_in_the_id_is_refused(viewer_client, db, path):
    assert viewer_client.get(f"/campaigns/%00/{path}").status_code == 400


@pytest.mark.parametrize("path", ENDPOINTS)
def test_campaign_in_the_trash_is_404(viewer_client, small, db, path):
    small.campaign.deleted_at = datetime.now(UTC)
    db.session.commit()
    assert viewer_client.get(f"/campaigns/{small.campaign.id}/{path}").status_code == 404


@pytest.mark.slow
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sort=st.text(max_size=40), page=st.text(max_size=20))
def test_hostile_query_strings_never_fail(viewer_client, small, sort, page):
    for path in ("report", "report/operations"):
        response = viewer_client.get(f"/campaigns/{small.campaign.id}/{path}",
                                     query_string={"sort": sort, "page": page})
        # A NUL byte is refused app-wide (app/security.py) before any view.
        assert response.status_code == (400 if "\x00" in sort + page else 200)
