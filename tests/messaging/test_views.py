"""Inbox and conversation pages: access, sending with and without HTMX, polling."""

import pytest
from django.urls import reverse

from messaging import services
from messaging.models import Message
from tests.factories import ClientFactory, ExpertFactory
from tests.messaging.factories import conversation_between

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return ClientFactory(), ExpertFactory()


@pytest.fixture
def chat(people):
    return conversation_between(*people)


def test_inbox_lists_conversations_with_unread_counts(client, people, chat):
    services.send_message(conversation=chat, by=people[0], body="Hello")
    client.force_login(people[1])
    response = client.get(reverse("messaging:inbox"))
    assert "1 new" in response.text
    assert "Bid on “Logo”" in response.text


def test_inbox_query_count_is_bounded(client, people, django_assert_max_num_queries):
    for _ in range(15):
        chat = conversation_between(people[0], ExpertFactory())
        services.send_message(conversation=chat, by=people[0], body="Hi")
    client.force_login(people[0])
    with django_assert_max_num_queries(10):
        assert client.get(reverse("messaging:inbox")).status_code == 200


def test_conversation_page_marks_read(client, people, chat):
    services.send_message(conversation=chat, by=people[0], body="Question?")
    client.force_login(people[1])
    response = client.get(chat.get_absolute_url())
    assert "Question?" in response.text
    assert chat.participants.get(user=people[1]).last_read_at is not None


def test_conversation_hidden_from_outsiders(client, chat):
    client.force_login(ExpertFactory())
    assert client.get(chat.get_absolute_url()).status_code == 404


def test_send_with_htmx_shows_inline_explanation_when_masked(client, people, chat):
    client.force_login(people[1])
    response = client.post(
        reverse("messaging:send", args=[chat.pk]),
        {"body": "Skype: jane.doe.design"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="conversation-body"' in response.text
    assert "We removed contact details" in response.text
    assert "jane.doe.design" not in response.text
    assert Message.objects.get().flagged


def test_send_without_javascript_redirects(client, people, chat):
    client.force_login(people[0])
    response = client.post(reverse("messaging:send", args=[chat.pk]), {"body": "Hi"})
    assert response.status_code == 302
    assert Message.objects.count() == 1


def test_send_empty_shows_error(client, people, chat):
    client.force_login(people[0])
    response = client.post(reverse("messaging:send", args=[chat.pk]), {"body": ""})
    assert response.status_code == 400
    assert "Write a message or attach a file." in response.text


def test_polling_returns_only_new_messages(client, people, chat):
    old = services.send_message(conversation=chat, by=people[0], body="Old one")
    services.send_message(conversation=chat, by=people[0], body="New one")
    client.force_login(people[1])
    response = client.get(chat.get_absolute_url(), {"after": old.pk}, HTTP_HX_REQUEST="true")
    assert "New one" in response.text
    assert "Old one" not in response.text
    assert 'id="poller"' in response.text
    assert "<html" not in response.text


def test_attachment_download_is_for_participants(client, people, chat):
    from django.core.files.uploadedfile import SimpleUploadedFile

    message = services.send_message(
        conversation=chat, by=people[0], body="", files=[SimpleUploadedFile("a.txt", b"abc")]
    )
    url = message.attachments.get().get_absolute_url()
    client.force_login(people[1])
    assert client.get(url).status_code == 200
    client.force_login(ExpertFactory())
    assert client.get(url).status_code == 404
