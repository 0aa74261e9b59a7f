"""Names as the viewer may see them (managed projects keep the parties anonymous)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def shown_name(user: Any, aliases: dict[int, str] | None = None) -> str:
    """{{ event.by|shown_name:aliases }}: the alias when the viewer must not see the name."""
    if user is None:
        return "Guildhall"
    if aliases and user.pk in aliases:
        return aliases[user.pk]
    return str(user.display_name)
