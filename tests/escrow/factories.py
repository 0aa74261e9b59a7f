"""Factories for the money tests. State with invariants (funded held funds) comes from services."""

import factory
from django.contrib.auth import get_user_model


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"money-user-{n}@example.com")
    name = factory.Faker("name")
    password = factory.django.Password("pass-for-tests-123")
