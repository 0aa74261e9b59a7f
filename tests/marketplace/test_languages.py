"""English and German: the first visit, the switcher, the saved language, formats, notifications."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import formats, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from accounts import services as account_services
from marketplace.money import format_money
from notifications.models import Notification
from notifications.services import notify, render_email
from tests.factories import TEST_PASSWORD, ClientFactory, UserFactory

pytestmark = pytest.mark.django_db

GERMAN_NAV = "Projekt finden"
ENGLISH_NAV = "Find a Project"


def _page_language(response) -> str:
    html = response.content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_first_visit_follows_accept_language(client):
    german = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5")
    english = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert _page_language(german) == "de"
    assert GERMAN_NAV in german.content.decode()
    assert _page_language(english) == "en"
    assert ENGLISH_NAV in english.content.decode()


def test_an_unsupported_browser_language_gets_english(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")

    assert _page_language(response) == "en"


def test_urls_stay_the_same_in_german(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 200  # no redirect to a /de/ prefix
    with translation.override("de"):
        assert reverse("projects:find") == "/projects/"


def test_switcher_sets_the_language_for_a_visitor(client):
    response = client.post(
        reverse("accounts:set_language"), {"language": "de", "next": reverse("home")}
    )

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert _page_language(page) == "de"


@pytest.mark.parametrize(("chosen", "saved"), [("de", "de"), ("xx", "en")])
def test_switcher_saves_a_known_language_on_the_account(client, chosen, saved):
    user = ClientFactory(language="en")
    client.force_login(user)

    client.post(reverse("accounts:set_language"), {"language": chosen, "next": "/"})

    user.refresh_from_db()
    assert user.language == saved


def test_saved_language_wins_over_accept_language_once_signed_in(client):
    user = ClientFactory(language="de")
    client.force_login(user)

    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert _page_language(response) == "de"
    assert "Übersicht" in response.content.decode()  # "Dashboard" in the header


def test_account_page_saves_the_chosen_language(client):
    user = ClientFactory(language="en")
    client.force_login(user)

    response = client.post(reverse("accounts:language"), {"language": "de"}, follow=True)

    user.refresh_from_db()
    assert user.language == "de"
    assert "Ihre Sprache ist gespeichert." in response.content.decode()


def test_account_page_refuses_an_unknown_language(client):
    user = ClientFactory(language="en")
    client.force_login(user)

    response = client.post(reverse("accounts:language"), {"language": "klingon"})

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    user.refresh_from_db()
    assert user.language == "en"


def test_sign_up_keeps_the_language_the_person_signed_up_in(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "neu@example.de",
            "password1": "ein-sicheres-passwort-42",
            "password2": "ein-sicheres-passwort-42",
            "name": "Anna Neu",
            "role": "client",
            "account_type": "individual",
        },
        HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9",
    )

    from accounts.models import User

    assert User.objects.get(email="neu@example.de").language == "de"


def test_set_language_service_refuses_unknown_codes():
    user = UserFactory(language="en")

    with pytest.raises(ValueError, match="Unknown language"):
        account_services.set_language(user=user, language="fr")
    user.refresh_from_db()
    assert user.language == "en"


@pytest.mark.parametrize(
    ("language", "amount", "expected"),
    [
        ("en", 123_450, "€1,234.50"),
        ("de", 123_450, "€1.234,50"),
        ("en", -300, "-€3.00"),
        ("de", -300, "-€3,00"),
        ("de", 100_000_000_000, "€1.000.000.000,00"),
        ("de", 5, "€0,05"),
    ],
)
def test_money_follows_the_language(language, amount, expected):
    with translation.override(language):
        assert format_money(amount, "EUR") == expected
        assert Template("{{ amount|money }}").render(Context({"amount": amount})) == expected


@pytest.mark.parametrize(
    ("language", "expected_date", "expected_datetime"),
    [
        ("en", "5 Dec 2026", "5 Dec 2026, 14:30"),
        ("de", "5. Dez. 2026", "5. Dez. 2026, 14:30"),
    ],
)
def test_dates_follow_the_language(language, expected_date, expected_datetime):
    moment = datetime.datetime(2026, 12, 5, 14, 30, tzinfo=datetime.UTC)
    template = Template('{{ moment|date:"DATE_FORMAT" }}|{{ moment|date:"DATETIME_FORMAT" }}')

    with translation.override(language):
        assert template.render(Context({"moment": moment})) == (
            f"{expected_date}|{expected_datetime}"
        )


def test_german_decimal_separator_is_a_comma_for_the_amount_parser():
    with translation.override("de"):
        assert formats.get_format("DECIMAL_SEPARATOR") == ","
        assert formats.get_format("THOUSAND_SEPARATOR") == "."
    with translation.override("en"):
        assert formats.get_format("DECIMAL_SEPARATOR") == "."


def test_stored_amounts_do_not_depend_on_the_language():
    with translation.override("de"):
        assert str(Decimal(123_450).scaleb(-2)) == "1234.50"
        from marketplace.money import to_decimal_string

        assert to_decimal_string(123_450) == "1234.50"  # form values and CSV stay neutral


def test_notification_is_written_in_the_recipients_language():
    german = UserFactory(language="de")
    english = UserFactory(language="en")
    title = format_lazy(gettext_lazy("Your language is saved."))

    with translation.override("en"):  # the sender's request is English
        to_german = notify(user=german, kind="test.language", title=title)
        to_english = notify(user=english, kind="test.language", title=title)

    assert Notification.objects.get(pk=to_german.pk).title == "Ihre Sprache ist gespeichert."
    assert Notification.objects.get(pk=to_english.pk).title == "Your language is saved."


def test_notification_email_is_written_in_the_recipients_language():
    german = UserFactory(language="de", name="Jana Schulz")
    notification = notify(user=german, kind="test.language", title="Titel", url="/dashboard/")

    with translation.override("en"):
        _subject, body = render_email(notification=notification)

    assert "Guten Tag" in body
    assert "Auf " in body
    assert "öffnen" in body
    assert "Hello" not in body
    assert "because of your notification settings" not in body


def _sign_in(client, user, **headers):
    return client.post(
        reverse("account_login"),
        {"login": user.email, "password": TEST_PASSWORD},
        **headers,
    )


def test_signing_in_saves_the_browser_language_when_none_is_saved(client):
    user = UserFactory(language="")

    response = _sign_in(client, user, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "de"
    notification = notify(user=user, kind="test", title=gettext_lazy("Find a Project"))
    assert notification.title == GERMAN_NAV


def test_signing_in_keeps_a_saved_language(client):
    user = UserFactory(language="en")

    _sign_in(client, user, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")

    user.refresh_from_db()
    assert user.language == "en"


def test_a_failed_sign_in_saves_no_language(client):
    user = UserFactory(language="")

    client.post(
        reverse("account_login"),
        {"login": user.email, "password": "not-the-password"},
        HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9",
    )

    user.refresh_from_db()
    assert user.language == ""
