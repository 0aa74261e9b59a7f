"""Reads on conversations: who may open which, the inbox, unread counts."""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from accounts.models import User
from messaging.models import Conversation, Message, Participant


def conversations_for(user: User) -> QuerySet[Conversation]:
    """The inbox: conversations the user takes part in (every one, for staff), newest first,
    each with `unread` (messages from others since the user last read)."""
    seat = Participant.objects.filter(conversation=OuterRef("pk"), user=user)
    conversations = (
        Conversation.objects.all()
        if user.is_staff
        else Conversation.objects.filter(participants__user=user)
    )
    return (
        conversations.annotate(
            my_last_read=Subquery(seat.values("last_read_at")[:1]),
        )
        .annotate(
            unread=Count(
                "messages",
                filter=~Q(messages__sender=user)
                & (Q(my_last_read__isnull=True) | Q(messages__created_at__gt=F("my_last_read"))),
            )
        )
        .order_by(F("last_message_at").desc(nulls_last=True), "-id")
    )


def unread_total(user: User) -> int:
    if not user.is_authenticated:
        return 0
    mine = conversations_for(user).filter(participants__user=user)
    return sum(getattr(conversation, "unread", 0) for conversation in mine)


def get_conversation_for(*, user: User, pk: int) -> Conversation:
    """The conversation if the user takes part in it or is staff; Http404 otherwise."""
    conversations = Conversation.objects.all()
    if not user.is_staff:
        conversations = conversations.filter(participants__user=user)
    try:
        return conversations.get(pk=pk)
    except Conversation.DoesNotExist:
        raise Http404("No such conversation.") from None


def seat_of(conversation: Conversation, user: User) -> Participant | None:
    return conversation.participants.filter(user=user).first()


def messages_in(conversation: Conversation, *, after: int | None = None) -> QuerySet[Message]:
    messages = conversation.messages.prefetch_related("attachments")
    if after is not None:
        messages = messages.filter(id__gt=after)
    return messages.order_by("created_at", "id")


def conversation_by_key(key: str) -> Conversation | None:
    return Conversation.objects.filter(key=key).first()
