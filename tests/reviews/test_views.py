"""Review pages: the form, bad input, blindness seen through the page, replies and reports."""

import pytest
from django.urls import reverse
from django.utils import translation

from reviews.models import Review, ReviewReport
from tests.factories import ClientFactory
from tests.reviews.factories import review

pytestmark = pytest.mark.django_db


def _url(contract) -> str:
    return reverse("reviews:contract", args=[contract.pk])


def _post(contract, **overrides) -> dict:
    data = {
        "rating": "4",
        "quality": "5",
        "communication": "4",
        "timeliness": "4",
        "value": "3",
        "text": "Clear work, on time.",
        "would_work_again": "yes",
    }
    data.update(overrides)
    return data


def test_client_sees_the_form_for_the_expert_criteria(
    client, contract, client_user, django_assert_max_num_queries
):
    client.force_login(client_user)
    with django_assert_max_num_queries(14):
        response = client.get(_url(contract))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Quality of work" in html
    assert "Value for money" in html
    assert "Payment promptness" not in html


def test_expert_sees_the_client_criteria(client, contract, expert):
    client.force_login(expert)
    html = client.get(_url(contract)).content.decode()
    assert "Clarity of requirements" in html
    assert "Payment promptness" in html


def test_outsider_gets_a_404(client, contract):
    client.force_login(ClientFactory())
    assert client.get(_url(contract)).status_code == 404
    assert client.post(_url(contract), _post(contract)).status_code == 404
    assert not Review.objects.exists()


def test_posting_a_review_saves_it_and_redirects(client, contract, client_user):
    client.force_login(client_user)
    response = client.post(_url(contract), _post(contract))
    assert response.status_code == 302
    saved = Review.objects.get()
    assert (saved.rating, saved.value, saved.would_work_again) == (4, 3, True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rating", "7", "Choose a rating from 1 to 5 stars."),
        ("rating", "0", "Choose a rating from 1 to 5 stars."),
        ("quality", "", "Choose a rating from 1 to 5 stars."),
        ("text", "   ", "Write a few words about how the work went."),
        ("would_work_again", "", "Say whether you would work together again."),
    ],
)
def test_bad_input_shows_a_message_beside_the_field_and_saves_nothing(
    client, contract, client_user, field, value, message
):
    client.force_login(client_user)
    response = client.post(_url(contract), _post(contract, **{field: value}))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Review.objects.exists()


def test_second_review_through_the_page_is_refused(client, contract, client_user):
    review(contract, client_user, rating=5)
    client.force_login(client_user)
    response = client.post(_url(contract), _post(contract, rating="1"), follow=True)
    assert "already reviewed" in response.content.decode()
    assert Review.objects.get().rating == 5


def test_the_other_review_stays_hidden_until_both_are_in(client, contract, client_user, expert):
    review(contract, client_user, text="Secret until both are in")
    client.force_login(expert)
    html = client.get(_url(contract)).content.decode()
    assert "Secret until both are in" not in html
    assert "They have written their review" in html
    client.post(
        _url(contract),
        {
            "rating": "5",
            "clarity": "5",
            "responsiveness": "5",
            "payment_promptness": "5",
            "text": "Great client",
            "would_work_again": "yes",
        },
    )
    html = client.get(_url(contract)).content.decode()
    assert "Secret until both are in" in html
    client.force_login(client_user)
    assert "Great client" in client.get(_url(contract)).content.decode()


def test_htmx_request_gets_the_panel_only(client, contract, client_user):
    client.force_login(client_user)
    response = client.get(_url(contract), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="review-panel"' in html
    assert "<html" not in html


def test_reviewed_party_replies_and_reports_through_the_page(client, contract, client_user, expert):
    received = review(contract, client_user)
    review(contract, expert)
    client.force_login(expert)
    client.post(reverse("reviews:reply", args=[received.pk]), {"text": "Thanks a lot"})
    client.post(reverse("reviews:report", args=[received.pk]), {"reason": "Not accurate"})
    received.refresh_from_db()
    assert received.reply == "Thanks a lot"
    assert ReviewReport.objects.get().by == expert
    response = client.post(
        reverse("reviews:reply", args=[received.pk]), {"text": "Again"}, follow=True
    )
    assert "already replied" in response.content.decode()


def test_my_reviews_lists_what_is_left_to_write(client, contract, expert):
    client.force_login(expert)
    html = client.get(reverse("reviews:mine")).content.decode()
    assert contract.project.title in html


def test_the_criteria_are_named_in_the_readers_language(client, contract, client_user, expert):
    client_user.language = "de"
    client_user.save(update_fields=["language"])
    client.force_login(client_user)
    html = client.get(_url(contract), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Qualität der Arbeit" in html
    assert "Preis-Leistungs-Verhältnis" in html
    assert "Quality of work" not in html

    written = review(contract, client_user)
    with translation.override("de"):
        assert [str(label) for label, _stars in written.criteria][:2] == [
            "Qualität der Arbeit",
            "Kommunikation",
        ]
