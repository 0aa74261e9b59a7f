"""The pages: inbox (full and htmx), a lead, criteria, staff pages; contact hidden until bought."""

import pytest
from django.urls import reverse
from django.utils import translation

from leads import services
from leads.models import LeadCriteria, LeadPurchase, Mandate
from notifications.models import EmailPreference
from tests.factories import ClientFactory, SkillFactory
from tests.leads.conftest import balance, money_snapshot
from tests.leads.factories import CONTACT_EMAIL, CONTACT_NAME, CONTACT_PHONE, MandateFactory

pytestmark = pytest.mark.django_db

SECRETS = (CONTACT_EMAIL, CONTACT_PHONE, CONTACT_NAME)


def _assert_no_contact(response) -> None:
    html = response.content.decode()
    for secret in SECRETS:
        assert secret not in html


def test_inbox_lists_new_leads_and_filters_by_status(client, make_provider, publish):
    provider = make_provider(funds=10000)
    first = publish(title="Lead alpha for sale")
    second = publish(title="Lead beta for sale")
    services.accept_offer(mandate_id=second.pk, by=provider)
    client.force_login(provider)

    page = client.get(reverse("leads:inbox"))
    assert page.status_code == 200
    assert first.title in page.content.decode()
    assert second.title not in page.content.decode()
    bought = client.get(reverse("leads:inbox"), {"status": "bought"})
    assert second.title in bought.content.decode()
    assert first.title not in bought.content.decode()
    _assert_no_contact(page)


def test_inbox_htmx_request_gets_the_list_fragment(client, make_provider, publish):
    provider = make_provider()
    mandate = publish()
    client.force_login(provider)
    response = client.get(reverse("leads:inbox"), {"status": "all"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="lead-list"')
    assert "<html" not in html
    assert mandate.title in html


def test_inbox_filters_by_service(client, make_provider, publish, skill):
    other = SkillFactory(name="Tool design")
    provider = make_provider(skills=[skill, other])
    publish(title="Only moulding")
    publish(title="Only tooling", skills=[other])
    client.force_login(provider)
    html = client.get(reverse("leads:inbox"), {"status": "new", "skill": other.pk}).content
    assert b"Only tooling" in html
    assert b"Only moulding" not in html


def test_inbox_query_count_does_not_grow_with_leads(
    client, make_provider, publish, django_assert_max_num_queries
):
    provider = make_provider()
    for _ in range(8):
        publish()
    client.force_login(provider)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("leads:inbox"), {"status": "all"})
    assert response.content.count(b'href="/leads/') >= 8


def test_leads_are_for_providers_only(client):
    client.force_login(ClientFactory())
    assert client.get(reverse("leads:inbox")).status_code == 403
    assert client.get(reverse("leads:criteria")).status_code == 403


def test_a_lead_page_hides_the_contact_until_bought(
    client, make_provider, publish, django_assert_max_num_queries
):
    provider = make_provider(funds=10000)
    mandate = publish(description="Two-shot moulding of a housing.")
    client.force_login(provider)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("leads:detail", args=[mandate.pk]))
    assert b"Two-shot moulding of a housing." in page.content
    _assert_no_contact(page)

    response = client.post(reverse("leads:accept", args=[mandate.pk]), follow=True)

    html = response.content.decode()
    assert CONTACT_EMAIL in html
    assert CONTACT_PHONE in html
    assert "Lead bought" in html
    assert balance(provider) == 5000


