"""A contract's page and document: checklist, warnings, French, preview, downloads, rendering."""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.contracts import workflow
from app.extensions import db
from tests.factories import (
    make_brand,
    make_contract,
    make_influencer,
    make_user,
)


def test_a_script_in_the_title_is_shown_as_text(member_client, html):
    contract = make_contract(title='<script>alert(1)</script><img src="file:///etc/passwd">')
    page = html(member_client.get(f"/contracts/{contract.id}"))
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


# --- the contract page --------------------------------------------------------------------------

def test_checklist_links_each_missing_item_to_its_page(member_client, html, page_text):
    brand = make_brand(name="Incomplète")
    person = make_influencer(display_name="Sans pays", legal_name="Léo", email="leo@ex.fr",
                             address="1 rue")
    contract = make_contract(brand=brand, influencer=person, operations=[],
                             fixed_fee_cents=None)
    page = html(member_client.get(f"/contracts/{contract.id}"))
    words = page_text(member_client.get(f"/contracts/{contract.id}"))
    for item in ("The brand's registration number", "The influencer's tax-residence country",
                 "The operations (platform, format, number, dates)", "The fixed fee"):
        assert item in words, item
    assert f'href="/brands/{brand.id}/edit"' in page
    assert f'href="/influencers/{person.id}/edit"' in page
    assert f'href="/contracts/{contract.id}/edit"' in page


def test_complete_contract_has_nothing_missing(viewer_client, page_text):
    contract = make_contract()
    page = page_text(viewer_client.get(f"/contracts/{contract.id}"))
    assert "Nothing is missing" in page and "Submit for approval" not in page  # viewer


def test_warnings_for_minors_outside_eea_and_sectors(viewer_client, page_text):
    today = date.today()
    child = make_influencer(display_name="Lina", date_of_birth=date(today.year - 14, 1, 1),
                            tax_country="CA", country="CA")
    teen = make_influencer(display_name="Tom", date_of_birth=date(today.year - 18, 12, 31)
                           if (today.month, today.day) != (12, 31) else date(today.year - 17, 1, 1))
    banned = make_brand(name="Vape", sector="tobacco_nicotine")
    restricted = make_brand(name="Vins", sector="alcohol")
    young = page_text(viewer_client.get(f"/contracts/{make_contract(influencer=child).id}"))
    assert "under 16" in young and "Caisse des dépôts" in young
    assert "prior authorisation (influencer under 16)" in young
    assert "outside the EU, the EEA and Switzerland" in young
    assert "legal representative in the EU" in young and "civil-liability insurance" in young
    older = page_text(viewer_client.get(f"/contracts/{make_contract(influencer=teen).id}"))
    assert "the legal representatives sign the contract" in older
    assert "under 16" not in older
    blocked = page_text(viewer_client.get(f"/contracts/{make_contract(brand=banned).id}"))
    assert "Banned sector" in blocked and "cannot be approved" in blocked
    warned = page_text(viewer_client.get(f"/contracts/{make_contract(brand=restricted).id}"))
    assert "Restricted sector: Alcohol" in warned and "loi Évin" in warned


def test_threshold_on_the_contract(viewer_client, page_text):
    big = page_text(viewer_client.get(f"/contracts/{make_contract(fixed_fee_cents=120_000).id}"))
    assert "€1,200.00" in big and "It reaches 1 000 € excluding VAT" in big
    small = page_text(viewer_client.get(f"/contracts/{make_contract(fixed_fee_cents=20_000).id}"))
    assert "Below 1 000 € excluding VAT" in small
    dollars = page_text(viewer_client.get(
        f"/contracts/{make_contract(currency='USD', fixed_fee_cents=500_000).id}"))
    assert "is not converted" in dollars and "It reaches" not in dollars


def test_french_pages(db, client_as, html):

    user = make_user("member", locale="fr")
    client = client_as(user)
    contract = make_contract()
    page = html(client.get(f"/contracts/{contract.id}"))
    assert '<html lang="fr">' in page and "4\u202f500,00\xa0€" in page
    assert client.get("/contracts/").status_code == 200
    assert client.get(f"/contracts/{contract.id}/edit").status_code == 200


# --- preview, assets, downloads ---------------------------------------------------------------

def test_preview_is_the_document_with_its_stylesheet(viewer_client, html):
    contract = make_contract()
    response = viewer_client.get(f"/contracts/{contract.id}/preview/")
    page = html(response)
    assert response.status_code == 200 and contract.number in page
    assert "Zoé Lefèvre-Brûlé" in page and "style=" not in page  # CSP: no inline style
    link = re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)
    assert link == "contract.css"  # relative: served beside the preview, never elsewhere
    css = viewer_client.get(f"/contracts/{contract.id}/preview/{link}")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_preview_serves_only_assets(viewer_client):
    contract = make_contract()
    base = f"/contracts/{contract.id}/preview/"
    for path in ("templates.json", "ambassador_fr.html", "base.html", "../app/__init__.py",
                 "..%2F..%2Fetc%2Fpasswd.css", "%2Fetc%2Fpasswd.css", "missing.css",
                 "clauses/../../pyproject.css"):
        # Werkzeug first merges a doubled slash (308), then the cleaned path is not found.
        assert viewer_client.get(base + path, follow_redirects=True).status_code == 404, path
    assert viewer_client.get("/contracts/999999/preview/contract.css").status_code == 404


@pytest.mark.slow
def test_downloads_have_a_proper_name(member_client, manager_client, html):
    contract = make_contract(number="RLS-2026-00042")
    draft = workflow.render_draft(contract, make_user("member"))
    signed = workflow.store_document(contract, b"%PDF-1.7 signed", kind="signed",
                                     template_name="evidence", template_version="1",
                                     pages=1, user=None)
    db.session.commit()
    response = member_client.get(f"/contracts/{contract.id}/documents/{draft.id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="RLS-2026-00042-v1-draft.pdf"'
    assert response.data[:5] == b"%PDF-"
    response = member_client.get(f"/contracts/{contract.id}/documents/{signed.id}")
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="RLS-2026-00042-v2-signed.pdf"'
    page = html(member_client.get(f"/contracts/{contract.id}"))
    assert f'title="{draft.sha256}"' in page and draft.sha256[:12] in page
    other = make_contract()
    assert member_client.get(f"/contracts/{other.id}/documents/{draft.id}").status_code == 404


@pytest.mark.slow
def test_render_a_draft_only_before_approval(member_client, fresh, html):
    contract = make_contract()
    response = member_client.post(f"/contracts/{contract.id}/render", follow_redirects=True)
    assert "Draft PDF rendered: version 1." in html(response)
    assert [d.kind for d in fresh(contract).documents] == ["draft"]
    contract.status = "approved"
    db.session.commit()
    response = member_client.post(f"/contracts/{contract.id}/render", follow_redirects=True)
    assert "never rendered again" in html(response) and len(fresh(contract).documents) == 1
