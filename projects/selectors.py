"""Reads on projects: what a viewer may see, who may bid, and the seam for the bids app."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from projects.models import Invitation, NdaAcceptance, Project

Viewer = User | AnonymousUser


def bidders_of(project: Project) -> QuerySet[User]:
    """Experts with a live bid on the project (the bids app answers)."""
    from bids.selectors import active_bidders

    return active_bidders(project)


def visible_projects(viewer: Viewer) -> QuerySet[Project]:
    """Every project this viewer may open: published public ones, private ones they were
    invited to, all of their own, and everything for staff."""
    projects = Project.objects.all()
    if viewer.is_authenticated and viewer.is_staff:
        return projects
    published = Q(status__in=Project.PUBLISHED_STATUSES)
    public = Q(visibility=Project.Visibility.PUBLIC)
    if not viewer.is_authenticated:
        return projects.filter(published & public)
    invited = Exists(Invitation.objects.filter(project=OuterRef("pk"), expert=viewer.pk))
    return projects.filter(Q(owner=viewer.pk) | (published & (public | invited)))


def get_project_for(*, viewer: Viewer, pk: int) -> Project:
    """The project if this viewer may see it; Http404 otherwise (never reveal it exists)."""
    try:
        return (
            visible_projects(viewer)
            .select_related("owner", "category", "owner__company_profile")
            .get(pk=pk)
        )
    except Project.DoesNotExist:
        raise Http404("No such project.") from None


def has_accepted_nda(project: Project, viewer: Viewer) -> bool:
    return bool(
        viewer.is_authenticated
        and NdaAcceptance.objects.filter(project=project, user=viewer.pk).exists()
    )


def may_see_details(project: Project, viewer: Viewer) -> bool:
    """The description, documents and questions of a project: an NDA project opens them to its
    client, staff and experts who accepted its NDA; everyone else reads the public summary."""
    if not project.nda_required:
        return True
    if viewer.is_authenticated and (viewer.is_staff or project.owner_id == viewer.pk):
        return True
    return has_accepted_nda(project, viewer)


def get_project_for_nda(*, viewer: Viewer, pk: int) -> Project:
    """A project whose NDA this viewer may be asked to accept: one they may see, or one whose
    deliveries staff asked them to review as the second expert; Http404 otherwise."""
    if viewer.is_authenticated:
        reviewing = Project.objects.filter(pk=pk, contract__workspace__qc_reviewer=viewer.pk)
        project = reviewing.first()
        if project is not None:
            return project
    return get_project_for(viewer=viewer, pk=pk)


def get_own_project(*, viewer: Viewer, pk: int) -> Project:
    """A project the viewer owns (or any, for staff): for edit, invite and upgrade pages."""
    project = get_project_for(viewer=viewer, pk=pk)
    if not (viewer.is_authenticated and (viewer.is_staff or project.owner_id == viewer.pk)):
        raise Http404("No such project.")
    return project


def can_bid(project: Project, viewer: Viewer) -> tuple[bool, str]:
    """Whether the viewer may bid, and if not, the reason to show them."""
    if not viewer.is_authenticated:
        return False, _("Log in with an expert account to bid on this project.")
    if project.owner_id == viewer.pk:
        return False, _("This is your own project.")
    if project.is_invited_kind:
        return False, _("This project is by invitation: invited experts accept it, nobody bids.")
    if project.status != Project.Status.OPEN:
        return False, _("This project is not taking bids.")
    if not viewer.is_expert:
        return False, _("Only experts can bid: add an expert profile to your account.")
    if project.restricted_to_businesses and not viewer.is_company:
        return False, (
            _(
                "This project is restricted to businesses: the client accepts bids from company "
                "accounts only, and yours is an individual account."
            )
        )
    if not may_see_details(project, viewer):
        return False, _("Accept the non-disclosure agreement to read the details and bid.")
    return True, ""


COMPANY_NOT_VERIFIED = gettext_lazy(
    "Your company must be verified before it can publish a project: send your registration "
    "documents from your company profile; you can publish once our staff have verified them."
)


def publish_refusal(user: Viewer) -> str:
    """Why this person may not publish a post yet ("" when they may): a company account
    publishes once staff have verified its registration; an individual client may post."""
    if not user.is_authenticated or not user.is_company:
        return ""
    from accounts.models import CompanyProfile

    verified = CompanyProfile.objects.filter(
        user=user, verification_status=CompanyProfile.Status.VERIFIED
    ).exists()
    return "" if verified else str(COMPANY_NOT_VERIFIED)


def my_projects(owner: User) -> QuerySet[Project]:
    return (
        Project.objects.filter(owner=owner)
        .select_related("category")
        .order_by("-created_at", "-id")
    )


def is_invited(project: Project, viewer: Viewer) -> bool:
    return viewer.is_authenticated and project.invitations.filter(expert=viewer.pk).exists()


def featured_projects(limit: int = 6) -> list[Project]:
    """Open public projects whose Featured period is running, for the home page."""
    return list(
        Project.objects.filter(
            status=Project.Status.OPEN,
            visibility=Project.Visibility.PUBLIC,
            featured_until__gt=timezone.now(),
        )
        .select_related("category")
        .prefetch_related("skills")
        .defer("description", "search_vector")
        .order_by("-featured_until", "-id")[:limit]
    )


def fulfilment_state(project: Project, viewer: User) -> str:
    """What an invited-kind project's page shows this viewer: "accept", "yours", "taken",
    "closed" or "not_invited"."""
    if not project.invitations.filter(expert=viewer.pk).exists():
        return "not_invited"
    if project.status == Project.Status.OPEN:
        return "accept"
    from bids.models import Contract

    contract = Contract.objects.filter(project=project).only("expert_id").first()
    if contract is None:
        return "closed"
    return "yours" if contract.expert_id == viewer.pk else "taken"


def previous_collaborators(*, owner: User, project: Project, limit: int = 10) -> QuerySet[User]:
    """Experts this client already had a contract with, not yet invited to this project:
    "experts I worked with", one click from an invitation."""
    invited = Invitation.objects.filter(project=project, expert=OuterRef("pk"))
    return (
        User.objects.filter(contracts_as_expert__client=owner, is_active=True)
        .exclude(Exists(invited))
        .exclude(pk=owner.pk)
        .distinct()
        .order_by("name", "pk")[:limit]
    )
