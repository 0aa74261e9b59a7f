from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from projects import services
from projects.exceptions import (
    AlreadyInvited,
    AttachmentRefused,
    InvalidTransition,
    NotAllowed,
    ProjectInvalid,
)
from projects.models import (
    Invitation,
    ModerationDecision,
    Project,
    ProjectAttachment,
    ProjectStatusChange,
)
from tests.projects.factories import (
    ExpertFactory,
    category,
    make_open_project,
    project_values,
    skill,
)

pytestmark = pytest.mark.django_db


def test_create_draft_saves_post_with_skills_and_history(owner):
    project = services.create_draft(
        by=owner, values=project_values(skills=[skill("logo-design"), skill("brand-identity")])
    )
    assert project.status == Project.Status.DRAFT
    assert project.owner == owner
    assert set(project.skills.values_list("slug", flat=True)) == {"logo-design", "brand-identity"}
    assert project.history.get().to_status == Project.Status.DRAFT
    assert project.published_at is None


def test_create_draft_fixed_budget_sets_max_to_min(owner):
    project = services.create_draft(
        by=owner, values=project_values(budget_type="fixed", budget_min=700, budget_max=99999)
    )
    assert project.budget_max == 700


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "   "}, "title"),
        ({"skills": []}, "skills"),
        ({"budget_type": "range", "budget_min": 5000, "budget_max": 1000}, "budget_max"),
        ({"budget_min": 0}, "budget_min"),
        ({"deadline": timezone.localdate() - timedelta(days=1)}, "deadline"),
        ({"location_type": "onsite", "country": "", "city": ""}, "country"),
        (
            {
                "start_date": timezone.localdate() + timedelta(days=5),
                "end_date": timezone.localdate() + timedelta(days=1),
            },
            "end_date",
        ),
    ],
)
def test_create_draft_refuses_bad_input_and_saves_nothing(owner, overrides, field):
    with pytest.raises(ProjectInvalid) as caught:
        services.create_draft(by=owner, values=project_values(**overrides))
    assert field in caught.value.errors
    assert not Project.objects.exists()


def test_publish_opens_project_when_moderation_is_off(owner):
    project = services.create_draft(by=owner, values=project_values())
    project = services.publish_project(project=project, by=owner)
    assert project.status == Project.Status.OPEN
    assert project.published_at is not None
    assert list(project.history.values_list("to_status", flat=True)) == ["draft", "open"]


def test_publish_refuses_someone_else(owner, other_client):
    project = services.create_draft(by=owner, values=project_values())
    with pytest.raises(NotAllowed):
        services.publish_project(project=project, by=other_client)
    project.refresh_from_db()
    assert project.status == Project.Status.DRAFT


def test_publish_twice_is_refused(owner):
    project = make_open_project(owner)
    with pytest.raises(InvalidTransition):
        services.publish_project(project=project, by=owner)
    assert project.history.count() == 2


def test_publish_goes_to_moderation_when_required_for_everyone(
    owner, staff, settings, told, django_capture_on_commit_callbacks
):
    settings.PROJECT_MODERATION = "all"
    project = services.create_draft(by=owner, values=project_values())
    with django_capture_on_commit_callbacks(execute=True):
        project = services.publish_project(project=project, by=owner)
    assert project.status == Project.Status.PENDING
    assert project.published_at is None
    assert {call["kind"] for call in told} == {
        "projects.moderation_needed",
        "projects.project_submitted",
    }
    assert any(call["user"] == staff for call in told)


def test_moderation_by_category_only_holds_listed_categories(owner, settings):
    settings.PROJECT_MODERATION = "categories"
    settings.PROJECT_MODERATION_CATEGORIES = ["engineering"]
    held = services.create_draft(
        by=owner,
        values=project_values(
            category=category("engineering"), skills=[skill("injection-moulding")]
        ),
    )
    free = services.create_draft(by=owner, values=project_values())
    assert services.publish_project(project=held, by=owner).status == Project.Status.PENDING
    assert services.publish_project(project=free, by=owner).status == Project.Status.OPEN


def test_moderation_for_unverified_clients_holds_an_unverified_client(owner, settings):
    settings.PROJECT_MODERATION = "unverified"
    project = services.create_draft(by=owner, values=project_values())
    assert services.publish_project(project=project, by=owner).status == Project.Status.PENDING


