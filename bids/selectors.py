"""Reads on bids: who may bid, the client's bid list (scored, fixed query count), permission-
checked fetches of a bid or a contract, and the contract link other apps show."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import CompanyProfile, ExpertSkill, Skill, User
from bids.exceptions import AlreadyBid, BiddingClosed, BidError, NotAllowed
from bids.matching import project_facts, score
from bids.models import Bid, Contract, OfferRevision
from projects import selectors as project_selectors
from projects.models import Project

ORDERS = {
    "best": gettext_lazy("Best match"),
    "price_asc": gettext_lazy("Price: low to high"),
    "price_desc": gettext_lazy("Price: high to low"),
    "newest": gettext_lazy("Newest"),
    "shortlisted": gettext_lazy("Shortlisted first"),
}


def _company_verified(user: User) -> bool:
    return CompanyProfile.objects.filter(
        user=user, verification_status=CompanyProfile.Status.VERIFIED
    ).exists()


def bid_refusal(project: Project, user: User) -> BidError | None:
    """Why this user may not place a bid on the project now (None when they may)."""
    allowed, reason = project_selectors.can_bid(project, user)
    if project.status != Project.Status.OPEN:
        return BiddingClosed(reason or "This project is not taking bids.")
    if not allowed:
        return NotAllowed(reason)
    if project.is_private and not project_selectors.is_invited(project, user):
        return NotAllowed(_("This project is private: only experts the client invited can bid."))
    if project.restricted_to_businesses and not _company_verified(user):
        return NotAllowed(
            _(
                "This project is restricted to verified businesses and your company is not "
                "verified yet. Upload your registration documents under Edit profile, Company, "
                "and submit them for review; you can bid once our staff approve them."
            )
        )
    if Bid.objects.filter(project=project, expert=user, status__in=Bid.LIVE_STATUSES).exists():
        return AlreadyBid("You already have a bid on this project: edit it instead.")
    cap = settings.BID_CAP
    if cap is not None and project.bid_count >= cap:
        return BiddingClosed(
            _("Bidding is closed: this project has reached its limit of {cap} bids.").format(
                cap=cap
            )
        )
    return None


def missing_skills(project: Project, user: User) -> list[Skill]:
    """The project's skills that are not on the expert's profile."""
    have = Skill.objects.filter(experts__profile__user=user)
    return list(project.skills.exclude(pk__in=have))


def live_bid_of(project: Project, user: User) -> Bid | None:
    if not user.is_authenticated:
        return None
    return Bid.objects.filter(project=project, expert=user, status__in=Bid.LIVE_STATUSES).first()


def active_bidders(project: Project) -> QuerySet[User]:
    """Experts with a live bid on the project (the seam projects.selectors.bidders_of uses)."""
    return User.objects.filter(bids__project=project, bids__status__in=Bid.LIVE_STATUSES).distinct()


def _bids_with_details(project: Project) -> QuerySet[Bid]:
    return (
        Bid.objects.filter(project=project)
        .select_related("expert", "expert__expert_profile", "expert__company_profile")
        .prefetch_related(
            "milestones",
            "attachments",
            Prefetch(
                "expert__expert_profile__skills",
                queryset=ExpertSkill.objects.select_related("skill").order_by("-years", "pk"),
            ),
            "expert__expert_profile__languages",
            "expert__expert_profile__qualifications",
            Prefetch(
                "revisions",
                queryset=OfferRevision.objects.filter(status=OfferRevision.Status.PENDING),
                to_attr="pending_revisions",
            ),
        )
    )


def _decorate(bids: list[Bid], project: Project) -> list[Bid]:
    """Attach the match score and the bidder's summary to each bid (no queries per bid)."""
    facts = project_facts(project, [bid.expert_id for bid in bids])
    for bid in bids:
        profile = getattr(bid.expert, "expert_profile", None)
        expert_skills = list(profile.skills.all()) if profile else []
        skill_ids = {s.skill_id for s in expert_skills}
        language_ids = {lang.language_id for lang in profile.languages.all()} if profile else set()
        bid.match = score(  # type: ignore[attr-defined]
            amount=bid.amount,
            days=bid.days,
            expert_id=bid.expert_id,
            skill_ids=skill_ids,
            language_ids=language_ids,
            facts=facts,
        )
        company = getattr(bid.expert, "company_profile", None)
        bid.verified = bool(company and company.is_verified)  # type: ignore[attr-defined]
        bid.completed_projects = facts.completed.get(bid.expert_id, 0)  # type: ignore[attr-defined]
        bid.profile = profile  # type: ignore[attr-defined]
        bid.qualifications = list(profile.qualifications.all()) if profile else []  # type: ignore[attr-defined]
        bid.shown_name = bid.alias if project.managed else bid.expert.display_name  # type: ignore[attr-defined]
        # What an anonymous card shows instead of identifying details: the project's skills
        # the bidder has (with years), their rating.
        wanted = set(facts.skill_names)
        bid.matching_skills = [s for s in expert_skills if s.skill_id in wanted]  # type: ignore[attr-defined]
        bid.rating = facts.ratings.get(bid.expert_id)  # type: ignore[attr-defined]
        bid.milestone_list = list(bid.milestones.all())  # type: ignore[attr-defined]
        bid.attachment_list = list(bid.attachments.all())  # type: ignore[attr-defined]
    return bids


