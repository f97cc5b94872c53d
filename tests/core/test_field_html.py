"""The filter form's fields written in Python (app/field_html.py) are the HTML the
`field` macro of templates/_macros/forms.html writes, whatever was typed, with or without
errors, in French and English, for every field of the influencer list's filter form and
for the checkbox and required branches (the login form's)."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app.auth.forms import LoginForm
from app.field_html import field
from app.influencers.list_forms import FilterForm

MACRO = ('{% from "_macros/forms.html" import field %}'
         "{{ field(f, help=help, class_=class_) }}")
quick = settings(max_examples=60, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])
typed = st.one_of(st.text(max_size=12), st.sampled_from(
    ["", "10k", "2,5", "abc", "FR", "<b>&", '"', "999999999999", "-1", "60", "l'été"]))


def _same_text(html: str) -> str:
    """Whitespace as a browser reads it: runs of it count once, none between tags."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


def _both(app, f, help=None, class_=""):
    macro = app.jinja_env.from_string(MACRO).render(f=f, help=help, class_=class_)
    return _same_text(field(f, help=help, class_=class_)), _same_text(macro)


def _filter_form(args: dict, scored: bool) -> FilterForm:
    communities = [("3", "mode · art · 120 personnes"), ("7", "sport · 12 personnes")]
    form = FilterForm(formdata=MultiDict(args), owners=[(1, "Zoé <Z>"), (2, "Léa")],
                      communities=communities if scored else None)
    form.validate()
    return form


@pytest.mark.parametrize("locale", ["fr", "en"])
@quick
@given(args=st.dictionaries(st.sampled_from(
    ["q", "platform", "kind", "status", "country", "owner", "tag", "followers_min",
     "followers_max", "engagement_min", "engagement_max", "women_min", "top_country",
     "age_band", "age_min", "community", "score_min", "sort", "per_page", "import_id"]),
    typed, max_size=6), scored=st.booleans())
def test_every_filter_field_is_the_macros_html(app, locale, args, scored):
    with app.test_request_context(), force_locale(locale):
        form = _filter_form(args, scored)
        for f in form:
            if f.type == "CSRFTokenField":
                continue
            python, macro = _both(app, f, help="Aide <i>" if f.name == "tag" else None,
                                  class_="search" if f.name == "q" else "")
            assert python == macro, f.name


def test_errors_required_marks_and_checkboxes_are_the_macros_html(app):
    with app.test_request_context(method="POST", data={"email": "", "remember": "y"}):
        form = LoginForm()
        form.validate()
        assert form.email.errors  # the error branch is exercised
        for f in (form.email, form.password, form.remember):
            assert f.type != "BooleanField" or f is form.remember
            python, macro = _both(app, f)
            assert python == macro, f.name
    with app.test_request_context():
        form = _filter_form({"followers_min": "many", "women_min": "140"}, scored=False)
        assert form.followers_min.errors and form.women_min.errors
        for f in (form.followers_min, form.women_min, form.community, form.score_min):
            python, macro = _both(app, f)
            assert 'aria-invalid="true"' in python or not f.errors
            assert python == macro, f.name
