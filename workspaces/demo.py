"""Demo workspace for `manage.py seed_demo`: Hannah hired Priya; the first milestone is funded
and delivered (Hannah can Mark as Completed), the second waits for Hannah to Start it.

Idempotent: nothing happens when the demo project already exists. Runs after projects.demo.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from accounts.models import Skill, SkillCategory, User
from bids.services import MilestoneInput, award_bid, confirm_award, place_bid
from escrow.services import credit_user
from projects import services as project_services
from projects.models import Project
from workspaces import services

TITLE = "Member booking page for a climbing gym"
CLIENT = "hannah@guildhall.example"
EXPERT = "priya@guildhall.example"


def _project(client: User) -> Project:
    values = {
        "title": TITLE,
        "description": (
            "Our members book climbing sessions by phone. We want a booking page inside our "
            "Django site: a calendar of free slots, booking and cancelling, and an email "
            "confirmation."
        ),
        "category": SkillCategory.objects.get(slug="software"),
        "skills": list(Skill.objects.filter(slug__in=["python", "django"])),
        "languages": [],
        "expertise_level": "intermediate",
        "budget_type": "fixed",
        "budget_min": 180_000,
        "budget_max": 180_000,
        "deadline": timezone.localdate() + timedelta(days=30),
        "location_type": "remote",
        "country": "",
        "city": "",
        "payment_model": Project.PaymentModel.MILESTONES,
    }
    project = project_services.create_draft(by=client, values=values)
    project = project_services.publish_project(project=project, by=client)
    if project.status == Project.Status.PENDING:
        staff = User.objects.filter(is_staff=True).first()
        if staff is not None:
            project = project_services.approve_project(project=project, by=staff)
    return project


def seed(*, stdout: Any = None) -> list[tuple[str, str]]:
    client = User.objects.filter(email=CLIENT).first()
    expert = User.objects.filter(email=EXPERT).first()
    if client is None or expert is None or Project.objects.filter(title=TITLE).exists():
        return []
    if not SkillCategory.objects.filter(slug="software").exists():
        return []
    project = _project(client)
    bid = place_bid(
        project=project,
        by=expert,
        amount=180_000,
        days=20,
        proposal="A booking page with a slot calendar, tested and documented.",
        milestones=[
            MilestoneInput(
                title="Slot calendar and booking",
                amount=120_000,
                due_in_days=12,
                description="Members see free slots and book one.",
            ),
            MilestoneInput(
                title="Cancelling and email confirmations",
                amount=60_000,
                due_in_days=20,
                description="Cancel up to two hours before; emails for both.",
            ),
        ],
    )
    award_bid(bid=bid, by=client)
    contract = confirm_award(bid=bid, by=expert, accept_terms=True)
    workspace = services.open_workspace(contract=contract)
    first, second = list(workspace.milestones.order_by("contract_milestone__position", "pk"))
    services.request_start(milestone=first, by=expert)
    credit_user(
        user=client,
        amount=first.amount,
        kind="promotion",
        key=f"demo-workspace:{contract.pk}",
        memo="Demo credit for the first milestone",
    )
    services.start_milestone(milestone=first, by=client, source="balance")
    services.deliver_milestone(
        milestone=first,
        by=expert,
        note="The calendar and booking flow are live on the staging site. Notes attached.",
    )
    services.request_start(milestone=second, by=expert)
    address = workspace.get_absolute_url()
    return [
        (CLIENT, f"workspace {address}: Mark as Completed, then Start the next milestone"),
        (EXPERT, f"workspace {address}: waiting for the client; chat and files"),
    ]
