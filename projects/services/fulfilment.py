"""Invited fulfilment: Speedy, Contest and Booking projects that staff set up for a client.

Staff create the project with a reward set by the platform and invite several experts (in-app and
email). For a Speedy or a Contest the first invited expert to press Accept gets it: the project
row is locked and the project's one-to-one Contract is the database's guarantee of one winner.
For a Booking the invited expert accepts. The accepted expert starts at once (no funding step):
deliveries go through staff QC in the workspace, and QC approval credits the reward as pending,
available FULFILMENT_REWARD_DAYS later (escrow's periodic job posts it; key "reward:<project>").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from bids.exceptions import BidError
from bids.models import Contract
from bids.services.direct import make_direct_contract
from marketplace.formats import date_lazy
from marketplace.money import format_money_lazy
from projects.exceptions import (
    InvalidTransition,
    NotAllowed,
    ProjectInvalid,
    ProjectTaken,
)
from projects.models import ExtraFeeRequest, Invitation, Project, ProjectStatusChange
from projects.notify import tell, tell_staff
from projects.services.lifecycle import (
    _apply_values,
    _lock,
    _move,
    refresh_search_vector,
    validate_post,
)


def fulfilment_url(project: Project) -> str:
    return reverse("projects:fulfilment", args=[project.pk])


def reward_key(project: Project) -> str:
    return f"reward:{project.pk}"


def _require_staff(by: User, what: str) -> None:
    if not (by.is_authenticated and by.is_staff):
        raise NotAllowed(_("Only staff can {what}.").format(what=what))


@transaction.atomic
def create_invited_project(
    *,
    by: User,
    client: User,
    kind: str,
    reward: int | None,
    values: Mapping[str, Any],
    proofread_offer: str = "",
) -> Project:
    """Staff post a Speedy, Contest or Booking for `client`: private, staff QC, open at once."""
    _require_staff(by, "create invited projects")
    errors: dict[str, str] = {}
    if kind not in Project.INVITED_KINDS:
        errors["kind"] = "Choose Speedy, Contest or Booking."
    if reward is None or reward <= 0:
        errors["reward"] = "Set a reward above zero."
    if not client.is_active:
        errors["client"] = "Choose an active client account."
    merged = {
        **values,
        "kind": kind,
        "budget_type": "fixed",
        "budget_min": reward,
        "budget_max": reward,
    }
    errors.update({k: v for k, v in validate_post(merged).items() if k not in errors})
    if errors:
        raise ProjectInvalid(errors)
    project = Project(
        owner=client,
        currency=settings.PLATFORM_CURRENCY,
        kind=kind,
        reward=reward or 0,
        proofread_offer=proofread_offer.strip(),
        visibility=Project.Visibility.PRIVATE,
        additional_qc=True,
    )
    _apply_values(project, merged)
    project.additional_qc = True
    project.save()
    project.skills.set(merged["skills"])
    project.languages.set(merged.get("languages") or [])
    ProjectStatusChange.objects.create(
        project=project,
        by=by,
        from_status="",
        to_status=Project.Status.DRAFT,
        code=ProjectStatusChange.Code.CREATED,
    )
    _move(
        project,
        to=Project.Status.OPEN,
        by=by,
        code=ProjectStatusChange.Code.SET_UP,
        params={"kind": project.kind},
    )
    refresh_search_vector(project)
    return project


@transaction.atomic
def invite_to_fulfilment(
    *, project: Project, experts: Iterable[User], by: User
) -> list[Invitation]:
    """Invite experts (already invited ones are skipped); each is told in-app and by email."""
    _require_staff(by, "invite experts to this project")
    project = _lock(project)
    if not project.is_invited_kind:
        raise NotAllowed(_("Only Speedy, Contest and Booking projects take invitations here."))
    if project.status != Project.Status.OPEN:
        raise InvalidTransition(_("This project is no longer open: nobody can be invited."))
    people = list(experts)
    refused = [p.display_name for p in people if not (p.is_expert and p.is_active)]
    if refused:
        raise NotAllowed(_("Not an active expert: {join}.").format(join=", ".join(refused)))
    created: list[Invitation] = []
    reward = format_money_lazy(project.reward, project.currency)
    for expert in people:
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    project=project, expert=expert, invited_by=by
                )
        except IntegrityError:
            continue
        created.append(invitation)
        transaction.on_commit(partial(_tell_invited, project=project, expert=expert, reward=reward))
    return created


def _tell_invited(*, project: Project, expert: User, reward: Any) -> None:
    first = " The first invited expert to accept gets it." if project.is_first_to_accept else ""
    tell(
        user=expert,
        kind="projects.fulfilment_invited",
        title=format_lazy(
            gettext_lazy("You are invited: {kind} “{title}”"),
            kind=project.get_kind_display(),
            title=project.title,
        ),
        body=format_lazy(
            gettext_lazy(
                "Reward: {reward}. Open the project to read the details and accept.{first}"
            ),
            reward=reward,
            first=first,
        ),
        url=fulfilment_url(project),
        target=project,
    )


def _start_work(contract: Contract, *, by: User) -> None:
    from workspaces.services.invited import start_invited_work

    start_invited_work(contract=contract, by=by)


@transaction.atomic
def accept_invitation(
    *, project: Project, by: User, accept_nda: bool = False, ip: str | None = None
) -> Contract:
    """The invited expert accepts: for a Speedy or a Contest only the first one gets it. The
    contract is made and the work starts at once."""
    project = _lock(project)
    if not project.is_invited_kind:
        raise NotAllowed(_("This project takes bids: it has no invitation to accept."))
    if not project.invitations.filter(expert=by.pk).exists():
        raise NotAllowed(_("You were not invited to this project, so you cannot accept it."))
    if project.status != Project.Status.OPEN:
        contract = Contract.objects.filter(project=project).first()
        if contract is not None and contract.expert_id == by.pk:
            raise InvalidTransition(_("You have already accepted this project."))
        if contract is not None:
            raise ProjectTaken(_("Another expert accepted this project first."))
        raise InvalidTransition(
            _("This project is {lower}: it can no longer be accepted.").format(
                lower=project.get_status_display().lower()
            )
        )
    days = settings.FULFILMENT_DEFAULT_DAYS
    if project.deadline:
        days = max((project.deadline - timezone.localdate()).days, 1)
    try:
        contract = make_direct_contract(
            project=project,
            expert=by,
            amount=project.reward,
            days=days,
            proposal=f"Accepted the {project.get_kind_display()} invitation.",
            accept_nda=accept_nda,
            ip=ip,
        )
    except BidError as error:
        raise NotAllowed(str(error)) from error
    _start_work(contract, by=by)
    workspace_url = reverse("workspaces:detail", args=[contract.pk])
    title = f"{by.display_name} accepted “{project.title}”"
    transaction.on_commit(
        lambda: tell(
            user=project.owner,
            kind="projects.fulfilment_accepted",
            title=format_lazy(gettext_lazy("An expert has started “{title}”"), title=project.title),
            body=gettext_lazy("You will see the work once our quality control has approved it."),
            url=workspace_url,
            target=project,
        )
    )
    transaction.on_commit(
        lambda: tell_staff(
            kind="projects.fulfilment_accepted", title=title, url=workspace_url, target=project
        )
    )
    return contract


def credit_reward(*, contract: Contract, approved_at: datetime | None = None) -> bool:
    """QC approved the work: credit the reward as pending, due FULFILMENT_REWARD_DAYS later.
    Runs inside the QC approval's transaction; a second approval (after a revision) credits
    nothing more. True when this call credited it."""
    from escrow.models import PendingCredit
    from escrow.services import credit_user

    project = contract.project
    if not project.is_invited_kind or project.reward <= 0:
        return False
    key = reward_key(project)
    if PendingCredit.objects.filter(key=key).exists():
        return False
    approved_at = approved_at or timezone.now()
    due = approved_at + timedelta(days=settings.FULFILMENT_REWARD_DAYS)
    credit_user(
        user=contract.expert,
        amount=project.reward,
        kind="reward",
        key=key,
        memo=f"Reward for “{project.title}”"[:300],
        pending_until=due,
    )
    transaction.on_commit(
        lambda: tell(
            user=contract.expert,
            kind="projects.reward_pending",
            title=format_lazy(
                gettext_lazy("QC approved “{title}”: reward on its way"), title=project.title
            ),
            body=(
                format_lazy(
                    gettext_lazy(
                        "{amount} is pending in your balance and becomes available on {date}."
                    ),
                    amount=format_money_lazy(project.reward, project.currency),
                    date=date_lazy(timezone.localdate(due)),
                )
            ),
            url=reverse("workspaces:detail", args=[contract.pk]),
            target=project,
        )
    )
    return True


@transaction.atomic
def request_extra_fee(
    *, project: Project, by: User, amount: int | None, reason: str
) -> ExtraFeeRequest:
    """The expert who accepted asks for a fee for work outside the original instructions."""
    project = _lock(project)
    contract = Contract.objects.filter(project=project).first()
    if not project.is_invited_kind or contract is None or contract.expert_id != by.pk:
        raise NotAllowed(_("Only the expert working on this project can ask for a fee."))
    errors: dict[str, str] = {}
    if amount is None or amount <= 0:
        errors["amount"] = "Enter a fee above zero."
    if not reason.strip():
        errors["reason"] = "Say which work was outside the original instructions."
    if errors:
        raise ProjectInvalid(errors)
    if project.fee_requests.filter(status=ExtraFeeRequest.Status.PENDING).exists():
        raise InvalidTransition(_("Your previous fee request is still waiting for our staff."))
    request = ExtraFeeRequest.objects.create(
        project=project, expert=by, amount=amount or 0, currency=project.currency, reason=reason
    )
    transaction.on_commit(
        lambda: tell_staff(
            kind="projects.extra_fee_requested",
            title=format_lazy(
                gettext_lazy("Fee request on “{title}”: {amount}"),
                title=project.title,
                amount=format_money_lazy(request.amount, request.currency),
            ),
            body=request.reason[:300],
            url=fulfilment_url(project),
            target=project,
        )
    )
    return request


@transaction.atomic
def decide_extra_fee(
    *, request: ExtraFeeRequest, by: User, approve: bool, note: str = ""
) -> ExtraFeeRequest:
    """Staff approve (the fee is credited to the expert at once) or refuse a fee request."""
    from escrow.services import credit_user

    _require_staff(by, "decide fee requests")
    request = (
        ExtraFeeRequest.objects.select_for_update().select_related("project").get(pk=request.pk)
    )
    if request.status != ExtraFeeRequest.Status.PENDING:
        raise InvalidTransition(_("This fee request has already been decided."))
    if not approve and not note.strip():
        raise ProjectInvalid({"note": _("Tell the expert why the fee is refused.")})
    request.status = ExtraFeeRequest.Status.APPROVED if approve else ExtraFeeRequest.Status.REFUSED
    request.decided_by = by
    request.decision_note = note.strip()
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decision_note", "decided_at"])
    project = request.project
    if approve:
        credit_user(
            user=request.expert,
            amount=request.amount,
            kind="credit",
            key=request.key,
            memo=f"Extra fee for “{project.title}”"[:300],
        )
    money = format_money_lazy(request.amount, request.currency)
    transaction.on_commit(
        lambda: tell(
            user=request.expert,
            kind="projects.extra_fee_decided",
            title=(
                format_lazy(
                    gettext_lazy("Your fee of {amount} for “{title}” was approved"),
                    amount=money,
                    title=project.title,
                )
                if approve
                else format_lazy(
                    gettext_lazy("Your fee request for “{title}” was refused"), title=project.title
                )
            ),
            body=(
                format_lazy(
                    "{} {}", gettext_lazy("It is in your balance now."), request.decision_note
                )
                if approve
                else request.decision_note
            ),
            url=fulfilment_url(project),
            target=project,
        )
    )
    return request
