"""Writes on bids while a project is open: place, edit, withdraw, shortlist, hide, and the
one-click "add these skills to my profile"."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import ExpertProfile, Skill, User
from bids import selectors
from bids.exceptions import AlreadyBid, BiddingClosed, BidInvalid, InvalidTransition, NotAllowed
from bids.models import CLIENT_ALIAS, Bid, BidAttachment, BidEvent, BidMilestone
from marketplace.money import format_money, format_money_lazy
from messaging.contact_guard import validate_no_contact_details
from messaging.models import Conversation
from messaging.services import open_conversation
from notifications.services import notify
from projects.models import Project


@dataclass(frozen=True)
class MilestoneInput:
    title: str
    amount: int | None
    due_in_days: int | None
    description: str = ""
    id: int | None = None


def validate_milestones(
    milestones: Sequence[MilestoneInput], *, total: int | None, required: bool = False
) -> str:
    """The first problem with a milestone plan ("" when fine)."""
    if not milestones:
        return _("Add at least one milestone.") if required else ""
    if len(milestones) > settings.BID_MAX_MILESTONES:
        return _("Plan at most %(count)s milestones.") % {"count": settings.BID_MAX_MILESTONES}
    for number, step in enumerate(milestones, start=1):
        if not step.title.strip():
            return _("Give milestone %(number)s a title.") % {"number": number}
        if step.amount is None or step.amount <= 0:
            return _("Give milestone %(number)s an amount above zero.") % {"number": number}
        if step.due_in_days is None or step.due_in_days < 1:
            return _("Milestone %(number)s must be due at least one day after the start.") % {
                "number": number
            }
    planned = sum(step.amount or 0 for step in milestones)
    if total is not None and planned != total:
        return _(
            "The milestones add up to %(planned)s but the price is %(total)s: make them equal."
        ) % {
            "planned": format_money(planned, settings.PLATFORM_CURRENCY),
            "total": format_money(total, settings.PLATFORM_CURRENCY),
        }
    return ""


def validate_bid(
    *,
    amount: int | None,
    days: int | None,
    proposal: str,
    milestones: Sequence[MilestoneInput] = (),
) -> dict[str, str]:
    """The rules a bid must meet; field name -> message."""
    errors: dict[str, str] = {}
    if amount is None or amount <= 0:
        errors["amount"] = _("Enter a price above zero.")
    elif amount > settings.BID_MAX_AMOUNT:
        errors["amount"] = _("That price is above the largest we accept (%(maximum)s).") % {
            "maximum": format_money(settings.BID_MAX_AMOUNT, settings.PLATFORM_CURRENCY)
        }
    if days is None or days < 1:
        errors["days"] = _("Estimate at least one day.")
    elif days > settings.BID_MAX_DAYS:
        errors["days"] = _("Estimate at most %(days)s days.") % {"days": settings.BID_MAX_DAYS}
    if not proposal.strip():
        errors["proposal"] = _("Describe how you will do the work.")
    problem = validate_milestones(milestones, total=amount if "amount" not in errors else None)
    if problem:
        errors["milestones"] = problem
    return errors


def check_files(files: Iterable[UploadedFile], *, existing: int = 0) -> list[UploadedFile]:
    uploads = [f for f in files if f]
    limit = settings.MAX_DOCUMENT_SIZE
    for upload in uploads:
        if upload.size is None or upload.size > limit:
            raise BidInvalid(
                {
                    "attachments": _("“%(name)s” is larger than %(size)s.")
                    % {"name": upload.name, "size": filesizeformat(limit)}
                }
            )
        try:
            validate_no_contact_details(upload.name or "")
        except ValidationError as error:
            raise BidInvalid({"attachments": error.messages[0]}) from error
    if existing + len(uploads) > settings.BID_MAX_ATTACHMENTS:
        raise BidInvalid(
            {
                "attachments": _("A bid can have at most %(count)s files.")
                % {"count": settings.BID_MAX_ATTACHMENTS}
            }
        )
    return uploads


def _lock_project(project_id: int) -> Project:
    return Project.objects.select_for_update().get(pk=project_id)


def _event(
    bid: Bid,
    *,
    by: User | None,
    from_status: str,
    code: str,
    params: dict[str, Any] | None = None,
    note: str = "",
) -> None:
    """One history row: a BidEvent.Code and its params; `note` only for what a person typed."""
    BidEvent.objects.create(
        bid=bid,
        by=by,
        from_status=from_status,
        to_status=bid.status,
        code=code,
        params=params or {},
        note=note,
    )


def _save_plan(bid: Bid, milestones: Sequence[MilestoneInput]) -> None:
    bid.milestones.all().delete()
    BidMilestone.objects.bulk_create(
        BidMilestone(
            bid=bid,
            title=step.title.strip()[:120],
            description=step.description.strip(),
            amount=step.amount or 0,
            due_in_days=step.due_in_days or 1,
            position=position,
        )
        for position, step in enumerate(milestones)
    )


def _attach(bid: Bid, uploads: list[UploadedFile]) -> None:
    """The bid's files; a managed project's client never reads the bidder's name in them."""
    for upload in uploads:
        name = upload.name or "file"
        if bid.project.managed:
            name = bid.expert.without_identity(name, alias=bid.alias)
        BidAttachment.objects.create(bid=bid, file=upload, name=name[-200:], size=upload.size or 0)


