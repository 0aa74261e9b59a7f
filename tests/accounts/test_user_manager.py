"""User.objects.get(pk=...) runs compiled SQL and answers exactly as the ORM would."""

import pytest
from django.db.models import QuerySet

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_get_by_pk_returns_the_same_user_as_the_orm():
    user = UserFactory(name="Priya Raman", language="de")

    fast = User.objects.get(pk=user.pk)
    usual = QuerySet(User).get(pk=user.pk)

    assert type(fast) is User
    assert fast.pk == user.pk
    assert not fast._state.adding
    for field in User._meta.concrete_fields:
        assert getattr(fast, field.attname) == getattr(usual, field.attname)
    fast.name = "Priya R."
    fast.save(update_fields=["name"])  # a loaded row, not a new one
    assert User.objects.filter(pk=user.pk, name="Priya R.").exists()


def test_get_by_pk_of_nobody_raises_does_not_exist(django_assert_num_queries):
    with django_assert_num_queries(1), pytest.raises(User.DoesNotExist):
        User.objects.get(pk=987_654_321)


def test_other_lookups_go_the_usual_way():
    user = UserFactory(email="ann@lookup.example")
    assert User.objects.get(email="ann@lookup.example") == user
    assert User.objects.get(pk=user.pk, is_active=True) == user
    UserFactory(name="Twin")
    UserFactory(name="Twin")
    with pytest.raises(User.MultipleObjectsReturned):
        User.objects.get(name="Twin")
