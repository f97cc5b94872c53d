"""Administration: the weights of the influence score — how much each kind of relationship
counts in the relay graph, and how much each component counts in the 0–100 score. Admins
edit them; managers read them. They apply from the next scoring run."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SubmitField

from app.admin.blueprint import bp
from app.core.errors import ServiceError
from app.extensions import db
from app.forms import TypedNumberField, parse_number
from app.scoring import rescoring as scoring
from app.scoring import weights
from app.scoring.engine.graph import KINDS
from app.scoring.engine.score import COMPONENTS
from app.scoring.weights import WEIGHT_MAX
from app.security import role_required


class WeightField(TypedNumberField):
    """A weight typed as "1,5" or "1.5", between 0 and 100; `data` is a float or None."""

    def convert(self, raw: str) -> float:
        try:
            value = parse_number(raw, whole=False)
        except ValueError:
            raise ValueError(_l("Type a number between 0 and 100, e.g. 1,5.")) from None
        if not 0 <= value <= WEIGHT_MAX:
            raise ValueError(_l("A weight is between 0 and 100."))
        return value

    def shown(self) -> str:
        return format_decimal(self.data, format="0.######")


class ScoringWeightsForm(FlaskForm):
    """One weight per relationship kind (`kind_<kind>`) and per score component
    (`score_<component>`)."""

    submit = SubmitField(_l("Save the weights"))

    def kind_fields(self) -> list[tuple[str, WeightField]]:
        return [(kind, self[f"kind_{kind}"]) for kind in KINDS]

    def score_fields(self) -> list[tuple[str, WeightField]]:
        return [(name, self[f"score_{name}"]) for name in COMPONENTS]

    def wanted(self) -> tuple[dict[str, float], dict[str, float]]:
        return ({kind: f.data for kind, f in self.kind_fields()},
                {name: f.data for name, f in self.score_fields()})

    def fill(self, settings: dict[str, dict[str, float]]) -> None:
        for kind, f in self.kind_fields():
            f.data = settings["kind_weights"].get(kind)
        for name, f in self.score_fields():
            f.data = settings["score_weights"].get(name)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for _name, f in self.kind_fields() + self.score_fields():
            if f.data is None and not f.errors:
                f.errors.append(_("Type a weight: 0 leaves it out."))
                valid = False
        scores = [f.data for _name, f in self.score_fields()]
        if valid and not any(scores):
            self.form_errors.append(_("At least one score weight must be above 0."))
            valid = False
        return valid


for _kind in KINDS:
    setattr(ScoringWeightsForm, f"kind_{_kind}", WeightField(_l("Weight")))
for _name in COMPONENTS:
    setattr(ScoringWeightsForm, f"score_{_name}", WeightField(_l("Weight")))


def _page(form: ScoringWeightsForm | None, settings: dict, status: int = 200):
    return render_template("admin/scoring.html", form=form, settings=settings, kinds=KINDS,
                           components=COMPONENTS, latest=scoring.latest_run()), status


@bp.get("/scoring")
@role_required("manager")
def scoring_settings():
    settings = weights.get_settings()
    form = None
    if current_user.has_role("admin"):
        form = ScoringWeightsForm(formdata=None)
        form.fill(settings)
    return _page(form, settings)


@bp.post("/scoring")
@role_required("admin")
def save_scoring_settings():
    form = ScoringWeightsForm()
    if not form.validate_on_submit():
        return _page(form, weights.get_settings(), 400)
    try:
        changes = weights.save_settings(*form.wanted(), user=current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _page(form, weights.get_settings(), 400)
    if changes:
        flash(_("The weights are saved. They apply from the next scoring run."), "success")
    else:
        flash(_("Nothing changed."), "info")
    return redirect(url_for("admin.scoring_settings"))
