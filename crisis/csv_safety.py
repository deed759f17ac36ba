"""Cells a spreadsheet will not run as formulas (CSV injection), and back again.

Every CSV or TSV the app writes passes each cell through ``neutralise_cell``; the
admin's import passes each cell through ``restore_cell``, so a file the app wrote
imports back to exactly the values it was written from.
"""

import tablib

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_GUARD = "'"


def neutralise_cell(value):
    """``value`` as text, prefixed with ``'`` when a spreadsheet could run it.

    A value that already starts with ``'`` gets one too, so that ``restore_cell``
    can tell the prefix it must remove from an apostrophe that belongs to the value.
    """
    text = "" if value is None else str(value)
    if text.startswith((*FORMULA_STARTS, _GUARD)):
        return _GUARD + text
    return text


def restore_cell(value):
    """The value ``neutralise_cell`` was given (text without a prefix is left alone)."""
    if not isinstance(value, str) or not value.startswith(_GUARD):
        return value
    rest = value[len(_GUARD) :]
    return rest if rest.startswith((*FORMULA_STARTS, _GUARD)) else value


def neutralised(dataset):
    """A copy of a ``tablib.Dataset`` with every cell through ``neutralise_cell``."""
    return tablib.Dataset(
        *([neutralise_cell(cell) for cell in row] for row in dataset),
        headers=dataset.headers,
    )


def restored(dataset):
    """A copy of a ``tablib.Dataset`` with every cell through ``restore_cell``."""
    return tablib.Dataset(
        *([restore_cell(cell) for cell in row] for row in dataset),
        headers=dataset.headers,
    )
