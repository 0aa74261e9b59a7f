"""Credit requests: filed by a buyer, decided by staff (in the admin), credited exactly once."""

import pytest
from django.urls import reverse

from escrow.models import LedgerTransaction
from leads import services
from leads.exceptions import (
    AlreadyCredited,
    CreditAlreadyRequested,
    InvalidTransition,
    NotAllowed,
    NotBought,
    ReasonRequired,
)
from leads.models import CreditRequest, LeadPurchase
from notifications.models import Notification
from tests.leads.conftest import balance, money_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def bought(make_provider, publish):
    """(provider, purchase): a provider who paid 50.00 for a lead, 50.00 left on the balance."""
    provider = make_provider(funds=10000)
    mandate = publish(price=5000)
    return provider, services.accept_offer(mandate_id=mandate.pk, by=provider)


def _ask(provider, purchase) -> CreditRequest:
    return services.request_credit(
        purchase=purchase,
        by=provider,
        reason=CreditRequest.Reason.CLIENT_CHOSE,
        explanation="Called the next morning; they had signed with someone else.",
    )


def test_a_buyer_files_a_credit_request_and_staff_are_told(bought, staff):
    provider, purchase = bought
    credit_request = _ask(provider, purchase)
    assert credit_request.status == CreditRequest.Status.PENDING
    assert Notification.objects.filter(user=staff, kind="leads.credit_requested").exists()


def test_a_credit_request_on_a_lead_not_bought_is_refused(make_provider, publish, bought):
    _, purchase = bought
    other = make_provider(funds=10000)
    with pytest.raises(NotBought):
        _ask(other, purchase)
    with pytest.raises(NotBought):
        _ask(other, None)
    assert not CreditRequest.objects.exists()


def test_a_credit_request_needs_a_reason_and_details(bought):
    provider, purchase = bought
    with pytest.raises(ReasonRequired):
        services.request_credit(purchase=purchase, by=provider, reason="", explanation="x")
    with pytest.raises(ReasonRequired):
        services.request_credit(purchase=purchase, by=provider, reason="other", explanation=" ")
    assert not CreditRequest.objects.exists()


def test_a_second_request_while_one_is_pending_is_refused(bought):
    provider, purchase = bought
    _ask(provider, purchase)
    with pytest.raises(CreditAlreadyRequested):
        _ask(provider, purchase)
    assert CreditRequest.objects.count() == 1


def test_accepting_credits_the_price_back_once(bought, staff):
    provider, purchase = bought
    credit_request = _ask(provider, purchase)

    services.accept_credit_request(credit_request=credit_request, by=staff)

    assert balance(provider) == 10000
    credit_request.refresh_from_db()
    assert credit_request.status == CreditRequest.Status.ACCEPTED
    assert credit_request.credit_transaction.key == f"lead-credit:{purchase.pk}"
    assert Notification.objects.filter(user=provider, kind="leads.credit_decided").exists()
    before = money_snapshot()
    with pytest.raises(InvalidTransition):
        services.accept_credit_request(credit_request=credit_request, by=staff)
    with pytest.raises(AlreadyCredited):
        _ask(provider, purchase)
    assert money_snapshot() == before
    assert LedgerTransaction.objects.filter(key__startswith="lead-credit:").count() == 1


def test_a_half_price_purchase_is_credited_what_was_paid(make_provider, publish, staff):
    provider = make_provider(funds=10000)
    mandate = publish(price=5000)
    services.reserve_offer(mandate_id=mandate.pk, by=provider)
    assert mandate.published_at is not None
    from datetime import timedelta

    services.award_half_price_reservations(now=mandate.published_at + timedelta(days=4))
    purchase = LeadPurchase.objects.get(buyer=provider)
    services.accept_credit_request(credit_request=_ask(provider, purchase), by=staff)
    assert balance(provider) == 10000


def test_refusing_needs_a_reason_and_moves_nothing(bought, staff):
    provider, purchase = bought
    credit_request = _ask(provider, purchase)
    with pytest.raises(ReasonRequired):
        services.refuse_credit_request(credit_request=credit_request, by=staff, reason="  ")
    credit_request.refresh_from_db()
    assert credit_request.status == CreditRequest.Status.PENDING

    before = money_snapshot()
    services.refuse_credit_request(
        credit_request=credit_request, by=staff, reason="The client was reachable for a week."
    )
    assert money_snapshot() == before
    credit_request.refresh_from_db()
    assert credit_request.status == CreditRequest.Status.REFUSED
    note = Notification.objects.get(user=provider, kind="leads.credit_decided")
    assert "reachable for a week" in note.body


def test_after_a_refusal_a_new_request_may_be_filed(bought, staff):
    provider, purchase = bought
    services.refuse_credit_request(credit_request=_ask(provider, purchase), by=staff, reason="No")
    assert _ask(provider, purchase).status == CreditRequest.Status.PENDING


