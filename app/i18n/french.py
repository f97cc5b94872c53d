"""French elision where a translated message meets the value put into it.

A catalogue entry such as « La fiche de %(name)s » reads right for « Marie » and wrong for
« Édith »: French writes « d'Édith ». The translator cannot know the value, so the elision
is decided when the message is formatted: `de`, `que`, `ne`, `le`, `la`, `jusque`,
`lorsque` and `puisque` written just before a placeholder whose value starts with a vowel
become `d'`, `qu'`, `n'`, `l'`… Only those junctions change; the rest of the text is the
translator's. A leading `h` is left alone (« de Hugo » or « d'Hugo » depends on the word).

`install(app)` routes every gettext call through this: Flask-Babel's `gettext`,
`ngettext`, `pgettext`, `npgettext` (and their lazy forms) in Python, and `_()`,
`ngettext()`… and `{% trans %}` in templates, with Jinja's autoescaping kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask
from flask_babel import Domain
from jinja2 import pass_context
from markupsafe import Markup

from app.i18n import current

_ELIDED = {"de": "d'", "que": "qu'", "ne": "n'", "le": "l'", "la": "l'", "jusque": "jusqu'",
           "lorsque": "lorsqu'", "puisque": "puisqu'"}
_JUNCTION = re.compile(r"(?<![\w'’])(de|que|ne|le|la|jusque|lorsque|puisque) (%\((\w+)\)s)",
                       re.IGNORECASE)
_VOWELS = frozenset("aeiouyàâäæéèêëîïôöœùûüÿ")


def starts_with_vowel(value: object) -> bool:
    text = str(value).lstrip(" «\"“(")
    return bool(text) and text[0].lower() in _VOWELS


def elide(template: str, variables: Mapping[str, Any]) -> str:
    """The message template with `de %(name)s` made `d'%(name)s` where the value calls for it."""
    if "%(" not in template or not variables:
        return template

    def join(match: re.Match) -> str:
        word, placeholder, name = match.group(1), match.group(2), match.group(3)
        if name not in variables or not starts_with_vowel(variables[name]):
            return match.group(0)
        short = _ELIDED[word.lower()]
        if word[0].isupper():
            short = short[0].upper() + short[1:]
        return short + placeholder

    return _JUNCTION.sub(join, template)


class ElidingDomain(Domain):
    """Flask-Babel's message domain, with the elision applied before formatting, and its
    catalogue kept for the request: a page makes a few hundred gettext calls, and
    Flask-Babel looks the domain, the locale and the catalogue up again for each."""

    def get_translations(self):
        # A new locale object after flask_babel.refresh() or force_locale.
        real, locale = current.context()
        if real is None:  # outside an application context: Flask-Babel's null catalogue
            return super().get_translations()
        kept = vars(real).get("relais_catalogue")
        if kept is not None and kept[0] is locale:
            return kept[1]
        translations = super().get_translations()
        real.relais_catalogue = (locale, translations)
        return translations

    def gettext(self, string, **variables):
        s = self.get_translations().ugettext(string)
        return elide(s, variables) % variables if variables else s

    def ngettext(self, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return elide(self.get_translations().ungettext(singular, plural, num),
                     variables) % variables

    def pgettext(self, context, string, **variables):
        s = self.get_translations().upgettext(context, string)
        return elide(s, variables) % variables if variables else s

    def npgettext(self, context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return elide(self.get_translations().unpgettext(context, singular, plural, num),
                     variables) % variables


def _jinja(func: Callable[..., str], fixed: int, defaults: Callable[[tuple, dict], None]):
    """A Jinja newstyle gettext callable: translate, elide, autoescape, format."""

    @pass_context
    def call(__context, *args, **variables):
        defaults(args, variables)
        rv = elide(func(*args[:fixed]), variables)
        if __context.eval_ctx.autoescape:
            rv = Markup(rv)  # noqa: S704 - the catalogue's own text, as Jinja's i18n does
        return rv % variables

    return call


def _no_defaults(args: tuple, variables: dict) -> None:
    return None


def install(app: Flask, babel) -> None:
    """Use the eliding domain for Python calls and eliding callables in templates."""
    domain = ElidingDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))
    babel.__dict__["domain_instance"] = domain
    get_translations = domain.get_translations  # the one domain: no per-request domains

    def plural(args: tuple, variables: dict) -> None:
        variables.setdefault("num", args[-1])

    def context(args: tuple, variables: dict) -> None:
        variables.setdefault("context", args[0])

    def context_plural(args: tuple, variables: dict) -> None:
        context(args, variables)
        plural(args, variables)

    app.jinja_env.globals.update(
        gettext=_jinja(lambda s: get_translations().ugettext(s), 1, _no_defaults),
        ngettext=_jinja(lambda s, p, n: get_translations().ungettext(s, p, n), 3, plural),
        pgettext=_jinja(lambda c, s: get_translations().upgettext(c, s), 2, context),
        npgettext=_jinja(lambda c, s, p, n: get_translations().unpgettext(c, s, p, n), 4,
                         context_plural),
    )
