"""Workspace pages: members only, the payment screen, actions, files, chat, query bounds."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bids.models import Contract, ContractMilestone
from messaging.models import Message
from tests.workspaces.factories import (
    ExpertFactory,
    balance_of,
    make_contract,
    make_workspace,
    milestone_at,
    top_up,
)
from workspaces import services
from workspaces.models import Milestone, WorkspaceFile

pytestmark = pytest.mark.django_db
S = Milestone.Status


def url(name, workspace, *args):
    return reverse(f"workspaces:{name}", args=[workspace.pk, *args])


def all_urls(workspace, milestone, file_pk):
    m = milestone.pk
    return [
        ("get", url("detail", workspace)),
        ("get", url("chat", workspace)),
        ("post", url("chat_send", workspace)),
        ("post", url("video_call", workspace)),
        ("post", url("file_upload", workspace)),
        ("get", url("file", workspace, file_pk)),
        ("get", url("terminate", workspace)),
        ("post", url("terminate", workspace)),
        ("post", url("assign_qc", workspace)),
        ("post", url("request_start", workspace, m)),
        ("get", url("start", workspace, m)),
        ("post", url("start", workspace, m)),
        ("post", url("deliver", workspace, m)),
        ("post", url("complete", workspace, m)),
        ("post", url("revision", workspace, m)),
        ("get", url("pay_revision", workspace, m)),
        ("post", url("withdraw_revision", workspace, m)),
        ("post", url("qc_approve", workspace, m)),
        ("post", url("qc_changes", workspace, m)),
        ("post", url("dispute", workspace, m)),
        ("post", url("dispute_respond", workspace, m, 1)),
        ("post", url("dispute_decide", workspace, m, 1)),
    ]


def test_outsider_gets_404_on_every_workspace_url(client, workspace, client_user):
    item = services.upload_file(
        workspace=workspace, by=client_user, upload=SimpleUploadedFile("a.txt", b"a")
    )
    milestone = workspace.milestones.first()
    client.force_login(ExpertFactory())
    for method, address in all_urls(workspace, milestone, item.pk):
        response = getattr(client, method)(address)
        assert response.status_code == 404, address


def test_anonymous_visitor_is_sent_to_log_in(client, workspace):
    response = client.get(url("detail", workspace))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_unknown_workspace_is_404(client, client_user):
    client.force_login(client_user)
    assert client.get(reverse("workspaces:detail", args=[999_999])).status_code == 404


def test_first_visit_opens_the_workspace_of_a_contract(client):
    contract = make_contract(10_000)
    client.force_login(contract.expert)
    response = client.get(reverse("workspaces:detail", args=[contract.pk]))
    assert response.status_code == 200
    assert contract.workspace.milestones.count() == 1
    assert "Request Start" in response.text


def test_banner_tells_each_party_the_next_step(client, workspace, client_user, expert):
    milestone_at(workspace, S.START_REQUESTED)
    client.force_login(client_user)
    assert "Start “Step 1” to fund it" in client.get(url("detail", workspace)).text
    client.force_login(expert)
    assert "Nothing to do right now" not in client.get(url("detail", workspace)).text


def test_request_start_by_htmx_returns_the_fragment(client, workspace, expert):
    client.force_login(expert)
    milestone = workspace.milestones.first()
    response = client.post(url("request_start", workspace, milestone.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="workspace-main"' in response.text
    assert "<html" not in response.text
    milestone.refresh_from_db()
    assert milestone.status == S.START_REQUESTED


def test_payment_screen_shows_the_amount_and_fee_and_pays_from_balance(
    client, workspace, client_user
):
    milestone = milestone_at(workspace, S.START_REQUESTED)
    top_up(client_user, 30_000)
    client.force_login(client_user)
    page = client.get(url("start", workspace, milestone.pk))
    assert "€300.00" in page.text
    assert "€30.00" in page.text  # the fee
    response = client.post(url("start", workspace, milestone.pk), {"source": "balance"})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == S.IN_PROGRESS
    assert balance_of(client_user) == 0


def test_payment_by_card_redirects_to_the_checkout(client, workspace, client_user):
    milestone = milestone_at(workspace, S.START_REQUESTED)
    client.force_login(client_user)
    response = client.post(url("start", workspace, milestone.pk), {"source": "card"})
    assert response.status_code == 302
    assert "/money/demo-checkout/" in response["Location"]


def test_payment_screen_refuses_the_expert(client, workspace, expert):
    milestone = milestone_at(workspace, S.START_REQUESTED)
    client.force_login(expert)
    assert client.get(url("start", workspace, milestone.pk)).status_code == 404


def test_start_refusal_is_shown_on_the_payment_screen(client, workspace, client_user):
    milestone = milestone_at(workspace, S.START_REQUESTED)
    client.force_login(client_user)
    response = client.post(url("start", workspace, milestone.pk), {"source": "balance"})
    assert response.status_code == 400
    assert "balance is too low" in response.text
    milestone.refresh_from_db()
    assert milestone.status == S.START_REQUESTED


def test_deliver_with_a_file_then_download_it_as_an_attachment(
    client, workspace, expert, client_user
):
    milestone = milestone_at(workspace, S.IN_PROGRESS)
    client.force_login(expert)
    upload = SimpleUploadedFile("logo.html", b"<script>alert(1)</script>", "text/html")
    response = client.post(
        url("deliver", workspace, milestone.pk), {"note": "Here", "attachments": [upload]}
    )
    assert response.status_code == 302
    item = WorkspaceFile.objects.get()
    client.force_login(client_user)
    download = client.get(item.get_absolute_url())
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == b"<script>alert(1)</script>"


def test_download_through_x_accel_redirect_when_set(client, settings, workspace, client_user):
    settings.WORKSPACE_X_ACCEL_REDIRECT = "/protected/"
    item = services.upload_file(
        workspace=workspace, by=client_user, upload=SimpleUploadedFile("a.txt", b"a")
    )
    client.force_login(client_user)
    response = client.get(item.get_absolute_url())
    assert response["X-Accel-Redirect"] == "/protected/" + item.file.name
    assert response["Content-Disposition"] == 'attachment; filename="a.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_empty_delivery_shows_a_message_and_moves_nothing(client, workspace, expert):
    milestone = milestone_at(workspace, S.IN_PROGRESS)
    client.force_login(expert)
    response = client.post(url("deliver", workspace, milestone.pk), {"note": ""}, follow=True)
    assert "Add a file or a note to deliver." in response.text
    milestone.refresh_from_db()
    assert milestone.status == S.IN_PROGRESS


def test_revision_without_comments_shows_a_message(client, workspace, client_user):
    milestone = milestone_at(workspace, S.DELIVERED)
    client.force_login(client_user)
    response = client.post(url("revision", workspace, milestone.pk), {}, follow=True)
    assert "a revision needs comments" in response.text
    milestone.refresh_from_db()
    assert milestone.status == S.DELIVERED


def test_workspace_history_puts_a_revision_request_between_the_deliveries(
    client, workspace, client_user, expert
):
    milestone = milestone_at(workspace, S.DELIVERED)
    services.request_revision(milestone=milestone, by=client_user, comments="Make the logo bigger.")
    services.deliver_milestone(milestone=milestone, by=expert, note="Bigger now.")
    client.force_login(client_user)

    page = client.get(url("detail", workspace)).text

    newest, revision, first = (
        page.index("Delivery v2"),
        page.index("Make the logo bigger."),
        page.index("Delivery v1"),
    )
    assert newest < revision < first


def test_too_large_shared_file_shows_a_message(client, workspace, client_user):
    client.force_login(client_user)
    big = SimpleUploadedFile("big.bin", b"x" * 4096)
    response = client.post(url("file_upload", workspace), {"file": big}, follow=True)
    assert "larger than the upload limit" in response.text
    assert not WorkspaceFile.objects.exists()


def test_mark_as_completed_twice_from_the_page_releases_once(
    client, workspace, client_user, expert
):
    milestone = milestone_at(workspace, S.DELIVERED)
    client.force_login(client_user)
    client.post(url("complete", workspace, milestone.pk))
    response = client.post(url("complete", workspace, milestone.pk), follow=True)
    assert "already completed" in response.text
    assert balance_of(expert) == 27_000


def test_chat_send_and_poll(client, workspace, client_user, expert):
    client.force_login(client_user)
    response = client.post(
        url("chat_send", workspace), {"body": "Hello there"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Hello there" in response.text
    client.force_login(expert)
    poll = client.get(url("chat", workspace), HTTP_HX_REQUEST="true")
    assert 'id="chat-log"' in poll.text
    assert "Hello there" in poll.text


def test_contact_details_in_chat_are_hidden_with_a_soft_notice(client, workspace, client_user):
    client.force_login(client_user)
    response = client.post(
        url("chat_send", workspace), {"body": "mail me at jane@example.com"}, follow=True
    )
    assert "jane@example.com" not in Message.objects.get().body
    assert "keeps a record both sides can rely on" in response.text


def test_video_call_posts_a_link(client, workspace, expert):
    client.force_login(expert)
    response = client.post(url("video_call", workspace), HTTP_HX_REQUEST="true")
    assert "https://meet.example.org/guildhall-" in response.text


def test_terminate_page_ends_the_contract(client, workspace, client_user):
    client.force_login(client_user)
    assert client.get(url("terminate", workspace)).status_code == 200
    refused = client.post(url("terminate", workspace), {"reason": "x"})
    assert refused.status_code == 400
    response = client.post(url("terminate", workspace), {"reason": "x", "confirm": "on"})
    assert response.status_code == 302
    workspace.refresh_from_db()
    assert workspace.terminated_at is not None


def test_contract_page_links_to_the_workspace(client, workspace, client_user, expert):
    for user in (client_user, expert):
        client.force_login(user)
        page = client.get(workspace.contract.get_absolute_url())
        assert url("detail", workspace) in page.text


def _big_workspace():
    workspace = make_workspace(10_000)
    contract: Contract = workspace.contract
    ContractMilestone.objects.bulk_create(
        ContractMilestone(contract=contract, title=f"M{i}", amount=100, due_in_days=i, position=i)
        for i in range(1, 50)
    )
    workspace = services.open_workspace(contract=contract)
    return workspace


def test_workspace_page_queries_do_not_grow_with_50_milestones_and_500_messages(
    client, django_assert_max_num_queries
):
    workspace = _big_workspace()
    client_user, expert = workspace.contract.client, workspace.contract.expert
    for milestone in list(workspace.milestones.all())[:10]:
        services.request_start(milestone=milestone, by=expert)
    Message.objects.bulk_create(
        Message(
            conversation=workspace.conversation,
            sender=expert if i % 2 else client_user,
            sender_name="x",
            body=f"message {i}",
        )
        for i in range(500)
    )
    assert workspace.milestones.count() == 50
    client.force_login(client_user)
    with django_assert_max_num_queries(20):
        response = client.get(url("detail", workspace))
    assert response.status_code == 200
    assert "message 499" in response.text
    with django_assert_max_num_queries(10):
        client.get(url("chat", workspace), HTTP_HX_REQUEST="true")


def test_staff_sees_the_workspace_and_can_decide_a_dispute(client, staff):
    workspace = make_workspace(30_000)
    milestone = milestone_at(workspace, S.DELIVERED)
    dispute = services.open_dispute(
        milestone=milestone, by=workspace.contract.client, reason="Missing pages"
    )
    client.force_login(staff)
    page = client.get(url("detail", workspace))
    assert "Decide the dispute" in page.text
    response = client.post(
        url("dispute_decide", workspace, milestone.pk, dispute.pk),
        {"outcome": "split", "payee_amount": "150.01"},
    )
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.payee_amount == 15_001


def test_chat_shows_how_many_messages_are_new(client, workspace, client_user, expert):
    services.post_message(workspace=workspace, by=expert, body="One")
    services.post_message(workspace=workspace, by=expert, body="Two")
    client.force_login(client_user)
    assert "2 new" in client.get(url("detail", workspace)).text
    assert "2 new" not in client.get(url("detail", workspace)).text


def test_qc_reviewer_approves_from_the_page(client, staff):
    reviewer = ExpertFactory()
    workspace = make_workspace(30_000, additional_qc=True)
    services.assign_qc_reviewer(workspace=workspace, by=staff, reviewer=reviewer)
    milestone = milestone_at(workspace, S.IN_PROGRESS)
    services.deliver_milestone(milestone=milestone, by=workspace.contract.expert, note="v1")
    client.force_login(reviewer)
    page = client.get(url("detail", workspace))
    assert "Approve for the client" in page.text
    client.post(url("qc_approve", workspace, milestone.pk), {"comments": ""})
    milestone.refresh_from_db()
    assert milestone.status == S.DELIVERED
    assert balance_of(reviewer) == 2_500


def test_htmx_refusal_is_shown_inside_the_fragment(client, workspace, client_user):
    milestone = milestone_at(workspace, S.COMPLETED)
    client.force_login(client_user)
    response = client.post(url("complete", workspace, milestone.pk), HTTP_HX_REQUEST="true")
    assert 'id="workspace-main"' in response.text
    assert "already completed" in response.text


def test_milestones_added_to_the_plan_before_start_appear_on_the_page(client, workspace, expert):
    from bids.services import replan_milestones
    from tests.bids.factories import plan

    replan_milestones(contract=workspace.contract, by=expert, milestones=plan(10_000, 40_000))
    replan_milestones(
        contract=workspace.contract, by=expert, milestones=plan(10_000, 20_000, 20_000)
    )
    client.force_login(expert)
    page = client.get(url("detail", workspace))
    assert page.text.count('class="card" id="milestone-') == 3


def test_managed_project_keeps_the_expert_anonymous_to_the_client(client):
    workspace = make_workspace(30_000, managed=True)
    expert = workspace.contract.expert
    services.request_start(milestone=workspace.milestones.first(), by=expert)
    services.upload_file(workspace=workspace, by=expert, upload=SimpleUploadedFile("a.txt", b"a"))
    client.force_login(workspace.contract.client)
    page = client.get(url("detail", workspace)).text
    assert expert.display_name not in page
    assert workspace.contract.bid.alias in page
