"""Matching a published mandate to providers' criteria, and telling them after commit."""

import pytest
from django.core import mail

from leads import selectors, services
from leads.models import LeadOffer
from notifications.models import Notification
from tests.factories import ClientFactory, SkillFactory
from tests.leads.factories import (
    CONTACT_EMAIL,
    CONTACT_NAME,
    CONTACT_PHONE,
    LeadCriteriaFactory,
    MandateFactory,
)

pytestmark = pytest.mark.django_db


def _matches(mandate, user) -> bool:
    return user in selectors.matching_providers(mandate=mandate)


def test_provider_offering_one_of_the_services_is_matched(make_provider, skill, staff):
    provider = make_provider(skills=[skill, SkillFactory()])
    mandate = MandateFactory(created_by=staff, skills=[skill, SkillFactory()])
    assert _matches(mandate, provider)


def test_provider_without_a_shared_service_is_not_matched(make_provider, staff):
    provider = make_provider()
    mandate = MandateFactory(created_by=staff, skills=[SkillFactory()])
    assert not _matches(mandate, provider)


def test_criteria_without_services_match_nothing(make_provider, skill, staff):
    provider = make_provider(skills=[])
    assert not _matches(MandateFactory(created_by=staff, skills=[skill]), provider)


@pytest.mark.parametrize(
    ("wanted", "budget", "expected"),
    [
        ((None, None), (200000, 500000), True),
        ((100000, 300000), (200000, 500000), True),
        ((600000, None), (200000, 500000), False),
        ((None, 100000), (200000, 500000), False),
        ((100000, 300000), (None, None), True),
        ((100000, 300000), (250000, None), True),
        ((300000, None), (None, 250000), False),
    ],
)
def test_budget_ranges_must_overlap(make_provider, skill, staff, wanted, budget, expected):
    provider = make_provider(budget_min=wanted[0], budget_max=wanted[1])
    mandate = MandateFactory(
        created_by=staff, skills=[skill], budget_min=budget[0], budget_max=budget[1]
    )
    assert _matches(mandate, provider) is expected


@pytest.mark.parametrize(
    ("areas", "expected"),
    [
        ({}, True),
        ({"countries": ["DE"]}, True),
        ({"countries": ["FR"]}, False),
        ({"regions": ["bavaria"]}, True),
        ({"regions": ["Tyrol"]}, False),
        ({"cities": ["MUNICH "]}, True),
        ({"cities": ["Berlin"], "countries": ["FR"]}, False),
        ({"cities": ["Berlin"], "regions": ["Bavaria"]}, True),
    ],
)
def test_areas_cover_the_country_region_or_city(make_provider, skill, staff, areas, expected):
    provider = make_provider(**areas)
    mandate = MandateFactory(
        created_by=staff, skills=[skill], country="DE", region="Bavaria", city="Munich"
    )
    assert _matches(mandate, provider) is expected


def test_a_mandate_without_a_place_matches_every_area(make_provider, skill, staff):
    provider = make_provider(countries=["FR"])
    mandate = MandateFactory(created_by=staff, skills=[skill], country="", region="", city="")
    assert _matches(mandate, provider)


def test_paused_criteria_inactive_users_and_non_providers_are_not_matched(skill, staff):
    paused = LeadCriteriaFactory(is_active=False, skills=[skill]).user
    inactive = LeadCriteriaFactory(skills=[skill]).user
    inactive.is_active = False
    inactive.save()
    client = ClientFactory()
    LeadCriteriaFactory(user=client, skills=[skill])
    mandate = MandateFactory(created_by=staff, skills=[skill])
    assert selectors.matching_providers(mandate=mandate) == []
    assert not {paused, inactive, client} & set(selectors.matching_providers(mandate=mandate))


