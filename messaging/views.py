"""Messages inbox and conversation pages; new messages arrive by HTMX polling."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from accounts.models import User
from messaging import selectors, services
from messaging.contact_guard import explain
from messaging.exceptions import MessagingError
from messaging.forms import MessageForm
from messaging.models import Conversation, Message, MessageAttachment

PAGE = "messaging/conversation.html"


class AuthedRequest(HttpRequest):
    htmx: HtmxDetails
    user: User


@login_required
@require_GET
def inbox(request: AuthedRequest) -> HttpResponse:
    conversations = list(selectors.conversations_for(request.user)[:100])
    return render(request, "messaging/inbox.html", {"conversations": conversations})


def _context(
    request: AuthedRequest, conversation: Conversation, *, after: int | None = None
) -> dict[str, Any]:
    thread = list(selectors.messages_in(conversation, after=after))
    last_id = thread[-1].pk if thread else after or 0
    return {
        "conversation": conversation,
        "thread": thread,
        "last_id": last_id,
        "poll_seconds": settings.MESSAGE_POLL_SECONDS,
        "people": list(conversation.participants.select_related("user")),
    }


@login_required
@require_GET
def conversation(request: AuthedRequest, pk: int) -> HttpResponse:
    chat = selectors.get_conversation_for(user=request.user, pk=pk)
    services.mark_read(conversation=chat, by=request.user)
    if request.htmx and "after" in request.GET:
        try:
            after = int(request.GET["after"])
        except ValueError:
            raise Http404("No such message.") from None
        return render(request, f"{PAGE}#news", _context(request, chat, after=after))
    context = _context(request, chat)
    context["form"] = MessageForm()
    return render(request, PAGE, context)


@login_required
@require_POST
def send(request: AuthedRequest, pk: int) -> HttpResponse:
    chat = selectors.get_conversation_for(user=request.user, pk=pk)
    form = MessageForm(request.POST, request.FILES)
    notice = ""
    if form.is_valid():
        try:
            sent: Message = services.send_message(
                conversation=chat,
                by=request.user,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
            )
        except MessagingError as error:
            form.add_error(None, str(error))
        else:
            notice = explain(sent.flag_reasons.split(", ")) if sent.flagged else ""
            if not request.htmx:
                if notice:
                    messages.warning(request, notice)
                return redirect(chat)
            form = MessageForm()
    if not request.htmx:
        context = _context(request, chat)
        context["form"] = form
        return render(request, PAGE, context, status=400)
    context = _context(request, chat)
    context.update(form=form, notice=notice)
    return render(request, f"{PAGE}#conversation-body", context)


@login_required
@require_GET
def attachment(request: AuthedRequest, pk: int) -> FileResponse:
    item = get_object_or_404(MessageAttachment.objects.select_related("message"), pk=pk)
    selectors.get_conversation_for(user=request.user, pk=item.message.conversation_id)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)
