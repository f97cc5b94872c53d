"""What the history needs to know of each audited column: shown or hidden, its kind (money,
rate, date, yes/no, code list, reference to another record) and the label group of its codes.

Read from the models' own column types, so a new column is shown rightly without an entry
here; the tables below only name what types cannot say. `app/core/audit_view.py` uses it.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, TypeDecorator, inspect

from app.core.audit import AUDITED

# Bookkeeping nobody reads: secrets and their digests, version counters, ids, sort keys,
# search text, the temporary contract number, copies of other columns.
HIDDEN = frozenset({
    "id", "version", "search_text", "created_at", "created_by_id", "updated_at",
    "session_token", "password_hash", "token_hash", "last_login_at", "document_id",
    "snapshot_id", "rank", "is_latest", "stage_changed_at", "metrics_updated_at",
    "import_id", "document_sha256", "scan_sha256", "source_sha256", "sha256",
    "logo_type",  # the logo's own change says what it is ("PNG, 64 × 32 px")
})
_HIDDEN_PARTS = ("token", "_hash", "sha256", "sort_", "_sort", "search_")

RATES = frozenset({"engagement_rate", "credibility", "target_gender_share", "share",
                   "audience_female"})

# The label group (app/i18n/labels.py) of a column's codes: per (record type, column), then
# per column for every record type.
CODES_OF = {
    ("influencer", "status"): "status", ("campaign", "status"): "campaign_status",
    ("operation", "status"): "operation_status", ("contract", "status"): "contract_status",
    ("influencer", "kind"): "kind", ("operation", "kind"): "operation_kind",
    ("interaction", "kind"): "interaction", ("contract_signer", "role"): "signer_role",
    ("user", "role"): "role", ("contract", "language"): "contract_language",
    ("user", "locale"): "contract_language",
}
CODES = {
    "platform": "platform", "stage": "stage", "objective": "objective", "sector": "sector",
    "lawful_basis": "lawful_basis", "data_source": "data_source", "pay_kind": "pay_kind",
    "basis": "contract_basis", "disclosure": "disclosure",
    "foreign_disclosure": "foreign_disclosure", "usage_media": "usage_media",
    "target_platforms": "platform", "target_gender": "gender", "dimension": "dimension",
    "method": "signing_method", "delivery": "link_delivery", "metrics_source": "data_source",
}
# Columns that hold several codes separated by commas.
CODE_LISTS = frozenset({"usage_media", "target_platforms"})
# Columns that hold country codes (several, comma-separated, in target_countries).
COUNTRIES = frozenset({"country", "tax_country", "audience_top_country", "target_countries"})

# The record type a reference column points to (its foreign key's table).
_TABLES = {"user": "user", "brand": "brand", "influencer": "influencer",
           "campaign": "campaign", "participant": "participant", "contract": "contract",
           "social_account": "social_account", "import": "import"}
# Columns named after users whose table is not given by a foreign key in every model.
_USER_COLUMNS = frozenset({"owner_id", "user_id", "approved_by_id", "submitted_by_id",
                           "reviewed_by_id", "recorded_by_id", "reverted_by_id"})


def hidden(field: str) -> bool:
    return field in HIDDEN or field.startswith("audience_age") or any(
        part in field for part in _HIDDEN_PARTS)


@cache
def kinds() -> dict[tuple[str, str], str]:
    """(record type, column) → "date", "datetime", "bool", "rate", "number", "list" or
    "ref:<record type>", read once from the audited models."""
    found: dict[tuple[str, str], str] = {}
    for model, entity in AUDITED.items():
        for column in inspect(model).columns:
            kind = _kind(column)
            if kind:
                found[entity, column.key] = kind
    return found


def _kind(column) -> str | None:
    for key in column.foreign_keys:
        table = _TABLES.get(key.column.table.name)
        if table:
            return f"ref:{table}"
    if column.key in _USER_COLUMNS:
        return "ref:user"
    if column.key.endswith("_cents"):
        return "money"
    kind, type_ = None, column.type
    type_ = type_.impl if isinstance(type_, TypeDecorator) else type_
    if isinstance(type_, Boolean):
        kind = "bool"
    elif isinstance(type_, DateTime):
        kind = "datetime"
    elif isinstance(type_, Date):
        kind = "date"
    elif isinstance(type_, Float):
        kind = "rate" if column.key in RATES else "number"
    elif isinstance(type_, JSON):
        kind = "list"
    return kind


def kind_of(entity: str, field: str) -> str | None:
    if field in ("deleted_at", "erased_at", "password_reset_link_until"):
        return "datetime"
    if field in RATES and entity != "scoring_settings":  # there, every value is a weight
        return "rate"
    return kinds().get((entity, field))


def codes_of(entity: str, field: str) -> str | None:
    return CODES_OF.get((entity, field)) or CODES.get(field)
