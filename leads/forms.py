"""Forms of referral leads: they clean input; services do the writing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from accounts.countries import COUNTRIES
from accounts.forms import TaxonomyChoiceField
from accounts.models import Skill
from accounts.selectors import grouped_skill_choices
from leads.models import CreditRequest, LeadCriteria
from marketplace.forms import MoneyField

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


def _skills_field(label: StrOrPromise, help_text: StrOrPromise) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=Skill.objects.select_related("category").order_by("category__position", "name"),
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
        error_messages={"required": gettext_lazy("Pick at least one service.")},
    )


def group_skills_by_category(form: forms.Form) -> None:
    """Show the services as checkboxes grouped under their taxonomy category."""
    field = cast(forms.ModelMultipleChoiceField, form.fields["skills"])
    field.widget.choices = grouped_skill_choices()


def check_budget_range(form: forms.Form) -> None:
    low, high = form.cleaned_data.get("budget_min"), form.cleaned_data.get("budget_max")
    if low is not None and high is not None and high < low:
        form.add_error("budget_max", gettext_lazy("The upper end must be at least the lower end."))


class CriteriaForm(forms.Form):
    is_active = forms.BooleanField(
        label=gettext_lazy("Send me referral leads"), required=False, initial=True
    )
    skills = _skills_field(
        gettext_lazy("Services offered"),
        gettext_lazy("Leads for any of these services reach you."),
    )
    budget_min = MoneyField(
        label=gettext_lazy("Budget from"),
        required=False,
        help_text=gettext_lazy("Leave blank for any."),
    )
    budget_max = MoneyField(
        label=gettext_lazy("Budget up to"),
        required=False,
        help_text=gettext_lazy("Leave blank for any."),
    )
    countries = forms.MultipleChoiceField(
        label=gettext_lazy("Countries covered"),
        choices=COUNTRIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    regions = forms.CharField(
        label=gettext_lazy("Regions covered"),
        required=False,
        max_length=1000,
        help_text=gettext_lazy("Separated by commas, e.g. Bavaria, Île-de-France."),
    )
    cities = forms.CharField(
        label=gettext_lazy("Cities covered"),
        required=False,
        max_length=1000,
        help_text=gettext_lazy("Separated by commas. Leave every area blank to cover anywhere."),
    )
    notify_email = forms.BooleanField(
        label=gettext_lazy("Email me new leads"), required=False, initial=True
    )
    notify_in_app = forms.BooleanField(
        label=gettext_lazy("Show new leads in my notifications"), required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group_skills_by_category(self)

    @classmethod
    def initial_for(cls, criteria: LeadCriteria | None) -> dict[str, Any]:
        if criteria is None:
            return {}
        return {
            "is_active": criteria.is_active,
            "skills": list(criteria.skills.all()),
            "budget_min": criteria.budget_min,
            "budget_max": criteria.budget_max,
            "countries": criteria.countries,
            "regions": ", ".join(criteria.regions),
            "cities": ", ".join(criteria.cities),
            "notify_email": criteria.notify_email,
            "notify_in_app": criteria.notify_in_app,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        check_budget_range(self)
        cleaned["regions"] = _names(cleaned.get("regions") or "")
        cleaned["cities"] = _names(cleaned.get("cities") or "")
        return cleaned


class MandateForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=140)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "What the prospect needs, in our words. Never put contact details here."
        ),
    )
    skills = _skills_field(
        gettext_lazy("Services"), gettext_lazy("Providers offering any of these receive the lead.")
    )
    budget_min = MoneyField(label=gettext_lazy("Budget from"), required=False)
    budget_max = MoneyField(label=gettext_lazy("Budget up to"), required=False)
    country = forms.ChoiceField(
        label=gettext_lazy("Country"),
        choices=[("", gettext_lazy("Anywhere / remote")), *COUNTRIES],
        required=False,
    )
    region = forms.CharField(label=gettext_lazy("Region"), max_length=80, required=False)
    city = forms.CharField(label=gettext_lazy("City"), max_length=80, required=False)
    price = MoneyField(label=gettext_lazy("Referral price"))
    max_buyers = forms.IntegerField(
        label=gettext_lazy("Maximum number of buyers"), min_value=1, max_value=20, initial=4
    )
    half_price_offered = forms.BooleanField(
        label=gettext_lazy("Offer half price"),
        required=False,
        initial=True,
        help_text=gettext_lazy(
            "Providers may reserve at 50%, awarded if the lead is not complete in time."
        ),
    )
    contact_name = forms.CharField(label=gettext_lazy("Client's name"), max_length=150)
    contact_company = forms.CharField(label=gettext_lazy("Company"), max_length=150, required=False)
    contact_email = forms.EmailField(label=gettext_lazy("Client's email"), required=False)
    contact_phone = forms.CharField(
        label=gettext_lazy("Client's phone"), max_length=40, required=False
    )
    contact_notes = forms.CharField(
        label=gettext_lazy("Notes for buyers"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown only to providers who buy the lead."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group_skills_by_category(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        check_budget_range(self)
        if not (cleaned.get("contact_email") or cleaned.get("contact_phone")):
            self.add_error(
                "contact_email", gettext_lazy("Give the client's email or phone number.")
            )
        return cleaned


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why not? (optional)"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "e.g. outside my area"}),
    )


class CreditRequestForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("What happened?"),
        choices=CreditRequest.Reason.choices,
        widget=forms.RadioSelect,
    )
    explanation = forms.CharField(
        label=gettext_lazy("Details"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("When you contacted the client and what they said."),
    )


class RefuseCreditForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for refusing"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Say why the credit is refused.")},
    )


class InboxFilterForm(forms.Form):
    skill = TaxonomyChoiceField(
        label=gettext_lazy("Service"),
        queryset=Skill.objects.all(),
        required=False,
        empty_label=gettext_lazy("All services"),
    )

    def __init__(self, *args: Any, offered: QuerySet[Skill] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if offered is not None:
            cast(forms.ModelChoiceField, self.fields["skill"]).queryset = offered
