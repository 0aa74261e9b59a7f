"""One form field (label, widget, help and errors) written in Python: the markup of
templates/components/field.html without its thirty-odd template nodes per field.

The search pages show a dozen fields on every request; {% form_field form.q %} renders each
here. tests/marketplace/test_fields.py holds it to the component's markup.
"""

from __future__ import annotations

from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe

from marketplace.html import escaped

REQUIRED = '<span class="field__required" aria-hidden="true">*</span>'


def _errors(field: BoundField) -> str:
    if not field.errors:
        return ""
    errors = "".join(f'<p class="field__error">{escaped(str(error))}</p>' for error in field.errors)
    return f'\n<div id="{escaped(field.auto_id)}_error">{errors}</div>'


def _classes(base: str, field: BoundField, extra: str) -> str:
    invalid = " field--invalid" if field.errors else ""
    more = f" {escaped(extra)}" if extra else ""
    return f"{base}{invalid}{more}"


def render_field(field: BoundField, *, hide_label: bool = False, css_class: str = "") -> SafeString:
    """What {% include "components/field.html" with field=... %} writes, in the same markup."""
    if field.is_hidden:
        return SafeString(str(field))
    auto_id = escaped(field.auto_id)
    label = escaped(field.label) + (REQUIRED if field.field.required else "")
    help_text = str(field.help_text) if field.help_text else ""  # |safe in the component
    errors = _errors(field)
    hidden = " visually-hidden" if hide_label else ""
    if field.widget_type == "checkbox":
        help_html = (
            f'\n<span class="field__help" id="{auto_id}_helptext">{help_text}</span>'
            if help_text
            else ""
        )
        html = (
            f'<div class="{_classes("field field--checkbox", field, css_class)}">\n'
            f'<label class="checkbox" for="{escaped(field.id_for_label)}">\n'
            f'{field}\n<span class="checkbox__text">\n<span>{label}</span>{help_html}\n</span>\n'
            f"</label>{errors}\n</div>"
        )
    elif field.use_fieldset:
        described = ""
        if help_text or field.errors:
            ids = (f"{auto_id}_helptext" if help_text else "") + (
                f" {auto_id}_error" if field.errors else ""
            )
            described = f' aria-describedby="{ids}"'
        help_html = (
            f'\n<div class="field__help" id="{auto_id}_helptext">{help_text}</div>'
            if help_text
            else ""
        )
        html = (
            f'<fieldset class="{_classes("field", field, css_class)}"{described}>\n'
            f'<legend class="field__label{hidden}">\n{label}\n</legend>{help_html}\n'
            f'<div class="field__choices">{field}</div>{errors}\n</fieldset>'
        )
    else:
        help_html = (
            f'\n<div class="field__help" id="{auto_id}_helptext">{help_text}</div>'
            if help_text
            else ""
        )
        html = (
            f'<div class="{_classes("field", field, css_class)}">\n'
            f'<label class="field__label{hidden}" for="{escaped(field.id_for_label)}">'
            f"\n{label}\n</label>\n{field}{help_html}{errors}\n</div>"
        )
    return mark_safe(html)  # every value above is escaped, or the form's own markup
