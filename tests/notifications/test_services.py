"""notify, mark read, preferences and the email task."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.http import Http404

from notifications import services, tasks
from notifications.exceptions import UnknownKindError
from notifications.models import EmailPreference, Notification
from tests.notifications.factories import (
    EmailPreferenceFactory,
    NotificationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_notify_stores_the_notification_and_emails_it_after_commit(
    django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://guildhall.example"
    user = UserFactory(email="clara@example.com", name="Clara Client")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = services.notify(
            user=user,
            kind="bids.received",
            title="New bid on Logo design",
            body="Eddie bid 1,200 EUR.",
            url="/projects/7/",
        )
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    stored = Notification.objects.get()
    assert stored == notification
    assert (stored.user, stored.kind, stored.read_at) == (user, "bids.received", None)
    assert stored.emailed_at is not None
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["clara@example.com"]
    assert email.subject == "[Guildhall] New bid on Logo design"
    assert "Eddie bid 1,200 EUR." in email.body
    assert "https://guildhall.example/projects/7/" in email.body
    assert "https://guildhall.example/notifications/preferences/" in email.body


def test_notify_keeps_a_generic_target(django_capture_on_commit_callbacks):
    user = UserFactory()
    other = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notify(user=user, kind="x.y", title="About someone", target=other)
    notification.refresh_from_db()
    assert notification.target_type == ContentType.objects.get_for_model(other)
    assert notification.target == other


def test_notify_with_email_switched_off_stores_in_app_but_sends_nothing(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    EmailPreferenceFactory(user=user, kind="bids.received", email_enabled=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.notify(user=user, kind="bids.received", title="New bid")
    assert callbacks == []
    assert mail.outbox == []
    assert Notification.objects.filter(user=user, kind="bids.received").count() == 1


def test_switching_off_one_kind_leaves_other_kinds_emailed(django_capture_on_commit_callbacks):
    user = UserFactory()
    EmailPreferenceFactory(user=user, kind="bids.received", email_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(user=user, kind="escrow.released", title="Funds released")
    assert [m.subject for m in mail.outbox] == ["[Guildhall] Funds released"]


def test_notify_rolled_back_with_its_transaction_sends_nothing(
    django_capture_on_commit_callbacks,
):
    from django.db import transaction

    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.notify(user=user, kind="bids.received", title="Never committed")
                raise RuntimeError("the caller failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_email_task_is_idempotent_run_twice_sends_once():
    notification = NotificationFactory(title="Milestone started")
    assert tasks.send_notification_email.run(notification.pk) is True
    assert tasks.send_notification_email.run(notification.pk) is False
    assert len(mail.outbox) == 1


def test_email_task_gives_the_claim_back_when_sending_fails(monkeypatch):
    notification = NotificationFactory()

    def broken_send(self, fail_silently=False):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken_send)
    with pytest.raises(OSError, match="mail server down"):
        services.send_notification_email(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.emailed_at is None
    monkeypatch.undo()
    assert services.send_notification_email(notification_id=notification.pk) is True
    assert len(mail.outbox) == 1


def test_email_task_respects_a_preference_switched_off_after_queueing():
    notification = NotificationFactory(kind="bids.received")
    EmailPreferenceFactory(user=notification.user, kind="bids.received", email_enabled=False)
    assert services.send_notification_email(notification_id=notification.pk) is False
    assert mail.outbox == []


def test_email_uses_the_kind_template_when_there_is_one(tmp_path, settings):
    folder = tmp_path / "notifications" / "email"
    folder.mkdir(parents=True)
    (folder / "bids.received.txt").write_text(
        "You have a new bid: {{ notification.title }}\n\nSee {{ url }}\n"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    settings.SITE_URL = "https://example.org"
    notification = NotificationFactory(kind="bids.received", title="Logo", url="/p/1/")
    subject, body = services.render_email(notification=notification)
    assert subject == "[Guildhall] You have a new bid: Logo"
    assert body == "See https://example.org/p/1/\n"


def test_mark_read_marks_only_that_notification():
    user = UserFactory()
    mine, other_mine = NotificationFactory.create_batch(2, user=user)
    assert services.mark_read(user=user, notification=mine) is True
    mine.refresh_from_db()
    other_mine.refresh_from_db()
    assert mine.read_at is not None
    assert other_mine.read_at is None


def test_mark_read_twice_is_a_no_op_the_second_time():
    notification = NotificationFactory()
    services.mark_read(user=notification.user, notification=notification)
    first_read_at = Notification.objects.get().read_at
    assert services.mark_read(user=notification.user, notification=notification) is False
    assert Notification.objects.get().read_at == first_read_at


def test_mark_read_refuses_another_users_notification():
    notification = NotificationFactory()
    stranger = UserFactory()
    with pytest.raises(Http404):
        services.mark_read(user=stranger, notification=notification)
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_leaves_other_peoples_notifications_unread():
    user, other = UserFactory(), UserFactory()
    NotificationFactory.create_batch(3, user=user)
    theirs = NotificationFactory(user=other)
    assert services.mark_all_read(user=user) == 3
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_set_email_preferences_stores_only_switched_off_kinds():
    user = UserFactory()
    changed = services.set_email_preferences(
        user=user, enabled={"bids.received": False, "escrow.released": True}
    )
    assert changed == 1
    assert list(EmailPreference.objects.values_list("kind", "email_enabled")) == [
        ("bids.received", False)
    ]
    assert services.email_enabled_for(user=user, kind="bids.received") is False
    assert services.email_enabled_for(user=user, kind="escrow.released") is True


def test_set_email_preferences_switches_back_on():
    pref = EmailPreferenceFactory(kind="bids.received", email_enabled=False)
    assert services.set_email_preferences(user=pref.user, enabled={"bids.received": True}) == 1
    pref.refresh_from_db()
    assert pref.email_enabled is True


def test_set_email_preferences_refuses_unknown_kinds_and_changes_nothing():
    user = UserFactory()
    with pytest.raises(UnknownKindError):
        services.set_email_preferences(
            user=user, enabled={"bids.received": False, "made.up": False}
        )
    assert not EmailPreference.objects.exists()


def test_set_email_preferences_accepts_a_kind_the_user_has_received():
    notification = NotificationFactory(kind="surveys.feedback_asked")
    services.set_email_preferences(
        user=notification.user, enabled={"surveys.feedback_asked": False}
    )
    assert (
        services.email_enabled_for(user=notification.user, kind="surveys.feedback_asked") is False
    )


def test_notify_an_inactive_user_stores_in_app_but_sends_nothing(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.notify(user=user, kind="bids.received", title="New bid")
    assert callbacks == []
    assert mail.outbox == []
    assert Notification.objects.filter(user=user).count() == 1