def test_publishing_sends_the_mandate_in_app_and_by_email_after_commit(
    make_provider, publish, django_capture_on_commit_callbacks
):
    first, second = make_provider(), make_provider()
    outsider = make_provider(skills=[SkillFactory()])
    mandate = publish(description="Audit of two moulding lines before a plant extension.")

    offers = LeadOffer.objects.filter(mandate=mandate)
    assert {offer.provider for offer in offers} == {first, second}
    assert all(offer.notified_at for offer in offers)
    notes = Notification.objects.filter(kind="leads.new_mandate")
    assert {note.user for note in notes} == {first, second}
    assert sorted(message.to[0] for message in mail.outbox) == sorted([first.email, second.email])
    assert not Notification.objects.filter(user=outsider).exists()
    for message in mail.outbox:
        assert "Audit of two moulding lines" in message.body
        assert f"/leads/{mandate.pk}/" in message.body


def test_new_lead_emails_and_notifications_never_contain_the_contact(make_provider, publish):
    make_provider()
    make_provider(notify_in_app=False)
    publish()
    assert len(mail.outbox) == 2
    texts = [m.subject + m.body for m in mail.outbox]
    texts += [n.title + n.body for n in Notification.objects.all()]
    for text in texts:
        for secret in (CONTACT_EMAIL, CONTACT_PHONE, CONTACT_NAME, "Client Corp"):
            assert secret not in text


def test_email_only_provider_gets_an_email_and_no_in_app_notification(make_provider, publish):
    provider = make_provider(notify_in_app=False, notify_email=True)
    publish()
    assert [m.to for m in mail.outbox] == [[provider.email]]
    assert not Notification.objects.filter(user=provider).exists()


def test_in_app_only_provider_gets_no_email(make_provider, skill, publish):
    provider = make_provider()
    services.save_criteria(
        user=provider,
        skills=[skill],
        budget_min=None,
        budget_max=None,
        countries=[],
        regions=[],
        cities=[],
        notify_email=False,
        notify_in_app=True,
    )
    publish()
    assert Notification.objects.filter(user=provider, kind="leads.new_mandate").count() == 1
    assert mail.outbox == []


def test_providers_are_told_once_even_if_the_task_runs_again(make_provider, publish):
    make_provider()
    mandate = publish()
    assert services.send_offer_notifications(mandate_id=mandate.pk) == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1


def test_publishing_twice_is_refused(publish, staff):
    from leads.exceptions import InvalidTransition

    mandate = publish()
    with pytest.raises(InvalidTransition):
        services.publish_mandate(mandate=mandate, by=staff)
    assert LeadOffer.objects.filter(mandate=mandate).count() == 0


def test_only_staff_create_or_publish_mandates(make_provider, skill):
    from leads.exceptions import NotAllowed

    provider = make_provider()
    with pytest.raises(NotAllowed):
        services.create_mandate(
            by=provider,
            title="x",
            description="y",
            skills=[skill],
            price=100,
            contact_name="A",
            contact_email="a@example.com",
        )
    mandate = MandateFactory(skills=[skill])
    with pytest.raises(NotAllowed):
        services.publish_mandate(mandate=mandate, by=provider)
    mandate.refresh_from_db()
    assert mandate.status == "draft"


def test_each_provider_reads_the_new_lead_in_their_own_language(make_provider, publish, skill):
    skill.name_de = "Spritzguss"
    skill.save(update_fields=["name_de"])
    english = make_provider()
    german = make_provider()
    german.language = "de"
    german.save(update_fields=["language"])
    email_only = make_provider(notify_in_app=False)
    email_only.language = "de"
    email_only.save(update_fields=["language"])

    mandate = publish(budget_min=200000, budget_max=None, max_buyers=3)

    german_note = Notification.objects.get(user=german)
    assert german_note.title == f"Neuer vermittelter Lead: {mandate.title}"
    assert "Budget: ab €2.000,00" in german_note.body
    assert "Höchstens 3 Anbieter können diesen Lead kaufen." in german_note.body
    assert "Dienstleistungen: Spritzguss" in german_note.body
    english_note = Notification.objects.get(user=english)
    assert english_note.title == f"New referral lead: {mandate.title}"
    assert "Budget: from €2,000.00" in english_note.body
    assert "At most 3 providers can buy this lead." in english_note.body
    assert "Services: Injection moulding" in english_note.body
    (german_email,) = [m for m in mail.outbox if m.to == [email_only.email]]
    assert "Vermittlungspreis:" in german_email.body
    assert "Referral price" not in german_email.body
