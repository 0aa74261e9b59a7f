"""The invited expert's page (Accept, already taken, not invited) and staff set-up."""

import re

import pytest
from django.urls import reverse

from bids.models import Contract
from notifications.models import Notification
from projects.models import Project
from projects.services.fulfilment import accept_invitation
from tests.factories import (
    ClientFactory,
    ExpertFactory,
    SkillCategoryFactory,
    SkillFactory,
    StaffFactory,
)
from tests.projects.fulfilment_factories import make_invited_project

pytestmark = pytest.mark.django_db


def _page(project):
    return reverse("projects:fulfilment", args=[project.pk])


def _accept(project):
    return reverse("projects:fulfilment_accept", args=[project.pk])


def test_an_invited_expert_sees_the_reward_and_the_accept_button(
    client, django_assert_max_num_queries
):
    project, (expert, _) = make_invited_project(reward=12_500)
    client.force_login(expert)
    with django_assert_max_num_queries(12):
        response = client.get(_page(project))
    body = response.content.decode()
    assert response.status_code == 200
    assert "€125.00" in body
    assert "Accept project" in body


def test_the_project_page_sends_an_invited_expert_to_the_invitation(client):
    project, (expert, _) = make_invited_project()
    client.force_login(expert)
    response = client.get(project.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == _page(project)


def test_accept_starts_the_work_and_opens_the_workspace(client):
    project, (expert, _) = make_invited_project()
    client.force_login(expert)
    response = client.post(_accept(project))
    contract = Contract.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workspaces:detail", args=[contract.pk])
    page = client.get(response["Location"])
    assert "Your work" in page.content.decode()


def test_the_second_expert_sees_a_clear_taken_page_with_the_proofread_offer(client):
    project, (first, second) = make_invited_project(
        proofread_offer="Proofread the German version instead for €40."
    )
    accept_invitation(project=project, by=first)
    client.force_login(second)
    response = client.post(_accept(project), follow=True)
    body = response.content.decode()
    assert "already been taken" in body
    assert "Proofread the German version instead" in body
    assert Contract.objects.get().expert == first


def test_a_taken_page_without_an_offer_shows_none(client):
    project, (first, second) = make_invited_project()
    accept_invitation(project=project, by=first)
    client.force_login(second)
    body = client.get(_page(project)).content.decode()
    assert "already been taken" in body
    assert "An offer for you" not in body


def test_accepting_without_an_invitation_shows_a_clear_page_and_nothing_moves(client):
    project, _ = make_invited_project()
    client.force_login(ExpertFactory())
    response = client.post(_accept(project))
    assert response.status_code == 404
    assert project.title not in response.content.decode()
    project.refresh_from_db()
    assert project.status == Project.Status.OPEN
    assert not Contract.objects.exists()


def test_an_nda_project_asks_for_the_nda_before_accepting(client):
    project, (expert, _) = make_invited_project(nda_required=True)
    client.force_login(expert)
    response = client.post(_accept(project))
    assert response.status_code == 400
    assert "requires the NDA" in response.content.decode()
    assert not Contract.objects.exists()
    response = client.post(_accept(project), {"accept_nda": "on"})
    assert response.status_code == 302
    assert Contract.objects.get().nda_accepted_at is not None


def test_staff_set_up_a_speedy_and_invite_experts(client, django_capture_on_commit_callbacks):
    staff = StaffFactory()
    owner = ClientFactory()
    experts = [ExpertFactory(), ExpertFactory()]
    category = SkillCategoryFactory()
    skill = SkillFactory(category=category)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("projects:fulfilment_new"),
            {
                "client_email": owner.email.upper(),
                "kind": "speedy",
                "title": "Translate a flyer",
                "description": "One page.",
                "category": category.pk,
                "skills": [skill.pk],
                "reward": "30.00",
                "expert_emails": f"{experts[0].email}, {experts[1].email}",
            },
        )
    project = Project.objects.get()
    assert response.status_code == 302
    assert (project.kind, project.reward, project.owner) == ("speedy", 3000, owner)
    assert Notification.objects.filter(kind="projects.fulfilment_invited").count() == 2