def _pending(owner, settings):
    settings.PROJECT_MODERATION = "all"
    project = services.create_draft(by=owner, values=project_values())
    return services.publish_project(project=project, by=owner)


def test_approve_opens_and_notifies_owner(
    owner, staff, settings, told, django_capture_on_commit_callbacks
):
    project = _pending(owner, settings)
    with django_capture_on_commit_callbacks(execute=True):
        project = services.approve_project(project=project, by=staff)
    assert project.status == Project.Status.OPEN
    assert project.moderation.get().decision == ModerationDecision.Decision.APPROVE
    assert told[-1]["kind"] == "projects.approved"
    assert told[-1]["user"] == owner


def test_approve_refuses_non_staff(owner, settings):
    project = _pending(owner, settings)
    with pytest.raises(NotAllowed):
        services.approve_project(project=project, by=owner)
    project.refresh_from_db()
    assert project.status == Project.Status.PENDING
    assert not ModerationDecision.objects.exists()


def test_approve_twice_is_refused(owner, staff, settings):
    project = _pending(owner, settings)
    services.approve_project(project=project, by=staff)
    with pytest.raises(InvalidTransition):
        services.approve_project(project=project, by=staff)
    assert ModerationDecision.objects.count() == 1


def test_reject_needs_a_reason(owner, staff, settings):
    project = _pending(owner, settings)
    with pytest.raises(ProjectInvalid):
        services.reject_project(project=project, by=staff, reason="  ")
    project.refresh_from_db()
    assert project.status == Project.Status.PENDING


def test_reject_records_reason_and_tells_owner(
    owner, staff, settings, told, django_capture_on_commit_callbacks
):
    project = _pending(owner, settings)
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_project(project=project, by=staff, reason="Contact details in the post.")
    project.refresh_from_db()
    assert project.status == Project.Status.REJECTED
    assert project.history.last().note == "Contact details in the post."
    assert told[-1]["body"] == "Contact details in the post."


def test_clarification_then_resubmit_returns_to_pending(owner, staff, settings, told):
    project = _pending(owner, settings)
    services.request_clarification(project=project, by=staff, note="What is the deadline?")
    project.refresh_from_db()
    assert project.status == Project.Status.CLARIFICATION
    services.update_project(project=project, by=owner, values={"title": "Logo, due in May"})
    project = services.resubmit_project(project=project, by=owner)
    assert project.status == Project.Status.PENDING
    assert project.title == "Logo, due in May"


def test_resubmit_refuses_other_people_and_wrong_status(owner, other_client, settings):
    project = _pending(owner, settings)
    with pytest.raises(InvalidTransition):
        services.resubmit_project(project=project, by=owner)
    with pytest.raises(NotAllowed):
        services.resubmit_project(project=project, by=other_client)


def test_close_and_cancel_follow_the_map(owner):
    project = make_open_project(owner)
    services.close_project(project=project, by=owner)
    project.refresh_from_db()
    assert project.status == Project.Status.CLOSED
    with pytest.raises(InvalidTransition):
        services.cancel_project(project=project, by=owner)
    project.refresh_from_db()
    assert project.status == Project.Status.CLOSED


def test_close_refuses_other_client(owner, other_client):
    project = make_open_project(owner)
    with pytest.raises(NotAllowed):
        services.close_project(project=project, by=other_client)
    project.refresh_from_db()
    assert project.status == Project.Status.OPEN


def test_update_refuses_closed_project_and_changes_nothing(owner):
    project = make_open_project(owner)
    services.close_project(project=project, by=owner)
    with pytest.raises(InvalidTransition):
        services.update_project(project=project, by=owner, values={"title": "New"})
    project.refresh_from_db()
    assert project.title == "Logo for a bakery"


def test_update_refuses_bad_budget_and_keeps_old_values(owner):
    project = make_open_project(owner)
    with pytest.raises(ProjectInvalid):
        services.update_project(
            project=project,
            by=owner,
            values={"budget_type": "range", "budget_min": 9000, "budget_max": 100},
        )
    project.refresh_from_db()
    assert (project.budget_min, project.budget_max) == (50000, 50000)


