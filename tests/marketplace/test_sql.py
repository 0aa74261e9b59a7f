"""Querysets compiled once (marketplace/sql.py) read what the queryset itself reads."""

import pytest

from accounts.models import ExpertSkill, User
from marketplace.sql import CompiledQuery
from notifications.models import Notification
from notifications.selectors import UNREAD_CAP, unread_count
from projects.search import expert_skill_ids
from tests.factories import UserFactory
from tests.projects.factories import make_expert_with

pytestmark = pytest.mark.django_db


def test_compiled_query_reads_each_callers_own_rows():
    first, second = UserFactory(), UserFactory()
    emails = CompiledQuery(lambda pk: User.objects.filter(pk=pk).values_list("email"))
    assert emails.rows(first.pk) == [(first.email,)]
    assert emails.rows(second.pk) == [(second.email,)]
    assert emails.rows(0) == []


def test_compiled_query_refuses_a_queryset_that_loses_a_value():
    lost = CompiledQuery(lambda _pk: User.objects.filter(is_active=True).values_list("email"))
    with pytest.raises(ValueError, match="exactly once"):
        lost.rows(1)


def test_expert_skill_ids_are_the_viewers_own_most_experienced_first():
    expert = make_expert_with("injection-moulding", "failure-analysis", "logo-design")
    other = make_expert_with("logo-design")
    skills = ExpertSkill.objects.filter(profile__user=expert)
    for years, row in zip([2, 9, 5], skills.order_by("pk"), strict=True):
        row.years = years
        row.save()
    expected = list(skills.order_by("-years", "skill_id").values_list("skill_id", flat=True))
    assert expert_skill_ids(expert) == expected
    assert expert_skill_ids(other) == [other.expert_profile.skills.get().skill_id]
    assert expert_skill_ids(UserFactory()) == []


def test_unread_count_counts_the_users_unread_up_to_the_cap():
    user, other = UserFactory(), UserFactory()
    Notification.objects.bulk_create(
        [Notification(user=user, kind="test", title="t") for _ in range(UNREAD_CAP + 5)]
        + [Notification(user=other, kind="test", title="t")]
    )
    assert unread_count(user=user) == UNREAD_CAP
    Notification.objects.filter(user=other).update(read_at="2026-01-01T00:00:00Z")
    assert unread_count(user=other) == 0
