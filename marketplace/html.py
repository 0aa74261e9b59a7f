"""Small, fast helpers for markup written in Python (search cards, filters, select options).

The template engine's escaping goes through django.utils.html.escape, wrapped for lazy strings,
and every lazy label is translated again each time it is shown; a search page does both some
hundreds of times per request.
"""

from __future__ import annotations

import html

from django.utils.functional import Promise
from django.utils.safestring import SafeData
from django.utils.translation import get_language

# (language, id of a lazy text) -> (the lazy text, its translation); the lazy text is kept so
# that its id stays its own. Emptied when it grows past TEXTS_KEPT (lazy texts made per request).
TEXTS_KEPT = 4096
_texts: dict[tuple[str | None, int], tuple[Promise, str]] = {}


def text(value: object) -> str:
    """str(value), a lazy translation remembered per language."""
    if not isinstance(value, Promise):
        return str(value)
    key = (get_language(), id(value))
    found = _texts.get(key)
    if found is None or found[0] is not value:
        if len(_texts) >= TEXTS_KEPT:
            _texts.clear()
        found = _texts[key] = (value, str(value))
    return found[1]


def escaped(value: object) -> str:
    """What {{ value }} writes: the text escaped, unless it is already safe markup."""
    if isinstance(value, SafeData):
        return str(value)
    return html.escape(text(value))
