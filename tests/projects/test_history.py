"""Project history stores what happened (a code and its params) and writes the sentence when it
is shown, in the reader's language; what staff or the client typed is shown as typed."""

import html

import pytest
from django.utils import translation

from bids import services as bid_services
from projects import services
from projects.legacy_history import english_note, legacy_status_change
from projects.models import Project, ProjectStatusChange
from projects.services.fulfilment import accept_invitation
from tests.bids.factories import award_and_confirm, place
from tests.projects.factories import ClientFactory, ExpertFactory, project_values
from tests.projects.fulfilment_factories import make_invited_project

pytestmark = pytest.mark.django_db
C = ProjectStatusChange.Code


def rows(project):
    return [(c.code, c.params, c.note) for c in project.history.order_by("created_at", "pk")]


def test_moderation_writes_codes_and_keeps_what_staff_typed(owner, staff, settings):
    settings.PROJECT_MODERATION = "all"
    project = services.create_draft(by=owner, values=project_values())
    project = services.publish_project(project=project, by=owner)
    services.request_clarification(project=project, by=staff, note="What is the deadline?")
    project = services.resubmit_project(project=project, by=owner)
    services.reject_project(project=project, by=staff, reason="Contact details in the post.")
    assert rows(project) == [
        (C.CREATED, {}, ""),
        (C.SUBMITTED, {}, ""),
        (C.CLARIFICATION, {}, "What is the deadline?"),
        (C.RESUBMITTED, {}, ""),
        (C.REJECTED, {}, "Contact details in the post."),
    ]


def test_approval_with_and_without_a_note(owner, staff, settings):
    settings.PROJECT_MODERATION = "all"
    project = services.publish_project(
        project=services.create_draft(by=owner, values=project_values()), by=owner
    )
    services.approve_project(project=project, by=staff, note="  Looks good.  ")
    assert rows(project)[-1] == (C.APPROVED, {}, "Looks good.")
    other = services.publish_project(
        project=services.create_draft(by=owner, values=project_values()), by=owner
    )
    services.approve_project(project=other, by=staff)
    assert rows(other)[-1] == (C.APPROVED, {}, "")


def test_close_and_cancel(owner):
    project = services.create_draft(by=owner, values=project_values())
    project = services.publish_project(project=project, by=owner)
    services.close_project(project=project, by=owner)
    assert rows(project)[-2:] == [(C.PUBLISHED, {}, ""), (C.CLOSED, {}, "")]
    second = services.publish_project(
        project=services.create_draft(by=owner, values=project_values()), by=owner
    )
    services.cancel_project(project=second, by=owner, reason="Found someone locally.")
    assert rows(second)[-1] == (C.CANCELLED, {}, "Found someone locally.")
    third = services.publish_project(
        project=services.create_draft(by=owner, values=project_values()), by=owner
    )
    services.cancel_project(project=third, by=owner)
    assert rows(third)[-1] == (C.CANCELLED, {}, "")


def test_award_keeps_the_bid_number_and_the_contract_codes_follow(owner):
    project = services.publish_project(
        project=services.create_draft(by=owner, values=project_values()), by=owner
    )
    bid = place(project, ExpertFactory())
    bid_services.award_bid(bid=bid, by=owner)
    bid_services.withdraw_award(bid=bid, by=owner)
    award_and_confirm(bid)
    assert rows(project)[2:] == [
        (C.AWARDED_BID, {"bid": bid.pk}, ""),
        (C.AWARD_WITHDRAWN, {}, ""),
        (C.AWARDED_BID, {"bid": bid.pk}, ""),
        (C.CONTRACT_CONFIRMED, {}, ""),
    ]
    change = project.history.filter(code=C.AWARDED_BID).first()
    with translation.override("de"):
        assert change.text == f"Zuschlag für Angebot {bid.pk} erteilt"
    with translation.override("en"):
        assert change.text == f"Awarded to bid {bid.pk}"


def test_an_invited_project_keeps_its_kind_and_reads_it_per_language():
    project, (first, _) = make_invited_project(kind=Project.Kind.SPEEDY)
    accept_invitation(project=project, by=first)
    assert rows(project) == [
        (C.CREATED, {}, ""),
        (C.SET_UP, {"kind": "speedy"}, ""),
        (C.INVITATION_ACCEPTED, {}, ""),
        (C.WORK_STARTS, {}, ""),
    ]
    set_up = project.history.get(code=C.SET_UP)
    with translation.override("en"):
        assert set_up.text == "Speedy set up"
    with translation.override("de"):
        assert set_up.text.endswith(" eingerichtet")
        assert "set up" not in set_up.text


