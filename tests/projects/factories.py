"""Factories for the projects tests. Status changes come from the real services."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import (
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    Language,
    Skill,
    SkillCategory,
)
from projects.models import BudgetType, Project


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"prj-user-{n}@example.com")
    name = factory.Faker("name")
    is_client = True
    password = factory.django.Password("pass-for-tests-123")


class ClientFactory(UserFactory):
    is_client = True


class ExpertFactory(UserFactory):
    is_client = False
    is_expert = True
    active_role = "expert"


class CompanyExpertFactory(ExpertFactory):
    account_type = "company"


def skill(slug: str) -> Skill:
    return Skill.objects.get(slug=slug)


def category(slug: str) -> SkillCategory:
    return SkillCategory.objects.get(slug=slug)


def language(code: str) -> Language:
    return Language.objects.get(code=code)


def project_values(**overrides):
    """What the post form hands the services, valid by default."""
    values = {
        "title": "Logo for a bakery",
        "description": "We need a **logo** for our bakery.",
        "category": category("design"),
        "skills": [skill("logo-design")],
        "expertise_level": "intermediate",
        "budget_type": BudgetType.FIXED,
        "budget_min": 50000,
        "budget_max": 50000,
        "deadline": timezone.localdate() + timedelta(days=30),
        "start_date": None,
        "end_date": None,
        "location_type": "remote",
        "country": "",
        "city": "",
        "languages": [],
        "restricted_to_businesses": False,
        "additional_qc": False,
        "managed": False,
        "payment_model": "milestones",
        "nda_required": False,
        "public_summary": "A logo for a small bakery; details under NDA.",
    }
    values.update(overrides)
    return values


def make_open_project(owner=None, **overrides) -> Project:
    """A published project built through the real services."""
    from projects import services
    from tests.factories import publish_for_tests

    owner = owner or ClientFactory()
    extra = {k: overrides.pop(k) for k in ("visibility", "featured_until") if k in overrides}
    project = services.create_draft(by=owner, values=project_values(**overrides))
    project = publish_for_tests(project, owner)
    if extra:
        Project.objects.filter(pk=project.pk).update(**extra)
        project.refresh_from_db()
    return project


def make_expert_with(*skill_slugs: str, company: bool = False, **profile) -> object:
    user = (CompanyExpertFactory if company else ExpertFactory)()
    languages = profile.pop("languages", [])
    expert_profile = ExpertProfile.objects.create(user=user, **profile)
    for slug in skill_slugs:
        ExpertSkill.objects.create(profile=expert_profile, skill=skill(slug))
    for code in languages:
        ExpertLanguage.objects.create(profile=expert_profile, language=language(code))
    return user


def top_up(user, amount):
    """Money on the user's balance, as if paid in by card."""
    from escrow.models import Account, LedgerTransaction
    from escrow.services.ledger import Leg, platform_account, post, wallet_account

    post(
        key=f"test-topup:{user.pk}:{amount}",
        kind=LedgerTransaction.Kind.TOP_UP,
        legs=[
            Leg(platform_account(Account.Kind.CARD_CLEARING), -amount),
            Leg(wallet_account(user), amount),
        ],
    )


def buy_from_balance(project, by, kinds):
    """Buy upgrades from the balance through the service, as one fresh form submission."""
    from uuid import uuid4

    from projects import services

    return services.buy_upgrades(
        key=uuid4().hex, project=project, by=by, kinds=kinds, source="balance", return_url="/"
    )
