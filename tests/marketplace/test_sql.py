"""Querysets compiled once (marketplace/sql.py) read what the queryset itself reads."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import ExpertSkill, User
from marketplace.sql import CompiledQuery, ShapedQueries
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


def _emails(values):
    users = User.objects.filter(email__gte=values["prefix"], email__lt=values["prefix_end"])
    if "joined" in values:
        users = users.filter(date_joined__gte=values["joined"])
    return users.order_by("email").values_list("email", named=True)


def test_shaped_queries_compile_a_shape_once_and_substitute_each_callers_values():
    ann, bob = UserFactory(email="ann@shape.example"), UserFactory(email="bob@shape.example")
    queries = ShapedQueries()

    ann_only = {"prefix": "ann@", "prefix_end": "ann@~"}
    bob_only = {"prefix": "bob@", "prefix_end": "bob@~"}
    assert [row.email for row in queries.rows("emails", ann_only, _emails)] == [ann.email]
    assert [row.email for row in queries.rows("emails", bob_only, _emails)] == [bob.email]
    later = {**ann_only, "joined": timezone.now() + timedelta(days=1)}
    assert queries.rows("emails", later, _emails) == []  # another set of values: its own SQL
    assert len(queries.compiled) == 2


def test_shaped_queries_refuse_a_value_written_into_the_sql():
    def inlined(values):
        where = [f"id <> {values['skip']}"]  # the inlined value this test expects refused
        return User.objects.extra(where=where).values_list("email")  # noqa: S610

    def rewritten(values):
        return User.objects.filter(email__startswith=values["prefix"]).values_list("email")

    with pytest.raises(ValueError, match="writes"):
        ShapedQueries().rows("inlined", {"skip": 3}, inlined)
    with pytest.raises(ValueError, match="rewrites"):
        ShapedQueries().rows("rewritten", {"prefix": "ann@"}, rewritten)
    with pytest.raises(TypeError, match="shape"):
        ShapedQueries().rows("flag", {"skip": True}, inlined)


def test_shaped_queries_keep_at_most_their_limit_of_shapes():
    UserFactory(email="ann@shape.example")
    queries = ShapedQueries(limit=2)
    values = {"prefix": "ann@", "prefix_end": "ann@~"}
    for shape in ("a", "b", "c"):
        assert len(queries.rows(shape, values, _emails)) == 1
    assert [shape for (_vendor, (shape, _keys)) in queries.compiled] == ["b", "c"]
