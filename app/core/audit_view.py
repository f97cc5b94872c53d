"""The audit trail as people read it: raw `AuditEvent` rows become entries.

One entry per user action (the events that share an action id; older events without one,
by the same person in the same second): a head line ("Contract RLS-2026-00009 created",
"Édith updated by import #4") and its details, each change with the column's label in the
reader's language and its values formatted by kind (money, rate, date, yes/no, codes,
references as names with links). Bookkeeping columns are left out (`audit_fields.py`).
Names are loaded in one query per kind of record (`audit_names.py`).

Templates call `audit_entries(events)` (a Jinja global) through `_macros/audit.html`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import Flask
from flask_babel import gettext, lazy_pgettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.core import audit_fields, audit_names
from app.i18n.formats import country, day, money, number, percent
from app.i18n.labels import label
from app.models import AuditEvent

# Which event of an action heads its entry: a creation first, then the most telling record.
_RANK = ("import", "contract", "campaign", "brand", "influencer", "operation", "participant",
         "interaction", "social_account", "audience_snapshot", "contract_signer", "user")
_LONG_TEXT = 160


@dataclass
class Change:
    label: str
    old: Markup
    new: Markup
    created: bool  # no old value: shown as "label: new"


@dataclass
class Line:
    event: AuditEvent
    text: Markup  # "Contract RLS-2026-00009 created"
    changes: list[Change] = field(default_factory=list)


@dataclass
class Entry:
    at: datetime
    who: str | None  # None: the system (a job, the CLI, a factory)
    head: Line
    details: list[Line]
    more: int = 0  # events of this action not loaded

    @property
    def folded(self) -> bool:
        """Details go in a <details> element: a creation, or more than a few lines."""
        lines = len(self.head.changes) + sum(1 + len(d.changes) for d in self.details)
        return self.head.event.action == "create" and lines > 0 or lines > 4 or self.more > 0

    @property
    def count(self) -> int:
        return len(self.head.changes) + sum(len(d.changes) or 1 for d in self.details)


def entries(events: list[AuditEvent], limit: int | None = None,
            totals: dict[str, int] | None = None) -> list[Entry]:
    """Newest first, as the events came; one query per kind of record named. `totals`: the
    number of events of each action id, when only some were loaded."""
    groups = _groups(events)
    if limit is not None:
        groups = groups[:limit]
    names = audit_names.load(_wanted(groups))
    found = []
    for group in groups:
        kept = [e for e in _merged(group) if e[1] or e[0].action != "update"]
        if not kept:
            continue
        kept.sort(key=_head_order)
        lines = [_line(event, changes, names) for event, changes in kept]
        who = names.get(("user", group[-1].user_id))
        more = (totals or {}).get(group[0].action_id or "", len(group)) - len(group)
        found.append(Entry(at=group[-1].at, who=who[0] if who else None, head=lines[0],
                           details=lines[1:], more=max(more, 0)))
    return found


def _groups(events: list[AuditEvent]) -> list[list[AuditEvent]]:
    groups: dict[Any, list[AuditEvent]] = {}
    for event in events:
        key = event.action_id or ("at", event.user_id, event.at.replace(microsecond=0))
        groups.setdefault(key, []).append(event)
    return [sorted(group, key=lambda e: e.id) for group in groups.values()]


def _merged(group: list[AuditEvent]) -> list[tuple[AuditEvent, dict[str, Any]]]:
    """The visible changes of each event; an update of a record created by the same action
    is folded into its creation (the contract number that replaced the temporary one)."""
    created: dict[tuple[str, int], dict[str, Any]] = {}
    kept = []
    for event in group:
        changes = {k: v for k, v in (event.changes or {}).items()
                   if not audit_fields.hidden(k)}
        key = (event.entity_type, event.entity_id)
        if event.action == "update" and key in created:
            for name, pair in changes.items():
                created[key][name] = [None, _new(pair)]
            continue
        if event.action == "create":
            created[key] = changes
        kept.append((event, changes))
    return kept


def _head_order(item: tuple[AuditEvent, dict]) -> tuple:
    event = item[0]
    rank = _RANK.index(event.entity_type) if event.entity_type in _RANK else len(_RANK)
    return (event.entity_type != "import", event.action != "create", rank, event.id)


def _wanted(groups: list[list[AuditEvent]]):
    for group in groups:
        for event in group:
            yield event.entity_type, event.entity_id
            yield "user", event.user_id
            if event.import_id:
                yield "import", event.import_id
            for name, pair in (event.changes or {}).items():
                kind = audit_fields.kind_of(event.entity_type, name) or ""
                if kind.startswith("ref:"):
                    yield kind[4:], _old(pair)
                    yield kind[4:], _new(pair)


def _old(pair: Any) -> Any:
    return pair[0] if isinstance(pair, list) and len(pair) == 2 else None


def _new(pair: Any) -> Any:
    return pair[1] if isinstance(pair, list) and len(pair) == 2 else pair


def _link(named: tuple[str, str | None] | None, fallback: str) -> Markup:
    if named is None:
        return escape(fallback)
    name, url = named
    if url is None:
        return escape(name)
    return Markup('<a href="{}">{}</a>').format(url, name)


def _line(event: AuditEvent, changes: dict[str, Any], names: dict) -> Line:
    noun = label("entity", event.entity_type)
    key = (event.entity_type, event.entity_id)
    record = escape(noun)  # a bulk event (relationships, weights) names no record
    if event.entity_id:
        record = Markup("{} {}").format(noun, _link(names.get(key), f"#{event.entity_id}"))
    imported = None
    if event.import_id and event.entity_type != "import":
        imported = _link(names.get(("import", event.import_id)), f"#{event.import_id}")
    text = _phrase(event.entity_type, event.action, record, imported)
    shown = [_change(event, name, pair, changes, names) for name, pair in changes.items()]
    return Line(event=event, text=text, changes=shown)


def _phrase(entity: str, action: str, record: Markup, imported: Markup | None) -> Markup:
    """"Contract RLS-… created", with the participle agreeing with the record's noun: the
    catalogue says each noun's gender (context "grammatical gender of the record"), and
    each message has a form per gender (contexts "feminine", "masculine plural")."""
    gender = str(_GENDERS.get(entity, ""))
    forms = (_BY_IMPORT.get(action, _BY_IMPORT["update"]) if imported is not None
             else _ACTIONS.get(action, _ACTIONS["update"]))
    text = forms.get(gender, forms["masculine"])
    return escape(str(text)) % {"record": record, "import": imported}


# The grammatical gender of each record's noun in the reader's language: "masculine"
# (English, and the default), "feminine" or "masculine plural". Literal msgids, so that
# the catalogue's extraction sees every one.
_GENDERS = {
    "brand": lazy_pgettext("grammatical gender of the record", "brand"),
    "influencer": lazy_pgettext("grammatical gender of the record", "influencer"),
    "social_account": lazy_pgettext("grammatical gender of the record", "social_account"),
    "audience_snapshot": lazy_pgettext("grammatical gender of the record",
                                       "audience_snapshot"),
    "interaction": lazy_pgettext("grammatical gender of the record", "interaction"),
    "user": lazy_pgettext("grammatical gender of the record", "user"),
    "import": lazy_pgettext("grammatical gender of the record", "import"),
    "relationships": lazy_pgettext("grammatical gender of the record", "relationships"),
    "campaign": lazy_pgettext("grammatical gender of the record", "campaign"),
    "participant": lazy_pgettext("grammatical gender of the record", "participant"),
    "operation": lazy_pgettext("grammatical gender of the record", "operation"),
    "platform_rate": lazy_pgettext("grammatical gender of the record", "platform_rate"),
    "fee_floor": lazy_pgettext("grammatical gender of the record", "fee_floor"),
    "scoring_settings": lazy_pgettext("grammatical gender of the record", "scoring_settings"),
    "contract": lazy_pgettext("grammatical gender of the record", "contract"),
    "contract_signer": lazy_pgettext("grammatical gender of the record", "contract_signer"),
}

# Each action's message per gender; English has one form, so the msgids read the same.
_ACTIONS = {
    "create": {"masculine": _l("%(record)s created"),
               "feminine": lazy_pgettext("feminine", "%(record)s created")},
    "update": {"masculine": _l("%(record)s changed"),
               "feminine": lazy_pgettext("feminine", "%(record)s changed"),
               "masculine plural": lazy_pgettext("masculine plural", "%(record)s changed")},
    "delete": {"masculine": _l("%(record)s moved to the trash"),
               "feminine": lazy_pgettext("feminine", "%(record)s moved to the trash")},
    "restore": {"masculine": _l("%(record)s restored"),
                "feminine": lazy_pgettext("feminine", "%(record)s restored")},
    "purge": {"masculine": _l("%(record)s deleted"),
              "feminine": lazy_pgettext("feminine", "%(record)s deleted")},
    "erase": {"masculine": _l("%(record)s erased (GDPR)"),
              "feminine": lazy_pgettext("feminine", "%(record)s erased (GDPR)")},
    "revert": {"masculine": _l("%(record)s reverted"),
               "feminine": lazy_pgettext("feminine", "%(record)s reverted")},
}
_BY_IMPORT = {
    "create": {"masculine": _l("%(record)s created by import %(import)s"),
               "feminine": lazy_pgettext("feminine", "%(record)s created by import %(import)s")},
    "update": {"masculine": _l("%(record)s updated by import %(import)s"),
               "feminine": lazy_pgettext("feminine", "%(record)s updated by import %(import)s")},
    "revert": {"masculine": _l("%(record)s put back by the revert of import %(import)s"),
               "feminine": lazy_pgettext("feminine",
                                         "%(record)s put back by the revert of import %(import)s")},
}


def _change(event: AuditEvent, name: str, pair: Any, changes: dict, names: dict) -> Change:
    entity = event.entity_type
    if not isinstance(pair, list) or len(pair) != 2:
        pair = [None, pair]  # a count of the import's revert
    currency = _new(changes.get("currency")) or "EUR"
    old, new = (value(entity, name, v, names, currency) for v in pair)
    return Change(label=field_label(name), old=old, new=new, created=pair[0] is None)


def field_label(name: str) -> str:
    """The column's label; one without a label yet reads as words, not as a code."""
    found = label("field", name)
    if found != name:
        return found
    words = name.removesuffix("_cents").removesuffix("_id").replace("_", " ").strip()
    return (words[:1].upper() + words[1:]) or "—"


