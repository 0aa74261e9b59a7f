"""Shared factories (factory-boy + Faker). Apps add theirs below, or in tests/<app>/factories.py.

Accounts: users in each role, with their profiles. State with rules (a verified company) is
made by calling the real services in the tests.
"""

import factory
from django.core.files.base import ContentFile

from accounts.models import (
    ClientProfile,
    CompanyDocument,
    CompanyProfile,
    Experience,
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    Language,
    PortfolioItem,
    Qualification,
    Skill,
    SkillCategory,
    User,
)

TEST_PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Faker("name")
    password = factory.django.Password(TEST_PASSWORD)


class StaffFactory(UserFactory):
    email = factory.Sequence(lambda n: f"staff{n}@guildhall.example")
    is_staff = True


class ClientFactory(UserFactory):
    """An individual hiring; has a ClientProfile."""

    is_client = True
    active_role = User.Role.CLIENT
    client_profile = factory.RelatedFactory(
        "tests.factories.ClientProfileFactory", factory_related_name="user"
    )


class ExpertFactory(UserFactory):
    """An individual expert; has an ExpertProfile."""

    is_expert = True
    active_role = User.Role.EXPERT
    expert_profile = factory.RelatedFactory(
        "tests.factories.ExpertProfileFactory", factory_related_name="user"
    )


class CompanyClientFactory(ClientFactory):
    """A company account hiring; has a ClientProfile and an unverified CompanyProfile."""

    account_type = User.AccountType.COMPANY
    company_profile = factory.RelatedFactory(
        "tests.factories.CompanyProfileFactory", factory_related_name="user"
    )


class ClientProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientProfile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory, is_client=True)
    country = "DE"
    city = factory.Faker("city")


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertProfile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory, is_expert=True, active_role=User.Role.EXPERT)
    headline = factory.Faker("job")
    bio = factory.Faker("paragraph")
    hourly_rate = 6500
    country = "DE"
    city = factory.Faker("city")


class CompanyProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyProfile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory, is_client=True, account_type=User.AccountType.COMPANY)
    legal_name = factory.Faker("company")
    registration_number = factory.Sequence(lambda n: f"HRB {100000 + n}")
    industry = "Plastics"
    country = "DE"


class CompanyDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyDocument

    company = factory.SubFactory(CompanyProfileFactory)
    original_name = "register-extract.pdf"
    file = factory.LazyAttribute(lambda o: ContentFile(b"%PDF-1.4 demo", name=o.original_name))
    size = 13


class SkillCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillCategory
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("slug",)

    category = factory.SubFactory(SkillCategoryFactory)
    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.Sequence(lambda n: f"skill-{n}")


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"x{n}")
    name = factory.Sequence(lambda n: f"Language {n}")


class ExpertSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertSkill

    profile = factory.SubFactory(ExpertProfileFactory)
    skill = factory.SubFactory(SkillFactory)
    level = ExpertSkill.Level.EXPERT
    years = 5


class ExpertLanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertLanguage

    profile = factory.SubFactory(ExpertProfileFactory)
    language = factory.SubFactory(LanguageFactory)
    level = ExpertLanguage.Level.FLUENT


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    profile = factory.SubFactory(ExpertProfileFactory)
    kind = Qualification.Kind.EDUCATION
    title = "MSc Polymer Engineering"
    institution = factory.Faker("company")
    year = 2015


class ExperienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Experience

    profile = factory.SubFactory(ExpertProfileFactory)
    title = factory.Faker("job")
    organisation = factory.Faker("company")
    start_year = 2015
    end_year = 2020


class PortfolioItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PortfolioItem

    profile = factory.SubFactory(ExpertProfileFactory)
    title = factory.Faker("catch_phrase")
    description = factory.Faker("paragraph")


def verified_company(**kwargs) -> User:
    """A company client whose registration staff verified, through the real services."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts import services

    user = CompanyClientFactory(**kwargs)
    company = user.company_profile
    services.add_company_document(
        company=company,
        by=user,
        upload=SimpleUploadedFile("register.pdf", b"%PDF-1.4 register extract"),
    )
    services.submit_company_for_verification(company=company, by=user)
    services.verify_company(company=company, by=StaffFactory())
    user.company_profile.refresh_from_db()
    return user


def publish_for_tests(project, owner):
    """Publish a draft; a hub post (always reviewed) is approved by staff, so it is open."""
    from projects import services
    from projects.models import Project

    project = services.publish_project(project=project, by=owner)
    if project.is_hub and project.status == Project.Status.PENDING:
        project = services.approve_project(project=project, by=StaffFactory())
    return project
