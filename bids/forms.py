"""Forms for bids and milestone plans; they parse input, the services check the rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.forms import BaseFormSet, formset_factory
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from bids.models import Bid
from bids.services import MilestoneInput
from marketplace.forms import MoneyField
from marketplace.money import to_decimal_string
from messaging.contact_guard import validate_no_contact_details
from messaging.forms import MultipleFileField

MIN_ROWS = 3

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


def _bid_maximum() -> int:
    return int(settings.BID_MAX_AMOUNT)


def _money(label: StrOrPromise, *, required: bool = True) -> MoneyField:
    return MoneyField(label=label, required=required, maximum=_bid_maximum)


class BidForm(forms.Form):
    amount = _money(gettext_lazy("Total price"))
    days = forms.IntegerField(
        label=gettext_lazy("Estimated days"),
        min_value=1,
        help_text=gettext_lazy("Working days from the start to the final delivery."),
        error_messages={"min_value": gettext_lazy("Estimate at least one day.")},
    )
    proposal = forms.CharField(
        label=gettext_lazy("Proposal"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "How you will do the work, what you deliver, and why you are a good fit."
        ),
        error_messages={"required": gettext_lazy("Describe how you will do the work.")},
        validators=[validate_no_contact_details],
    )
    attachments = MultipleFileField(label=gettext_lazy("Attachments"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"].error_messages["required"] = gettext_lazy("Enter a price above zero.")

    def clean_days(self) -> int | None:
        days = self.cleaned_data.get("days")
        if days is not None and days > settings.BID_MAX_DAYS:
            raise forms.ValidationError(
                format_lazy(
                    gettext_lazy("Estimate at most {BID_MAX_DAYS} days."),
                    BID_MAX_DAYS=settings.BID_MAX_DAYS,
                )
            )
        return days

    @staticmethod
    def initial_from(bid: Bid) -> dict[str, Any]:
        return {
            "amount": to_decimal_string(bid.amount),
            "days": bid.days,
            "proposal": bid.proposal,
        }

    def files_list(self) -> list[UploadedFile]:
        return list(self.cleaned_data.get("attachments") or [])


class MilestoneForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    order = forms.IntegerField(
        label=gettext_lazy("Order"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"size": 2}),
    )
    title = forms.CharField(label=gettext_lazy("Milestone"), max_length=120, required=False)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 1})
    )
    amount = _money(gettext_lazy("Amount"), required=False)
    due_in_days = forms.IntegerField(
        label=gettext_lazy("Due after (days)"), required=False, min_value=1
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(data.get(name) for name in ("title", "description", "amount", "due_in_days"))


class BaseMilestoneFormSet(BaseFormSet):
    def inputs(self) -> list[MilestoneInput]:
        """The filled rows, in the order typed in their Order boxes (else as shown)."""
        rows = []
        for index, form in enumerate(self.forms):
            if form.is_blank():
                continue
            data = form.cleaned_data
            order = data.get("order")
            rows.append((order if order is not None else index + 1, index, data))
        rows.sort(key=lambda row: (row[0], row[1]))
        steps = []
        for _, _, data in rows:
            steps.append(
                MilestoneInput(
                    id=data.get("id"),
                    title=data.get("title") or "",
                    description=data.get("description") or "",
                    amount=data.get("amount"),
                    due_in_days=data.get("due_in_days"),
                )
            )
        return steps


def milestone_formset(
    data: Any = None, *, initial: list[dict[str, Any]] | None = None, rows: int | None = None
) -> BaseMilestoneFormSet:
    initial = initial or []
    extra = rows if rows is not None else max(MIN_ROWS - len(initial), 1)
    formset_class = formset_factory(
        MilestoneForm,
        formset=BaseMilestoneFormSet,
        extra=extra,
        max_num=settings.BID_MAX_MILESTONES,
        validate_max=True,
    )
    return cast(BaseMilestoneFormSet, formset_class(data, initial=initial, prefix="milestones"))


def milestones_initial(steps: Any) -> list[dict[str, Any]]:
    return [
        {
            "order": number,
            "id": step.pk,
            "title": str(step.shown_title),  # a contract's default one in the reader's language
            "description": str(step.shown_description),
            "amount": to_decimal_string(step.amount),
            "due_in_days": step.due_in_days,
        }
        for number, step in enumerate(steps, start=1)
    ]


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do you decline?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Tell the client why you decline.")},
    )


class ConfirmForm(forms.Form):
    accept_terms = forms.BooleanField(
        label=gettext_lazy("I accept the contract: the scope, price and milestones above."),
        error_messages={"required": gettext_lazy("Accept the contract terms to confirm.")},
    )

    def __init__(self, *args: Any, nda_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if nda_required:
            self.fields["accept_nda"] = forms.BooleanField(
                label=gettext_lazy("I accept the non-disclosure agreement for this project."),
                error_messages={
                    "required": gettext_lazy("This project requires the NDA: accept it.")
                },
            )


class NoteForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Write what you would like to change.")},
    )


class OfferForm(forms.Form):
    amount = _money(gettext_lazy("Revised price"))
    days = forms.IntegerField(label=gettext_lazy("Revised days"), min_value=1)
    note = forms.CharField(
        label=gettext_lazy("Note to both parties"), required=False, widget=forms.Textarea
    )