def value(entity: str, name: str, raw: Any, names: dict, currency: str = "EUR") -> Markup:
    """One stored value as the reader reads it."""
    if raw is None or raw == "" or raw == []:
        return Markup("—")
    kind = audit_fields.kind_of(entity, name) or ""
    if kind.startswith("ref:") and isinstance(raw, int) and not isinstance(raw, bool):
        return _link(names.get((kind[4:], raw)), f"#{raw}")
    try:
        return escape(_plain_text(entity, name, kind, raw, currency))
    except (ArithmeticError, ValueError, TypeError):  # a number no formatter takes (1e+26)
        return escape(str(raw))


def _plain_text(entity: str, name: str, kind: str, raw: Any, currency: str) -> str:
    if isinstance(raw, bool) or kind == "bool":
        return gettext("Yes") if raw else gettext("No")
    if kind == "money" and isinstance(raw, int | float):
        return money(raw, currency if isinstance(currency, str) else "EUR")
    if kind == "rate" and isinstance(raw, int | float):
        return percent(raw, 2)
    if kind in ("date", "datetime") and isinstance(raw, str):
        return _when(raw, kind)
    if name in audit_fields.COUNTRIES and isinstance(raw, str):
        return ", ".join(country(code.strip()) for code in raw.split(",") if code.strip())
    group = audit_fields.codes_of(entity, name)
    if group and isinstance(raw, str):
        codes = raw.split(",") if name in audit_fields.CODE_LISTS else [raw]
        return ", ".join(label(group, code.strip()) for code in codes if code.strip())
    if isinstance(raw, list):
        return ", ".join(_item(item) for item in raw)
    if isinstance(raw, dict):
        return ", ".join(f"{label('kpi', k)}: {_item(v)}" for k, v in raw.items())
    if isinstance(raw, int | float):
        return number(raw, 0 if isinstance(raw, int) else 2)
    text = str(raw)
    return text if len(text) <= _LONG_TEXT else text[:_LONG_TEXT - 1] + "…"


def _when(raw: str, kind: str) -> str:
    try:
        if kind == "date":
            return day(date.fromisoformat(raw[:10]))
        return day(datetime.fromisoformat(raw), "short")
    except ValueError:
        return raw


def _item(item: Any) -> str:
    """One element of a JSON list: a dict (a contract's operation, benefit, representative)
    as its values, codes as labels and cents as money."""
    if isinstance(item, dict):
        return " · ".join(_plain_text("operation", k, "money" if k.endswith("_cents") else "",
                                      v, "EUR")
                          for k, v in item.items() if v not in (None, "", []))
    if isinstance(item, float):
        return number(item, 2)
    return str(item)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(audit_entries=entries)
