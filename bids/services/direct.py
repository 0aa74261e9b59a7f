"""A contract without bidding: invited fulfilment (Speedy, Contest, Booking).

Staff set the price (the reward) and invite experts; the one who accepts starts at once. To keep
one shape for every engagement (Contract → workspace → reviews), the contract is made from a Bid
placed on the expert's behalf at the reward price, which goes straight to accepted; its events
say so. The caller (projects.services.fulfilment) holds the project row lock and has checked the
invitation; the project's one-to-one Contract is what makes a second winner impossible.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from bids.exceptions import InvalidTransition, NotAllowed
from bids.models import Bid, BidEvent, Contract, ContractMilestone
from projects.models import Project, ProjectStatusChange
from projects.services.contracting import mark_awarded, mark_in_progress


def make_direct_contract(
    *,
    project: Project,
    expert: User,
    amount: int,
    days: int,
    proposal: str,
    accept_nda: bool = False,
    ip: str | None = None,
) -> Contract:
    """Bid on the expert's behalf at `amount`, accept it and make the Contract (one milestone:
    the whole scope). `project` must be locked (select_for_update) by the caller."""
    if amount <= 0:
        raise InvalidTransition(_("The project has no price to contract for."))
    if project.status != Project.Status.OPEN:
        raise InvalidTransition(
            _("This project is {lower}: it cannot be contracted.").format(
                lower=project.get_status_display().lower()
            )
        )
    if project.nda_required and not accept_nda:
        raise NotAllowed(_("This project requires the non-disclosure agreement: accept it first."))
    now = timezone.now()
    number = (Bid.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0) + 1
    bid = Bid.objects.create(
        project=project,
        expert=expert,
        number=number,
        amount=amount,
        currency=project.currency,
        days=max(days, 1),
        proposal=proposal,
        status=Bid.Status.ACCEPTED,
    )
    BidEvent.objects.create(
        bid=bid,
        by=expert,
        from_status="",
        to_status=Bid.Status.ACCEPTED,
        code=BidEvent.Code.INVITATION_ACCEPTED,
    )
    Project.objects.filter(pk=project.pk).update(bid_count=F("bid_count") + 1)
    mark_awarded(project=project, by=expert, code=ProjectStatusChange.Code.INVITATION_ACCEPTED)
    mark_in_progress(project=project, by=expert, code=ProjectStatusChange.Code.WORK_STARTS)
    contract = Contract.objects.create(
        project=project,
        bid=bid,
        client=project.owner,
        expert=expert,
        amount=amount,
        currency=project.currency,
        days=bid.days,
        scope=project.description,
        proposal=proposal,
        terms_accepted_at=now,
        accepted_ip=ip,
        nda_required=project.nda_required,
        nda_accepted_at=now if project.nda_required else None,
        nda_version=settings.NDA_VERSION if project.nda_required else "",
        created_at=now,
    )
    ContractMilestone.whole_project(contract=contract, amount=amount, due_in_days=bid.days).save()
    return contract
