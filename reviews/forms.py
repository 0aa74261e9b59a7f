"""Review, reply and report forms; the services check everything again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy

from reviews.models import Review

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

STARS = [(n, f"{n} star{'s' if n != 1 else ''}") for n in range(5, 0, -1)]
STAR_ERRORS = {
    "required": gettext_lazy("Choose a rating from 1 to 5 stars."),
    "invalid_choice": gettext_lazy("Choose a rating from 1 to 5 stars."),
}


def _stars(label: StrOrPromise, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=STARS,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "stars"}),
        error_messages=STAR_ERRORS,
        help_text=help_text,
    )


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=gettext_lazy("Overall rating"),
        choices=STARS,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "stars"}),
        error_messages=STAR_ERRORS,
    )
    text = forms.CharField(
        label=gettext_lazy("Your review"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "What went well, what could be better. Shown publicly on their profile."
        ),
        error_messages={"required": gettext_lazy("Write a few words about how the work went.")},
    )
    would_work_again = forms.TypedChoiceField(
        label=gettext_lazy("Would you work together again?"),
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Say whether you would work together again.")},
    )

    def __init__(self, *args: Any, role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        criteria = Review.EXPERT_CRITERIA if role == Review.Role.CLIENT else Review.CLIENT_CRITERIA
        text = self.fields.pop("text")
        again = self.fields.pop("would_work_again")
        for name, label in criteria:
            self.fields[name] = _stars(label)
        self.fields["text"] = text
        self.fields["would_work_again"] = again
        self.criteria_names = [name for name, _ in criteria]

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(gettext_lazy("Write a few words about how the work went."))
        return text

    @property
    def criteria_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.criteria_names]


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your public reply"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("You can reply once; the reply shows under the review."),
        error_messages={"required": gettext_lazy("Write your reply before sending it.")},
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What is wrong with this review?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Say what is wrong with this review.")},
    )
