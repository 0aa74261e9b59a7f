"""Sign-up and profile forms. Forms validate input; services make the changes."""

from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.forms.models import ModelChoiceIterator
from django.http import HttpRequest
from django.utils.text import format_lazy
from django.utils.translation import get_language_from_request
from django.utils.translation import gettext_lazy as _

from accounts.countries import COUNTRIES
from accounts.images import validate_document, validate_image
from accounts.models import (
    ClientProfile,
    CompanyProfile,
    Experience,
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    Language,
    PortfolioItem,
    Qualification,
    Skill,
    SkillCategory,
    TaxonomyRequest,
    User,
    label_order,
)
from marketplace.forms import MoneyField
from messaging.contact_guard import validate_no_contact_details

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp,image/gif"


class InLabelOrder(ModelChoiceIterator):
    """A taxonomy field's choices alphabetical by the name the reader sees (the database orders
    by the English name)."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        choices = [self.choice(item) for item in self.queryset]
        yield from sorted(choices, key=lambda choice: label_order(str(choice[1])))


class TaxonomyChoiceField(forms.ModelChoiceField):
    """One skill or language, offered in the reader's alphabetical order."""

    iterator = InLabelOrder


class TaxonomyMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Skills or languages, offered in the reader's alphabetical order."""

    iterator = InLabelOrder


