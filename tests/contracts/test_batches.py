"""A campaign's contracts as one ZIP, built by the background job (immediate in tests) on a
process pool: stored documents go in byte for byte, the others are rendered."""

from __future__ import annotations

import io
import zipfile

import pytest

from app.contracts import workflow
from app.extensions import db
from app.models import ContractBatch
from tests.factories import make_brand, make_campaign, make_contract, make_influencer, make_user


def _campaign_with_contracts():
    brand = make_brand(name="Maison Lumière", legal_name="Maison Lumière SAS",
                       registration_number="812 345 678", address="12 rue de la Paix, Lyon",
                       email="contrats@lumiere.fr", tax_country="FR",
                       signatory_name="Hélène Câlin")
    campaign = make_campaign(brand=brand, name="Été « Soleil »")
    approved = make_contract(brand=brand, campaign_id=campaign.id, status="pending_approval")
    other = make_influencer(display_name="Noé Brûlé", legal_name="Noé Brûlé",
                            email="noe@exemple.fr", address="1 rue Haute, Dijon",
                            tax_country="FR", accounts=[{"platform": "tiktok", "handle": "noe.b"}])
    draft = make_contract(brand=brand, influencer=other, campaign_id=campaign.id)
    workflow.approve(approved, make_user("manager"))
    return campaign, approved, draft


@pytest.mark.slow
def test_the_zip_holds_every_contract_of_the_campaign(member_client):
    campaign, approved, draft = _campaign_with_contracts()
    response = member_client.post(f"/campaigns/{campaign.id}/contracts.zip")
    assert response.status_code == 302
    page = member_client.get(response.headers["Location"])
    assert page.status_code == 200
    batch = db.session.query(ContractBatch).one()
    assert (batch.status, batch.progress, batch.total) == ("done", 100, 2)
    assert b"Download the ZIP" in page.data
    download = member_client.get(
        f"/campaigns/{campaign.id}/contract-batches/{batch.id}/download")
    assert download.status_code == 200
    assert download.mimetype == "application/zip"
    data = download.data
    download.close()  # send_file streams the file: close it as a browser would
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert len(names) == 2 and all(n.endswith(".pdf") for n in names)
    by_number = {n.split("-zo")[0].split("-no")[0]: n for n in names}
    stored = workflow.current_document(approved).content
    assert archive.read(by_number[approved.number]) == stored  # byte for byte, not re-rendered
    assert archive.read(by_number[draft.number]).startswith(b"%PDF-")


@pytest.mark.slow
def test_the_progress_partial_and_other_campaigns(member_client):
    campaign, _approved, _draft = _campaign_with_contracts()
    member_client.post(f"/campaigns/{campaign.id}/contracts.zip")
    batch = db.session.query(ContractBatch).one()
    partial = member_client.get(f"/campaigns/{campaign.id}/contract-batches/{batch.id}/progress")
    assert partial.status_code == 200 and b"hx-trigger" not in partial.data  # finished: no poll
    elsewhere = make_campaign()
    assert member_client.get(
        f"/campaigns/{elsewhere.id}/contract-batches/{batch.id}").status_code == 404
    assert member_client.get(
        f"/campaigns/{campaign.id}/contract-batches/999999/download").status_code == 404


def test_a_campaign_without_contracts_says_so(member_client):
    campaign = make_campaign()
    response = member_client.post(f"/campaigns/{campaign.id}/contracts.zip",
                                  follow_redirects=True)
    assert response.status_code == 200
    assert b"no contract yet" in response.data
    assert db.session.query(ContractBatch).count() == 0


def test_viewers_cannot_build_or_download(viewer_client):
    campaign = make_campaign()
    assert viewer_client.post(f"/campaigns/{campaign.id}/contracts.zip").status_code == 403
    assert viewer_client.get(
        f"/campaigns/{campaign.id}/contract-batches/1/download").status_code == 403
