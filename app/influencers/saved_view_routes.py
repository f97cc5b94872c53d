"""The influencer list's saved views: save the current filters and sort under a name
(personal, or shared with the team), rename, delete. Opening one is a link to the list
with its query string (the list's sidebar)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import NotAllowed, NotFound, ServiceError
from app.influencers import saved_views
from app.influencers.blueprint import bp
from app.influencers.list_forms import FilterForm
from app.influencers.saved_view_forms import RenameViewForm, SaveViewForm
from app.security import role_required, safe_next_url


def _list_params() -> set[str]:
    return {field.name for field in FilterForm(formdata=None)}


def list_url(query: str) -> str:
    return url_for("influencers.index") + (f"?{query}" if query else "")


def _first_error(form) -> str:
    return str(next(iter(form.errors.values()))[0])


@bp.post("/views")
@role_required("viewer")  # a viewer keeps personal views; sharing takes a member (service)
def save_view():
    form = SaveViewForm()
    try:
        back = list_url(saved_views.clean_query(form.query.data or "", _list_params()))
    except ServiceError:
        back = list_url("")
    if not form.validate():
        flash(_first_error(form), "error")
        return redirect(back)
    try:
        view = saved_views.save(current_user, form.name.data, form.query.data or "",
                                form.shared.data, _list_params())
    except NotAllowed:
        abort(403)
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(back)
    flash(_("View “%(name)s” saved.", name=view.name), "success")
    return redirect(list_url(view.query))


@bp.post("/views/<int:view_id>/rename")
@role_required("viewer")
def rename_view(view_id: int):
    form = RenameViewForm()
    try:
        view = saved_views.visible(current_user, view_id)
        if not form.validate():
            flash(_first_error(form), "error")
            return redirect(list_url(view.query))
        view = saved_views.rename(current_user, view_id, form.name.data)
    except NotFound:
        abort(404)
    except NotAllowed:
        abort(403)
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(list_url(saved_views.visible(current_user, view_id).query))
    flash(_("View renamed “%(name)s”.", name=view.name), "success")
    return redirect(list_url(view.query))


@bp.post("/views/<int:view_id>/delete")
@role_required("viewer")
def delete_view(view_id: int):
    try:
        name = saved_views.delete(current_user, view_id)
    except NotFound:
        abort(404)
    except NotAllowed:
        abort(403)
    flash(_("View “%(name)s” deleted.", name=name), "success")
    return redirect(safe_list_url(request.form.get("next")))


def safe_list_url(target: str | None) -> str:
    """Back to the list page the form was on (same site, the list only)."""
    index = url_for("influencers.index")
    target = safe_next_url(target)
    return target if target and target.startswith(index) else index
