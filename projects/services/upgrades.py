"""Paid upgrades (Featured, Make Private, Assist) and the jobs that follow them.

Buying creates pending ProjectUpgrade rows sharing one purchase reference and pays through the
escrow checkout; the escrow app calls apply_paid_upgrades inside the transaction that takes the
money, so a failed or abandoned payment leaves the project unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from marketplace.money import format_money_lazy
from projects.exceptions import InvalidTransition, NotAllowed, UpgradeRefused
from projects.models import AssistRequest, Project, ProjectUpgrade
from projects.notify import tell, tell_staff
from projects.search import PROJECTS, forget_search_results

if TYPE_CHECKING:
    from escrow.services import PurchaseResult

PURPOSE = "projects.upgrade"

UPGRADE_STATUSES = frozenset(
    {
        Project.Status.DRAFT,
        Project.Status.PENDING,
        Project.Status.CLARIFICATION,
        Project.Status.OPEN,
    }
)


def upgrade_price(kind: str) -> int:
    return {
        ProjectUpgrade.Kind.FEATURED: settings.FEATURED_PRICE,
        ProjectUpgrade.Kind.PRIVATE: settings.PRIVATE_PRICE,
        ProjectUpgrade.Kind.ASSIST: settings.ASSIST_PRICE,
    }[ProjectUpgrade.Kind(kind)]


def buy_upgrades(
    *, project: Project, by: User, kinds: Sequence[str], source: str, return_url: str, key: str
) -> PurchaseResult:
    """Order upgrades and pay: from the balance at once, or by card (result.redirect_url).

    ``key`` is the paying form's purchase key: every submission of one form is one purchase
    (a double click or five parallel POSTs charge once and feature the project once)."""
    from escrow.exceptions import MoneyActionError
    from escrow.services import pay_for_purchase

    wanted = list(dict.fromkeys(kinds))
    if not wanted:
        raise UpgradeRefused(_("Choose at least one upgrade."))
    if any(kind not in ProjectUpgrade.Kind.values for kind in wanted):
        raise UpgradeRefused(_("Unknown upgrade."))
    if not key:
        raise UpgradeRefused(_("This payment form has expired: reload the page and try again."))
    try:
        with transaction.atomic():
            project = Project.objects.select_for_update().get(pk=project.pk)
            if project.owner_id != by.pk:
                raise NotAllowed(_("Only the client who posted this project can upgrade it."))
            if project.status not in UPGRADE_STATUSES:
                raise InvalidTransition(_("Upgrades are for projects that are still taking bids."))
            reference = f"project:{project.pk}:{key}"
            upgrades = list(
                ProjectUpgrade.objects.filter(project=project, purchase_ref=reference).order_by(
                    "pk"
                )
            )
            if not upgrades and ProjectUpgrade.Kind.PRIVATE in wanted and project.is_private:
                raise UpgradeRefused(_("This project is already private."))
            upgrades = upgrades or [
                ProjectUpgrade.objects.create(
                    project=project,
                    kind=kind,
                    amount=upgrade_price(kind),
                    currency=settings.PLATFORM_CURRENCY,
                    purchase_ref=reference,
                    bought_by=by,
                )
                for kind in wanted
            ]
            names = ", ".join(upgrade.get_kind_display() for upgrade in upgrades)
            return pay_for_purchase(
                user=by,
                amount=sum(upgrade.amount for upgrade in upgrades),
                purpose=PURPOSE,
                reference=reference,
                description=f"{names} for “{project.title}”"[:300],
                source=source,
                return_url=return_url,
                repeatable=True,
            )
    except MoneyActionError as error:
        raise UpgradeRefused(str(error)) from error


def apply_paid_upgrades(purchase: Any) -> None:
    """escrow on_paid handler: runs once, inside the transaction that took the money."""
    upgrades = list(
        ProjectUpgrade.objects.select_for_update()
        .filter(purchase_ref=purchase.reference, status=ProjectUpgrade.Status.PENDING)
        .order_by("pk")
    )
    if not upgrades:
        return
    project = Project.objects.select_for_update().get(pk=upgrades[0].project_id)
    now = timezone.now()
    changed: list[str] = []
    for upgrade in upgrades:
        upgrade.status = ProjectUpgrade.Status.PAID
        upgrade.paid_at = now
        upgrade.save(update_fields=["status", "paid_at"])
        if upgrade.kind == ProjectUpgrade.Kind.FEATURED:
            start = max(project.featured_until or now, now)
            project.featured_until = start + timedelta(days=settings.FEATURED_DAYS)
            project.featured_end_notified = False
            changed += ["featured_until", "featured_end_notified"]
        elif upgrade.kind == ProjectUpgrade.Kind.PRIVATE:
            project.visibility = Project.Visibility.PRIVATE
            changed.append("visibility")
        elif upgrade.kind == ProjectUpgrade.Kind.ASSIST:
            assist = AssistRequest.objects.create(project=project, upgrade=upgrade)
            _tell_staff_about_assist(assist, project)
    if changed:
        project.save(update_fields=[*set(changed), "updated_at"])
        forget_search_results(PROJECTS)
    total = sum(upgrade.amount for upgrade in upgrades)
    names = ", ".join(upgrade.get_kind_display() for upgrade in upgrades)
    transaction.on_commit(
        lambda: tell(
            user=project.owner,
            kind="projects.upgrade_paid",
            title=format_lazy(
                gettext_lazy("Receipt: {names} for “{title}”"), names=names, title=project.title
            ),
            body=format_lazy(
                gettext_lazy("Paid {amount} (reference {reference}). Thank you."),
                amount=format_money_lazy(total, upgrades[0].currency),
                reference=purchase.reference,
            ),
            url=project.get_absolute_url(),
            target=project,
        )
    )


def _tell_staff_about_assist(assist: AssistRequest, project: Project) -> None:
    url = reverse("admin:projects_assistrequest_change", args=[assist.pk])
    transaction.on_commit(
        lambda: tell_staff(
            kind="projects.assist_requested",
            title=format_lazy(gettext_lazy("Assist requested for “{title}”"), title=project.title),
            url=url,
            target=project,
        )
    )


def _tell_featured_ended(project: Project) -> None:
    transaction.on_commit(
        lambda: tell(
            user=project.owner,
            kind="projects.featured_ended",
            title=format_lazy(gettext_lazy("“{title}” is no longer featured"), title=project.title),
            body=gettext_lazy("Feature it again to stay at the top of search results."),
            url=project.get_absolute_url(),
            target=project,
        )
    )


def end_featured(*, now: Any = None) -> int:
    """Tell owners whose Featured period has ended; each ending is announced once."""
    now = now or timezone.now()
    ended = 0
    due = Project.objects.filter(featured_end_notified=False, featured_until__lte=now)
    for project in due.select_related("owner").only("pk", "title", "owner"):
        with transaction.atomic():
            claimed = Project.objects.filter(
                pk=project.pk, featured_end_notified=False, featured_until__lte=now
            ).update(featured_end_notified=True)
            if not claimed:
                continue
            ended += 1
            _tell_featured_ended(project)
    return ended


@transaction.atomic
def complete_assist(*, assist: AssistRequest, by: User, note: str = "") -> AssistRequest:
    """Staff finished helping with the post; the client is told what changed."""
    if not by.is_staff:
        raise NotAllowed(_("Only staff complete assist requests."))
    assist = AssistRequest.objects.select_for_update().select_related("project").get(pk=assist.pk)
    if assist.status != AssistRequest.Status.OPEN:
        raise InvalidTransition(_("This assist request is already done."))
    assist.status = AssistRequest.Status.DONE
    assist.completed_at = timezone.now()
    assist.completed_by = by
    assist.note = note or assist.note
    assist.save(update_fields=["status", "completed_at", "completed_by", "note"])
    project = assist.project
    transaction.on_commit(
        lambda: tell(
            user=project.owner,
            kind="projects.assist_done",
            title=format_lazy(gettext_lazy("We improved “{title}”"), title=project.title),
            body=assist.note,
            url=project.get_absolute_url(),
            target=project,
        )
    )
    return assist


def register_purposes() -> None:
    try:
        from escrow import purposes
    except ImportError:
        return
    purposes.register(PURPOSE, on_paid=apply_paid_upgrades)
