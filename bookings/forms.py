"""Forms for listings, booking requests and the fee payment; services do the checking."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy

from accounts.countries import COUNTRIES
from accounts.forms import TaxonomyMultipleChoiceField
from accounts.models import ServiceListing, ServiceListingImage, Skill, SkillCategory
from marketplace.forms import MoneyField
from projects.forms import DateInput, FastSelectMultiple, MultipleFileField


class ListingForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=120,
        help_text=gettext_lazy("What you offer, e.g. “Logo design”."),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=gettext_lazy(
            "What the client gets, what you need from them, what is not included."
        ),
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"), queryset=SkillCategory.objects.all()
    )
    skills = TaxonomyMultipleChoiceField(
        label=gettext_lazy("Skills"),
        queryset=Skill.objects.all(),
        widget=FastSelectMultiple(attrs={"size": 8}),
        help_text=gettext_lazy("At least one. Hold Ctrl (⌘ on a Mac) to pick several."),
    )
    price_from = MoneyField(
        label=gettext_lazy("Starting price"),
        help_text=gettext_lazy("The price the client sees first (“from”)."),
    )
    delivery_days = forms.IntegerField(
        label=gettext_lazy("Delivery time in days"), min_value=1, max_value=365
    )
    remote = forms.BooleanField(
        label=gettext_lazy("Available remotely"), required=False, initial=True
    )
    country = forms.ChoiceField(
        label=gettext_lazy("Country"),
        choices=[("", "—"), *COUNTRIES],
        required=False,
        help_text=gettext_lazy("Where you work on site."),
    )
    city = forms.CharField(label=gettext_lazy("City"), max_length=80, required=False)
    images = MultipleFileField(
        required=False, help_text=gettext_lazy("Up to 5 JPEG, PNG, WebP or GIF images.")
    )
    remove_images = forms.ModelMultipleChoiceField(
        queryset=ServiceListingImage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Remove images"),
    )
    is_active = forms.BooleanField(
        label=gettext_lazy("Show in the catalogue"), required=False, initial=True
    )

    def __init__(self, *args: Any, listing: ServiceListing | None = None, **kwargs: Any) -> None:
        if listing is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": listing.title,
                    "description": listing.description,
                    "category": listing.category_id,
                    "skills": list(listing.skills.values_list("pk", flat=True)),
                    "price_from": listing.price_from,
                    "delivery_days": listing.delivery_days,
                    "remote": listing.remote,
                    "country": listing.country,
                    "city": listing.city,
                    "is_active": listing.is_active,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["price_from"].error_messages["required"] = gettext_lazy(
            "Enter a starting price."
        )
        if listing is not None and listing.pk:
            remove = cast(forms.ModelMultipleChoiceField, self.fields["remove_images"])
            remove.queryset = listing.images.all()
        else:
            del self.fields["remove_images"]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("images", None)
        data.pop("remove_images", None)
        return data

    def removed_image_ids(self) -> list[int]:
        return [row.pk for row in self.cleaned_data.get("remove_images") or []]


class BookingRequestForm(forms.Form):
    description = forms.CharField(
        label=gettext_lazy("What do you need?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=gettext_lazy(
            "The job in detail: what, where, by when. No contact details, please."
        ),
    )
    budget = MoneyField(label=gettext_lazy("Your budget"))
    deadline = forms.DateField(label=gettext_lazy("Deadline"), required=False, widget=DateInput)


class FeePaymentForm(forms.Form):
    source = forms.ChoiceField(
        label=gettext_lazy("Pay with"),
        choices=[
            ("card", gettext_lazy("Pay by card")),
            ("balance", gettext_lazy("Pay from my balance")),
        ],
        widget=forms.RadioSelect,
        initial="card",
    )


class ChangesForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What should change?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
    )


class CatalogueForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search services"), required=False, max_length=200)
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        queryset=SkillCategory.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=gettext_lazy("All categories"),
    )
