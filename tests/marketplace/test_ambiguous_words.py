"""Short words with two meanings get one translation per meaning (a msgctxt each): "Withdrawn"
is money paid out on the earnings chart, but a bid or a lead mandate taken back elsewhere."""

import pytest
from django.urls import reverse
from django.utils import translation

from bids.models import Bid
from leads.models import LeadEvent, Mandate
from marketplace.dashboard import SERIES
from tests.factories import StaffFactory
from tests.leads.factories import MandateFactory


def _series_label(key: str) -> str:
    return str({name: label for name, label, _fill in SERIES}[key])


def test_withdrawn_is_zurueckgezogen_for_a_bid_and_a_mandate_and_ausgezahlt_for_money():
    with translation.override("de"):
        assert str(Bid.Status.WITHDRAWN.label) == "Zurückgezogen"
        assert str(Mandate.Status.WITHDRAWN.label) == "Zurückgezogen"
        assert str(LeadEvent.ACTION_LABELS["withdrawn"]) == "Zurückgezogen"
        assert _series_label("withdrawn") == "Ausgezahlt"
    with translation.override("en"):
        assert str(Bid.Status.WITHDRAWN.label) == "Withdrawn"
        assert _series_label("withdrawn") == "Withdrawn"


@pytest.mark.django_db
def test_the_staff_page_offers_to_take_a_mandate_back_not_to_pay_out(client):
    mandate = MandateFactory()
    client.force_login(StaffFactory(language="de"))

    page = client.get(reverse("leads:staff_detail", args=[mandate.pk])).content.decode()

    assert ">Zurückziehen</button>" in page
    assert "Auszahlen" not in page
