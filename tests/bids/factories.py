"""Factories for the bids tests. Bids and contracts with rules come from the real services."""

from __future__ import annotations

import factory
from django.utils import timezone

from accounts.models import CompanyProfile, ExpertSkill, User
from bids import services
from bids.models import Bid
from bids.services import MilestoneInput
from tests.factories import CompanyProfileFactory, ExpertFactory, ExpertProfileFactory
from tests.projects.factories import ClientFactory, make_open_project, skill

__all__ = [
    "BidFactory",
    "ClientFactory",
    "ExpertFactory",
    "award_and_confirm",
    "company_expert",
    "make_open_project",
    "place",
    "plan",
]


class BidFactory(factory.django.DjangoModelFactory):
    """Plain rows for lists (200 bids); status changes still go through the services."""

    class Meta:
        model = Bid

    expert = factory.SubFactory(ExpertFactory)
    number = factory.Sequence(lambda n: n + 1)
    amount = factory.Sequence(lambda n: 10_000 + (n * 731) % 90_000)
    days = factory.Sequence(lambda n: 5 + n % 40)
    proposal = factory.Faker("paragraph")


def plan(*amounts: int) -> list[MilestoneInput]:
    return [
        MilestoneInput(title=f"Step {i}", amount=amount, due_in_days=7 * i, description="Work")
        for i, amount in enumerate(amounts, start=1)
    ]


def place(project, expert, *, amount: int = 40_000, days: int = 20, milestones=(), **kw) -> Bid:
    """A bid through the real service; on an NDA project the expert accepts the NDA first."""
    if project.nda_required:
        from projects.services import accept_nda

        accept_nda(project=project, by=expert, ip="192.0.2.1")
    return services.place_bid(
        project=project,
        by=expert,
        amount=amount,
        days=days,
        proposal=kw.pop("proposal", "I will draw three logo concepts and refine one."),
        milestones=list(milestones),
        **kw,
    )


def award_and_confirm(bid: Bid, **kw):
    services.award_bid(bid=bid, by=bid.project.owner)
    kw.setdefault("accept_nda", bid.project.nda_required)
    return services.confirm_award(bid=bid, by=bid.expert, accept_terms=True, **kw)


def company_expert(*, verified: bool = True, skills: tuple[str, ...] = ()) -> User:
    user = ExpertFactory(account_type=User.AccountType.COMPANY)
    CompanyProfileFactory(
        user=user,
        verification_status=(
            CompanyProfile.Status.VERIFIED if verified else CompanyProfile.Status.UNVERIFIED
        ),
        verified_at=timezone.now() if verified else None,
    )
    profile = ExpertProfileFactory(user=user)
    for slug in skills:
        ExpertSkill.objects.create(profile=profile, skill=skill(slug))
    return user


def make_standalone_project(owner=None, **overrides):
    """An open project that needs no seeded taxonomy rows (for transactional tests, which
    start from an emptied database)."""
    from datetime import timedelta

    from projects import services as project_services
    from tests.factories import SkillCategoryFactory, SkillFactory, publish_for_tests

    owner = owner or ClientFactory()
    category = SkillCategoryFactory()
    values = {
        "title": "Logo for a bakery",
        "description": "We need a logo for our bakery.",
        "category": category,
        "skills": [SkillFactory(category=category)],
        "expertise_level": "intermediate",
        "budget_type": "fixed",
        "budget_min": 50_000,
        "budget_max": 50_000,
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
        "public_summary": "Design work for a small food business; details under NDA.",
    }
    values.update(overrides)
    values["budget_max"] = values["budget_min"]
    project = project_services.create_draft(by=owner, values=values)
    return publish_for_tests(project, owner)
