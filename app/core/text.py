"""Messages marked for translation where they are written, translated where they are shown.

Plain Python with no import: the plain-Python packages (the import's parsing, the contract
document's rules) mark their messages with `N_` without loading Flask-Babel.
"""


def N_(message: str) -> str:  # noqa: N802 - Babel's extraction keyword (see Makefile i18n-update)
    """`message` unchanged; `pybabel extract -k N_` puts it in the catalog."""
    return message
