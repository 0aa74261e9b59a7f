"""The email preferences form: one on/off switch per notification kind."""

from __future__ import annotations

from typing import Any

from django import forms


class EmailPreferencesForm(forms.Form):
    """Built from the selector's rows; field names are the kinds themselves."""

    def __init__(self, *args: Any, rows: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[row["kind"]] = forms.BooleanField(
                label=row["label"], required=False, initial=row["email_enabled"]
            )

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """(group name, bound fields) in page order, for the template."""
        grouped: dict[str, list[forms.BoundField]] = {}
        for row in self.rows:
            grouped.setdefault(row["group"], []).append(self[row["kind"]])
        return list(grouped.items())

    def enabled(self) -> dict[str, bool]:
        return {kind: bool(self.cleaned_data.get(kind)) for kind in self.fields}
