"""Factories for the notifications tests (users come from a small local factory)."""

import factory
from django.contrib.auth import get_user_model

from notifications.models import EmailPreference, Notification


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Faker("name")
    is_client = True
    password = factory.django.Password("correct-horse-battery")


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = "bids.received"
    title = factory.Faker("sentence", nb_words=6)
    body = factory.Faker("paragraph")
    url = "/dashboard/"


class EmailPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailPreference

    user = factory.SubFactory(UserFactory)
    kind = "bids.received"
    email_enabled = False
