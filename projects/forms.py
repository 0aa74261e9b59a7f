"""Forms for posting and searching; they clean input, services do the writing."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from html import escape
from typing import TYPE_CHECKING, Any, Self, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.forms.utils import flatatt
from django.template.defaultfilters import filesizeformat
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext, gettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

from accounts.countries import COUNTRIES
from accounts.forms import TaxonomyMultipleChoiceField
from accounts.models import Language, Skill, SkillCategory, label_order
from accounts.selectors import taxonomy
from marketplace import widgets
from marketplace.forms import EXPIRED, MoneyField, PurchaseKeyField
from marketplace.html import text
from marketplace.money import to_decimal_string
from projects.models import BudgetType, ExpertiseLevel, Project, ProjectAttachment, ProjectUpgrade
from projects.services import validate_post

SEARCH_MAX = 200


class FastSelect(forms.Select):
    """A <select> rendered in Python: the same markup as Django's widget templates for plain
    options, without one template render per option (the skills and country lists are long)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        selected = {str(item) for item in self.format_value(value)}
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        if isinstance(self.choices, FixedChoices):
            options = (
                f"{head}{' selected' if value in selected else ''}{tail}"
                for value, head, tail in self.choices.options()
            )
        else:
            options = (option(key, label, selected) for key, label in self.choices)
        html = mark_safe("".join(options))  # each option escaped
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), html)


def option(key: Any, label: Any, selected: set[str]) -> str:
    """One escaped <option>, selected when its value is among `selected`."""
    value = str(key)
    mark = " selected" if value in selected else ""
    return f'<option value="{escape(value)}"{mark}>{escape(text(label))}</option>'


class FixedChoices(BaseChoiceIterator):
    """Choices already in their plain (value, label) form, shared by every copy of a form.

    A form instance deep-copies its fields, each ChoiceField its choices, and setting choices
    walks them to normalize them: for the search filters (countries, the taxonomy) that was a
    fifth of building the form on every request. These choices are never changed in place, so
    copies share them (only ever replaced by assigning new choices)."""

    def __init__(self, choices: Iterable[tuple[Any, Any]]) -> None:
        self.choices = list(choices)
        self._options: dict[str | None, list[tuple[str, str, str]]] = {}

    def options(self) -> list[tuple[str, str, str]]:
        """(value, markup before " selected", markup after) for each <option>, written once
        per language (see FastSelect)."""
        language = get_language()
        found = self._options.get(language)
        if found is None:
            found = self._options[language] = [
                (
                    str(key),
                    f'<option value="{escape(str(key))}"',
                    f">{escape(text(label))}</option>",
                )
                for key, label in self.choices
            ]
        return found

    @classmethod
    def shared(cls, key: tuple[Any, ...], build: Callable[[], Iterable[tuple[Any, Any]]]) -> Self:
        """The choices for `key` (such as a field name and the taxonomy's pairs), made once and
        shared by the forms of later requests while the taxonomy stays the same."""
        found = _SHARED_CHOICES.get(key)
        if found is None:
            if len(_SHARED_CHOICES) >= SHARED_CHOICES_KEPT:
                _SHARED_CHOICES.clear()
            found = _SHARED_CHOICES[key] = cls(build())
        return cast("Self", found)

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)

    def __copy__(self) -> FixedChoices:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> FixedChoices:
        return self


SHARED_CHOICES_KEPT = 64
_SHARED_CHOICES: dict[tuple[Any, ...], FixedChoices] = {}


class FastSelectMultiple(FastSelect):
    allow_multiple_selected = True

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return forms.SelectMultiple.value_from_datadict(self, data, files, name)  # type: ignore[arg-type]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False


