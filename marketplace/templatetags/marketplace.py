"""Template helpers shared by every app (loaded as a builtin)."""

from django import template

register = template.Library()
