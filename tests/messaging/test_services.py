"""Sending messages: masking before a contract, flags for staff, read state, refusals."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from messaging import selectors, services
from messaging.contact_guard import MASK
from messaging.exceptions import MessageRefused, NotAParticipant
from messaging.models import Message
from notifications.models import Notification
from tests.factories import ClientFactory, ExpertFactory, StaffFactory
from tests.messaging.factories import conversation_between

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.MAX_DOCUMENT_SIZE = 1024
    settings.MESSAGE_MAX_ATTACHMENTS = 2


def test_message_with_contact_details_is_masked_and_flagged():
    chat = conversation_between()
    sender = chat.participants.first().user
    message = services.send_message(conversation=chat, by=sender, body="Mail me: a@b.com")
    assert message.body == f"Mail me: {MASK}"
    assert message.original_body == "Mail me: a@b.com"
    assert message.flagged
    assert message.flag_reasons == "email"


def test_after_contract_contact_details_are_not_masked():
    chat = conversation_between(guard=False)
    sender = chat.participants.first().user
    message = services.send_message(conversation=chat, by=sender, body="Call +49 30 1234567")
    assert message.body == "Call +49 30 1234567"
    assert not message.flagged


def test_lift_contact_guard_stops_masking():
    chat = conversation_between()
    services.lift_contact_guard(conversation=chat)
    sender = chat.participants.first().user
    assert not services.send_message(conversation=chat, by=sender, body="a@b.com").flagged


def test_send_message_tells_the_other_side():
    client, expert = ClientFactory(), ExpertFactory()
    chat = conversation_between(client, expert)
    services.send_message(conversation=chat, by=client, body="When can you start?")
    assert Notification.objects.filter(user=expert, kind="messaging.new_message").count() == 1
    assert not Notification.objects.filter(user=client).exists()


def test_outsider_cannot_send():
    chat = conversation_between()
    with pytest.raises(NotAParticipant):
        services.send_message(conversation=chat, by=ExpertFactory(), body="Hello")
    assert not Message.objects.exists()


def test_staff_can_post_as_staff():
    chat = conversation_between()
    message = services.send_message(conversation=chat, by=StaffFactory(), body="We can help.")
    assert message.from_staff
    assert message.sender_name == "Guildhall staff"


def test_empty_message_is_refused():
    chat = conversation_between()
    with pytest.raises(MessageRefused):
        services.send_message(conversation=chat, by=chat.participants.first().user, body="  ")
    assert not Message.objects.exists()


def test_oversized_attachment_is_refused():
    chat = conversation_between()
    upload = SimpleUploadedFile("big.zip", b"x" * 4096)
    with pytest.raises(MessageRefused, match="larger"):
        services.send_message(
            conversation=chat, by=chat.participants.first().user, body="hi", files=[upload]
        )
    assert not Message.objects.exists()


def test_attachment_is_kept():
    chat = conversation_between()
    upload = SimpleUploadedFile("brief.txt", b"brief")
    message = services.send_message(
        conversation=chat, by=chat.participants.first().user, body="", files=[upload]
    )
    assert message.attachments.get().name == "brief.txt"


def test_unread_counts_follow_read_state():
    client, expert = ClientFactory(), ExpertFactory()
    chat = conversation_between(client, expert)
    services.send_message(conversation=chat, by=client, body="One")
    services.send_message(conversation=chat, by=client, body="Two")
    assert selectors.unread_total(expert) == 2
    assert selectors.unread_total(client) == 0
    services.mark_read(conversation=chat, by=expert)
    assert selectors.unread_total(expert) == 0


def test_open_conversation_twice_returns_the_same_one():
    client, expert = ClientFactory(), ExpertFactory()
    first = conversation_between(client, expert)
    again = conversation_between(client, expert)
    assert first.pk == again.pk
    assert again.participants.count() == 2


def test_review_flag_is_for_staff():
    chat = conversation_between()
    message = services.send_message(
        conversation=chat, by=chat.participants.first().user, body="a@b.com"
    )
    with pytest.raises(NotAParticipant):
        services.review_flag(message=message, by=chat.participants.first().user)
    services.review_flag(message=message, by=StaffFactory())
    message.refresh_from_db()
    assert message.flag_reviewed


def test_attachment_name_with_contact_details_is_masked_while_guarded():
    chat = conversation_between()
    upload = SimpleUploadedFile("call +49 I7O 1234567.txt", b"brief")
    message = services.send_message(
        conversation=chat, by=chat.participants.first().user, body="", files=[upload]
    )
    name = message.attachments.get().name
    assert "1234567" not in name
    assert MASK in name
