"""Forms for invited fulfilment: the staff set-up page and the expert's Accept."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models.functions import Lower
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from accounts.forms import TaxonomyMultipleChoiceField
from accounts.models import Skill, SkillCategory, User
from marketplace.forms import MoneyField
from projects.forms import (
    DateInput,
    FastSelectMultiple,
    FastSelectsMixin,
    MultipleFileField,
    checked_documents,
)
from projects.models import Project, ProjectAttachment

KIND_CHOICES = [(k.value, k.label) for k in Project.Kind if k in Project.INVITED_KINDS]


def experts_by_email(text: str) -> list[User]:
    """The accounts named by a list of emails (commas, spaces or new lines between them)."""
    emails = {e.lower() for e in re.split(r"[\s,;]+", text) if e}
    if not emails:
        raise forms.ValidationError(gettext_lazy("Invite at least one expert."))
    found: list[User] = list(
        User.objects.annotate(lower_email=Lower("email"))
        .filter(lower_email__in=emails)
        .order_by("pk")
    )
    missing = sorted(emails - {u.email.lower() for u in found})
    if missing:
        raise forms.ValidationError(
            format_lazy(gettext_lazy("No account has this email: {join}."), join=", ".join(missing))
        )
    return found


class InviteMoreForm(forms.Form):
    expert_emails = forms.CharField(
        label=gettext_lazy("Invite more experts"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Their emails, separated by commas or new lines."),
    )

    def clean_expert_emails(self) -> list[User]:
        return experts_by_email(self.cleaned_data["expert_emails"])


class InvitedProjectForm(FastSelectsMixin, forms.Form):
    """Staff set up a Speedy, Contest or Booking for a client and invite experts to it."""

    client_email = forms.EmailField(label=gettext_lazy("Client's email"))
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=KIND_CHOICES, widget=forms.RadioSelect
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=120)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("The instructions the expert works from (Markdown works)."),
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        queryset=SkillCategory.objects.all(),
        empty_label=gettext_lazy("Choose a category"),
    )
    skills = TaxonomyMultipleChoiceField(
        label=gettext_lazy("Skills"),
        queryset=Skill.objects.select_related("category"),
        widget=FastSelectMultiple(attrs={"size": 8}),
        help_text=gettext_lazy("At least one."),
    )
    documents = MultipleFileField(
        required=False,
        label=gettext_lazy("Source documents"),
        help_text=(
            format_lazy(
                gettext_lazy(
                    "The files the expert works from (the text to translate, drawings…): up "
                    "to {MAX_PER_PROJECT}, each within the document size limit."
                ),
                MAX_PER_PROJECT=ProjectAttachment.MAX_PER_PROJECT,
            )
        ),
    )
    reward = MoneyField(
        label=gettext_lazy("Reward"),
        help_text=gettext_lazy("What the platform pays the expert who does it."),
    )
    deadline = forms.DateField(label=gettext_lazy("Deadline"), required=False, widget=DateInput)
    nda_required = forms.BooleanField(
        label=gettext_lazy("The expert must accept the NDA"), required=False
    )
    proofread_offer = forms.CharField(
        label=gettext_lazy("Offer for experts who arrive too late"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "For translation work, e.g. “Proofread this translation instead for €20.”"
        ),
    )
    expert_emails = forms.CharField(
        label=gettext_lazy("Invite experts"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Their emails, separated by commas or new lines."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._use_fast_selects()

    def clean_client_email(self) -> User:
        email = self.cleaned_data["client_email"]
        client = User.objects.filter(email__iexact=email, is_active=True).first()
        if client is None:
            raise forms.ValidationError(gettext_lazy("No active account has this email."))
        return client

    def clean_expert_emails(self) -> list[User]:
        return experts_by_email(self.cleaned_data["expert_emails"])

    def clean_documents(self) -> list[UploadedFile]:
        files = checked_documents(self.cleaned_data.get("documents") or [])
        if len(files) > ProjectAttachment.MAX_PER_PROJECT:
            raise forms.ValidationError(
                format_lazy(
                    gettext_lazy("Attach at most {MAX_PER_PROJECT} documents."),
                    MAX_PER_PROJECT=ProjectAttachment.MAX_PER_PROJECT,
                )
            )
        return files

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "category": data["category"],
            "skills": list(data["skills"]),
            "deadline": data.get("deadline"),
            "nda_required": data.get("nda_required", False),
        }


class AcceptForm(forms.Form):
    """The invited expert's Accept; the NDA box appears when the project requires it."""

    def __init__(self, *args: Any, nda_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if nda_required:
            self.fields["accept_nda"] = forms.BooleanField(
                label=gettext_lazy("I accept the non-disclosure agreement"),
                error_messages={
                    "required": gettext_lazy("This project requires the NDA: accept it.")
                },
            )


class ExtraFeeForm(forms.Form):
    """The expert asks for a fee for work outside the original instructions."""

    amount = MoneyField(
        label=gettext_lazy("Fee"), help_text=gettext_lazy("For the extra work only.")
    )
    reason = forms.CharField(
        label=gettext_lazy("Which work was outside the original instructions?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FeeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("approve", gettext_lazy("Approve")), ("refuse", gettext_lazy("Refuse"))],
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=2000)