def conversation_key(bid: Bid) -> str:
    return f"bid:{bid.pk}"


def open_bid_conversation(bid: Bid) -> Conversation:
    """The clarification conversation between the client and the bidder (idempotent)."""
    project = bid.project
    return open_conversation(
        key=conversation_key(bid),
        kind=Conversation.Kind.BID,
        subject=project.title,
        subject_url=bid.get_absolute_url(),
        people=[
            (project.owner, CLIENT_ALIAS if project.managed else ""),
            (bid.expert, bid.alias if project.managed else ""),
        ],
        guard_contacts=not hasattr(bid, "contract"),
    )


@transaction.atomic
def place_bid(
    *,
    project: Project,
    by: User,
    amount: int | None,
    days: int | None,
    proposal: str,
    milestones: Sequence[MilestoneInput] = (),
    files: Iterable[UploadedFile] = (),
) -> Bid:
    """An expert bids on an open project; the client is told."""
    project = _lock_project(project.pk)
    refusal = selectors.bid_refusal(project, by)
    if refusal is not None:
        raise refusal
    errors = validate_bid(amount=amount, days=days, proposal=proposal, milestones=milestones)
    if errors:
        raise BidInvalid(errors)
    uploads = check_files(files)
    number = (Bid.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            bid = Bid.objects.create(
                project=project,
                expert=by,
                number=number,
                amount=amount or 0,
                currency=project.currency,
                days=days or 0,
                proposal=proposal.strip(),
            )
    except IntegrityError:
        raise AlreadyBid(_("You already have a bid on this project: edit it instead.")) from None
    _save_plan(bid, milestones)
    _attach(bid, uploads)
    _event(bid, by=by, from_status=Bid.Status.ACTIVE, code=BidEvent.Code.PLACED)
    Project.objects.filter(pk=project.pk).update(bid_count=F("bid_count") + 1)
    open_bid_conversation(bid)
    shown = bid.alias if project.managed else by.display_name
    notify(
        user=project.owner,
        kind="bids.received",
        title=format_lazy(
            gettext_lazy("{shown} bid {amount} on “{title}”"),
            shown=shown,
            amount=format_money_lazy(bid.amount, bid.currency),
            title=project.title,
        ),
        body=format_lazy(
            gettext_lazy("{days} days. {item}"), days=bid.days, item=bid.proposal[:200]
        ),
        url=bid.get_absolute_url(),
        target=bid,
    )
    return bid


def _lock_bid(bid: Bid) -> tuple[Project, Bid]:
    """Lock the project, then the bid: every bid service takes locks in this order."""
    project = _lock_project(bid.project_id)
    locked = Bid.objects.select_for_update().get(pk=bid.pk)
    locked.project = project
    return project, locked


@transaction.atomic
def update_bid(
    *,
    bid: Bid,
    by: User,
    amount: int | None,
    days: int | None,
    proposal: str,
    milestones: Sequence[MilestoneInput] = (),
    files: Iterable[UploadedFile] = (),
) -> Bid:
    """The expert edits their bid while the project is open and the bid is not awarded."""
    project, bid = _lock_bid(bid)
    if bid.expert_id != by.pk:
        raise NotAllowed(_("Only the expert who placed this bid can edit it."))
    if bid.status != Bid.Status.ACTIVE:
        raise InvalidTransition(
            _("This bid is {lower}: it is final.").format(lower=bid.get_status_display().lower())
        )
    if project.status != Project.Status.OPEN:
        raise BiddingClosed(_("The project no longer takes bids, so the bid cannot change."))
    errors = validate_bid(amount=amount, days=days, proposal=proposal, milestones=milestones)
    if errors:
        raise BidInvalid(errors)
    uploads = check_files(files, existing=bid.attachments.count())
    bid.amount = amount or 0
    bid.days = days or 0
    bid.proposal = proposal.strip()
    bid.save(update_fields=["amount", "days", "proposal", "updated_at"])
    _save_plan(bid, milestones)
    _attach(bid, uploads)
    notify(
        user=project.owner,
        kind="bids.updated",
        title=format_lazy(gettext_lazy("A bid on “{title}” was updated"), title=project.title),
        url=bid.get_absolute_url(),
        target=bid,
    )
    return bid


@transaction.atomic
def withdraw_bid(*, bid: Bid, by: User) -> Bid:
    """The expert takes back a bid that has not been awarded."""
    project, bid = _lock_bid(bid)
    if bid.expert_id != by.pk:
        raise NotAllowed(_("Only the expert who placed this bid can withdraw it."))
    if bid.status == Bid.Status.AWARDED:
        raise InvalidTransition(_("This bid was awarded: confirm or decline the award instead."))
    if not bid.can_move_to(Bid.Status.WITHDRAWN):
        raise InvalidTransition(
            _("This bid is {lower}: it is final.").format(lower=bid.get_status_display().lower())
        )
    bid.status = Bid.Status.WITHDRAWN
    bid.save(update_fields=["status", "updated_at"])
    _event(bid, by=by, from_status=Bid.Status.ACTIVE, code=BidEvent.Code.WITHDRAWN)
    Project.objects.filter(pk=project.pk, bid_count__gt=0).update(bid_count=F("bid_count") - 1)
    return bid


def _client_flag(bid: Bid, by: User, **fields: bool) -> Bid:
    if not selectors.can_manage_bids(bid.project, by):
        raise NotAllowed(_("Only the client who posted the project can sort its bids."))
    Bid.objects.filter(pk=bid.pk).update(**fields)
    for name, value in fields.items():
        setattr(bid, name, value)
    return bid


@transaction.atomic
def set_shortlisted(*, bid: Bid, by: User, shortlisted: bool) -> Bid:
    return _client_flag(bid, by, shortlisted=shortlisted)


@transaction.atomic
def set_hidden(*, bid: Bid, by: User, hidden: bool) -> Bid:
    return _client_flag(bid, by, hidden=hidden)


@transaction.atomic
def add_missing_skills(*, project: Project, by: User) -> list[Skill]:
    """One click: put the project's skills the expert lacks on their profile."""
    from accounts.services import SkillChoice, set_expert_skills

    if not by.is_expert:
        raise NotAllowed(_("Only experts have skills on their profile."))
    profile, _unused = ExpertProfile.objects.get_or_create(user=by)
    missing = selectors.missing_skills(project, by)
    if not missing:
        return []
    current = [
        SkillChoice(skill=row.skill, level=row.level, years=row.years)
        for row in profile.skills.select_related("skill")
    ]
    set_expert_skills(
        profile=profile, by=by, skills=current + [SkillChoice(skill=s) for s in missing]
    )
    return missing
