"""Import wizard views: upload → preview (reading options, mapping) → dry run → import → result.

Dry runs and imports both run as a background job (tasks.run_import); the page of an
import shows a progress bar while it runs, then the check (dry run) or the result.
"""

from __future__ import annotations

from flask import (
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import FileStorage

from app.core.downloads import attachment, in_own_context
from app.core.errors import ServiceError
from app.core.pagination import paginate, parse_page
from app.extensions import db
from app.imports import lease as import_lease
from app.imports import lifecycle, service, tasks, workbooks
from app.imports import revert as import_revert
from app.imports.blueprint import bp
from app.imports.forms import (
    DELIMITERS,
    ENCODINGS,
    UploadForm,
    delimiter_label,
    delimiter_value,
    encoding_value,
    mode_label,
    preview_form,
)
from app.imports.uploads import display_name, saved_upload
from app.models import Import, ImportProblem
from app.security import role_required

PROBLEMS_PER_PAGE = 25
STALLED_AFTER = 60  # seconds queued without a worker starting the job


@bp.context_processor
def _progress_helpers() -> dict:
    return {"live_progress": service.live_progress}


def _load(import_id: int) -> Import:
    import_lease.expire_stranded()  # a dead worker's import shows as failed
    imp = db.session.get(Import, import_id)
    if imp is None:
        abort(404)
    return imp


def _is_running(imp: Import) -> bool:
    return imp.status in lifecycle.IN_PROGRESS


def _stalled(imp: Import) -> bool:
    """Queued for a while and no worker has started it (is a job worker running?)."""
    return service.waiting_since(imp) > STALLED_AFTER


def _next_url(imp: Import) -> str:
    """Where an import's page leads once nothing runs."""
    if imp.status == "uploaded":
        return url_for(".preview", import_id=imp.id)
    if imp.status == "checked":
        return url_for(".check", import_id=imp.id)
    return url_for(".show", import_id=imp.id)


@bp.get("/")
@role_required("member")
def index():
    import_lease.expire_stranded()
    stmt = (select(Import).options(joinedload(Import.user))
            .order_by(Import.id.desc()))
    page = paginate(stmt, parse_page(request.args.get("page")),
                    current_app.config["RELAIS_PAGE_SIZE"])
    return render_template("import_wizard/index.html", page=page, mode_label=mode_label)


def _create_from_upload(storage: FileStorage, mode: str) -> Import:
    # The service keeps its own copy under instance/imports/.
    with saved_upload(storage) as temporary:
        return service.create_import(temporary, display_name(storage.filename),
                                     current_user, mode=mode)


@bp.route("/new", methods=["GET", "POST"])
@role_required("member")
def upload():
    form = UploadForm()
    if form.validate_on_submit():
        try:
            imp = _create_from_upload(form.file.data, form.mode.data)
        except ServiceError as error:
            db.session.rollback()
            form.file.errors = [*form.file.errors, str(error)]
        else:
            return redirect(url_for(".preview", import_id=imp.id))
    status = 400 if request.method == "POST" else 200
    return render_template("import_wizard/upload.html", form=form), status


def _initial_mapping(imp: Import) -> dict[str, str]:
    return {f"col_{index}": (imp.mapping or {}).get(str(index)) or ""
            for index in range(len(imp.headers or []))}


def _options_changed(form, imp: Import, workbook: dict | None) -> bool:
    if workbook is not None:  # a spreadsheet: its sheet is its only reading option
        return "sheet" in form and form.sheet.data != workbook["sheet"]
    return (form.encoding.data != encoding_value(imp.encoding)
            or form.delimiter.data != delimiter_value(imp.delimiter))


def _reading_data(imp: Import, workbook: dict | None) -> dict[str, str]:
    if workbook is not None:
        return {"sheet": workbook["sheet"]}
    return {"encoding": encoding_value(imp.encoding),
            "delimiter": delimiter_value(imp.delimiter)}


def _chosen_encoding(value: str) -> str:
    return ENCODINGS.get(value, value)


@bp.route("/<int:import_id>/preview", methods=["GET", "POST"])
@role_required("member")
def preview(import_id: int):
    imp = _load(import_id)
    if not lifecycle.can(imp, "edit"):
        flash(_("This import has already run: its mapping can no longer change."), "error")
        return redirect(url_for(".show", import_id=imp.id))
    workbook = workbooks.sheets(imp.stored_path)
    if request.method == "POST":
        form = preview_form(imp.headers or [], imp.encoding, workbook)
        if form.validate():
            return _apply_preview(imp, form, workbook)
        status = 400
    else:
        form = preview_form(imp.headers or [], imp.encoding, workbook, formdata=None, data={
            **_reading_data(imp, workbook), **_initial_mapping(imp)})
        status = 200
    return _preview_page(imp, form, workbook), status


def _apply_preview(imp: Import, form, workbook: dict | None):
    if form.check.data and not _options_changed(form, imp, workbook):
        try:
            service.set_mapping(imp, form.mapping(), current_user,
                                remember=bool(form.remember.data))
        except ServiceError as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(url_for(".preview", import_id=imp.id))
        _enqueue(imp, dry_run=True)
        return redirect(url_for(".show", import_id=imp.id))
    # New reading options: the headers may differ, so the mapping is suggested again.
    try:
        if workbook is not None:
            service.set_reading(imp, imp.encoding, imp.delimiter,
                                sheet=form.sheet.data if "sheet" in form else None)
        else:
            service.set_reading(imp, encoding=_chosen_encoding(form.encoding.data),
                                delimiter=DELIMITERS[form.delimiter.data])
    except ServiceError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(_("The file was read again with these settings: check the mapping."), "info")
    return redirect(url_for(".preview", import_id=imp.id))


def _preview_page(imp: Import, form, workbook: dict | None = None):
    try:
        data, problem = service.preview(imp, rows=20), None
    except ServiceError as error:
        db.session.rollback()
        data, problem = None, str(error)
    return render_template(
        "import_wizard/preview.html", imp=imp, form=form, data=data, problem=problem,
        delimiter_label=delimiter_label, mode_label=mode_label, workbook=workbook,
    )


def _enqueue(imp: Import, dry_run: bool) -> None:
    service.mark_queued(imp, dry_run=dry_run)
    tasks.run_import(imp.id, dry_run)


@bp.get("/<int:import_id>/check")
@role_required("member")
def check(import_id: int):
    imp = _load(import_id)
    if imp.status != "checked":
        return redirect(_next_url(imp))
    return render_template("import_wizard/check.html", imp=imp, **_problems(imp),
                           delimiter_label=delimiter_label, mode_label=mode_label)


def _problems(imp: Import) -> dict:
    where = ImportProblem.import_id == imp.id
    count = func.count(ImportProblem.id)
    reasons = db.session.execute(
        select(ImportProblem.reason, count).where(where)
        .group_by(ImportProblem.reason).order_by(count.desc(), ImportProblem.reason).limit(50)
    ).all()
    problems = paginate(
        select(ImportProblem).where(where).order_by(ImportProblem.line, ImportProblem.id),
        parse_page(request.args.get("page")), PROBLEMS_PER_PAGE, {"import_id": imp.id},
    )
    return {"reasons": reasons, "problems": problems}


@bp.post("/<int:import_id>/start")
@role_required("member")
def start(import_id: int):
    imp = _load(import_id)
    if imp.status != "checked":
        flash(_("Check the file (dry run) before importing it."), "error")
        return redirect(_next_url(imp))
    _enqueue(imp, dry_run=False)
    return redirect(url_for(".show", import_id=imp.id))


@bp.get("/<int:import_id>")
@role_required("member")
def show(import_id: int):
    imp = _load(import_id)
    if imp.status in {"uploaded", "checked"}:
        return redirect(_next_url(imp))
    context = _problems(imp) if imp.status in lifecycle.FINISHED else {}
    return render_template("import_wizard/show.html", imp=imp, running=_is_running(imp),
                           stalled=_stalled(imp), mode_label=mode_label,
                           reason=import_lease.shown_reason(imp) or _public_error(imp.error),
                           **context)


@bp.post("/<int:import_id>/cancel")
@role_required("member")
def cancel(import_id: int):
    imp = _load(import_id)
    try:
        service.cancel_waiting(imp)
    except ServiceError:
        db.session.rollback()
        flash(_("This import has already started: it can no longer be taken off the queue."),
              "error")
    else:
        flash(_("The import was taken off the queue. Nothing was written."), "success")
    return redirect(_next_url(imp))


def _public_error(error: str | None) -> str | None:
    """A reading error is shown as it is; an unexpected one (a traceback's last line, SQL)
    is not: it says nothing useful to the user and may reveal internals."""
    if not error or "\n" in error or "SQL" in error or len(error) > 300:
        return None
    return error


@bp.get("/<int:import_id>/progress")
@role_required("member")
def progress(import_id: int):
    imp = _load(import_id)
    running = _is_running(imp)
    response = current_app.make_response(render_template(
        "import_wizard/_progress.html", imp=imp, running=running, stalled=_stalled(imp)))
    if not running and request.headers.get("HX-Request"):
        # Finished: htmx loads the next step's page (the partial alone links to it).
        response.headers["HX-Redirect"] = _next_url(imp)
    return response


@bp.get("/<int:import_id>/rejected.csv")
@role_required("member")
def rejected_csv(import_id: int):
    imp = _load(import_id)
    body = in_own_context(current_app._get_current_object(), service.rejected_rows_csv(imp.id))
    return attachment(body, "text/csv", f"import-{imp.id}-rejected-rows.csv")


@bp.post("/<int:import_id>/revert")
@role_required("member")
def revert(import_id: int):
    imp = _load(import_id)
    if not lifecycle.can(imp, "revert"):
        flash(_("Only an import that wrote something can be reverted."), "error")
        return redirect(_next_url(imp))
    try:
        import_revert.revert(imp, current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(_("The import was reverted: the people it created are removed and the ones it "
                "updated have their previous values back."), "success")
    return redirect(url_for(".show", import_id=imp.id))



def register(app: Flask) -> None:
    app.register_blueprint(bp)