def test_editing_an_open_project_tells_its_bidders(
    owner, monkeypatch, told, django_capture_on_commit_callbacks
):
    bidder = ExpertFactory()
    project = make_open_project(owner)
    monkeypatch.setattr(
        "projects.services.lifecycle.bidders_of",
        lambda p: type(bidder).objects.filter(pk=bidder.pk),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.update_project(project=project, by=owner, values={"title": "Bigger logo job"})
    assert [(c["user"], c["kind"]) for c in told] == [(bidder, "projects.project_edited")]


def test_invite_expert_creates_invitation_and_notifies(
    owner, expert, told, django_capture_on_commit_callbacks
):
    project = make_open_project(owner)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_expert(project=project, expert=expert, by=owner)
    assert invitation.expert == expert
    assert told[-1]["kind"] == "projects.invited"
    assert told[-1]["user"] == expert


def test_invite_twice_is_refused(owner, expert):
    project = make_open_project(owner)
    services.invite_expert(project=project, expert=expert, by=owner)
    with pytest.raises(AlreadyInvited):
        services.invite_expert(project=project, expert=expert, by=owner)
    assert Invitation.objects.count() == 1


def test_invite_refuses_non_owner_non_expert_and_draft(owner, other_client, expert):
    project = make_open_project(owner)
    with pytest.raises(NotAllowed):
        services.invite_expert(project=project, expert=expert, by=other_client)
    with pytest.raises(NotAllowed):
        services.invite_expert(project=project, expert=other_client, by=owner)
    draft = services.create_draft(by=owner, values=project_values())
    with pytest.raises(InvalidTransition):
        services.invite_expert(project=draft, expert=expert, by=owner)
    assert not Invitation.objects.exists()


def test_invite_individual_to_business_only_project_is_refused(owner, expert, company_expert):
    project = make_open_project(owner, restricted_to_businesses=True)
    with pytest.raises(NotAllowed):
        services.invite_expert(project=project, expert=expert, by=owner)
    services.invite_expert(project=project, expert=company_expert, by=owner)
    assert list(Invitation.objects.values_list("expert", flat=True)) == [company_expert.pk]


def test_add_attachment_stores_file(owner):
    project = make_open_project(owner)
    document = SimpleUploadedFile("brief.pdf", b"%PDF-1.4 tiny", content_type="application/pdf")
    attachment = services.add_attachment(project=project, by=owner, file=document)
    assert attachment.name == "brief.pdf"
    assert attachment.size == len(b"%PDF-1.4 tiny")
    assert attachment.file.name.startswith(f"private/projects/{project.pk}/")


def test_add_attachment_refuses_oversized_file(owner):
    project = make_open_project(owner)
    big = SimpleUploadedFile("big.bin", b"x" * 2048)
    with pytest.raises(AttachmentRefused):
        services.add_attachment(project=project, by=owner, file=big)
    assert not ProjectAttachment.objects.exists()


def test_add_attachment_refuses_the_eleventh_file(owner):
    project = make_open_project(owner)
    for number in range(10):
        services.add_attachment(
            project=project, by=owner, file=SimpleUploadedFile(f"f{number}.txt", b"hi")
        )
    with pytest.raises(AttachmentRefused):
        services.add_attachment(project=project, by=owner, file=SimpleUploadedFile("f.txt", b"x"))
    assert project.attachments.count() == 10


def test_add_attachment_refuses_other_people(owner, other_client):
    project = make_open_project(owner)
    with pytest.raises(NotAllowed):
        services.add_attachment(
            project=project, by=other_client, file=SimpleUploadedFile("a.txt", b"x")
        )
    assert not ProjectAttachment.objects.exists()


def test_every_transition_leaves_a_history_row(owner, staff, settings):
    project = _pending(owner, settings)
    services.approve_project(project=project, by=staff)
    services.close_project(project=project, by=owner)
    rows = list(
        ProjectStatusChange.objects.filter(project=project).values_list("from_status", "to_status")
    )
    assert rows == [
        ("", "draft"),
        ("draft", "pending_approval"),
        ("pending_approval", "open"),
        ("open", "closed"),
    ]


def test_transitions_map_reserves_award_states_for_later_apps():
    assert Project.Status.AWARDED in Project.TRANSITIONS[Project.Status.OPEN]
    assert Project.TRANSITIONS[Project.Status.CLOSED] == frozenset()
