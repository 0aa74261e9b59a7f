"""Per-language formats (en/, de/) and lazy date helpers for notification texts."""

import datetime

from django.utils.formats import date_format
from django.utils.functional import lazy


def _date(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


# "5 Dec 2026" / "5. Dez. 2026", written when the text is, in the reader's language.
date_lazy = lazy(_date, str)
