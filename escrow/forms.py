"""Forms for the money pages: amounts are typed as decimals and become integer cents here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from escrow.gateways.demo import TEST_CARDS
from escrow.models import LedgerTransaction, PaymentPreference
from marketplace.forms import MoneyField, PurchaseKeyField
from marketplace.money import format_money_lazy


class AmountForm(forms.Form):
    amount = MoneyField(label=gettext_lazy("Amount"))

    def __init__(self, *args: Any, minimum: int = 1, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.minimum = minimum
        self.fields["amount"].help_text = f"In {settings.PLATFORM_CURRENCY}, e.g. 25.00"

    def clean_amount(self) -> int:
        cents: int = self.cleaned_data["amount"]
        if cents < self.minimum:
            raise forms.ValidationError(
                format_lazy(
                    gettext_lazy("The smallest amount is {amount}."),
                    amount=format_money_lazy(self.minimum, settings.PLATFORM_CURRENCY),
                )
            )
        return cents


class TopUpForm(AmountForm):
    """The amount and the form's purchase key: one top up however often it is submitted."""

    key = PurchaseKeyField()


class StatementFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Type"),
        required=False,
        choices=[("", gettext_lazy("All movements")), *LedgerTransaction.Kind.choices],
    )
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(gettext_lazy("The start date is after the end date."))
        return data


class DemoCardForm(forms.Form):
    card_number = forms.ChoiceField(
        label=gettext_lazy("Test card"),
        choices=[(number, f"{spaced} — {label}") for number, spaced, label in TEST_CARDS],
        widget=forms.RadioSelect,
        initial=TEST_CARDS[0][0],
    )


class PaymentPreferenceForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("How you prefer to pay"),
        choices=PaymentPreference.Method.choices,
        widget=forms.RadioSelect,
        help_text=(
            gettext_lazy(
                "Every payment form starts on it; you can still choose the other way each time. "
                "Cards are entered on the payment page of our card processor: we never store them."
            )
        ),
    )
