"""{% party contract person %}: a contract party's name as the viewer may see it."""

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def party(context: dict[str, Any], contract: Any, person: Any) -> str:
    """The real name, or the alias in a managed project (see Contract.name_for)."""
    request = context.get("request")
    return contract.name_for(person, viewer=getattr(request, "user", None))
