"""Client and expert dashboards: panels, money, earnings by month and bounded query counts."""

from datetime import date

import pytest
from django.urls import reverse

from marketplace.dashboard import (
    MonthEarnings,
    client_money,
    earnings_by_month,
    earnings_chart,
    workspaces_waiting_on_client,
)
from tests.projects.factories import make_open_project
from tests.reviews.factories import active_contract, completed_contract
from tests.workspaces.factories import milestone_at
from workspaces.models import Milestone

pytestmark = pytest.mark.django_db


def test_client_dashboard_shows_projects_money_and_reviews_to_write(client, contract, client_user):
    client.force_login(client_user)
    html = client.get(reverse("dashboard")).content.decode()
    assert contract.project.title in html
    assert "Completed: 1" in html
    assert "€300.00" in html  # spent
    assert "Reviews waiting for you" in html
    assert reverse("reviews:contract", args=[contract.pk]) in html


def test_client_money_separates_held_from_spent(contract, client_user):
    running = active_contract(20_000, owner=client_user)
    milestone_at(running.workspace, Milestone.Status.IN_PROGRESS)
    money = client_money(client_user)
    assert (money.held, money.spent) == (20_000, 30_000)


def test_workspace_waiting_on_the_client_is_listed(db):
    contract = active_contract()
    milestone_at(contract.workspace, Milestone.Status.START_REQUESTED)
    assert [w.pk for w in workspaces_waiting_on_client(contract.client)] == [contract.pk]
    assert workspaces_waiting_on_client(contract.expert) == []


def test_client_dashboard_query_count_does_not_grow(
    client, contract, client_user, django_assert_max_num_queries
):
    client.force_login(client_user)
    with django_assert_max_num_queries(16):
        client.get(reverse("dashboard"))
    for _ in range(3):
        make_open_project(client_user)
        completed_contract(owner=client_user)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200


def test_expert_dashboard_query_count_does_not_grow(
    client, contract, expert, django_assert_max_num_queries
):
    client.force_login(expert)
    with django_assert_max_num_queries(18):
        client.get(reverse("dashboard"))
    for _ in range(3):
        completed_contract(expert=expert)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("dashboard"))
    html = response.content.decode()
    assert "Earnings by month" in html
    assert "<svg" in html


def test_earnings_by_month_is_one_query_with_the_released_net(
    contract, expert, django_assert_num_queries
):
    with django_assert_num_queries(1):
        rows = earnings_by_month(expert)
    assert len(rows) == 6
    assert rows[-1].available == 27_000  # 300.00 less the 10% fee
    assert sum(r.pending + r.withdrawn for r in rows) == 0
    assert sum(r.available for r in rows[:-1]) == 0


def test_chart_draws_three_labelled_bars_per_month():
    rows = [
        MonthEarnings(date(2026, 10, 1), pending=5_000, available=20_000, withdrawn=0),
        MonthEarnings(date(2026, 11, 1), pending=0, available=10_000, withdrawn=8_000),
    ]
    chart = earnings_chart(rows, currency="EUR")
    assert len(chart.bars) == 6
    assert [b.series for b in chart.bars[:3]] == ["pending", "available", "withdrawn"]
    tallest = max(chart.bars, key=lambda b: b.height)
    assert tallest.title == "Oct 2026, available: €200.00"
    assert chart.gridlines[-1][1] == "€200"
    assert not chart.empty
    assert earnings_chart([MonthEarnings(date(2026, 11, 1), 0, 0, 0)], currency="EUR").empty
