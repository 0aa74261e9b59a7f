"""<input> widgets written in Python, for forms shown on every request (the search filters).

Each class keeps the name of the widget it stands in for, because a bound field's widget_type
(which components/field.html and {% form_field %} read, e.g. "checkbox") comes from the class
name. FAST_INPUTS maps each standard widget to its stand-in.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import forms
from django.forms.widgets import Input, Widget
from django.utils.safestring import SafeString, mark_safe

from marketplace import forms as marketplace_forms
from marketplace.html import text


class FastInput(Input):
    """An <input> in the markup of Django's input.html and attrs.html, without rendering
    those templates."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"']
        if widget["value"] is not None:
            html.append(f' value="{escape(text(widget["value"]))}"')
        for key, item in widget["attrs"].items():
            if item is True:
                html.append(f" {escape(key)}")
            elif item is not False:
                html.append(f' {escape(key)}="{escape(text(item))}"')
        return mark_safe("".join(html) + ">")  # every value above is escaped


class SearchInput(FastInput, forms.SearchInput):
    pass


class TextInput(FastInput, forms.TextInput):
    pass


class MoneyInput(FastInput, marketplace_forms.MoneyInput):
    pass


class CheckboxInput(FastInput, forms.CheckboxInput):
    pass


FAST_INPUTS: dict[type[Widget], type[FastInput]] = {
    forms.SearchInput: SearchInput,
    forms.TextInput: TextInput,
    marketplace_forms.MoneyInput: MoneyInput,
    forms.CheckboxInput: CheckboxInput,
}
