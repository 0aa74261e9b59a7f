"""Money events reach people through the real notifications app (in-app row, email after commit)."""

import pytest
from django.core import mail

from escrow.services import fund_escrow, release_escrow
from tests.escrow.conftest import top_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_notifications():
    """Override the recorder: use the real notifications service here."""
    return []


def test_release_notifies_the_expert_in_app_and_by_email(
    client_user, expert, django_capture_on_commit_callbacks
):
    from notifications.models import Notification

    top_up(client_user, 5000)
    fund_escrow(payer=client_user, payee=expert, reference="m:n", amount=5000, source="balance")
    with django_capture_on_commit_callbacks(execute=True):
        release_escrow(reference="m:n", by=client_user)
    kinds = list(Notification.objects.filter(user=expert).values_list("kind", flat=True))
    assert "escrow.released" in kinds
    assert any(expert.email in message.to for message in mail.outbox)
