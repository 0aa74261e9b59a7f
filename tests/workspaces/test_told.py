"""What people are told over the milestone cycle: one notification per person per event, each
naming the project and linking to where to act; held funds never shown by internal reference."""

import pytest
from django.urls import reverse

from accounts.models import User
from escrow.models import LedgerTransaction
from notifications.models import Notification
from tests.workspaces.factories import make_workspace, top_up
from workspaces import selectors, services
from workspaces.models import Milestone

pytestmark = pytest.mark.django_db
S = Milestone.Status


def told(since: int) -> list[Notification]:
    return list(Notification.objects.filter(pk__gt=since).order_by("pk"))


def last_pk() -> int:
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def assert_one_each(since: int, *people, project) -> list[Notification]:
    notes = told(since)
    assert sorted(n.user_id for n in notes) == sorted(p.pk for p in people), [
        (n.user_id, n.title) for n in notes
    ]
    for note in notes:
        assert note.url, note.title
        assert project.title in note.title, note.title
        assert "milestone:" not in note.title + note.body
        assert " EUR" not in note.body
    return notes


def test_the_whole_cycle_tells_each_person_once_per_event_with_project_and_link(
    staff, django_capture_on_commit_callbacks
):
    workspace = make_workspace(30_000, additional_qc=True)
    contract = workspace.contract
    client, expert, project = contract.client, contract.expert, contract.project
    milestone = workspace.milestones.get()
    top_up(client, 30_000)

    mark = last_pk()
    services.request_start(milestone=milestone, by=expert)
    assert_one_each(mark, client, project=project)

    mark = last_pk()
    services.start_milestone(milestone=milestone, by=client, source="balance")
    (funded,) = assert_one_each(mark, expert, project=project)
    assert "€300.00" in funded.body

    mark = last_pk()
    services.deliver_milestone(milestone=milestone, by=expert, note="v1")
    every_staff = list(User.objects.filter(is_staff=True, is_active=True))
    assert staff in every_staff
    for qc in assert_one_each(mark, *every_staff, project=project):
        assert qc.body  # the staff QC notification says what to do

    mark = last_pk()
    services.approve_delivery(milestone=milestone, by=staff)
    (delivered,) = assert_one_each(mark, client, project=project)
    assert "approved automatically on" in delivered.body

    mark = last_pk()
    services.complete_milestone(milestone=milestone, by=client)
    notes = assert_one_each(mark, client, expert, project=project)
    expert_note = next(n for n in notes if n.user_id == expert.pk)
    assert "€270.00" in expert_note.body
    review_page = reverse("reviews:contract", args=[contract.pk])
    assert {n.url for n in notes} == {review_page}


def test_automatic_approval_tells_the_client_it_happened(workspace, client_user, expert):
    from datetime import timedelta

    from django.utils import timezone

    top_up(client_user, 50_000)
    milestone = workspace.milestones.order_by("pk").first()
    services.request_start(milestone=milestone, by=expert)
    services.start_milestone(milestone=milestone, by=client_user, source="balance")
    services.deliver_milestone(milestone=milestone, by=expert, note="v1")
    mark = last_pk()
    services.auto_approve_due(now=timezone.now() + timedelta(days=30))
    notes = assert_one_each(mark, client_user, expert, project=workspace.contract.project)
    client_note = next(n for n in notes if n.user_id == client_user.pk)
    assert "approved automatically" in client_note.title


def test_ledger_memos_name_the_project_and_milestone_not_the_reference(workspace, client_user):
    top_up(client_user, 50_000)
    milestone = workspace.milestones.order_by("pk").first()
    services.request_start(milestone=milestone, by=workspace.contract.expert)
    services.start_milestone(milestone=milestone, by=client_user, source="balance")
    memo = LedgerTransaction.objects.filter(kind="escrow_fund").get().memo
    assert "milestone:" not in memo
    assert workspace.contract.project.title in memo
    assert milestone.title in memo


