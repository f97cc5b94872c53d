"""Which headers the metrics import recognises: labels, synonyms, overrides, needed columns."""

from __future__ import annotations

import pytest

from app.campaigns.operations import metrics_import as service
from app.campaigns.operations.metric_columns import COLUMNS, find_columns
from app.codes import METRICS
from app.core.errors import ServiceError
from app.imports.parsing.reading import ReadError


def test_reading_overrides(s, measured, metrics_file):
    path = metrics_file(f"operation_id;portée\n{s.insta};5\n", "cp1252")
    with pytest.raises(ServiceError, match="utf-8"):
        service.import_metrics(s.campaign_id, path, encoding="utf-8")
    report = service.import_metrics(s.campaign_id, path, encoding="cp1252", delimiter=";")
    assert measured(s.insta) == {"reach": 5} and report["created"] == 1


@pytest.mark.parametrize("header", [
    "Portée", "PORTEE", "Reach", "portée totale", "Comptes touchés", "Couverture"])
def test_reach_synonyms(header):
    assert find_columns(["operation_id", header]) == {"operation_id": 0, "reach": 1}


def test_every_metric_label_is_recognised(app):
    """The example file's headers are the metrics' labels, in English and in French: the
    import must read them back (this fails if a translation is not among the synonyms)."""
    from flask_babel import force_locale

    from app.i18n.labels import label

    for locale in ("en", "fr"):
        with app.test_request_context(), force_locale(locale):
            headers = ["operation_id", *[label("metric", m) for m in METRICS]]
            assert find_columns(headers) == {"operation_id": 0,
                                             **{m: i for i, m in enumerate(METRICS, 1)}}


def test_columns_the_file_needs():
    with pytest.raises(ReadError, match="no metric column"):
        find_columns(["operation_id", "name", "notes"])
    with pytest.raises(ReadError, match="operation_id column, or a handle"):
        find_columns(["handle", "likes"])  # a handle without a date names no operation
    assert find_columns(["handle", "date prévue", "likes"]) == {
        "handle": 0, "planned_on": 1, "likes": 2}
    assert set(COLUMNS) >= {"impressions", "reach", "views", "likes", "comments", "shares",
                            "saves", "clicks", "conversions", "revenue", "cost"}
