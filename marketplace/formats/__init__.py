"""Per-language formats (en/, de/) and date helpers for notification texts and names."""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy


def _date(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


# "5 Dec 2026" / "5. Dez. 2026", written when the text is, in the reader's language.
date_lazy = lazy(_date, str)


def shown_date(value: datetime.date) -> str:
    """A date, or the local day of a moment, in the active language ("5. Dez. 2026")."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, "DATE_FORMAT")


def shown_datetime(value: datetime.datetime) -> str:
    """A moment in local time in the active language ("5. Dez. 2026, 14:30")."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, "DATETIME_FORMAT")
