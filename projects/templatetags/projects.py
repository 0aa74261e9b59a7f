from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from projects.markdown import render_markdown
from projects.search import _ago

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """{{ project.description|markdown }}: Markdown rendered and sanitised."""
    return render_markdown(text)


@register.filter(name="ago")
def ago_filter(moment: datetime) -> str:
    """{{ project.published_at|ago }}: "3 days ago", "just now", in the reader's language; the
    same words as the search result cards."""
    return _ago(moment, timezone.now())
