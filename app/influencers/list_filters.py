"""The list's filters read from a query string: the list page's own (invalid values shown
and ignored) and a bulk action's "every matching influencer" (invalid values refused)."""

from __future__ import annotations

from types import EllipsisType
from typing import Any
from urllib.parse import parse_qsl

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from app.core.errors import ServiceError
from app.i18n import current
from app.influencers import latest_run
from app.influencers.list_forms import FilterForm, distinct_communities

# Query parameters that are not filters: changing them keeps the same result set.
NOT_FILTERS = {"sort", "per_page"}
QUERY_MAX = 4000  # a query string kept by a form (bulk "all matching", a saved view)


def filter_form(args, owners: list[tuple[int, str]],
                run: tuple[int, Any] | None | EllipsisType = ...) -> tuple[FilterForm, int | None]:
    """The filters of `args`, checked against the latest scoring run (whose id is
    returned, for the page to read that run's scores only). `run`: its key
    (latest_run.latest_run_key), when the caller has it already."""
    if run is ...:
        run = latest_run.latest_run_key()
    communities = community_choices(run, args.get("community")) if run is not None else None
    form = FilterForm(formdata=args, owners=owners, communities=communities)
    form.validate()  # errors are shown beside their field; those values are ignored
    return form, run[0] if run is not None else None


# A finished run's communities never change (the rescore writes them with the run, before
# it is done): their choices are read and named once per process and language, keyed by
# the run's id and finish time. A few runs kept: the latest, and the one before it while
# a page that started before a rescore ended is still being served.
KEPT_CHOICES: dict[tuple[int, Any, str], list[tuple[str, str]]] = {}
_CHOICES_KEPT = 8


def community_choices(run: tuple[int, Any], wanted: Any = None) -> list[tuple[str, str]]:
    """The community filter's choices in the run `run` (latest_run.latest_run_key), each
    told apart from the others (distinct_communities)."""
    key = (*run, current.code())
    found = KEPT_CHOICES.get(key)
    if found is None:
        found = distinct_communities(latest_run.communities(run[0]))
        if len(KEPT_CHOICES) >= _CHOICES_KEPT:
            KEPT_CHOICES.clear()
        KEPT_CHOICES[key] = found
    number = latest_run.as_int(wanted)
    if number is None or any(value == str(number) for value, _text in found):
        return found
    # A smaller community asked for by a row's link: read, named and told apart per page.
    return distinct_communities(latest_run.communities(run[0], wanted=number))


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