class SignupRoleForm(forms.Form):
    """Extra sign-up fields; allauth mixes them into its own sign-up form and calls signup()."""

    name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    role = forms.ChoiceField(
        label=_("I want to"),
        choices=[(User.Role.CLIENT, "Hire experts"), (User.Role.EXPERT, "Work as an expert")],
        widget=forms.RadioSelect,
        initial=User.Role.CLIENT,
        help_text=_("You can take on the other role later from your account menu."),
    )
    account_type = forms.ChoiceField(
        label=_("I am signing up as"),
        choices=[
            (User.AccountType.INDIVIDUAL, "An individual"),
            (User.AccountType.COMPANY, "A company"),
        ],
        widget=forms.RadioSelect,
        initial=User.AccountType.INDIVIDUAL,
    )
    legal_name = forms.CharField(
        label=_("Legal company name"),
        max_length=200,
        required=False,
        help_text=_("As it appears in the commercial register. Companies only."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        legal_name = (cleaned.get("legal_name") or "").strip()
        if cleaned.get("account_type") == User.AccountType.COMPANY and not legal_name:
            self.add_error("legal_name", _("Enter the legal name of your company."))
        cleaned["legal_name"] = legal_name
        return cleaned

    def signup(self, request: HttpRequest, user: User) -> None:
        from accounts.services import register_account

        register_account(
            user=user,
            name=self.cleaned_data["name"],
            role=self.cleaned_data["role"],
            account_type=self.cleaned_data["account_type"],
            legal_name=self.cleaned_data["legal_name"],
            language=get_language_from_request(request, check_path=False),
        )


class LanguageForm(forms.Form):
    """The account page's language choice."""

    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("Pages, emails and notifications use this language."),
    )


def _choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # noqa: S101 - a programming error otherwise
    return field


def _clean_image(form: forms.BaseForm, name: str) -> UploadedFile | None:
    upload = form.cleaned_data.get(name)
    if upload:
        validate_image(upload)
    return upload


class ImageUploadForm(forms.Form):
    image = forms.FileField(
        label=_("Image"),
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text=_("JPEG, PNG, WebP or GIF, square works best."),
    )

    def clean_image(self) -> UploadedFile | None:
        return _clean_image(self, "image")


class ExpertBasicsForm(forms.ModelForm):
    hourly_rate = MoneyField(label=_("Hourly rate"), required=False, help_text=_("For example 65."))
    rate_min = MoneyField(label=_("Rate from"), required=False)
    rate_max = MoneyField(label=_("Rate up to"), required=False)

    class Meta:
        model = ExpertProfile
        fields = (
            "headline",
            "bio",
            "hourly_rate",
            "rate_min",
            "rate_max",
            "country",
            "city",
            "remote_ok",
        )
        widgets = {"bio": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"bio": _("What you do best, for whom, and how you work.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "country").choices = [("", _("Choose a country")), *COUNTRIES]
        # Public before any contract: no way around the platform in them.
        for name in ("headline", "bio"):
            self.fields[name].validators.append(validate_no_contact_details)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        rate_min, rate_max = cleaned.get("rate_min"), cleaned.get("rate_max")
        if (rate_min is None) != (rate_max is None):
            self.add_error(
                "rate_max" if rate_max is None else "rate_min",
                _("Give both ends of the range, or use a single hourly rate."),
            )
        elif rate_min is not None and rate_max is not None and rate_min > rate_max:
            self.add_error("rate_max", _("The upper end must be at least the lower end."))
        return cleaned

    def _post_clean(self) -> None:
        # The service saves; constraints are checked by full_clean() inside it.
        pass


class SkillRowForm(forms.Form):
    skill = TaxonomyChoiceField(
        label=_("Skill"),
        queryset=Skill.objects.select_related("category"),
        empty_label=_("Choose a skill"),
        required=False,
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=ExpertSkill.Level.choices, initial="intermediate"
    )
    years = forms.IntegerField(
        label=_("Years"), min_value=0, max_value=70, initial=0, required=False
    )

    def __init__(self, *args: Any, skill_choices: list | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if skill_choices is not None:  # one query for the whole formset, not one per row
            _choice_field(self, "skill").choices = [("", _("Choose a skill")), *skill_choices]


class RowFormSet(forms.BaseFormSet):
    def add_non_form_error(self, message: str) -> None:
        """A refusal from the service, shown above the rows."""
        if getattr(self, "_errors", None) is None:
            self.full_clean()
        self._non_form_errors = self.error_class([message])


class BaseSkillFormSet(RowFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[int] = set()
        for form in self.forms:
            skill = form.cleaned_data.get("skill")
            if not skill or form.cleaned_data.get("DELETE"):
                continue
            if skill.pk in seen:
                form.add_error("skill", format_lazy(_("{skill} is listed twice."), skill=skill))
            seen.add(skill.pk)

    def choices(self) -> list[tuple[Skill, str, int | None]]:
        return [
            (form.cleaned_data["skill"], form.cleaned_data["level"], form.cleaned_data["years"])
            for form in self.forms
            if form.cleaned_data.get("skill") and not form.cleaned_data.get("DELETE")
        ]


SkillFormSet = forms.formset_factory(
    SkillRowForm, formset=BaseSkillFormSet, extra=1, can_delete=True, max_num=30
)


class LanguageRowForm(forms.Form):
    language = TaxonomyChoiceField(
        label=_("Language"),
        queryset=Language.objects.all(),
        empty_label=_("Choose a language"),
        required=False,
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=ExpertLanguage.Level.choices, initial="fluent"
    )

    def __init__(self, *args: Any, language_choices: list | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if language_choices is not None:
            _choice_field(self, "language").choices = [
                ("", _("Choose a language")),
                *language_choices,
            ]


class BaseLanguageFormSet(RowFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[int] = set()
        for form in self.forms:
            language = form.cleaned_data.get("language")
            if not language or form.cleaned_data.get("DELETE"):
                continue
            if language.pk in seen:
                form.add_error(
                    "language",
                    format_lazy(_("{language} is listed twice."), language=language),
                )
            seen.add(language.pk)

    def choices(self) -> list[tuple[Language, str]]:
        return [
            (form.cleaned_data["language"], form.cleaned_data["level"])
            for form in self.forms
            if form.cleaned_data.get("language") and not form.cleaned_data.get("DELETE")
        ]


LanguageFormSet = forms.formset_factory(
    LanguageRowForm, formset=BaseLanguageFormSet, extra=1, can_delete=True, max_num=15
)


class QualificationForm(forms.ModelForm):
    class Meta:
        model = Qualification
        fields = ("kind", "title", "institution", "year")


class ExperienceForm(forms.ModelForm):
    class Meta:
        model = Experience
        fields = ("title", "organisation", "start_year", "end_year", "description")
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The end year cannot be before the start year."))
        return cleaned


class PortfolioItemForm(forms.ModelForm):
    image = forms.FileField(
        label=_("Image"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text=_("Optional. JPEG, PNG, WebP or GIF."),
    )

    class Meta:
        model = PortfolioItem
        fields = ("title", "description", "url")
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_image(self) -> UploadedFile | None:
        return _clean_image(self, "image")


class ClientProfileForm(forms.ModelForm):
    class Meta:
        model = ClientProfile
        fields = ("display_name", "country", "city", "about")
        widgets = {"about": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"about": _("What you usually hire for; experts read this before bidding.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "country").choices = [("", _("Choose a country")), *COUNTRIES]
        for name in ("display_name", "about"):  # experts read them before any contract
            self.fields[name].validators.append(validate_no_contact_details)

    def _post_clean(self) -> None:
        pass


class CompanyProfileForm(forms.ModelForm):
    class Meta:
        model = CompanyProfile
        fields = (
            "legal_name",
            "registration_number",
            "industry",
            "country",
            "address",
            "website",
            "about",
        )
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "about": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "country").choices = [("", _("Choose a country")), *COUNTRIES]
        if self.instance.legal_details_locked:
            for name in ("legal_name", "registration_number"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed while the company is reviewed or verified.")

    def _post_clean(self) -> None:
        pass


class CompanyDocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Registration document"),
        help_text=_("A commercial register extract, VAT certificate or similar (PDF or image)."),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        validate_document(upload)
        return upload


class TaxonomyRequestForm(forms.Form):
    """Ask staff to add a skill, or a category or job type, missing from the lists."""

    kind = forms.ChoiceField(
        label=_("What is missing"),
        choices=TaxonomyRequest.Kind.choices,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(max_length=80, label=_("Its name"))
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=SkillCategory.objects.all(),
        required=False,
        empty_label=_("Choose a category"),
        help_text=_("For a skill: where it belongs."),
    )
    note = forms.CharField(
        label=_("What you need it for"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: helps our staff place it well."),
    )
