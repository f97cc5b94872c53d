"""The influencer list: search, filters, sort, pagination (all in the URL), bulk actions."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.auth import users
from app.core import data_version
from app.core.downloads import attachment, in_own_context
from app.core.errors import ServiceError
from app.i18n import current
from app.i18n.labels import label
from app.influencers import bulk as influencer_bulk
from app.influencers import latest_run, list_cache, list_rows, saved_views
from app.influencers import query as listing
from app.influencers.blueprint import bp
from app.influencers.list_filters import NOT_FILTERS, filter_form
from app.influencers.list_forms import BulkForm, FilterForm
from app.influencers.platform_figures import page_figures
from app.models.influencer import KINDS, PLATFORMS, STATUSES
from app.security import role_required, safe_next_url


def _page_size(form: FilterForm) -> int:
    # 25 rows by default: a screenful, and half the rendering of 50 (list budget: 50 ms).
    if form.per_page.raw_data and not form.per_page.errors:
        return int(form.per_page.data)
    return listing.PER_PAGE[0]


def _labels() -> dict[str, dict[str, str]]:
    return {group: {code: label(group, code) for code in codes}
            for group, codes in (("kind", KINDS), ("status", STATUSES), ("platform", PLATFORMS))}


@bp.get("/")
@role_required("viewer")
def index():
    token = data_version.token()  # first: everything read after it is at least as new
    team, run, tags, (mine, shared) = list_cache.kept(
        token, ("context", current_user.id, current.code()), lambda: (
            users.team(with_active=True), latest_run.latest_run_key(), listing.tag_names(),
            saved_views.sidebar(current_user.id)))
    owners = [(uid, name) for uid, name, _active in team]
    form, run_id = filter_form(request.args, owners, run)
    filters = form.clean()
    sort = filters.get("sort", "name")
    query_args = {k: v for k, v in request.args.items() if k in filters and k != "page"}
    filtered = bool(set(filters) - NOT_FILTERS)
    labels = _labels()
    member = current_user.has_role("member")

    def results() -> tuple:
        # Unfiltered, the exact total is one index-only count; filtered, it is capped.
        page, capped = listing.list_page(
            filters, current_user.id, sort, request.args.get("page"), _page_size(form),
            query_args, exact=not filtered, run_id=run_id)
        rows = list_rows.rows(
            page.items, page_figures(page.items, filters.get("platform")),
            latest_run.page_scores(run_id, [person.id for person in page.items]), labels,
            dict(owners), bulk=member)
        return page, capped, rows, page.total > 0 or (filtered and listing.any_influencer())

    page, capped, rows, any_influencer = list_cache.kept(token, (
        current_user.id, member, current.code(), run_id,
        tuple(sorted(request.args.items(multi=True)))), results)
    current_query = saved_views.encode(query_args.items())
    return render_template(
        "influencers/index.html", form=form, page=page, rows=rows, capped=capped, sort=sort,
        filtered=filtered, scored=run_id is not None, platform=filters.get("platform"),
        tags=tags, labels=labels, bulk_max=influencer_bulk.BULK_MAX,
        current_query=current_query, my_views=mine, shared_views=shared,
        current_view=saved_views.current(mine + shared, current_query),
        header_args={k: v for k, v in query_args.items() if k != "sort"},
        any_influencer=any_influencer,
        bulk=BulkForm(formdata=None, owners=[(uid, name) for uid, name, active in team if active])
        if member else None,
    )


@bp.post("/bulk")
@role_required("member")
def bulk():
    form = BulkForm(owners=users.active_team())
    back = safe_next_url(request.form.get("next")) or url_for("influencers.index")
    if not back.startswith(url_for("influencers.index")):
        back = url_for("influencers.index")
    if not form.validate():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(back)
    try:
        ids = influencer_bulk.chosen_ids(request.form, current_user.id)
        count = influencer_bulk.bulk_update(ids, form.action.data, form[form.action.data].data)
    except ServiceError as error:
        flash(str(error), "error")
    else:
        if count:
            flash(ngettext("%(num)d influencer updated.", "%(num)d influencers updated.",
                           count), "success")
        else:
            flash(_("Nothing to change: the selected influencers already had this value."))
    return redirect(back)


@bp.get("/export.csv")
@role_required("member")  # reading is open to viewers; taking personal data away is not
def export_csv():
    """The list's rows for the same query string (filters and sort; not the page), streamed
    as CSV. `?delimiter=;` for French Excel."""
    from app.influencers import (
        export as exports,  # imported here: the import library it leans on is new
    )

    delimiter = request.args.get("delimiter", ",")
    if delimiter not in exports.DELIMITERS:
        flash(_("Unknown CSV separator: choose a comma or a semicolon."), "error")
        return redirect(url_for("influencers.index"))
    # as on the list: invalid values ignored
    form, _run_id = filter_form(request.args, users.team())
    filters = form.clean()
    body = exports.stream(filters, current_user.id, filters.get("sort", "name"), delimiter)
    return attachment(in_own_context(current_app._get_current_object(), body), "text/csv",
                      exports.filename())


@bp.get("/export.xlsx")
@role_required("member")
def export_xlsx():
    """“Export for Excel (French)”: the same rows as export.csv in an .xlsx workbook, one
    row per person (`?per=account`: per account), French headers and labels."""
    from app.influencers import export_excel  # imported here: XlsxWriter is only for this

    # as on the list: invalid values ignored
    form, _run_id = filter_form(request.args, users.team())
    filters = form.clean()
    per_account = request.args.get("per") == "account"
    path, _rows = export_excel.build(filters, current_user.id, filters.get("sort", "name"),
                                     per_account)
    return attachment(export_excel.file_chunks(path), export_excel.MIMETYPE,
                      export_excel.filename(per_account))
