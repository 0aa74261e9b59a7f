"""After confirmation the expert may add, split, merge, rename and reorder the contract's
milestones, as long as they add up to the agreed price; the scope stays as agreed. Each change
is recorded (ContractChange) and the client is told."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from bids.exceptions import BidInvalid, NotAllowed
from bids.models import (
    Contract,
    ContractChange,
    ContractMilestone,
    change_line_text,
    step_title,
)
from bids.services.bidding import MilestoneInput, validate_milestones
from marketplace.history import money_params
from notifications.services import notify


def _describe(
    before: dict[int, ContractMilestone], after: list[MilestoneInput], currency: str
) -> list[dict[str, Any]]:
    """The changes from `before` to `after` as codes and params (ContractChange.lines)."""
    code = ContractChange.Code
    lines: list[dict[str, Any]] = []
    kept = {step.id for step in after if step.id in before}
    for pk, gone in before.items():
        if pk not in kept:
            lines.append(
                {
                    "code": code.REMOVED,
                    "title": step_title(gone),
                    **money_params(gone.amount, currency),
                }
            )
    for step in after:
        old = before.get(step.id) if step.id else None
        if old is None:
            lines.append(
                {
                    "code": code.ADDED,
                    "title": step.title.strip(),
                    **money_params(step.amount or 0, currency),
                }
            )
            continue
        typed = _typed(old, step)
        title = step.title.strip() if typed else step_title(old)
        if typed and str(old.shown_title) != title:
            lines.append({"code": code.RENAMED, "old": step_title(old), "new": title})
        if old.amount != step.amount:
            lines.append(
                {
                    "code": code.AMOUNT,
                    "title": title,
                    **money_params(old.amount, currency, "from"),
                    **money_params(step.amount or 0, currency, "to"),
                }
            )
        if old.due_in_days != step.due_in_days:
            lines.append(
                {"code": code.DUE, "title": title, "from": old.due_in_days, "to": step.due_in_days}
            )
        if typed and str(old.shown_description) != step.description.strip():
            lines.append({"code": code.DESCRIPTION, "title": title})
    old_order = [pk for pk in before if pk in kept]
    new_order = [step.id for step in after if step.id in kept]
    if old_order != new_order:
        lines.append({"code": code.REORDERED})
    return lines


def _typed(old: ContractMilestone, step: MilestoneInput) -> bool:
    """True when the party's text replaces the milestone's: always for their own, and for one in
    the platform's words once its title or description differs from how the form showed it."""
    if not old.default_wording:
        return True
    return (step.title.strip(), step.description.strip()) != (
        str(old.shown_title),
        str(old.shown_description),
    )


def _shown(lines: list[dict[str, Any]]) -> str:
    return "\n".join(change_line_text(line) for line in lines)


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
        if row is None or _typed(row, step):
            row = row or ContractMilestone(contract=contract)
            row.title = step.title.strip()[:120]
            row.description = step.description.strip()
            row.default_wording = False
        row.amount = step.amount or 0
        row.due_in_days = step.due_in_days or 1
        row.position = position
        row.save()
        rows.append(row)
    ContractChange.objects.create(
        contract=contract,
        by=by,
        lines=changes,
        plan=[{"title": r.title, "amount": r.amount, "due_in_days": r.due_in_days} for r in rows],
    )
    notify(
        user=contract.client,
        kind="bids.milestones_changed",
        title=format_lazy(
            gettext_lazy("The milestones of “{title}” changed"), title=contract.project.title
        ),
        body=lazy(_shown, str)(changes),
        url=contract.get_absolute_url(),
        target=contract,
    )
    return rows
