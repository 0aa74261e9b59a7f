"""{% form_field %} writes what components/field.html writes, for every kind of field."""

import re

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from accounts.countries import COUNTRY_NAMES
from accounts.models import Skill
from accounts.selectors import forget_taxonomy
from marketplace import widgets
from marketplace.html import escaped, text
from projects.forms import ExpertSearchForm, FixedChoices, SearchForm

pytestmark = pytest.mark.django_db


class EveryKindForm(forms.Form):
    title = forms.CharField(help_text="Say <em>what</em> you need.", max_length=5)
    agree = forms.BooleanField(help_text="The <a href='/terms/'>terms</a>.")
    plain = forms.BooleanField(required=False, label="Plain & <simple>")
    kind = forms.ChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, help_text="Pick one."
    )
    kinds = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple, required=False
    )
    secret = forms.CharField(widget=forms.HiddenInput, required=False)


def _markup(html: str) -> str:
    html = re.sub(r"\s+", " ", html.strip())
    html = re.sub(r"\s*>\s*", ">", html)  # blanks around tags, and before a tag's end
    return re.sub(r"\s+<", "<", html)


def _both(field, **options):
    extra = "".join(f" {name}={name}" for name in options)
    include = Template(f'{{% include "components/field.html" with field=field{extra} %}}')
    tag_options = {"hide_label": "hide_label", "class": "css_class"}
    tag_extra = "".join(f" {tag_options[name]}={name}" for name in options)
    tag = Template(f"{{% form_field field{tag_extra} %}}")
    context = {"field": field, **options}
    return (
        _markup(tag.render(Context(context))),
        _markup(include.render(Context(context))),
    )


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"q": "x" * 500, "budget_min": "abc", "budget_max": "-3", "posted": "99", "sort": "?"},
        {"q": "<b>mould</b>", "mine": "on", "companies_only": "on", "country": "DE"},
    ],
)
@pytest.mark.parametrize("language", ["en", "de"])
def test_search_filters_are_written_as_the_field_component_writes_them(data, language):
    with translation.override(language):
        for form_class in (SearchForm, ExpertSearchForm):
            form = form_class(data)
            form.is_valid()
            for field in form:
                tag, include = _both(field)
                assert tag == include, field.name


@pytest.mark.parametrize(
    "data",
    [None, {"title": "far too long", "kind": "z", "kinds": ["z"]}, {"title": "ok", "agree": "on"}],
)
def test_every_kind_of_field_is_written_as_the_component_writes_it(data):
    form = EveryKindForm(data)
    form.is_valid()
    for field in form:
        assert _both(field)[0] == _both(field)[1], field.name
        tag, include = _both(field, hide_label=True, **{"class": "wide <x>"})
        assert tag == include, field.name


def test_field_errors_and_labels_are_escaped():
    form = EveryKindForm({"title": "<script>x</script>"})
    form.is_valid()
    html = Template("{% form_field form.plain %}{% form_field form.title %}").render(
        Context({"form": form})
    )
    assert "Plain &amp; &lt;simple&gt;" in html
    assert "<script>" not in html
    assert 'id="id_title_error"' in html
    assert "Say <em>what</em> you need." in html  # help texts are the form's own markup


@pytest.mark.parametrize(
    "data",
    [None, {"q": '"><script>', "budget_min": "1,5", "mine": "on", "companies_only": ""}],
)
@pytest.mark.parametrize("language", ["en", "de"])
def test_python_inputs_write_what_djangos_input_templates_write(data, language):
    with translation.override(language):
        for form_class in (SearchForm, ExpertSearchForm):
            form = form_class(data)
            form.is_valid()
            fast = [field for field in form if isinstance(field.field.widget, widgets.FastInput)]
            assert len(fast) >= 4
            for field in fast:
                html = str(field)
                standard = {v: k for k, v in widgets.FAST_INPUTS.items()}
                field.field.widget.__class__ = standard[type(field.field.widget)]
                assert html == str(field), field.name


def test_remembered_lazy_texts_follow_the_active_language():
    germany = COUNTRY_NAMES["DE"]
    with translation.override("de"):
        assert text(germany) == "Deutschland"
        assert text(germany) == "Deutschland"
    with translation.override("en"):
        assert text(germany) == "Germany"
    assert escaped(forms.CharField(label="A & <b>").label) == "A &amp; &lt;b&gt;"


def test_search_forms_share_fixed_choices_and_still_refuse_unknown_values():
    first, second = SearchForm({"country": "ZZ", "sort": "newest"}), SearchForm()
    assert first.fields["country"].choices is second.fields["country"].choices
    assert first.fields["country"].widget.choices is first.fields["country"].choices
    assert not first.is_valid()
    assert "country" in first.errors
    assert first.cleaned_data["sort"] == "newest"
    assert ("DE", COUNTRY_NAMES["DE"]) in list(second.fields["country"].choices)


@pytest.mark.parametrize("language", ["en", "de"])
def test_remembered_options_are_the_options_written_one_by_one(language):
    data = {"country": "DE", "sort": "newest", "posted": "7", "language": "1", "skills": ["1"]}
    with translation.override(language):
        form = SearchForm(data)
        form.is_valid()
        for name in ("country", "sort", "posted", "language", "skills", "category", "location"):
            field = form[name]
            widget = field.field.widget
            assert isinstance(widget.choices, FixedChoices), name
            remembered = str(field)
            widget.choices = list(widget.choices)  # written one by one
            assert str(field) == remembered, name


def test_taxonomy_choices_follow_a_changed_taxonomy():
    first = SearchForm()
    skill = Skill.objects.order_by("pk").first()
    skill.name = "Renamed <skill>"
    skill.save()
    forget_taxonomy()
    second = SearchForm()
    assert first.fields["skills"].choices is not second.fields["skills"].choices
    assert "Renamed &lt;skill&gt;" in str(second["skills"])
    assert second.fields["skills"].choices is SearchForm().fields["skills"].choices
