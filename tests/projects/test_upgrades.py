"""Featured / Make Private / Assist bought through the escrow checkout; featured expiry job."""

from datetime import timedelta
from uuid import uuid4

import pytest
from django.utils import timezone

from escrow.models import Checkout, Purchase
from escrow.services import fulfil_checkout
from escrow.services.ledger import wallet_account
from projects import services
from projects.exceptions import NotAllowed, UpgradeRefused
from projects.models import AssistRequest, Project, ProjectUpgrade
from tests.projects.factories import buy_from_balance, make_open_project, top_up

pytestmark = pytest.mark.django_db


def test_featured_from_balance_features_for_ten_days_and_sends_receipt(
    owner, told, django_capture_on_commit_callbacks
):
    top_up(owner, 10000)
    project = make_open_project(owner)
    with django_capture_on_commit_callbacks(execute=True):
        result = buy_from_balance(project, owner, ["featured"])
    assert result.paid
    project.refresh_from_db()
    assert project.is_featured
    assert project.featured_until - timezone.now() > timedelta(days=9, hours=23)
    assert wallet_account(owner).balance == 10000 - 2900
    assert ProjectUpgrade.objects.get().status == ProjectUpgrade.Status.PAID
    receipt = [call for call in told if call["kind"] == "projects.upgrade_paid"]
    assert receipt
    assert "€29.00" in receipt[0]["body"]


def test_several_upgrades_are_one_purchase(owner, staff, told, django_capture_on_commit_callbacks):
    top_up(owner, 20000)
    project = make_open_project(owner)
    with django_capture_on_commit_callbacks(execute=True):
        buy_from_balance(project, owner, ["private", "assist"])
    project.refresh_from_db()
    assert project.is_private
    assert Purchase.objects.get().amount == 1900 + 4900
    assert AssistRequest.objects.get().project == project
    assert any(c["kind"] == "projects.assist_requested" and c["user"] == staff for c in told)


def test_insufficient_balance_leaves_project_unchanged(owner):
    top_up(owner, 100)
    project = make_open_project(owner)
    with pytest.raises(UpgradeRefused):
        buy_from_balance(project, owner, ["featured"])
    project.refresh_from_db()
    assert not project.is_featured
    assert not ProjectUpgrade.objects.exists()
    assert wallet_account(owner).balance == 100


def test_card_payment_applies_only_after_the_money_arrives(owner):
    project = make_open_project(owner)
    result = services.buy_upgrades(
        key=uuid4().hex,
        project=project,
        by=owner,
        kinds=["featured"],
        source="card",
        return_url=project.get_absolute_url(),
    )
    assert not result.paid
    assert result.redirect_url
    project.refresh_from_db()
    assert not project.is_featured  # abandoned here: nothing changes
    checkout = Checkout.objects.get()
    fulfil_checkout(checkout_id=checkout.pk, charge_ref="ch_test_1")
    fulfil_checkout(checkout_id=checkout.pk, charge_ref="ch_test_1")  # a repeated webhook
    project.refresh_from_db()
    assert project.is_featured
    assert ProjectUpgrade.objects.get().status == ProjectUpgrade.Status.PAID


def test_buying_twice_extends_featured_period(owner):
    top_up(owner, 10000)
    project = make_open_project(owner)
    for _ in range(2):
        buy_from_balance(project, owner, ["featured"])
    project.refresh_from_db()
    assert project.featured_until - timezone.now() > timedelta(days=19)


def test_upgrade_refusals_change_nothing(owner, other_client):
    top_up(owner, 10000)
    project = make_open_project(owner, visibility=Project.Visibility.PRIVATE)
    with pytest.raises(NotAllowed):
        buy_from_balance(project, other_client, ["featured"])
    with pytest.raises(UpgradeRefused):
        buy_from_balance(project, owner, ["private"])
    with pytest.raises(UpgradeRefused):
        services.buy_upgrades(
            key=uuid4().hex, project=project, by=owner, kinds=[], source="balance", return_url="/"
        )
    with pytest.raises(UpgradeRefused):
        services.buy_upgrades(
            key=uuid4().hex,
            project=project,
            by=owner,
            kinds=["featured"],
            source="balance",
            return_url="//evil",
        )
    assert not ProjectUpgrade.objects.exists()
    assert wallet_account(owner).balance == 10000


def test_end_featured_notifies_once_and_badge_is_derived(
    owner, told, django_capture_on_commit_callbacks
):
    project = make_open_project(owner)
    Project.objects.filter(pk=project.pk).update(
        featured_until=timezone.now() - timedelta(seconds=1), featured_end_notified=False
    )
    project.refresh_from_db()
    assert not project.is_featured  # no job has run, yet no stale badge
    with django_capture_on_commit_callbacks(execute=True):
        assert services.end_featured() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.end_featured() == 0
    assert [c["kind"] for c in told] == ["projects.featured_ended"]


def test_end_featured_leaves_running_periods_alone(owner, told):
    project = make_open_project(owner)
    Project.objects.filter(pk=project.pk).update(
        featured_until=timezone.now() + timedelta(days=1), featured_end_notified=False
    )
    assert services.end_featured() == 0
    project.refresh_from_db()
    assert project.is_featured
    assert not project.featured_end_notified


def test_end_featured_task_runs_the_service(owner):
    from projects.tasks import end_featured

    project = make_open_project(owner)
    Project.objects.filter(pk=project.pk).update(
        featured_until=timezone.now() - timedelta(hours=1), featured_end_notified=False
    )
    assert end_featured.delay().get() == 1


def test_complete_assist_tells_client_once(owner, staff, told, django_capture_on_commit_callbacks):
    top_up(owner, 10000)
    project = make_open_project(owner)
    buy_from_balance(project, owner, ["assist"])
    assist = AssistRequest.objects.get()
    with pytest.raises(NotAllowed):
        services.complete_assist(assist=assist, by=owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.complete_assist(assist=assist, by=staff, note="Clearer scope and milestones.")
    assist.refresh_from_db()
    assert assist.status == AssistRequest.Status.DONE
    assert told[-1]["kind"] == "projects.assist_done"
    assert told[-1]["body"] == "Clearer scope and milestones."
