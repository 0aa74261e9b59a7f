"""Workspace forms. Services re-check everything; forms give the messages beside the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy

from marketplace.forms import MoneyField
from messaging.forms import MultipleFileField
from workspaces.models import Dispute

SOURCE_CHOICES = [("balance", "Pay from my balance"), ("card", "Pay by card")]


class PayForm(forms.Form):
    source = forms.ChoiceField(
        label=gettext_lazy("How do you want to pay?"),
        choices=SOURCE_CHOICES,
        widget=forms.RadioSelect,
        initial="balance",
    )


class DeliverForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note to the client"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachments = MultipleFileField(
        label=gettext_lazy("Files"),
        required=False,
        help_text=gettext_lazy("Any type, up to the upload limit per file."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("note") or "").strip() and not data.get("attachments"):
            raise forms.ValidationError(gettext_lazy("Add a file or a note to deliver."))
        return data


class RevisionForm(forms.Form):
    comments = forms.CharField(
        label=gettext_lazy("What needs to change?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": gettext_lazy("Write what needs to change: a revision needs comments.")
        },
    )
    out_of_scope = forms.BooleanField(
        label=gettext_lazy("This goes beyond the original instructions (a revision fee applies)"),
        required=False,
    )


class CommentsForm(forms.Form):
    comments = forms.CharField(
        label=gettext_lazy("Comments"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Explain what the dispute is about.")},
    )
    attachments = MultipleFileField(label=gettext_lazy("Evidence (files)"), required=False)


class RespondForm(forms.Form):
    response = forms.CharField(
        label=gettext_lazy("Your response"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Write your response.")},
    )


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"), choices=Dispute.Outcome.choices, widget=forms.RadioSelect
    )
    payee_amount = MoneyField(
        label=gettext_lazy("Expert's share (for a split)"),
        required=False,
        allow_zero=True,
        help_text=gettext_lazy("For example 123.45; the rest goes back to the client."),
    )
    note = forms.CharField(label=gettext_lazy("Decision note"), required=False, max_length=2000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == Dispute.Outcome.SPLIT and data.get("payee_amount") is None:
            self.add_error("payee_amount", gettext_lazy("Enter the expert's share for a split."))
        return data


class TerminateForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why are you ending the contract?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand: funded milestones not yet delivered are refunded and delivered "
            "ones go to a dispute."
        ),
        error_messages={"required": gettext_lazy("Tick the box to confirm.")},
    )


class FileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.WORKSPACE_MAX_UPLOAD:
            raise forms.ValidationError(gettext_lazy("This file is larger than the upload limit."))
        return upload


class QCReviewerForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("QC expert's email"), required=False)
