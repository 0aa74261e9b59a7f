"""Factories for referral leads. Published mandates and purchases come from the real services."""

import factory

from leads.models import LeadCriteria, Mandate, MandateContact
from tests.factories import ExpertFactory, SkillFactory, StaffFactory

CONTACT_EMAIL = "prospect.secret@client-corp.example"
CONTACT_PHONE = "+49 170 5550199"
CONTACT_NAME = "Prospect Hidden-Name"


class ProviderFactory(ExpertFactory):
    email = factory.Sequence(lambda n: f"provider{n}@example.com")


class LeadCriteriaFactory(factory.django.DjangoModelFactory):
    """Criteria for a provider; pass skills=[...] to say which services they offer."""

    class Meta:
        model = LeadCriteria
        django_get_or_create = ("user",)
        skip_postgeneration_save = True

    user = factory.SubFactory(ProviderFactory)
    is_active = True
    countries: list[str] = []
    regions: list[str] = []
    cities: list[str] = []

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create and extracted:
            self.skills.set(extracted)


class MandateFactory(factory.django.DjangoModelFactory):
    """A draft mandate with its hidden contact; publish it with services.publish_mandate."""

    class Meta:
        model = Mandate
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Injection moulding audit {n}")
    description = factory.Faker("paragraph")
    price = 5000
    currency = "EUR"
    country = "DE"
    city = "Munich"
    region = "Bavaria"
    budget_min = 200000
    budget_max = 500000
    max_buyers = 4
    half_price_offered = True
    created_by = factory.SubFactory(StaffFactory)
    contact = factory.RelatedFactory(
        "tests.leads.factories.MandateContactFactory", factory_related_name="mandate"
    )

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create:
            self.skills.set(extracted if extracted is not None else [SkillFactory()])


class MandateContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MandateContact

    mandate = factory.SubFactory(MandateFactory)
    name = CONTACT_NAME
    company = "Client Corp"
    email = CONTACT_EMAIL
    phone = CONTACT_PHONE
    notes = "Call after 10am"
