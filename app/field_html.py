"""The form field of `templates/_macros/forms.html` (`field`: label, input, help, errors,
ARIA-linked) written in Python, for the influencer list's filter form: its 19 fields on
every list page, through the macro (Jinja's macro calls, its filters and tests per field),
were about a sixth of the page's CPU. The same HTML as the macro, compared field by field
whatever was typed (tests/core/test_field_html.py)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape


def field(f: Any, help: Any = None, class_: str = "") -> Markup:  # noqa: A002 - the macro's name
    """The macro's `field(f, help, class_)`."""
    has_error = bool(f.errors)
    error_id = f"{f.id}-err"
    classes = f"field {class_} {'has-error' if has_error else ''} field-{f.type.lower()}"
    parts = [f'<div class="{escape(classes)}">']
    label = escape(f.label.text)
    if f.type == "BooleanField":
        control = f(**({"aria-describedby": error_id} if has_error else {}))
        parts.append(f"<label>{control} {label}</label>")
    else:
        required = ('<span class="required" aria-hidden="true">*</span>'
                    if f.flags.required else "")
        parts.append(f'<label for="{escape(f.id)}">{label}{required}</label>')
        parts.append(str(f(**({"aria-invalid": "true", "aria-describedby": error_id}
                              if has_error else {}))))
    if help:
        parts.append(f'<small class="help">{escape(help)}</small>')
    if has_error:
        errors = "".join(f"<li>{escape(error)}</li>" for error in f.errors)
        parts.append(f'<ul class="errors" id="{escape(error_id)}">{errors}</ul>')
    parts.append("</div>")
    return Markup("".join(parts))  # noqa: S704 - every value escaped above
