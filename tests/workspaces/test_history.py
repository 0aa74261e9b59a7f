"""The timeline stores what happened (an action code and its params) and writes the sentence
when it is shown, in the reader's language; what a person typed is shown as typed."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.workspaces.factories import ExpertFactory, make_workspace, milestone_at, top_up
from workspaces import services
from workspaces.legacy_history import english_action, legacy_workspace_event
from workspaces.models import Dispute, Milestone, WorkspaceEvent

pytestmark = pytest.mark.django_db
S = Milestone.Status
A = WorkspaceEvent.Action


def rows(workspace):
    """(action, params, note) of each event, oldest first."""
    return [
        (e.action, e.params, e.note)
        for e in WorkspaceEvent.objects.filter(workspace=workspace).order_by("created_at", "pk")
    ]


def page(client, user, workspace) -> str:
    client.force_login(user)
    response = client.get(reverse("workspaces:detail", args=[workspace.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_milestone_cycle_writes_codes_and_params_never_sentences(
    workspace, client_user, expert
):
    milestone = milestone_at(workspace, S.IN_PROGRESS)
    services.deliver_milestone(
        milestone=milestone, by=expert, note="Draft", files=[SimpleUploadedFile("a.pdf", b"%")]
    )
    services.request_revision(milestone=milestone, by=client_user, comments="Bigger logo")
    services.deliver_milestone(milestone=milestone, by=expert, note="Bigger now")
    services.complete_milestone(milestone=milestone, by=client_user)
    assert rows(workspace) == [
        (A.START_REQUESTED, {}, ""),
        (A.STARTED, {"amount": 30_000, "currency": "EUR", "source": "balance"}, ""),
        (A.DELIVERED, {"version": 1, "files": 1}, ""),
        (A.REVISION_REQUESTED, {}, ""),
        (A.DELIVERED, {"version": 2, "files": 0}, ""),
        (A.MARKED_COMPLETED, {"net": 27_000, "fee": 3_000, "currency": "EUR"}, ""),
    ]


def test_card_payment_and_a_revision_fee_keep_their_amounts_in_minor_units(
    workspace, client_user, expert
):
    milestone = milestone_at(workspace, S.START_REQUESTED)
    services.start_milestone(milestone=milestone, by=client_user, source="card")
    event = WorkspaceEvent.objects.get(action=A.CARD_PAYMENT_STARTED)
    assert (event.params, event.note) == ({"amount": 30_000, "currency": "EUR"}, "")

    other = milestone_at(workspace, S.DELIVERED, index=1)
    services.request_revision(milestone=other, by=client_user, comments="One")
    services.deliver_milestone(milestone=other, by=expert, note="v2")
    services.request_revision(milestone=other, by=client_user, comments="Two")
    fee_due = WorkspaceEvent.objects.get(action=A.REVISION_FEE_DUE)
    assert fee_due.params == {"fee": 5_000, "currency": "EUR"}
    top_up(client_user, 5_000)
    services.pay_revision_fee(milestone=other, by=client_user, source="balance")
    paid = WorkspaceEvent.objects.get(action=A.REVISION_FEE_PAID)
    assert paid.params == {"amount": 5_000, "currency": "EUR"}


def test_files_and_qc_reviewer_keep_name_and_version(workspace, client_user, staff):
    services.upload_file(
        workspace=workspace, by=client_user, upload=SimpleUploadedFile("brief.txt", b"one")
    )
    services.upload_file(
        workspace=workspace, by=client_user, upload=SimpleUploadedFile("brief.txt", b"two")
    )
    reviewer = ExpertFactory(name="Rita Reviewer")
    services.assign_qc_reviewer(workspace=workspace, by=staff, reviewer=reviewer)
    services.assign_qc_reviewer(workspace=workspace, by=staff, reviewer=None)
    shared = WorkspaceEvent.objects.filter(action=A.FILE_SHARED).order_by("pk")
    assert [e.params for e in shared] == [
        {"name": "brief.txt", "version": 1},
        {"name": "brief.txt", "version": 2},
    ]
    assigned = WorkspaceEvent.objects.filter(action=A.QC_REVIEWER_ASSIGNED).order_by("pk")
    assert [e.params for e in assigned] == [{"reviewer": reviewer.display_name}, {}]
    with translation.override("de"):
        assert shared[1].detail == "brief.txt (v2)"
        assert assigned[1].detail == "Team"
    with translation.override("en"):
        assert assigned[1].detail == "Staff"


def test_qc_approval_and_the_second_expert_keep_the_version_not_the_qc_note(client, staff):
    """The timeline is shown to the client: the QC note (staff and expert only) stays out."""
    from tests.workspaces.factories import make_contract

    workspace = services.open_workspace(contract=make_contract(30_000, managed=True))
    reviewer = ExpertFactory()
    services.assign_qc_reviewer(workspace=workspace, by=staff, reviewer=reviewer)
    milestone = milestone_at(workspace, S.IN_PROGRESS)
    services.deliver_milestone(milestone=milestone, by=workspace.contract.expert, note="v1")
    services.approve_delivery(milestone=milestone, by=reviewer, note="Tolerances fine.")
    services.approve_delivery(milestone=milestone, by=staff)
    qc = [row for row in rows(workspace) if row[0] not in {A.START_REQUESTED, A.STARTED}]
    assert qc[1:] == [
        (A.DELIVERED_TO_QC, {"version": 1, "files": 0}, ""),
        (A.REVIEWED_BY_SECOND_EXPERT, {"version": 1}, ""),
        (A.APPROVED_BY_QC, {"version": 1}, ""),
    ]
    assert "Tolerances fine." not in page(client, workspace.contract.client, workspace)
    reviewed = WorkspaceEvent.objects.get(action=A.REVIEWED_BY_SECOND_EXPERT)
    with translation.override("de"):
        assert reviewed.text == "Vom zweiten Experten geprüft"
        assert reviewed.detail == ("Version 1: freigegeben, wartet auf den Hub-Verantwortlichen")


def test_termination_keeps_the_typed_reason_and_codes_the_rest(staff):
    workspace = make_workspace(30_000, 20_000, 10_000)
    client = workspace.contract.client
    delivered = milestone_at(workspace, S.DELIVERED, index=0)
    milestone_at(workspace, S.IN_PROGRESS, index=1)
    services.terminate_contract(workspace=workspace, by=client, reason="Plans changed")
    by_action = {e.action: e for e in WorkspaceEvent.objects.filter(workspace=workspace)}
    opened = by_action[A.DISPUTE_OPENED]
    assert (opened.params, opened.note) == ({"contract_ended": True}, "Plans changed")
    refunded = by_action[A.REFUNDED_CONTRACT_ENDED]
    assert (refunded.params, refunded.note) == ({"amount": 20_000, "currency": "EUR"}, "")
    assert by_action[A.CANCELLED_CONTRACT_ENDED].params == {}
    assert by_action[A.CONTRACT_ENDED].note == "Plans changed"
    with translation.override("de"):
        assert opened.detail == (
            "Der Auftraggeber hat den Vertrag beendet, nachdem dieser Meilenstein geliefert wurde."
        )
        assert refunded.detail == "€200,00"
    dispute = Dispute.objects.get(milestone=delivered)
    assert (dispute.status, dispute.contract_ended) == (Dispute.Status.OPEN, True)
    assert dispute.reason == "Plans changed"  # only what the client typed


def test_a_dispute_opened_by_the_contracts_end_reads_in_the_viewers_language(client):
    workspace = make_workspace(30_000)
    milestone_at(workspace, S.DELIVERED)
    expert = workspace.contract.expert
    services.terminate_contract(workspace=workspace, by=workspace.contract.client, reason="")
    dispute = Dispute.objects.get()
    assert (dispute.contract_ended, dispute.reason) == (True, "")
    english = page(client, expert, workspace)
    assert "The client ended the contract after this milestone was delivered." in english
    expert.language = "de"
    expert.save(update_fields=["language"])
    german = page(client, expert, workspace)
    assert (
        "Der Auftraggeber hat den Vertrag beendet, nachdem dieser Meilenstein geliefert" in german
    )
    assert "The client ended the contract" not in german


def test_old_termination_disputes_are_split_into_the_flag_and_the_typed_reason(
    workspace, client_user
):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("workspaces.migrations.0004_dispute_contract_ended")
    milestone = milestone_at(workspace, S.DELIVERED)
    old = services.open_dispute(
        milestone=milestone,
        by=client_user,
        reason="The client ended the contract after this milestone was delivered. Too slow.",
    )
    other = milestone_at(workspace, S.DELIVERED, index=1)
    typed = services.open_dispute(milestone=other, by=client_user, reason="Half missing")
    migration.forward(apps, None)
    old.refresh_from_db()
    typed.refresh_from_db()
    assert (old.contract_ended, old.reason) == (True, "Too slow.")
    assert (typed.contract_ended, typed.reason) == (False, "Half missing")
    migration.backward(apps, None)
    old.refresh_from_db()
    assert old.reason == (
        "The client ended the contract after this milestone was delivered. Too slow."
    )


def test_a_split_decision_keeps_its_amounts_and_the_staff_note_apart(
    workspace, client_user, expert, staff
):
    milestone = milestone_at(workspace, S.DELIVERED)
    dispute = services.open_dispute(milestone=milestone, by=client_user, reason="Half missing")
    services.respond_to_dispute(dispute=dispute, by=expert, response="It is all there")
    services.resolve_dispute(
        dispute=dispute, by=staff, outcome="split", payee_amount=123_45, note="Both had a point."
    )
    decided = WorkspaceEvent.objects.get(action=A.DISPUTE_DECIDED)
    assert decided.params == {
        "outcome": "split",
        "currency": "EUR",
        "payee_amount": 123_45,
        "payee_net": 111_10,
        "payer_refund": 176_55,
    }
    assert decided.note == "Both had a point."
    assert WorkspaceEvent.objects.get(action=A.DISPUTE_OPENED).note == "Half missing"
    assert WorkspaceEvent.objects.get(action=A.DISPUTE_RESPONSE).note == "It is all there"
    with translation.override("en"):
        assert decided.detail == (
            "Split: €123.45 to the expert (€111.10 after the fee), €176.55 back to the client"
        )
    with translation.override("de"):
        assert decided.detail == (
            "Aufgeteilt: €123,45 an den Experten (€111,10 nach Abzug der Gebühr), "
            "€176,55 zurück an den Auftraggeber"
        )


def test_the_decision_notification_is_written_in_the_readers_language(
    workspace, client_user, expert, staff
):
    client_user.language = "de"
    client_user.save(update_fields=["language"])
    milestone = milestone_at(workspace, S.DELIVERED)
    dispute = services.open_dispute(milestone=milestone, by=client_user, reason="Missing")
    services.resolve_dispute(dispute=dispute, by=staff, outcome="refund")
    told = client_user.notifications.get(kind="workspaces.dispute_decided")
    assert "Dem Auftraggeber erstattet." in told.body
    english = expert.notifications.get(kind="workspaces.dispute_decided")
    assert "Refunded to the client." in english.body


def test_the_activity_list_is_written_in_the_readers_language(workspace, client, expert):
    milestone = milestone_at(workspace, S.IN_PROGRESS, index=0)
    services.terminate_contract(
        workspace=workspace, by=workspace.contract.client, reason="Budget cut, sorry."
    )
    del milestone
    client_user = workspace.contract.client

    english = page(client, client_user, workspace)
    assert "Start requested" in english
    assert "€300.00 paid from the balance" in english
    assert "Refunded (contract ended)" in english
    assert "Budget cut, sorry." in english

    client_user.language = "de"
    client_user.save(update_fields=["language"])
    german = page(client, client_user, workspace)
    assert "Start angefragt" in german
    assert "€300,00 aus dem Guthaben bezahlt" in german
    assert "Erstattet (Vertrag beendet)" in german
    assert "Budget cut, sorry." in german  # what the client typed, as typed
    for english_text in ("Start requested", "paid from the balance", "Contract ended"):
        assert english_text not in german


def test_more_events_cost_the_activity_list_no_extra_query(
    workspace, client, staff, django_assert_num_queries
):
    """The sentences are written from the row itself: no lookup per event."""
    milestone_at(workspace, S.DELIVERED)
    client.force_login(workspace.contract.client)
    url = reverse("workspaces:detail", args=[workspace.pk])
    client.get(url)  # warm the caches
    before = _queries(client, url)
    for reviewer in (ExpertFactory(), None, ExpertFactory()):
        services.assign_qc_reviewer(workspace=workspace, by=staff, reviewer=reviewer)
    with django_assert_num_queries(before):
        client.get(url)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


# --- the data migration's mapping -------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "note", "expected"),
    [
        ("Start requested", "", ("start_requested", {}, "")),
        (
            "Started",
            "€1,200.00 paid from the balance",
            ("started", {"amount": 120_000, "currency": "EUR", "source": "balance"}, ""),
        ),
        (
            "Started",
            "$12.50 paid by card",
            ("started", {"amount": 1_250, "currency": "USD", "source": "card"}, ""),
        ),
        ("Started", "Paid by a reward", ("started", {"source": "reward"}, "")),
        # The sentence was English but its amount followed the active language.
        (
            "Started",
            "€1.200,50 paid by card",
            ("started", {"amount": 120_050, "currency": "EUR", "source": "card"}, ""),
        ),
        (
            "Refunded (contract ended)",
            "12,00 CHF",
            ("refunded_contract_ended", {"amount": 1_200, "currency": "CHF"}, ""),
        ),
        (
            "Card payment started",
            "12.00 CHF",
            ("card_payment_started", {"amount": 1_200, "currency": "CHF"}, ""),
        ),
        ("Delivered", "Version 3, 2 file(s)", ("delivered", {"version": 3, "files": 2}, "")),
        (
            "Reviewed by the second expert",
            "Version 3: approved, waiting for the hub manager",
            ("reviewed_by_second_expert", {"version": 3}, ""),
        ),
        ("Approved by QC", "Version 2", ("approved_by_qc", {"version": 2}, "")),
        (
            "Approved automatically",
            "€270.00 released to the expert after a €30.00 fee",
            ("approved_automatically", {"net": 27_000, "fee": 3_000, "currency": "EUR"}, ""),
        ),
        (
            "Marked as completed",
            "Approved; the reward is paid by the platform",
            ("marked_completed", {"reward": True}, ""),
        ),
        (
            "Revision requested (fee due)",
            "Fee €50.00",
            ("revision_fee_due", {"fee": 5_000, "currency": "EUR"}, ""),
        ),
        (
            "File shared",
            "plan (final).pdf (v2)",
            ("file_shared", {"name": "plan (final).pdf", "version": 2}, ""),
        ),
        ("QC reviewer assigned", "Staff", ("qc_reviewer_assigned", {}, "")),
        ("QC reviewer assigned", "Rita R.", ("qc_reviewer_assigned", {"reviewer": "Rita R."}, "")),
        (
            "Dispute opened",
            "The client ended the contract after this milestone was delivered. Too slow.",
            ("dispute_opened", {"contract_ended": True}, "Too slow."),
        ),
        (
            "Dispute opened",
            "Half of it is missing",
            ("dispute_opened", {}, "Half of it is missing"),
        ),
        ("Contract ended", "Plans changed", ("contract_ended", {}, "Plans changed")),
        (
            "Dispute decided",
            "Split: €123.45 to the expert (€111.10 after the fee), €176.55 back to the client. "
            "Fair",
            (
                "dispute_decided",
                {
                    "outcome": "split",
                    "currency": "EUR",
                    "payee_amount": 12_345,
                    "payee_net": 11_110,
                    "payer_refund": 17_655,
                },
                "Fair",
            ),
        ),
        (
            "Dispute decided",
            "Refunded to the client",
            ("dispute_decided", {"outcome": "refund"}, ""),
        ),
        (
            "Dispute decided",
            "Released to the expert. Work was delivered.",
            ("dispute_decided", {"outcome": "release"}, "Work was delivered."),
        ),
        # A known action whose note lost its shape keeps the note as stored.
        ("Started", "paid somehow", ("started", {}, "paid somehow")),
        ("Revision fee paid", "€1,2,3", ("revision_fee_paid", {}, "€1,2,3")),
        # An unknown action keeps its text.
        (
            "Moved by a script",
            "see ticket 12",
            ("other", {"text": "Moved by a script"}, "see ticket 12"),
        ),
    ],
)
def test_legacy_sentences_map_to_codes_and_params(action, note, expected):
    assert legacy_workspace_event(action, note) == expected


def test_legacy_rows_show_in_german_after_mapping_and_unknown_text_as_stored():
    code, params, note = legacy_workspace_event("Started", "€1,200.50 paid from the balance")
    event = WorkspaceEvent(action=code, params=params, note=note)
    with translation.override("de"):
        assert (event.text, event.detail) == ("Gestartet", "€1.200,50 aus dem Guthaben bezahlt")
    code, params, note = legacy_workspace_event("Moved by a script", "")
    unknown = WorkspaceEvent(action=code, params=params, note=note)
    with translation.override("de"):
        assert (unknown.text, unknown.detail) == ("Moved by a script", "")


def test_backwards_the_action_text_comes_back_in_english():
    for action, note in [("Start requested", ""), ("Dispute decided", "Refunded to the client")]:
        code, params, _note = legacy_workspace_event(action, note)
        assert english_action(code, params) == action
    assert english_action("other", {"text": "Moved by a script"}) == "Moved by a script"


@pytest.mark.parametrize(
    ("action", "params", "note"),
    [
        (A.STARTED, {"amount": 120_050, "currency": "EUR", "source": "card"}, ""),
        (A.STARTED, {"source": "reward"}, ""),
        (A.DELIVERED, {"version": 2, "files": 1}, ""),
        (A.DELIVERED_TO_QC, {"version": 1, "files": 3}, ""),
        (A.REVIEWED_BY_SECOND_EXPERT, {"version": 4}, ""),
        (A.MARKED_COMPLETED, {"net": 27_000, "fee": 3_000, "currency": "EUR"}, ""),
        (A.APPROVED_AUTOMATICALLY, {"reward": True}, ""),
        (A.REVISION_FEE_DUE, {"fee": 5_000, "currency": "GBP"}, ""),
        (A.REFUNDED_CONTRACT_ENDED, {"amount": 2_000, "currency": "CHF"}, ""),
        (A.FILE_SHARED, {"name": "logo (v2).png", "version": 3}, ""),
        (A.QC_REVIEWER_ASSIGNED, {"reviewer": "Rita R."}, ""),
        (A.DISPUTE_OPENED, {"contract_ended": True}, "Too slow."),
        (
            A.DISPUTE_DECIDED,
            {
                "outcome": "split",
                "currency": "EUR",
                "payee_amount": 12_345,
                "payee_net": 11_110,
                "payer_refund": 17_655,
            },
            "Fair",
        ),
        (A.DISPUTE_DECIDED, {"outcome": "release"}, ""),
        (A.CONTRACT_ENDED, {}, "Plans changed"),
    ],
)
def test_the_english_sentence_written_backwards_maps_forward_to_the_same_row(action, params, note):
    """Migration 0002 backwards writes the English sentence; forwards reads it back."""
    from workspaces.models import workspace_event_detail

    with translation.override("en"):
        detail = workspace_event_detail(action, params)
    joint = " " if detail.endswith(".") else ". "
    stored = f"{detail}{joint}{note}" if detail and note else detail or note
    assert legacy_workspace_event(english_action(action, params), stored) == (
        action,
        params,
        note,
    )
