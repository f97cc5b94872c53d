"""The wizard's forms: the upload, the preview (reading options and column mapping), and the
one-page imports' upload (relationships here, campaign metrics in
app/campaigns/operations/metrics_views.py)."""

from __future__ import annotations

import codecs

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, SubmitField

from app.i18n.labels import label
from app.imports.parsing.mapping import KEEP_AS_NOTE, all_fields, field_label

MODES = ("upsert", "create", "update")
# value → codec name as `check_encoding` returns it (what the Import row stores)
ENCODINGS = {"utf-8": "utf-8-sig", "cp1252": "cp1252", "latin-1": "iso8859-1", "utf-16": "utf-16"}
DELIMITERS = {"semicolon": ";", "comma": ",", "tab": "\t", "pipe": "|"}
IGNORE = ""  # the select's value for "ignore this column"
IMPORTABLE = ["csv", "txt", "xlsx", "xls", "ods"]  # read as the file's bytes say, not its name


def mode_choices() -> list[tuple[str, str]]:
    return [
        ("upsert", _("Create new people and update the ones already known")),
        ("create", _("Create new people only (known ones are left alone)")),
        ("update", _("Update known people only (nobody is created)")),
    ]


def mode_label(mode: str) -> str:
    return dict(mode_choices()).get(mode, mode)


class UploadForm(FlaskForm):
    file = FileField(_l("File (CSV or spreadsheet)"), validators=[
        FileRequired(_l("Choose a file to import.")),
        FileAllowed(IMPORTABLE, _l("Only .csv or .txt files, or spreadsheets (.xlsx, .xls, "
                                   ".ods), can be imported.")),
    ])
    mode = SelectField(_l("What to do"), default="upsert")
    submit = SubmitField(_l("Upload and preview"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.mode.choices = mode_choices()


def encoding_value(stored: str | None) -> str:
    """The Import row's codec name → the select's value ("utf-8-sig" → "utf-8")."""
    if not stored:
        return "utf-8"
    try:
        name = codecs.lookup(stored).name
    except LookupError:
        return stored
    for value, codec in ENCODINGS.items():
        if codecs.lookup(codec).name == name or value == name:
            return value
    if name.startswith("utf-16"):
        return "utf-16"
    return stored


def delimiter_value(stored: str | None) -> str:
    for value, character in DELIMITERS.items():
        if character == stored:
            return value
    return "semicolon"


def delimiter_label(stored: str | None) -> str:
    return {";": "; " + _("(semicolon)"), ",": ", " + _("(comma)"), "\t": _("tab"),
            "|": "| " + _("(pipe)")}.get(stored or "", stored or "")


def _field_choice(code: str) -> tuple[str, str]:
    template, params = field_label(code)
    if "platform" in params:
        params = {**params, "platform": str(label("platform", params["platform"]))}
    return code, _(template) % params if params else _(template)


def mapping_choices() -> list[tuple[str, str]]:
    fields = [_field_choice(code) for code in all_fields() if code != KEEP_AS_NOTE]
    return [(IGNORE, _("— ignore this column —")), (KEEP_AS_NOTE, _("Keep as notes")), *fields]


class PreviewForm(FlaskForm):
    """Reading options and one select per column (`col_0`, `col_1`…, added per file)."""

    # Changing either re-reads the preview at once (app.js); without JS, "Read the file again".
    encoding = SelectField(_l("Encoding"), render_kw={"data-autosubmit": True})
    delimiter = SelectField(_l("Delimiter"), render_kw={"data-autosubmit": True})
    remember = BooleanField(_l("Remember this mapping for files with the same columns"))
    reread = SubmitField(_l("Read the file again"))
    check = SubmitField(_l("Check the file (dry run)"))

    def column_fields(self) -> list:
        return [self[name] for name in sorted(
            (n for n in self._fields if n.startswith("col_")), key=lambda n: int(n[4:]))]

    def mapping(self) -> dict[int, str | None]:
        return {int(f.name[4:]): (f.data or None) for f in self.column_fields()}


def preview_form(headers: list[str], encoding: str | None, workbook: dict | None = None,
                 **kwargs) -> PreviewForm:
    """A PreviewForm with one mapping select per header; choices translated per request.
    From a spreadsheet (`workbook`: app/imports/workbooks.py's `sheets`), the sheet is the
    one reading option, offered when there are several; encoding and delimiter are gone."""

    class _Form(PreviewForm):
        pass

    choices = mapping_choices()
    for index, header in enumerate(headers):
        title = header.strip() or _("Column %(n)d", n=index + 1)
        setattr(_Form, f"col_{index}", SelectField(title[:120]))
    several = workbook is not None and len(workbook["sheets"]) > 1
    if several:
        _Form.sheet = SelectField(_l("Sheet"), render_kw={"data-autosubmit": True})
    form = _Form(**kwargs)  # formdata=None (GET) shows the stored values, not request.form
    for field in form.column_fields():
        field.choices = choices
    if workbook is not None:
        if several:
            form.sheet.choices = [(name, name[:120]) for name in workbook["sheets"]]
        del form["encoding"], form["delimiter"]
        return form
    form.encoding.choices = [(value, value) for value in ENCODINGS]
    current = encoding_value(encoding)
    if current not in ENCODINGS:  # chosen on the command line: still offered
        form.encoding.choices.append((current, current))
    form.delimiter.choices = [(value, delimiter_label(char)) for value, char in DELIMITERS.items()]
    return form


AUTO = ""  # the reading selects' value for "detect it from the file"


class CheckOrImportForm(FlaskForm):
    """A one-page import (relationships, campaign metrics): a file, optional reading
    overrides, check or run. Subclasses add `run`, their "Import the …" button; without it
    (Enter in a field, a bare POST) the file is only checked."""

    file = FileField(_l("File (CSV or spreadsheet)"), validators=[
        FileRequired(_l("Choose a file to import.")),
        FileAllowed(IMPORTABLE, _l("Only .csv or .txt files, or spreadsheets (.xlsx, .xls, "
                                   ".ods), can be imported.")),
    ])
    encoding = SelectField(_l("Encoding"), default=AUTO)
    delimiter = SelectField(_l("Delimiter"), default=AUTO)
    check = SubmitField(_l("Check only (dry run)"))
    run: SubmitField

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        detect = (AUTO, _("Detect from the file"))
        self.encoding.choices = [detect, *[(value, value) for value in ENCODINGS]]
        self.delimiter.choices = [detect, *[(value, delimiter_label(character))
                                            for value, character in DELIMITERS.items()]]

    @property
    def dry_run(self) -> bool:
        return not self.run.data

    def reading(self) -> tuple[str | None, str | None]:
        """(encoding, delimiter) for the reader; None where the file decides."""
        encoding, delimiter = self.encoding.data, self.delimiter.data
        return (ENCODINGS[encoding] if encoding else None,
                DELIMITERS[delimiter] if delimiter else None)


class RelationshipImportForm(CheckOrImportForm):
    """Relationships: the network's edges."""

    run = SubmitField(_l("Import the relationships"))