def test_next_step_waits_for_funding_before_suggesting_the_next_milestone(workspace, expert):
    first = workspace.milestones.order_by("pk").first()
    services.request_start(milestone=first, by=expert)
    milestones = selectors.milestones_of(workspace, role="expert")
    step = selectors.next_action(workspace, "expert", milestones)
    assert step.milestone.pk == first.pk
    assert "Request Start" not in step.text
    assert "fund" in step.text


def _page(client, user, workspace):
    client.force_login(user)
    return client.get(workspace.get_absolute_url()).content.decode()


def test_a_released_milestone_says_released_not_held(client, workspace, client_user, expert):
    from tests.workspaces.factories import milestone_at

    milestone_at(workspace, S.COMPLETED, index=0)
    page = _page(client, client_user, workspace)
    assert "€300.00 released to the expert" in page
    assert "€300.00 held" not in page


def test_auto_approval_is_worded_for_each_role(client, workspace, client_user, expert, staff):
    from tests.workspaces.factories import milestone_at

    milestone_at(workspace, S.DELIVERED, index=0)
    client_page = _page(client, client_user, workspace)
    assert "If you do not act, it is approved automatically on" in client_page
    expert_page = _page(client, expert, workspace)
    assert "If the client does not act" in expert_page
    assert "unless you act" not in expert_page
    assert "if the client does not act" in _page(client, staff, workspace)


def test_delivery_into_qc_says_the_client_is_told_after_qc(client, staff):
    from tests.workspaces.factories import milestone_at

    workspace = make_workspace(30_000, additional_qc=True)
    milestone = milestone_at(workspace, S.IN_PROGRESS)
    client.force_login(workspace.contract.expert)
    response = client.post(
        reverse("workspaces:deliver", args=[workspace.pk, milestone.pk]),
        {"note": "v1"},
        follow=True,
    )
    page = response.content.decode()
    assert "Delivered to quality control" in page
    assert "The client has been told" not in page


def _card_checkout(client, workspace, client_user, expert):
    from escrow.models import Checkout

    milestone = workspace.milestones.order_by("pk").first()
    services.request_start(milestone=milestone, by=expert)
    services.start_milestone(
        milestone=milestone, by=client_user, source="card", return_url="/workspaces/"
    )
    client.force_login(client_user)
    return milestone, Checkout.objects.get(held__reference=milestone.reference)


def test_declined_card_says_what_failed_and_offers_the_retry(
    client, workspace, client_user, expert, django_capture_on_commit_callbacks
):
    from escrow.gateways.demo import CARD_DECLINED

    milestone, checkout = _card_checkout(client, workspace, client_user, expert)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("escrow:demo_checkout", args=[checkout.token]), {"card_number": CARD_DECLINED}
        )
    response = client.get(response["Location"])
    page = response.content.decode()
    assert "declined.." not in page
    assert "Your card was declined. Nothing was charged." in " ".join(page.split())
    assert "Try the payment again" in page
    assert reverse("escrow:receipt", args=[checkout.pk]) not in page
    failed_page = client.get(reverse("escrow:receipt", args=[checkout.pk])).content.decode()
    assert "nothing was charged" in failed_page
    assert "Try the payment again" in failed_page
    assert "milestone:" not in page
    assert milestone.title in page


def test_money_pages_name_the_milestone_and_link_to_it(client, workspace, client_user, expert):
    milestone = workspace.milestones.order_by("pk").first()
    top_up(client_user, 50_000)
    services.request_start(milestone=milestone, by=expert)
    services.start_milestone(milestone=milestone, by=client_user, source="balance")
    client.force_login(client_user)
    link = f"{workspace.get_absolute_url()}#milestone-{milestone.pk}"
    for page in ("escrow:statement", "escrow:balance"):
        html = client.get(reverse(page)).content.decode()
        assert "milestone:" not in html, page
        assert link in html, page
