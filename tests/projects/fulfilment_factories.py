"""Invited fulfilment test data, built through the real services; needs no seeded taxonomy (so
it also works in transactional tests)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from projects.models import Project
from projects.services.fulfilment import create_invited_project, invite_to_fulfilment
from tests.factories import (
    ClientFactory,
    ExpertFactory,
    SkillCategoryFactory,
    SkillFactory,
    StaffFactory,
)


def invited_values(**overrides) -> dict:
    category = SkillCategoryFactory()
    values = {
        "title": "Translate our product sheet into German",
        "description": "Two pages, technical vocabulary; keep the layout.",
        "category": category,
        "skills": [SkillFactory(category=category)],
        "deadline": timezone.localdate() + timedelta(days=5),
        "nda_required": False,
    }
    values.update(overrides)
    return values


def make_invited_project(
    *,
    kind: str = Project.Kind.SPEEDY,
    reward: int = 20_000,
    experts: int | list[User] = 2,
    staff: User | None = None,
    client: User | None = None,
    proofread_offer: str = "",
    **values,
) -> tuple[Project, list[User]]:
    """An open invited-kind project and the experts invited to it."""
    staff = staff or StaffFactory()
    people = [ExpertFactory() for _ in range(experts)] if isinstance(experts, int) else experts
    project = create_invited_project(
        by=staff,
        client=client or ClientFactory(),
        kind=kind,
        reward=reward,
        values=invited_values(**values),
        proofread_offer=proofread_offer,
    )
    invite_to_fulfilment(project=project, experts=people, by=staff)
    return project, people
