"""The list's filters read from a query string: the list page's own (invalid values shown
and ignored) and a bulk action's "every matching influencer" (invalid values refused)."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from app.core.errors import ServiceError
from app.influencers import latest_run
from app.influencers.list_forms import FilterForm

# Query parameters that are not filters: changing them keeps the same result set.
NOT_FILTERS = {"sort", "per_page"}
QUERY_MAX = 4000  # a query string kept by a form (bulk "all matching", a saved view)


def filter_form(args, owners: list[tuple[int, str]]) -> tuple[FilterForm, int | None]:
    """The filters of `args`, checked against the latest scoring run (whose id is
    returned, for the page to read that run's scores only)."""
    run_id = latest_run.latest_run_id()
    communities = (latest_run.communities(run_id, wanted=args.get("community"))
                   if run_id is not None else None)
    form = FilterForm(formdata=args, owners=owners, communities=communities)
    form.validate()  # errors are shown beside their field; those values are ignored
    return form, run_id


def parse_query(query: str) -> MultiDict:
    return MultiDict(parse_qsl((query or "")[:QUERY_MAX].replace("\x00", "")))


def matching_filters(query: str, owners: list[tuple[int, str]]) -> dict:
    """The filters a bulk action's "every matching influencer" applies. Refused when one is
    invalid or there is none: a filter silently dropped would act on the wrong people."""
    form, _run_id = filter_form(parse_query(query), owners)
    if form.errors:
        raise ServiceError(_("The list’s filters are not valid: correct them first."))
    filters = {k: v for k, v in form.clean().items() if k not in NOT_FILTERS}
    if not filters:
        raise ServiceError(_("Filter the list first: acting on every matching influencer "
                             "needs at least one filter."))
    return filters