class SkillSelectMultiple(FastSelectMultiple):
    """Skills in one <optgroup> per category (data-category: its id), so that
    static/js/skill-filter.js can show only the chosen category's; without JavaScript every
    group shows."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        selected = {str(item) for item in self.format_value(value)}
        final_attrs = {**self.build_attrs(self.attrs, attrs), "multiple": True}
        groups: dict[Any, list[tuple[str, str]]] = {}
        for key, label in self.choices:
            category = key.instance.category  # type: ignore[union-attr]  # a ModelChoiceIteratorValue
            groups.setdefault(category, []).append(
                (label_order(str(label)), option(key, label, selected))
            )
        html = mark_safe(
            "".join(
                f'<optgroup label="{escape(category.label)}" data-category="{category.pk}">'
                + "".join(html for _key, html in sorted(options))
                + "</optgroup>"
                for category, options in sorted(
                    groups.items(), key=lambda item: (item[0].position, label_order(item[0].label))
                )
            )
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), html)


class FastSelectsMixin:
    """Swap the plain <select> widgets of a form for FastSelect."""

    fields: dict[str, forms.Field]

    def _use_fast_selects(self) -> None:
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                fast = FastSelect(attrs=field.widget.attrs)
                fast.choices = field.widget.choices
                fast.is_required = field.widget.is_required
                field.widget = fast


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class DateInput(forms.DateInput):
    input_type = "date"


def cleaned_amount(form: forms.Form, name: str) -> int | None:
    """The minor units typed into a money_field, or None when empty or refused (MoneyField has
    put its message beside the field)."""
    value = form.cleaned_data.get(name)
    return value if isinstance(value, int) else None


def checked_documents(files: list[UploadedFile]) -> list[UploadedFile]:
    """Supporting documents within the size limit, or the error shown beside the field."""
    limit = settings.MAX_DOCUMENT_SIZE
    for upload in files:
        if (upload.size or 0) > limit:
            raise forms.ValidationError(
                format_lazy(
                    gettext_lazy("“{name}” is larger than {filesizeformat}."),
                    name=upload.name,
                    filesizeformat=filesizeformat(limit),
                )
            )
    return files


# Sizes in help texts built at import: formatted when shown, in the reader's language.
filesizeformat_lazy = lazy(filesizeformat, str)


def money_field(
    label: StrOrPromise, *, required: bool = True, help_text: StrOrPromise = ""
) -> MoneyField:
    return MoneyField(label=label, required=required, help_text=help_text)


class ProjectForm(FastSelectsMixin, forms.Form):
    """The post itself (sections: the work, skills, budget and dates, location, options)."""

    template = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=120,
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("e.g. Logo and brand kit for our bakery")}
        ),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy("Markdown works: ## headings, - lists, **bold**, links."),
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        queryset=SkillCategory.objects.all(),
        required=False,
        empty_label=gettext_lazy("Choose a category"),
    )
    skills = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Skills"),
        queryset=Skill.objects.select_related("category"),
        required=False,
        widget=SkillSelectMultiple(attrs={"size": 10, "data-filter-by": "id_category"}),
        help_text=gettext_lazy("At least one. Hold Ctrl (⌘ on a Mac) to pick several."),
    )
    expertise_level = forms.ChoiceField(
        label=gettext_lazy("Expertise level"),
        choices=ExpertiseLevel.choices,
        initial=ExpertiseLevel.INTERMEDIATE,
    )
    budget_type = forms.ChoiceField(
        label=gettext_lazy("Budget type"),
        choices=BudgetType.choices,
        initial=BudgetType.FIXED,
        widget=forms.RadioSelect,
    )
    budget_min = money_field(
        gettext_lazy("Budget"),
        help_text=gettext_lazy("The fixed amount, or the lower end of the range."),
    )
    budget_max = money_field(
        gettext_lazy("Up to"), required=False, help_text=gettext_lazy("For a range only.")
    )
    deadline = forms.DateField(label=gettext_lazy("Deadline"), required=False, widget=DateInput)
    start_date = forms.DateField(
        label=gettext_lazy("Expected start"), required=False, widget=DateInput
    )
    end_date = forms.DateField(label=gettext_lazy("Expected end"), required=False, widget=DateInput)
    location_type = forms.ChoiceField(
        label=gettext_lazy("Location"),
        choices=Project.Location.choices,
        initial=Project.Location.REMOTE,
        widget=forms.RadioSelect,
    )
    country = forms.ChoiceField(
        label=gettext_lazy("Country"), choices=[("", "—"), *COUNTRIES], required=False
    )
    city = forms.CharField(label=gettext_lazy("City"), max_length=80, required=False)
    languages = TaxonomyMultipleChoiceField(
        label=gettext_lazy("Languages"),
        queryset=Language.objects.all(),
        required=False,
        widget=FastSelectMultiple(attrs={"size": 5}),
    )
    restricted_to_businesses = forms.BooleanField(
        required=False,
        label=gettext_lazy("Restricted to Businesses"),
        help_text=gettext_lazy("Only company accounts can bid."),
    )
    additional_qc = forms.BooleanField(
        required=False,
        label=gettext_lazy("Additional Quality Control"),
        help_text=gettext_lazy("A second expert reviews the deliverables."),
    )
    managed = forms.BooleanField(
        required=False,
        label=gettext_lazy("Managed"),
        help_text=gettext_lazy(
            "Experts stay anonymous to you; our staff negotiate on your behalf."
        ),
    )
    payment_model = forms.ChoiceField(
        label=gettext_lazy("Payment model"),
        choices=Project.PaymentModel.choices,
        initial=Project.PaymentModel.MILESTONES,
        widget=forms.RadioSelect,
    )
    nda_required = forms.BooleanField(
        required=False, label=gettext_lazy("Experts must accept an NDA before seeing details")
    )
    public_summary = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Public summary"),
        help_text=(
            gettext_lazy(
                "With an NDA: what experts, visitors and search see before accepting it (the kind "
                "of work, without confidential details). Title, category, skills, budget and dates "
                "show too."
            )
        ),
    )
    attachments = MultipleFileField(
        required=False,
        label=gettext_lazy("Supporting documents"),
        help_text=(
            format_lazy(
                gettext_lazy(
                    "Any type, up to {filesizeformat} each, {MAX_PER_PROJECT} per project."
                ),
                filesizeformat=filesizeformat_lazy(settings.MAX_DOCUMENT_SIZE),
                MAX_PER_PROJECT=ProjectAttachment.MAX_PER_PROJECT,
            )
        ),
    )

    REQUIRED_MESSAGES = {
        "title": gettext_lazy("Give the project a title."),
        "description": gettext_lazy("Describe the work."),
        "category": gettext_lazy("Choose a category."),
        "skills": gettext_lazy("Choose at least one skill."),
    }

    def __init__(self, *args: Any, existing_attachments: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._use_fast_selects()
        self.existing_attachments = existing_attachments
        for name, message in self.REQUIRED_MESSAGES.items():
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = message

    def clean_attachments(self) -> list[UploadedFile]:
        files = checked_documents(self.cleaned_data.get("attachments") or [])
        room = ProjectAttachment.MAX_PER_PROJECT - self.existing_attachments
        if len(files) > room:
            if self.existing_attachments:
                message = gettext(
                    "A project can have at most %(count)s documents; you can add %(room)s more."
                )
            else:
                message = gettext("A project can have at most %(count)s documents.")
            raise forms.ValidationError(
                message % {"count": ProjectAttachment.MAX_PER_PROJECT, "room": room}
            )
        return files

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["budget_min"] = cleaned_amount(self, "budget_min")
        data["budget_max"] = cleaned_amount(self, "budget_max")
        if data.get("budget_type") == BudgetType.FIXED:
            data["budget_max"] = data["budget_min"]
        data["title"] = (data.get("title") or "").strip()
        for field, message in validate_post(data).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return data

    def values(self) -> dict[str, Any]:
        """What the services take (template id resolved by the view)."""
        data = dict(self.cleaned_data)
        data.pop("attachments", None)
        data.pop("template", None)
        return data

    @classmethod
    def initial_from(cls, project: Project) -> dict[str, Any]:
        return {
            "title": project.title,
            "description": project.description,
            "category": project.category_id,
            "skills": list(project.skills.all()),
            "expertise_level": project.expertise_level,
            "budget_type": project.budget_type,
            "budget_min": to_decimal_string(project.budget_min),
            "budget_max": to_decimal_string(project.budget_max)
            if project.budget_type == BudgetType.RANGE
            else "",
            "deadline": project.deadline,
            "start_date": project.start_date,
            "end_date": project.end_date,
            "location_type": project.location_type,
            "country": project.country,
            "city": project.city,
            "languages": list(project.languages.all()),
            "restricted_to_businesses": project.restricted_to_businesses,
            "additional_qc": project.additional_qc,
            "managed": project.managed,
            "payment_model": project.payment_model,
            "nda_required": project.nda_required,
            "public_summary": project.public_summary,
        }


class UpgradeForm(forms.Form):
    upgrades = forms.MultipleChoiceField(
        choices=ProjectUpgrade.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Upgrades"),
    )
    source = forms.ChoiceField(
        choices=[("balance", gettext_lazy("From my balance")), ("card", gettext_lazy("By card"))],
        initial="card",
        widget=forms.RadioSelect,
        label=gettext_lazy("Pay"),
    )
    # Fixed when the page is rendered: a double click or a repeated POST buys the upgrades once.
    purchase_key = PurchaseKeyField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("upgrades")
            and not data.get("purchase_key")
            and "purchase_key" not in self.errors
        ):
            self.add_error("purchase_key", EXPIRED)
        return data


ANY_LANGUAGE = gettext_lazy("Any language")
ALL_CATEGORIES = gettext_lazy("All categories")


class _SearchForm(FastSelectsMixin, forms.Form):
    """What both search pages share: words, skills, language, country and amounts typed as text.

    The taxonomy choices come from accounts.selectors.taxonomy() (cached), so neither rendering
    nor validating the filters costs a query; the cleaned values are ids.
    """

    placeholder: StrOrPromise = ""
    amount_fields: tuple[str, ...] = ()

    q = forms.CharField(required=False, max_length=SEARCH_MAX, label=gettext_lazy("Search"))
    skills = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Skills"),
        coerce=int,
        required=False,
        widget=FastSelectMultiple(attrs={"size": 6}),
    )
    language = forms.TypedChoiceField(
        label=gettext_lazy("Language"), coerce=int, empty_value=None, required=False
    )
    country = forms.ChoiceField(
        label=gettext_lazy("Country"),
        choices=FixedChoices([("", gettext_lazy("Any country")), *COUNTRIES]),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.taxonomy = taxonomy()
        self.fields["q"].widget = forms.SearchInput(attrs={"placeholder": self.placeholder})
        self._set_taxonomy_choices("skills", self.taxonomy.skills)
        self._set_taxonomy_choices("language", self.taxonomy.languages, blank=ANY_LANGUAGE)
        self._use_fast_selects()
        for field in self.fields.values():
            fast = widgets.FAST_INPUTS.get(type(field.widget))
            if fast is not None:
                field.widget = copy.copy(field.widget)
                field.widget.__class__ = fast

    def _set_taxonomy_choices(
        self, name: str, pairs: tuple[tuple[int, str], ...], *, blank: StrOrPromise | None = None
    ) -> None:
        """The taxonomy's (id, name) pairs as the field's choices (after a blank choice); the
        same FixedChoices, with its options written once per language, while they stay the same."""
        head = [("", blank)] if blank is not None else []
        choices = FixedChoices.shared((name, pairs), lambda: [*head, *pairs])
        cast("forms.ChoiceField", self.fields[name]).choices = choices

    def clean_q(self) -> str:
        # Shown back as typed (escaped by the template); searched as plain words only.
        return " ".join((self.cleaned_data.get("q") or "").split())[:SEARCH_MAX]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.amount_fields:
            data[f"{name}_amount"] = cleaned_amount(self, name)
        return data


class SearchForm(_SearchForm):
    """Find a Project: every field optional; bad values are dropped, never an error page."""

    SORTS: list[tuple[str, StrOrPromise]] = [
        ("best", gettext_lazy("Best match")),
        ("newest", gettext_lazy("Newest")),
        ("budget_high", gettext_lazy("Budget: high to low")),
        ("budget_low", gettext_lazy("Budget: low to high")),
        ("fewest_bids", gettext_lazy("Fewest bids")),
    ]
    POSTED: list[tuple[str, StrOrPromise]] = [
        ("", gettext_lazy("Any time")),
        ("1", gettext_lazy("Last 24 hours")),
        ("3", gettext_lazy("Last 3 days")),
        ("7", gettext_lazy("Last 7 days")),
        ("30", gettext_lazy("Last 30 days")),
    ]
    placeholder = gettext_lazy("e.g. mould flow, logo, Django")
    amount_fields = ("budget_min", "budget_max")

    category = forms.TypedChoiceField(
        label=gettext_lazy("Category"), coerce=int, empty_value=None, required=False
    )
    budget_min = money_field(gettext_lazy("Budget from"), required=False)
    budget_max = money_field(gettext_lazy("Budget to"), required=False)
    location = forms.ChoiceField(
        label=gettext_lazy("Location"),
        choices=FixedChoices(
            [
                ("", gettext_lazy("Anywhere")),
                ("remote", gettext_lazy("Remote")),
                ("onsite", gettext_lazy("On site")),
            ]
        ),
        required=False,
    )
    posted = forms.TypedChoiceField(
        choices=FixedChoices(POSTED),
        coerce=int,
        empty_value=None,
        required=False,
        label=gettext_lazy("Posted"),
    )
    companies_only = forms.BooleanField(required=False, label=gettext_lazy("Posted by companies"))
    mine = forms.BooleanField(required=False, label=gettext_lazy("Matching my skills"))
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort"), choices=FixedChoices(SORTS), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_taxonomy_choices("category", self.taxonomy.categories, blank=ALL_CATEGORIES)


class ExpertSearchForm(_SearchForm):
    placeholder = gettext_lazy("e.g. injection moulding, translator")
    amount_fields = ("rate_min", "rate_max")

    min_rating = forms.TypedChoiceField(
        choices=FixedChoices(
            [
                ("", gettext_lazy("Any rating")),
                ("3", gettext_lazy("3+ stars")),
                ("4", gettext_lazy("4+ stars")),
                ("4.5", gettext_lazy("4.5+ stars")),
            ]
        ),
        required=False,
        coerce=float,
        empty_value=None,
        label=gettext_lazy("Rating"),
    )
    rate_min = money_field(gettext_lazy("Rate from (/h)"), required=False)
    rate_max = money_field(gettext_lazy("Rate to (/h)"), required=False)
    kind = forms.ChoiceField(
        choices=FixedChoices(
            [
                ("", gettext_lazy("Companies and individuals")),
                ("company", gettext_lazy("Companies")),
                ("individual", gettext_lazy("Individuals")),
            ]
        ),
        required=False,
        label=gettext_lazy("Type"),
    )
    verified = forms.BooleanField(required=False, label=gettext_lazy("Verified companies only"))


class InviteForm(forms.Form):
    expert = forms.IntegerField(widget=forms.HiddenInput)
    project = forms.IntegerField(label=gettext_lazy("Project"), required=False)


class DigestForm(forms.Form):
    frequency = forms.ChoiceField(
        choices=[
            ("daily", gettext_lazy("Daily")),
            ("weekly", gettext_lazy("Weekly")),
            ("never", gettext_lazy("Never")),
        ],
        widget=forms.RadioSelect,
        label=gettext_lazy("Email me new projects matching my skills"),
    )