def bids_for_client(
    project: Project, *, order: str = "best", show_hidden: bool = False
) -> list[Bid]:
    """The client's list: bids that are not withdrawn, scored, in the chosen order."""
    bids = _bids_with_details(project).exclude(status=Bid.Status.WITHDRAWN)
    if not show_hidden:
        bids = bids.filter(hidden=False)
    rows = _decorate(list(bids), project)
    if order == "price_asc":
        rows.sort(key=lambda b: (b.amount, b.created_at))
    elif order == "price_desc":
        rows.sort(key=lambda b: (-b.amount, b.created_at))
    elif order == "newest":
        rows.sort(key=lambda b: (b.created_at, b.pk), reverse=True)
    elif order == "shortlisted":
        rows.sort(key=lambda b: (not b.shortlisted, -b.match.score, b.amount))  # type: ignore[attr-defined]
    else:
        rows.sort(key=lambda b: (-b.match.score, b.amount, b.created_at))  # type: ignore[attr-defined]
    return rows


def scored_bids(project: Project, pks: list[int]) -> list[Bid]:
    """Some bids of the project, decorated like the list (compare view, one card refresh)."""
    bids = list(_bids_with_details(project).filter(pk__in=pks))
    return _decorate(bids, project)


def can_manage_bids(project: Project, user: User) -> bool:
    return user.is_authenticated and (user.is_staff or project.owner_id == user.pk)


def get_bid_for(*, user: User, pk: int) -> Bid:
    """A bid its expert, the project's client or staff may open; Http404 for anyone else."""
    try:
        bid = Bid.objects.select_related("project", "project__owner", "expert").get(pk=pk)
    except Bid.DoesNotExist:
        raise Http404("No such bid.") from None
    if not user.is_authenticated:
        raise Http404("No such bid.")
    if user.is_staff or bid.expert_id == user.pk or bid.project.owner_id == user.pk:
        return bid
    raise Http404("No such bid.")


def get_client_project(*, user: User, pk: int) -> Project:
    """A project whose bids this user may manage (its client, or staff)."""
    project = project_selectors.get_project_for(viewer=user, pk=pk)
    if not can_manage_bids(project, user):
        raise Http404("No such project.")
    return project


def my_bids(user: User) -> QuerySet[Bid]:
    return (
        Bid.objects.filter(expert=user)
        .select_related("project", "contract")
        .order_by("-created_at", "-id")
    )


def get_contract_for(*, user: User, pk: int) -> Contract:
    try:
        contract = Contract.objects.select_related("project", "client", "expert", "bid").get(pk=pk)
    except Contract.DoesNotExist:
        raise Http404("No such contract.") from None
    if user.is_authenticated and (
        user.is_staff or user.pk in {contract.client_id, contract.expert_id}
    ):
        return contract
    raise Http404("No such contract.")


def contract_url(project: Project) -> str:
    """Where the parties go once a contract exists ("" before). The workspaces app will point
    this at the workspace page."""
    contract = Contract.objects.filter(project=project).only("pk").first()
    return contract.get_absolute_url() if contract else ""
