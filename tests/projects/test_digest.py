"""The new-matching-projects digest email."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from projects import services
from projects.models import DigestEntry, DigestPreference, Project
from tests.projects.factories import category, make_expert_with, make_open_project, skill

pytestmark = pytest.mark.django_db


def _engineering(**overrides):
    return {
        "category": category("engineering"),
        "skills": [skill("injection-moulding")],
        **overrides,
    }


def test_weekly_digest_emails_matching_new_projects(owner, django_capture_on_commit_callbacks):
    expert = make_expert_with("injection-moulding")
    make_open_project(owner, title="Mould audit", **_engineering())
    make_open_project(owner, title="Logo")
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_digests(frequency="weekly")
    assert sent == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [expert.email]
    assert "Mould audit" in message.body
    assert "Logo" not in message.body
    assert DigestEntry.objects.filter(user=expert).count() == 1


def test_each_project_is_sent_at_most_once(owner, django_capture_on_commit_callbacks):
    make_expert_with("injection-moulding")
    make_open_project(owner, title="Mould audit", **_engineering())
    with django_capture_on_commit_callbacks(execute=True):
        services.send_digests(frequency="weekly")
    DigestPreference.objects.update(last_sent_at=None)  # even if the clock says "send again"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_digests(frequency="weekly") == 0
    assert len(mail.outbox) == 1


def test_nothing_is_sent_when_nothing_matches(owner, django_capture_on_commit_callbacks):
    make_expert_with("injection-moulding")
    make_open_project(owner, title="Logo")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_digests(frequency="weekly") == 0
    assert mail.outbox == []
    assert not DigestEntry.objects.exists()


def test_daily_and_weekly_choices_are_respected(owner, django_capture_on_commit_callbacks):
    daily = make_expert_with("injection-moulding")
    weekly = make_expert_with("injection-moulding")
    never = make_expert_with("injection-moulding")
    services.set_digest_frequency(user=daily, frequency="daily")
    services.set_digest_frequency(user=never, frequency="never")
    make_open_project(owner, title="Mould audit", **_engineering())
    with django_capture_on_commit_callbacks(execute=True):
        services.send_digests(frequency="daily")
    assert [m.to for m in mail.outbox] == [[daily.email]]
    with django_capture_on_commit_callbacks(execute=True):
        services.send_digests(frequency="weekly")
    assert [m.to for m in mail.outbox] == [[daily.email], [weekly.email]]


def test_old_private_and_restricted_projects_are_left_out(
    owner, django_capture_on_commit_callbacks
):
    make_expert_with("injection-moulding")
    old = make_open_project(owner, title="Old audit", **_engineering())
    Project.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=8))
    make_open_project(owner, title="Private audit", visibility="private", **_engineering())
    make_open_project(
        owner, title="Business audit", restricted_to_businesses=True, **_engineering()
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_digests(frequency="weekly") == 0
    assert mail.outbox == []


def test_digest_settings_page_saves_choice(client, expert):
    client.force_login(expert)
    response = client.post("/projects/digest/", {"frequency": "daily"})
    assert response.status_code == 302
    assert DigestPreference.objects.get(user=expert).frequency == "daily"


def test_digest_respects_the_email_switch_in_notification_preferences(
    owner, django_capture_on_commit_callbacks
):
    from notifications.models import EmailPreference

    expert = make_expert_with("injection-moulding")
    EmailPreference.objects.create(user=expert, kind="projects.digest", email_enabled=False)
    make_open_project(owner, title="Mould audit", **_engineering())
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_digests(frequency="weekly") == 0
    assert mail.outbox == []
    assert not DigestEntry.objects.exists()