def test_only_staff_decide_credit_requests(bought):
    provider, purchase = bought
    credit_request = _ask(provider, purchase)
    with pytest.raises(NotAllowed):
        services.accept_credit_request(credit_request=credit_request, by=provider)
    with pytest.raises(NotAllowed):
        services.refuse_credit_request(credit_request=credit_request, by=provider, reason="x")
    assert balance(provider) == 5000
    credit_request.refresh_from_db()
    assert credit_request.status == CreditRequest.Status.PENDING


@pytest.fixture
def admin_client(client, staff):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    return client


def test_staff_accept_in_the_admin_with_an_action(bought, admin_client):
    provider, purchase = bought
    credit_request = _ask(provider, purchase)
    url = reverse("admin:leads_creditrequest_changelist")
    data = {"action": "accept", "_selected_action": [credit_request.pk]}
    response = admin_client.post(url, data, follow=True)
    assert response.status_code == 200
    assert balance(provider) == 10000
    admin_client.post(url, data, follow=True)
    assert balance(provider) == 10000


def test_staff_refuse_in_the_admin_through_a_reason_page(bought, admin_client):
    provider, purchase = bought
    credit_request = _ask(provider, purchase)
    url = reverse("admin:leads_creditrequest_changelist")
    data = {"action": "refuse", "_selected_action": [credit_request.pk]}
    page = admin_client.post(url, data)
    assert page.status_code == 200
    assert b"Reason for refusing" in page.content
    credit_request.refresh_from_db()
    assert credit_request.status == CreditRequest.Status.PENDING

    admin_client.post(url, {**data, "apply": "1", "reason": "Outside the credit policy."})
    credit_request.refresh_from_db()
    assert credit_request.status == CreditRequest.Status.REFUSED
    assert credit_request.refusal_reason == "Outside the credit policy."
    assert balance(provider) == 5000


def test_the_admin_pages_of_leads_open(bought, admin_client):
    provider, purchase = bought
    _ask(provider, purchase)
    for name in ("mandate", "creditrequest", "leadcriteria", "leadpurchase"):
        assert admin_client.get(reverse(f"admin:leads_{name}_changelist")).status_code == 200
    change = reverse("admin:leads_mandate_change", args=[purchase.mandate_id])
    assert admin_client.get(change).status_code == 200


def test_adding_a_mandate_in_the_admin_opens_the_staff_form(admin_client):
    response = admin_client.get(reverse("admin:leads_mandate_add"))
    assert response.status_code == 302
    assert response["Location"] == reverse("leads:staff_new")


def test_the_half_price_job_is_scheduled(settings):
    from leads import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["leads-award-half-price"]
    assert entry["task"] == tasks.award_half_price_reservations.name


def test_the_credit_request_page_shows_buyer_mandate_amount_reason_and_history(
    bought, admin_client
):
    provider, purchase = bought
    credit_request = _ask(provider, purchase)
    page = admin_client.get(
        reverse("admin:leads_creditrequest_change", args=[credit_request.pk])
    ).content.decode()
    assert provider.email in page
    assert purchase.mandate.title in page
    assert "€50.00" in page
    assert credit_request.get_reason_display() in page
    assert "Lead bought" in page
    assert "Credit requested" in page
    assert "Mandate #" not in page
    assert "Accept: credit the price back" in page
    assert "Reason for refusing" in page
    assert 'name="_save"' not in page


def test_staff_accept_with_the_button_on_the_request_page(bought, admin_client):
    provider, purchase = bought
    credit_request = _ask(provider, purchase)
    decide = reverse("admin:leads_creditrequest_decide", args=[credit_request.pk])
    admin_client.post(decide, {"decision": "accept"})
    admin_client.post(decide, {"decision": "accept"})
    credit_request.refresh_from_db()
    assert credit_request.status == CreditRequest.Status.ACCEPTED
    assert balance(provider) == 10000
    page = admin_client.get(
        reverse("admin:leads_creditrequest_change", args=[credit_request.pk])
    ).content.decode()
    assert "Accept: credit the price back" not in page
    assert "Accepted" in page or credit_request.get_status_display() in page


def test_refusing_on_the_request_page_needs_a_reason(bought, admin_client):
    provider, purchase = bought
    credit_request = _ask(provider, purchase)
    decide = reverse("admin:leads_creditrequest_decide", args=[credit_request.pk])
    admin_client.post(decide, {"decision": "refuse", "reason": ""})
    credit_request.refresh_from_db()
    assert credit_request.status == CreditRequest.Status.PENDING
    admin_client.post(decide, {"decision": "refuse", "reason": "Outside the credit policy."})
    credit_request.refresh_from_db()
    assert credit_request.status == CreditRequest.Status.REFUSED
    assert balance(provider) == 5000
