"""After confirmation the expert may add, split, merge, rename and reorder the contract's
milestones, as long as they add up to the agreed price; the scope stays as agreed. Each change
is recorded (ContractChange) and the client is told."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from bids.exceptions import BidInvalid, NotAllowed
from bids.models import Contract, ContractChange, ContractMilestone
from bids.services.bidding import MilestoneInput, validate_milestones
from marketplace.money import format_money
from notifications.services import notify


def _describe(
    before: dict[int, ContractMilestone], after: list[MilestoneInput], currency: str
) -> list[str]:
    lines: list[str] = []
    kept = {step.id for step in after if step.id in before}
    for pk, gone in before.items():
        if pk not in kept:
            lines.append(f"Removed “{gone.title}” ({format_money(gone.amount, currency)})")
    for step in after:
        amount = format_money(step.amount or 0, currency)
        old = before.get(step.id) if step.id else None
        if old is None:
            lines.append(f"Added “{step.title}” ({amount})")
            continue
        if old.title != step.title.strip():
            lines.append(f"Renamed “{old.title}” to “{step.title.strip()}”")
        if old.amount != step.amount:
            lines.append(f"“{step.title}”: {format_money(old.amount, currency)} → {amount}")
        if old.due_in_days != step.due_in_days:
            lines.append(f"“{step.title}”: due on day {old.due_in_days} → {step.due_in_days}")
        if old.description != step.description.strip():
            lines.append(f"“{step.title}”: description changed")
    old_order = [pk for pk in before if pk in kept]
    new_order = [step.id for step in after if step.id in kept]
    if old_order != new_order:
        lines.append("Milestones reordered")
    return lines


@transaction.atomic
def replan_milestones(
    *, contract: Contract, by: User, milestones: Sequence[MilestoneInput]
) -> list[ContractMilestone]:
    """Replace the milestone plan; rows given with their id are kept (and updated)."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.expert_id != by.pk:
        raise NotAllowed(_("Only the expert can change the milestone plan."))
    from workspaces.selectors import milestones_started

    if milestones_started(contract):
        raise NotAllowed(_("A milestone has started: the milestone plan can no longer change."))
    problem = validate_milestones(milestones, total=contract.amount, required=True)
    if problem:
        raise BidInvalid({"milestones": problem})
    before = {m.pk: m for m in contract.milestones.order_by("position", "id")}
    unknown = [step.id for step in milestones if step.id and step.id not in before]
    if unknown:
        raise BidInvalid(
            {"milestones": _("A milestone in the plan does not belong to this contract.")}
        )
    changes = _describe(before, list(milestones), contract.currency)
    if not changes:
        return list(before.values())
    keep = {step.id for step in milestones if step.id}
    contract.milestones.exclude(pk__in=keep).delete()
    rows: list[ContractMilestone] = []
    for position, step in enumerate(milestones):
        row = before.get(step.id) if step.id else None
        row = row or ContractMilestone(contract=contract)
        row.title = step.title.strip()[:120]
        row.description = step.description.strip()
        row.amount = step.amount or 0
        row.due_in_days = step.due_in_days or 1
        row.position = position
        row.save()
        rows.append(row)
    ContractChange.objects.create(
        contract=contract,
        by=by,
        summary="\n".join(changes),
        plan=[{"title": r.title, "amount": r.amount, "due_in_days": r.due_in_days} for r in rows],
    )
    notify(
        user=contract.client,
        kind="bids.milestones_changed",
        title=format_lazy(
            gettext_lazy("The milestones of “{title}” changed"), title=contract.project.title
        ),
        body="\n".join(changes),
        url=contract.get_absolute_url(),
        target=contract,
    )
    return rows
