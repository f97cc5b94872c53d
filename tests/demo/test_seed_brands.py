"""The demo's brands carry legal identities the brand form accepts: saving one unchanged
from its edit page succeeds (a registration number the form refuses would block every edit)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.brands.service import FIELDS, registration_problem
from app.demo import seed as demo
from app.models import Brand

pytestmark = pytest.mark.slow  # seeds a database


def test_every_seeded_brand_passes_the_brand_form(member_client, db):
    demo.seed(5)
    brands = list(db.session.scalars(select(Brand).order_by(Brand.id)))
    assert len(brands) == len(demo.BRANDS)
    for brand in brands:
        assert registration_problem(brand.registration_number, brand.tax_country) is None
        data = {name: getattr(brand, name) or "" for name in FIELDS}
        response = member_client.post(f"/brands/{brand.id}/edit",
                                      data={**data, "version": str(brand.version)})
        assert response.status_code == 302, (brand.name, brand.registration_number)
