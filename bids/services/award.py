"""Award → Confirm: the client awards a bid, may withdraw the award until the expert answers;
the expert confirms (the Contract is made, the project moves to in progress) or declines.

Every function locks the project row, then the bid row, so two awards at once, or a confirm
racing a withdrawal, end in one consistent outcome.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from bids.exceptions import InvalidTransition, NotAllowed
from bids.models import Bid, BidEvent, Contract, ContractMilestone
from bids.services.bidding import _event, _lock_bid, conversation_key
from marketplace.money import format_money_lazy
from messaging.selectors import conversation_by_key
from messaging.services import lift_contact_guard
from notifications.services import notify
from projects.models import Project, ProjectStatusChange
from projects.services.contracting import mark_awarded, mark_in_progress, reopen_after_award


def _move(bid: Bid, *, to: str, by: User, code: str, note: str = "") -> None:
    if not bid.can_move_to(to):
        raise InvalidTransition(
            _("This bid is {lower}; that is no longer possible.").format(
                lower=bid.get_status_display().lower()
            )
        )
    from_status = bid.status
    bid.status = to
    bid.save(update_fields=["status", "decline_reason", "updated_at"])
    _event(bid, by=by, from_status=from_status, code=code, note=note)


@transaction.atomic
def award_bid(*, bid: Bid, by: User) -> Bid:
    """The client offers the project to this bidder; the expert is asked to confirm."""
    project, bid = _lock_bid(bid)
    if project.owner_id != by.pk:
        raise NotAllowed(_("Only the client who posted the project can award it."))
    if project.payment_model == Project.PaymentModel.PLATFORM_FEE:
        raise InvalidTransition(
            _(
                "This job is settled directly with a platform fee only: accept the "
                "offer as a booking."
            )
        )
    if project.status == Project.Status.AWARDED:
        raise InvalidTransition(
            _(
                "This project is already awarded and waiting for an answer; "
                "withdraw that award first."
            )
        )
    if project.status != Project.Status.OPEN:
        raise InvalidTransition(
            _("This project is {lower}: it cannot be awarded.").format(
                lower=project.get_status_display().lower()
            )
        )
    if bid.status != Bid.Status.ACTIVE:
        raise InvalidTransition(
            _("This bid is {lower}: only an active bid can be awarded.").format(
                lower=bid.get_status_display().lower()
            )
        )
    _move(bid, to=Bid.Status.AWARDED, by=by, code=BidEvent.Code.AWARDED)
    mark_awarded(
        project=project, by=by, code=ProjectStatusChange.Code.AWARDED_BID, params={"bid": bid.pk}
    )
    notify(
        user=bid.expert,
        kind="bids.awarded",
        title=format_lazy(gettext_lazy("Your bid on “{title}” was awarded"), title=project.title),
        body=gettext_lazy("Review the contract summary, then confirm or decline."),
        url=bid.get_absolute_url(),
        target=bid,
    )
    return bid


@transaction.atomic
def withdraw_award(*, bid: Bid, by: User) -> Bid:
    """The client takes the award back before the expert answers."""
    project, bid = _lock_bid(bid)
    if project.owner_id != by.pk:
        raise NotAllowed(_("Only the client who awarded the project can withdraw the award."))
    if bid.status != Bid.Status.AWARDED:
        raise InvalidTransition(
            "The award can no longer be withdrawn: the expert has already answered."
            if bid.status in {Bid.Status.ACCEPTED, Bid.Status.DECLINED}
            else "This bid is not awarded."
        )
    _move(bid, to=Bid.Status.ACTIVE, by=by, code=BidEvent.Code.AWARD_WITHDRAWN)
    reopen_after_award(project=project, by=by, code=ProjectStatusChange.Code.AWARD_WITHDRAWN)
    notify(
        user=bid.expert,
        kind="bids.award_withdrawn",
        title=format_lazy(
            gettext_lazy("The award on “{title}” was withdrawn"), title=project.title
        ),
        body=gettext_lazy("Your bid stays active; the client may still award it."),
        url=bid.get_absolute_url(),
        target=bid,
    )
    return bid


@transaction.atomic
def reject_award(*, bid: Bid, by: User, reason: str) -> Bid:
    """The expert declines the award, saying why; the client may award another bid."""
    project, bid = _lock_bid(bid)
    if bid.expert_id != by.pk:
        raise NotAllowed(_("Only the expert who was awarded can decline."))
    if bid.status != Bid.Status.AWARDED:
        raise InvalidTransition(_("There is no award waiting for your answer on this bid."))
    reason = reason.strip()
    if not reason:
        raise InvalidTransition(_("Tell the client why you decline."))
    bid.decline_reason = reason
    _move(bid, to=Bid.Status.DECLINED, by=by, code=BidEvent.Code.DECLINED, note=reason)
    reopen_after_award(project=project, by=by, code=ProjectStatusChange.Code.AWARD_DECLINED)
    Project.objects.filter(pk=project.pk, bid_count__gt=0).update(bid_count=F("bid_count") - 1)
    shown = bid.alias if project.managed else by.display_name
    notify(
        user=project.owner,
        kind="bids.rejected",
        title=format_lazy(
            gettext_lazy("{shown} declined the award on “{title}”"),
            shown=shown,
            title=project.title,
        ),
        body=format_lazy(
            gettext_lazy("Reason: {reason}\nYou can award another bid."), reason=reason
        ),
        url=project.get_absolute_url(),
        target=bid,
    )
    return bid


@transaction.atomic
def confirm_award(
    *,
    bid: Bid,
    by: User,
    accept_terms: bool,
    accept_nda: bool = False,
    ip: str | None = None,
) -> Contract:
    """The expert confirms: the Contract and its milestones are made, the project moves to in
    progress, contact details are no longer masked, and the other bidders are told."""
    project, bid = _lock_bid(bid)
    if bid.expert_id != by.pk:
        raise NotAllowed(_("Only the expert who was awarded can confirm."))
    if bid.status != Bid.Status.AWARDED:
        raise InvalidTransition(
            "There is no award to confirm: the client may have withdrawn it."
            if bid.status == Bid.Status.ACTIVE
            else f"This bid is {bid.get_status_display().lower()}."
        )
    if not accept_terms:
        raise NotAllowed(_("Accept the contract terms to confirm."))
    if project.nda_required and not accept_nda:
        raise NotAllowed(
            _("This project requires the non-disclosure agreement: accept it to confirm.")
        )
    now = timezone.now()
    _move(bid, to=Bid.Status.ACCEPTED, by=by, code=BidEvent.Code.CONFIRMED)
    mark_in_progress(project=project, by=by)
    contract = Contract.objects.create(
        project=project,
        bid=bid,
        client=project.owner,
        expert=by,
        amount=bid.amount,
        currency=bid.currency,
        days=bid.days,
        scope=project.description,
        proposal=bid.proposal,
        terms_accepted_at=now,
        accepted_ip=ip,
        nda_required=project.nda_required,
        nda_accepted_at=now if project.nda_required else None,
        nda_version=settings.NDA_VERSION if project.nda_required else "",
        created_at=now,
    )
    from reviews.reputation import refresh_reputation_on_commit  # the client's hire rate

    refresh_reputation_on_commit(project.owner_id, by.pk)
    plan = list(bid.milestones.all())
    ContractMilestone.objects.bulk_create(
        [
            ContractMilestone(
                contract=contract,
                title=step.title,
                description=step.description,
                amount=step.amount,
                due_in_days=step.due_in_days,
                position=step.position,
            )
            for step in plan
        ]
        or [
            ContractMilestone.whole_project(
                contract=contract, amount=bid.amount, due_in_days=bid.days
            )
        ]
    )
    conversation = conversation_by_key(conversation_key(bid))
    if conversation is not None:
        lift_contact_guard(conversation=conversation)
    for other in (
        Bid.objects.select_for_update()
        .filter(project=project, status=Bid.Status.ACTIVE)
        .exclude(pk=bid.pk)
        .select_related("expert")
    ):
        _move(other, to=Bid.Status.LOST, by=by, code=BidEvent.Code.LOST)
        notify(
            user=other.expert,
            kind="bids.project_awarded",
            title=format_lazy(
                gettext_lazy("“{title}” was awarded to another expert"), title=project.title
            ),
            body=gettext_lazy("Thank you for bidding. Find more projects that match your skills."),
            url=other.get_absolute_url(),
            target=other,
        )
    shown = bid.alias if project.managed else by.display_name
    notify(
        user=project.owner,
        kind="bids.confirmed",
        title=format_lazy(
            gettext_lazy("{shown} confirmed “{title}”"), shown=shown, title=project.title
        ),
        body=format_lazy(
            gettext_lazy(
                "Contract made for {amount}. The expert asks you to fund each milestone when "
                "they are ready to start it."
            ),
            amount=format_money_lazy(contract.amount, contract.currency),
        ),
        url=contract.get_absolute_url(),
        target=contract,
    )
    return contract