def test_the_set_up_page_names_an_unknown_expert_email(client):
    client.force_login(StaffFactory())
    response = client.post(
        reverse("projects:fulfilment_new"),
        {"client_email": "nobody@example.com", "expert_emails": "ghost@example.com"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "ghost@example.com" in body
    assert not Project.objects.exists()


def test_only_staff_open_the_set_up_page(client):
    client.force_login(ClientFactory())
    assert client.get(reverse("projects:fulfilment_new")).status_code == 403


def test_staff_invite_more_experts_from_the_project_page(
    client, django_capture_on_commit_callbacks
):
    project, _ = make_invited_project(experts=1)
    late = ExpertFactory()
    client.force_login(StaffFactory())
    assert "Invite more experts" in client.get(_page(project)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("projects:fulfilment_invite", args=[project.pk]),
            {"expert_emails": late.email},
        )
    assert response.status_code == 302
    assert project.invitations.filter(expert=late).exists()
    assert Notification.objects.filter(user=late, kind="projects.fulfilment_invited").exists()


def test_inviting_more_is_refused_once_the_project_is_taken(client):
    project, (first, _) = make_invited_project()
    accept_invitation(project=project, by=first)
    late = ExpertFactory()
    client.force_login(StaffFactory())
    response = client.post(
        reverse("projects:fulfilment_invite", args=[project.pk]),
        {"expert_emails": late.email},
        follow=True,
    )
    assert "no longer open" in response.content.decode()
    assert not project.invitations.filter(expert=late).exists()


def test_an_expert_cannot_invite_others(client):
    project, (expert, _) = make_invited_project()
    client.force_login(expert)
    response = client.post(
        reverse("projects:fulfilment_invite", args=[project.pk]),
        {"expert_emails": ExpertFactory().email},
    )
    assert response.status_code == 403
    assert project.invitations.count() == 2


def test_the_expert_asks_a_fee_on_the_page_and_staff_approve_it(client):
    from projects.models import ExtraFeeRequest

    project, (expert, _) = make_invited_project()
    accept_invitation(project=project, by=expert)
    client.force_login(expert)
    response = client.post(
        reverse("projects:fulfilment_fee", args=[project.pk]),
        {"amount": "25.00", "reason": "The client added a chapter."},
    )
    assert response.status_code == 302
    fee = ExtraFeeRequest.objects.get()
    assert fee.amount == 2500
    client.force_login(StaffFactory())
    assert "The client added a chapter." in client.get(_page(project)).content.decode()
    client.post(
        reverse("projects:fulfilment_fee_decide", args=[project.pk, fee.pk]),
        {"decision": "approve", "note": ""},
    )
    fee.refresh_from_db()
    assert fee.status == ExtraFeeRequest.Status.APPROVED


def test_a_fee_without_an_amount_shows_the_error_beside_the_field(client):
    project, (expert, _) = make_invited_project()
    accept_invitation(project=project, by=expert)
    client.force_login(expert)
    response = client.post(
        reverse("projects:fulfilment_fee", args=[project.pk]), {"amount": "", "reason": "x"}
    )
    assert response.status_code == 400
    assert "field--invalid" in response.content.decode()
    assert not project.fee_requests.exists()


def test_staff_reach_the_set_up_page_from_their_dashboard_and_the_admin(client):
    staff = StaffFactory(is_superuser=True)
    client.force_login(staff)
    new = reverse("projects:fulfilment_new")
    assert new in client.get(reverse("dashboard")).content.decode()
    assert new in client.get(reverse("admin:index")).content.decode()
    client.force_login(ClientFactory())
    assert new not in client.get(reverse("dashboard")).content.decode()


def test_the_set_up_takes_source_documents_the_invited_expert_downloads(client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MAX_DOCUMENT_SIZE = 10_000
    staff, owner, expert = StaffFactory(), ClientFactory(), ExpertFactory()
    category = SkillCategoryFactory()
    client.force_login(staff)
    client.post(
        reverse("projects:fulfilment_new"),
        {
            "client_email": owner.email,
            "kind": "invited_booking",
            "title": "Translate a flyer",
            "description": "One page.",
            "category": category.pk,
            "skills": [SkillFactory(category=category).pk],
            "reward": "30.00",
            "expert_emails": expert.email,
            "documents": [SimpleUploadedFile("flyer-source.docx", b"source text")],
        },
    )
    project = Project.objects.get()
    document = project.attachments.get()
    assert document.name == "flyer-source.docx"
    client.force_login(expert)
    assert "flyer-source.docx" in client.get(_page(project)).content.decode()
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"source text"
    client.force_login(ExpertFactory())
    assert client.get(document.get_absolute_url()).status_code == 404


def test_an_oversized_source_document_is_refused_beside_the_field_and_nothing_is_set_up(
    client, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MAX_DOCUMENT_SIZE = 10
    category = SkillCategoryFactory()
    client.force_login(StaffFactory())
    response = client.post(
        reverse("projects:fulfilment_new"),
        {
            "client_email": ClientFactory().email,
            "kind": "speedy",
            "title": "Translate a flyer",
            "description": "One page.",
            "category": category.pk,
            "skills": [SkillFactory(category=category).pk],
            "reward": "30.00",
            "expert_emails": ExpertFactory().email,
            "documents": [SimpleUploadedFile("big.docx", b"x" * 100)],
        },
    )
    assert response.status_code == 200
    assert "is larger than" in response.content.decode()
    assert not Project.objects.exists()


def test_an_outsider_gets_the_same_404_as_a_missing_project_and_never_its_title(client):
    project, _ = make_invited_project()
    client.force_login(ExpertFactory())

    outsider = client.get(_page(project))
    missing = client.get(reverse("projects:fulfilment", args=[project.pk + 1000]))

    assert outsider.status_code == missing.status_code == 404
    assert project.title not in outsider.content.decode()
    title = re.compile(rb"<title>(.*?)</title>", re.DOTALL)
    assert title.search(outsider.content)[1] == title.search(missing.content)[1]
