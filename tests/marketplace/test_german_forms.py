"""Forms in German: amounts typed and shown the German way, sizes in help texts formatted when
shown, fields named in German in the error summary, and no English error text left."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.forms import ExpertBasicsForm
from marketplace.forms import MoneyField
from projects.forms import ProjectForm
from tests.factories import ClientFactory, ExpertFactory

pytestmark = pytest.mark.django_db


def test_the_amount_placeholder_and_examples_follow_the_language():
    field = MoneyField(label="Amount")
    with translation.override("de"):
        german = field.widget.render("amount", "")
        with pytest.raises(ValidationError) as too_long:
            field.clean("1" * 40)
    with translation.override("en"):
        english = field.widget.render("amount", "")

    assert 'placeholder="0,00"' in german
    assert 'placeholder="0.00"' in english
    assert "25,50" in str(too_long.value)


def test_an_empty_amount_asks_for_an_amount_in_german():
    field = MoneyField(label="Amount")
    with translation.override("de"):
        with pytest.raises(ValidationError) as empty:
            field.clean("")
        messages = empty.value.messages

    assert messages == ["Geben Sie einen Betrag ein."]


def test_the_project_documents_help_formats_the_size_when_shown():
    with translation.override("de"):
        german = str(ProjectForm().fields["attachments"].help_text)
    with translation.override("en"):
        english = str(ProjectForm().fields["attachments"].help_text)

    assert "25,0\xa0MB" in german
    assert "25.0\xa0MB" in english


def test_model_field_labels_and_the_country_placeholder_are_german():
    with translation.override("de"):
        form = ExpertBasicsForm()
        labels = {name: str(form.fields[name].label) for name in ("headline", "country", "city")}
        placeholder = str(form.fields["country"].choices[0][1])

    assert labels == {"headline": "Kurzprofil", "country": "Land", "city": "Stadt"}
    assert placeholder == "Land auswählen"


def test_post_a_project_sent_empty_summarises_in_german(client):
    client.force_login(ClientFactory(language="de"))
    response = client.post(
        reverse("projects:post"), {"budget_type": "fixed", "expertise_level": "intermediate"}
    )

    html = response.content.decode()
    assert "Bitte korrigieren Sie Folgendes:" in html
    assert "Budget: Geben Sie einen Betrag ein." in html
    assert "Geben Sie dem Projekt einen Titel." in html
    assert "This field is required" not in html


def test_a_german_expert_reads_the_profile_labels_in_german(client):
    client.force_login(ExpertFactory(language="de"))
    response = client.get(reverse("accounts:expert_edit"))

    html = response.content.decode()
    assert "Land auswählen" in html
    assert "Choose a country" not in html


def test_country_names_are_german_in_german():
    with translation.override("de"):
        choices = {code: str(name) for code, name in ExpertBasicsForm().fields["country"].choices}
    with translation.override("en"):
        english = {code: str(name) for code, name in ExpertBasicsForm().fields["country"].choices}

    assert choices["DE"] == "Deutschland"
    assert choices["AT"] == "Österreich"
    assert english["DE"] == "Germany"
