"""Managed projects: the client sees bidders under aliases and negotiates through staff.

The client's negotiation request opens a staff conversation; staff relay to the expert in a
second one (the expert never sees the client's words or name), then may revise the offer, which
both parties accept before it replaces the bid's price, days and milestones.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from bids.exceptions import BidInvalid, InvalidTransition, NotAllowed
from bids.models import CLIENT_ALIAS, Bid, BidMilestone, OfferRevision
from bids.services.bidding import MilestoneInput, _lock_bid, validate_bid
from marketplace.money import format_money_lazy
from messaging.models import Conversation
from messaging.services import open_conversation, send_message
from notifications.services import notify
from projects.models import Project


def negotiation_key(bid: Bid, side: str) -> str:
    return f"negotiation:{bid.pk}:{side}"


def _staff() -> list[User]:
    return list(get_user_model().objects.filter(is_staff=True, is_active=True))


def _negotiation(bid: Bid, side: str) -> Conversation:
    project = bid.project
    person = (project.owner, CLIENT_ALIAS) if side == "client" else (bid.expert, bid.alias)
    return open_conversation(
        key=negotiation_key(bid, side),
        kind=Conversation.Kind.NEGOTIATION,
        subject=project.title,
        params={"side": side, "alias": bid.alias},
        subject_url=bid.get_absolute_url(),
        people=[person],
    )


@transaction.atomic
def request_negotiation(*, bid: Bid, by: User, message: str) -> Conversation:
    """The client of a managed project asks staff to negotiate a bid."""
    project, bid = _lock_bid(bid)
    if project.owner_id != by.pk:
        raise NotAllowed(_("Only the client can ask for a negotiation."))
    if not project.managed:
        raise NotAllowed(_("Negotiation through staff is for managed projects."))
    if bid.status != Bid.Status.ACTIVE or project.status != Project.Status.OPEN:
        raise InvalidTransition(_("Only an active bid on an open project can be negotiated."))
    conversation = _negotiation(bid, "client")
    send_message(conversation=conversation, by=by, body=message)
    for member in _staff():
        notify(
            user=member,
            kind="bids.negotiation",
            title=format_lazy(
                gettext_lazy("Negotiation requested on “{title}” ({alias})"),
                title=project.title,
                alias=bid.alias,
            ),
            body=message[:300],
            url=conversation.get_absolute_url(),
            target=bid,
        )
    return conversation


@transaction.atomic
def relay_to_expert(*, bid: Bid, by: User, message: str) -> Conversation:
    """Staff pass the client's request (in their own words) to the expert."""
    if not by.is_staff:
        raise NotAllowed(_("Only staff relay negotiations."))
    conversation = _negotiation(bid, "expert")
    send_message(conversation=conversation, by=by, body=message)
    return conversation


@transaction.atomic
def revise_offer(
    *,
    bid: Bid,
    by: User,
    amount: int | None,
    days: int | None,
    milestones: Sequence[MilestoneInput] = (),
    note: str = "",
) -> OfferRevision:
    """Staff propose new terms for a bid; both parties then accept them."""
    project, bid = _lock_bid(bid)
    if not by.is_staff:
        raise NotAllowed(_("Only staff revise offers."))
    if not project.managed:
        raise NotAllowed(_("Offers are revised by staff on managed projects only."))
    if bid.status != Bid.Status.ACTIVE or project.status != Project.Status.OPEN:
        raise InvalidTransition(_("Only an active bid on an open project can be revised."))
    errors = validate_bid(amount=amount, days=days, proposal=bid.proposal, milestones=milestones)
    if errors:
        raise BidInvalid(errors)
    bid.revisions.filter(status=OfferRevision.Status.PENDING).update(
        status=OfferRevision.Status.SUPERSEDED
    )
    revision = OfferRevision.objects.create(
        bid=bid,
        by=by,
        amount=amount or 0,
        days=days or 0,
        milestones=[
            {
                "title": step.title.strip(),
                "description": step.description.strip(),
                "amount": step.amount,
                "due_in_days": step.due_in_days,
            }
            for step in milestones
        ],
        note=note.strip(),
    )
    for person in (project.owner, bid.expert):
        notify(
            user=person,
            kind="bids.offer_revised",
            title=format_lazy(
                gettext_lazy("Revised offer on “{title}”: {amount}, {days} days"),
                title=project.title,
                amount=format_money_lazy(revision.amount, bid.currency),
                days=revision.days,
            ),
            body=revision.note,
            url=bid.get_absolute_url(),
            target=bid,
        )
    return revision


@transaction.atomic
def accept_offer(*, revision: OfferRevision, by: User) -> OfferRevision:
    """The client or the expert accepts a revised offer; once both have, it becomes the bid."""
    project, bid = _lock_bid(revision.bid)
    revision = OfferRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.status != OfferRevision.Status.PENDING:
        raise InvalidTransition(_("This revised offer is no longer open."))
    if bid.status != Bid.Status.ACTIVE or project.status != Project.Status.OPEN:
        raise InvalidTransition(_("The bid can no longer change."))
    now = timezone.now()
    if by.pk == project.owner_id:
        revision.client_accepted_at = revision.client_accepted_at or now
    elif by.pk == bid.expert_id:
        revision.expert_accepted_at = revision.expert_accepted_at or now
    else:
        raise NotAllowed(_("Only the client and the expert accept a revised offer."))
    if revision.client_accepted_at and revision.expert_accepted_at:
        revision.status = OfferRevision.Status.ACCEPTED
        bid.amount = revision.amount
        bid.days = revision.days
        bid.save(update_fields=["amount", "days", "updated_at"])
        bid.milestones.all().delete()
        BidMilestone.objects.bulk_create(
            BidMilestone(bid=bid, position=position, **step)
            for position, step in enumerate(revision.milestones)
        )
    revision.save()
    return revision