def test_the_project_history_reads_in_the_owners_language(client):
    owner = ClientFactory(language="de")
    project = services.publish_project(
        project=services.create_draft(by=owner, values=project_values()), by=owner
    )
    bid = place(project, ExpertFactory())
    bid_services.award_bid(bid=bid, by=owner)
    bid_services.withdraw_award(bid=bid, by=owner)
    client.force_login(owner)
    german = html.unescape(client.get(project.get_absolute_url()).content.decode())
    assert f"Zuschlag für Angebot {bid.pk} erteilt" in german
    assert "Zuschlag zurückgenommen" in german
    assert "Veröffentlicht" in german
    assert "Award withdrawn" not in german
    owner.language = "en"
    owner.save(update_fields=["language"])
    english = html.unescape(client.get(project.get_absolute_url()).content.decode())
    assert f"Awarded to bid {bid.pk}" in english
    assert "Award withdrawn" in english


def test_a_typed_reason_is_shown_as_typed_in_german(client, staff):
    owner = ClientFactory(language="de")
    project = services.publish_project(
        project=services.create_draft(by=owner, values=project_values()), by=owner
    )
    services.cancel_project(project=project, by=owner, reason="Budget moved to next year.")
    client.force_login(owner)
    german = html.unescape(client.get(project.get_absolute_url()).content.decode())
    assert "Budget moved to next year." in german
    assert "Abgebrochen" in german


@pytest.mark.parametrize(
    ("to_status", "note", "expected"),
    [
        ("draft", "Created", ("created", {}, "")),
        ("pending", "Submitted for approval", ("submitted", {}, "")),
        ("open", "Published", ("published", {}, "")),
        ("open", "Approved", ("approved", {}, "")),
        ("open", "Fine, thanks.", ("approved", {}, "Fine, thanks.")),
        (
            "rejected",
            "Contact details in the post.",
            ("rejected", {}, "Contact details in the post."),
        ),
        ("clarification", "Which deadline?", ("clarification", {}, "Which deadline?")),
        ("pending", "Resubmitted after clarification", ("resubmitted", {}, "")),
        ("closed", "Closed by the client", ("closed", {}, "")),
        ("cancelled", "Cancelled", ("cancelled", {}, "")),
        ("cancelled", "No budget", ("cancelled", {}, "No budget")),
        ("awarded", "Awarded to bid 42", ("awarded_bid", {"bid": 42}, "")),
        ("awarded", "Offer 7 accepted", ("offer_accepted", {"bid": 7}, "")),
        ("awarded", "Invitation accepted", ("invitation_accepted", {}, "")),
        ("open", "Award declined by the expert", ("award_declined", {}, "")),
        ("in_progress", "Work starts at once", ("work_starts", {}, "")),
        ("in_progress", "Booking made", ("booking_made", {}, "")),
        ("completed", "Every milestone is completed", ("milestones_completed", {}, "")),
        ("completed", "Booking completed", ("booking_completed", {}, "")),
        ("cancelled", "Contract terminated", ("contract_terminated", {}, "")),
        ("open", "Speedy set up", ("set_up", {"kind": "speedy"}, "")),
        ("open", "Booking set up", ("set_up", {"kind": "invited_booking"}, "")),
        # Unknown text stays as stored.
        ("in_progress", "Moved by support", ("other", {}, "Moved by support")),
        ("open", "Gizmo set up", ("approved", {}, "Gizmo set up")),
    ],
)
def test_legacy_notes_map_to_codes_and_params(to_status, note, expected):
    assert legacy_status_change(to_status, note) == expected


def test_backwards_the_english_note_comes_back():
    for to_status, note in [
        ("awarded", "Awarded to bid 42"),
        ("open", "Speedy set up"),
        ("draft", "Created"),
        ("rejected", "Spam"),
    ]:
        code, params, typed = legacy_status_change(to_status, note)
        assert english_note(code, params, typed) == note


def test_an_unknown_old_row_shows_its_note_and_no_sentence():
    change = ProjectStatusChange(code=C.OTHER, note="Moved by support")
    with translation.override("de"):
        assert change.text == ""
        assert change.summary == "Moved by support"
