"""Writes on conversations: open one, send a message (through the contact guard), mark read.

Other apps (bids, workspaces) open the conversations for their subjects with `open_conversation`
and lift the contact guard with `lift_contact_guard` once a contract exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from messaging.contact_guard import guard
from messaging.exceptions import MessageRefused, NotAParticipant
from messaging.models import Conversation, Message, MessageAttachment, Participant
from notifications.services import notify

MAX_BODY = 5000
STAFF_NAME = "Guildhall staff"


@transaction.atomic
def open_conversation(
    *,
    key: str,
    kind: str,
    subject: str,
    params: dict[str, str] | None = None,
    subject_url: str = "",
    people: Sequence[tuple[User, str]] = (),
    guard_contacts: bool = True,
) -> Conversation:
    """The conversation with this key, created if new; `people` are (user, alias) pairs added
    when missing. Calling it twice is harmless. Its heading is written from `kind`, `subject`
    (text as typed, e.g. the project title) and `params` in each reader's language."""
    conversation, _unused = Conversation.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "subject": subject[:200],
            "params": params or {},
            "subject_url": subject_url[:300],
            "guard_contacts": guard_contacts,
        },
    )
    present = set(conversation.participants.values_list("user_id", flat=True))
    Participant.objects.bulk_create(
        [
            Participant(conversation=conversation, user=user, alias=alias[:80])
            for user, alias in people
            if user.pk not in present
        ]
    )
    return conversation


@transaction.atomic
def lift_contact_guard(*, conversation: Conversation) -> Conversation:
    """Contact details are no longer masked (a contract exists between the parties)."""
    Conversation.objects.filter(pk=conversation.pk).update(guard_contacts=False)
    conversation.guard_contacts = False
    return conversation


def _check_files(files: Iterable[UploadedFile]) -> list[UploadedFile]:
    uploads = [f for f in files if f]
    if len(uploads) > settings.MESSAGE_MAX_ATTACHMENTS:
        raise MessageRefused(
            _("Attach at most {MESSAGE_MAX_ATTACHMENTS} files.").format(
                MESSAGE_MAX_ATTACHMENTS=settings.MESSAGE_MAX_ATTACHMENTS
            )
        )
    limit = settings.MAX_DOCUMENT_SIZE
    for upload in uploads:
        if upload.size is None or upload.size > limit:
            raise MessageRefused(
                _("“{name}” is larger than {filesizeformat}; attach a smaller file.").format(
                    name=upload.name, filesizeformat=filesizeformat(limit)
                )
            )
    return uploads


@transaction.atomic
def send_message(
    *,
    conversation: Conversation,
    by: User,
    body: str,
    files: Iterable[UploadedFile] = (),
) -> Message:
    """Post a message; before a contract, contact details are masked and the message flagged.
    The other participants are notified after the commit."""
    seat = conversation.participants.filter(user=by).first()
    if seat is None and not by.is_staff:
        raise NotAParticipant(_("You are not part of this conversation."))
    text = body.strip()
    uploads = _check_files(files)
    if not text and not uploads:
        raise MessageRefused(_("Write a message or attach a file."))
    if len(text) > MAX_BODY:
        raise MessageRefused(
            _("Keep a message under {MAX_BODY} characters.").format(MAX_BODY=MAX_BODY)
        )
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    result = guard(text) if conversation.guard_contacts else None
    masked = result is not None and result.masked
    from_staff = by.is_staff
    now = timezone.now()
    message = Message.objects.create(
        conversation=conversation,
        sender=by,
        sender_name=(STAFF_NAME if from_staff or seat is None else seat.shown_name)[:80],
        from_staff=from_staff,
        body=result.text if masked and result else text,
        original_body=text if masked else "",
        flagged=masked,
        flag_reasons=", ".join(result.found)[:120] if masked and result else "",
        created_at=now,
    )
    for upload in uploads:
        name = (
            by.without_identity(upload.name or "file", alias=seat.alias)
            if seat is not None and seat.alias
            else (upload.name or "file")
        )
        named = guard(name) if conversation.guard_contacts else None
        if named is not None and named.masked:
            name = named.text  # a file name is text the other side reads too
        MessageAttachment.objects.create(
            message=message, file=upload, name=name[-200:], size=upload.size or 0
        )
    conversation.last_message_at = now
    conversation.save(update_fields=["last_message_at"])
    if seat is not None:
        seat.last_read_at = now
        seat.save(update_fields=["last_read_at"])
    for other in conversation.participants.exclude(user=by).select_related("user"):
        notify(
            user=other.user,
            kind="messaging.new_message",
            title=format_lazy(
                gettext_lazy("New message from {sender_name} in “{title}”"),
                sender_name=message.sender_name,
                title=conversation.heading,
            ),
            body=message.body[:300],
            url=conversation.get_absolute_url(),
            target=conversation,
        )
    return message


@transaction.atomic
def mark_read(*, conversation: Conversation, by: User) -> None:
    """Everything in the conversation up to now counts as read by `by` (no-op for staff
    reading a conversation they are not part of)."""
    Participant.objects.filter(conversation=conversation, user=by).update(
        last_read_at=timezone.now()
    )


@transaction.atomic
def review_flag(*, message: Message, by: User) -> Message:
    """Staff looked at a flagged message."""
    if not by.is_staff:
        raise NotAParticipant(_("Only staff review flagged messages."))
    Message.objects.filter(pk=message.pk).update(flag_reviewed=True)
    message.flag_reviewed = True
    return message
