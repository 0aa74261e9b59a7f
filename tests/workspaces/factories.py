"""Workspaces test data, built through the real services (bids, escrow, workspaces)."""

from __future__ import annotations

from accounts.models import User
from bids.models import Contract
from escrow.models import Account, LedgerTransaction
from escrow.services.ledger import Leg, platform_account, post, wallet_account
from tests.bids.factories import (
    ClientFactory,
    ExpertFactory,
    award_and_confirm,
    make_standalone_project,
    place,
    plan,
)
from tests.factories import StaffFactory
from tests.projects.factories import make_open_project
from workspaces import services
from workspaces.models import Milestone, Workspace

__all__ = [
    "ClientFactory",
    "ExpertFactory",
    "StaffFactory",
    "balance_of",
    "make_workspace",
    "milestone_at",
    "top_up",
]


def make_contract(
    *amounts: int, additional_qc: bool = False, standalone: bool = False, **project
) -> Contract:
    """A confirmed contract; `standalone` needs no seeded taxonomy (transactional tests)."""
    amounts = amounts or (30_000, 20_000)
    owner = project.pop("owner", None) or ClientFactory()
    expert = project.pop("expert", None) or ExpertFactory()
    if standalone:
        job = make_standalone_project(owner=owner, additional_qc=additional_qc, **project)
    else:
        job = make_open_project(owner=owner, additional_qc=additional_qc, **project)
    bid = place(job, expert, amount=sum(amounts), milestones=plan(*amounts))
    return award_and_confirm(bid)


def make_workspace(*amounts: int, **kw) -> Workspace:
    return services.open_workspace(contract=make_contract(*amounts, **kw))


def top_up(user: User, amount: int) -> None:
    """Put card money into a wallet (as a confirmed card payment would)."""
    post(
        key=f"test-topup:{user.pk}:{LedgerTransaction.objects.count()}",
        kind=LedgerTransaction.Kind.TOP_UP,
        legs=[
            Leg(platform_account(Account.Kind.CARD_CLEARING), -amount),
            Leg(wallet_account(user), amount),
        ],
    )


def balance_of(user: User) -> int:
    return wallet_account(user).balance


def milestone_at(workspace: Workspace, status: str, *, index: int = 0) -> Milestone:
    """Walk the first (or index-th) milestone to a status through the real services."""
    client, expert = workspace.contract.client, workspace.contract.expert
    milestone = list(workspace.milestones.order_by("contract_milestone__position", "pk"))[index]
    steps = [
        Milestone.Status.START_REQUESTED,
        Milestone.Status.IN_PROGRESS,
        Milestone.Status.DELIVERED,
        Milestone.Status.COMPLETED,
    ]
    for step in steps:
        if milestone.status == status:
            break
        if step == Milestone.Status.START_REQUESTED:
            services.request_start(milestone=milestone, by=expert)
        elif step == Milestone.Status.IN_PROGRESS:
            top_up(client, milestone.amount)
            services.start_milestone(milestone=milestone, by=client, source="balance")
        elif step == Milestone.Status.DELIVERED:
            services.deliver_milestone(milestone=milestone, by=expert, note="Here it is.")
        else:
            services.complete_milestone(milestone=milestone, by=client)
        milestone.refresh_from_db()
    return milestone