def test_other_providers_never_see_the_contact_on_any_page(client, make_provider, publish):
    buyer, other = make_provider(funds=10000), make_provider(funds=10000)
    mandate = publish()
    services.accept_offer(mandate_id=mandate.pk, by=buyer)
    client.force_login(other)
    for url in (
        reverse("leads:detail", args=[mandate.pk]),
        reverse("leads:inbox") + "?status=all",
        reverse("leads:criteria"),
        reverse("notifications:list"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_no_contact(response)


def test_a_lead_not_sent_to_you_is_not_found(client, make_provider, publish):
    stranger = make_provider(skills=[SkillFactory()])
    mandate = publish()
    client.force_login(stranger)
    assert client.get(reverse("leads:detail", args=[mandate.pk])).status_code == 404
    assert client.post(reverse("leads:accept", args=[mandate.pk])).status_code == 302
    assert not LeadPurchase.objects.exists()


def test_too_little_balance_shows_a_top_up_link_and_moves_nothing(client, make_provider, publish):
    provider = make_provider(funds=100)
    mandate = publish(price=5000)
    client.force_login(provider)
    before = money_snapshot()
    response = client.post(reverse("leads:accept", args=[mandate.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "balance is too low" in html
    assert reverse("escrow:top_up") in html
    assert money_snapshot() == before
    _assert_no_contact(response)


def test_buying_a_full_lead_shows_a_clear_message(client, make_provider, publish):
    buyer, late = make_provider(funds=10000), make_provider(funds=10000)
    mandate = publish(max_buyers=1)
    services.accept_offer(mandate_id=mandate.pk, by=buyer)
    client.force_login(late)
    response = client.post(reverse("leads:accept", args=[mandate.pk]), follow=True)
    assert "the maximum number of providers have bought it" in response.content.decode()
    assert balance(late) == 10000
    _assert_no_contact(response)


def test_reserve_and_refuse_from_the_lead_page(client, make_provider, publish):
    provider = make_provider()
    mandate = publish()
    client.force_login(provider)
    response = client.post(reverse("leads:reserve", args=[mandate.pk]), follow=True)
    assert "Reserved at half price" in response.content.decode()
    response = client.post(
        reverse("leads:refuse", args=[mandate.pk]), {"reason": "Booked up"}, follow=True
    )
    assert "Lead refused." in response.content.decode()
    assert "Booked up" in response.content.decode()


def test_credit_request_from_the_lead_page(client, make_provider, publish):
    provider = make_provider(funds=10000)
    mandate = publish()
    services.accept_offer(mandate_id=mandate.pk, by=provider)
    client.force_login(provider)
    url = reverse("leads:request_credit", args=[mandate.pk])
    invalid = client.post(url, {"reason": "client_chose", "explanation": ""})
    assert invalid.status_code == 200
    assert b"This field is required" in invalid.content
    response = client.post(
        url, {"reason": "client_chose", "explanation": "Signed elsewhere."}, follow=True
    )
    assert "Credit request sent" in response.content.decode()
    assert "Waiting for a decision" in response.content.decode()


def test_credit_request_on_a_lead_not_bought_shows_a_message(client, make_provider, publish):
    provider = make_provider()
    mandate = publish()
    client.force_login(provider)
    response = client.post(
        reverse("leads:request_credit", args=[mandate.pk]),
        {"reason": "client_chose", "explanation": "x"},
        follow=True,
    )
    assert "only ask for a credit on a lead you bought" in response.content.decode()


def test_criteria_page_saves_services_budget_areas_and_channels(client, make_provider, skill):
    provider = make_provider()
    client.force_login(provider)
    assert client.get(reverse("leads:criteria")).status_code == 200
    response = client.post(
        reverse("leads:criteria"),
        {
            "is_active": "on",
            "skills": [skill.pk],
            "budget_min": "1,000",
            "budget_max": "25000.50",
            "countries": ["DE", "AT"],
            "regions": "Bavaria, Tyrol",
            "cities": "Munich\nVienna, munich",
            "notify_in_app": "on",
        },
    )
    assert response.status_code == 302
    criteria = LeadCriteria.objects.get(user=provider)
    assert (criteria.budget_min, criteria.budget_max) == (100000, 2500050)
    assert criteria.countries == ["AT", "DE"]
    assert criteria.regions == ["Bavaria", "Tyrol"]
    assert criteria.cities == ["Munich", "Vienna"]
    assert (criteria.notify_email, criteria.notify_in_app) == (False, True)
    assert EmailPreference.objects.filter(
        user=provider, kind="leads.new_mandate", email_enabled=False
    ).exists()


def test_criteria_page_shows_errors_beside_the_fields(client, make_provider):
    provider = make_provider()
    client.force_login(provider)
    response = client.post(
        reverse("leads:criteria"), {"skills": [], "budget_min": "500", "budget_max": "100"}
    )
    html = response.content.decode()
    assert "Pick at least one service." in html
    assert "The upper end must be at least the lower end." in html


def test_staff_create_and_publish_a_mandate_from_the_staff_page(
    client, staff, skill, make_provider, django_capture_on_commit_callbacks
):
    provider = make_provider()
    client.force_login(staff)
    assert client.get(reverse("leads:staff_new")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("leads:staff_new"),
            {
                "title": "Packaging line audit",
                "description": "A food packaging plant wants an audit.",
                "skills": [skill.pk],
                "budget_min": "3000",
                "country": "DE",
                "price": "75",
                "max_buyers": "4",
                "half_price_offered": "on",
                "contact_name": "Dana Prospect",
                "contact_email": "dana@prospect.example",
                "action": "publish",
            },
        )
    mandate = Mandate.objects.get()
    assert response.status_code == 302
    assert (mandate.status, mandate.price, mandate.budget_min) == ("published", 7500, 300000)
    assert mandate.offers.get().provider == provider
    detail = client.get(reverse("leads:staff_detail", args=[mandate.pk]))
    assert b"dana@prospect.example" in detail.content
    listing = client.get(reverse("leads:staff_list"))
    assert b"Packaging line audit" in listing.content


def test_the_staff_form_needs_a_way_to_reach_the_client(client, staff, skill):
    client.force_login(staff)
    response = client.post(
        reverse("leads:staff_new"),
        {"title": "t", "description": "d", "skills": [skill.pk], "price": "10", "max_buyers": 4},
    )
    assert b"Give the client&#x27;s email or phone number." in response.content
    assert not Mandate.objects.exists()


def test_staff_pages_are_for_staff_only(client, make_provider, publish):
    mandate = publish()
    client.force_login(make_provider())
    for name, args in (
        ("leads:staff_list", []),
        ("leads:staff_new", []),
        ("leads:staff_detail", [mandate.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403
    assert client.post(reverse("leads:staff_withdraw", args=[mandate.pk])).status_code == 403
    mandate.refresh_from_db()
    assert mandate.status == "published"


def test_staff_publish_and_withdraw_buttons(client, staff, skill):
    from tests.leads.factories import MandateFactory

    mandate = MandateFactory(created_by=staff, skills=[skill])
    client.force_login(staff)
    client.post(reverse("leads:staff_publish", args=[mandate.pk]))
    mandate.refresh_from_db()
    assert mandate.status == "published"
    response = client.post(reverse("leads:staff_publish", args=[mandate.pk]), follow=True)
    assert b"Only a draft mandate can be published." in response.content
    client.post(reverse("leads:staff_withdraw", args=[mandate.pk]))
    mandate.refresh_from_db()
    assert mandate.status == "withdrawn"


def test_a_lead_without_a_place_reads_anywhere_in_the_readers_language():
    mandate = MandateFactory.build(city="", region="", country="")
    assert mandate.area == "Anywhere / remote"
    with translation.override("de"):
        assert mandate.area == "Überall / aus der Ferne"
