"""NDA before details: until an expert accepts a project's NDA they (and visitors, and search)
see only the public summary; the description, documents and bidding open after it, and the
acceptance is recorded with who, which version, when and from which address."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bids.exceptions import NotAllowed as BidNotAllowed
from bids.models import Bid
from projects import services
from projects.exceptions import NotAllowed
from projects.models import NdaAcceptance, Project
from projects.search import ProjectQuery, search_projects
from tests.bids.factories import make_standalone_project, place
from tests.factories import ExpertFactory, StaffFactory

pytestmark = pytest.mark.django_db

SECRET = "Zirconiumwidget tolerance study for the Frobnicator housing"
SUMMARY = "Mould-flow review of an injection-moulded housing."


def _nda_project(**overrides):
    project = make_standalone_project(
        title="Housing review",
        description=SECRET,
        nda_required=True,
        public_summary=SUMMARY,
        **overrides,
    )
    services.add_attachment(
        project=project,
        by=project.owner,
        file=SimpleUploadedFile("drawing-secret.pdf", b"%PDF-1.4 confidential"),
    )
    return project


def test_an_expert_sees_only_the_public_summary_before_accepting_the_nda(client):
    project = _nda_project()
    client.force_login(ExpertFactory())
    page = client.get(project.get_absolute_url()).content.decode()
    assert SUMMARY in page
    assert "Zirconiumwidget" not in page
    assert "drawing-secret.pdf" not in page
    assert "Accept the NDA and see the details" in page
    assert project.title in page


def test_a_logged_out_visitor_sees_only_the_public_summary(client):
    project = _nda_project()
    page = client.get(project.get_absolute_url()).content.decode()
    assert SUMMARY in page
    assert "Zirconiumwidget" not in page
    assert "drawing-secret.pdf" not in page
    assert "Log in to accept the NDA" in page


def test_the_confidential_document_does_not_download_before_the_nda(client):
    project = _nda_project()
    document = project.attachments.get()
    client.force_login(ExpertFactory())
    assert client.get(document.get_absolute_url()).status_code == 404


def test_an_expert_cannot_bid_before_accepting_the_nda_and_nothing_changes():
    from bids import services as bid_services

    project = _nda_project()
    expert = ExpertFactory()
    with pytest.raises(BidNotAllowed, match="non-disclosure"):
        bid_services.place_bid(
            project=project, by=expert, amount=40_000, days=10, proposal="I can do it."
        )
    assert not Bid.objects.exists()
    project.refresh_from_db()
    assert project.bid_count == 0


def test_accepting_the_nda_from_the_project_page_records_it_and_opens_the_details(client, settings):
    settings.NDA_VERSION = "2026-12-a"
    project = _nda_project()
    expert = ExpertFactory()
    client.force_login(expert)
    response = client.post(
        reverse("projects:accept_nda", args=[project.pk]), REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 302
    record = NdaAcceptance.objects.get()
    assert (record.project, record.user, record.version) == (project, expert, "2026-12-a")
    assert str(record.ip) == "198.51.100.7"
    assert record.accepted_at is not None
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Zirconiumwidget" in page
    assert "drawing-secret.pdf" in page
    assert "Place a bid" in page
    assert client.get(project.attachments.get().get_absolute_url()).status_code == 200
    # and the expert may bid now
    assert place(project, expert).status == Bid.Status.ACTIVE


def test_accepting_twice_keeps_the_first_record():
    project = _nda_project()
    expert = ExpertFactory()
    first = services.accept_nda(project=project, by=expert, ip="192.0.2.1")
    second = services.accept_nda(project=project, by=expert, ip="192.0.2.2")
    assert first.pk == second.pk
    assert NdaAcceptance.objects.count() == 1
    assert str(NdaAcceptance.objects.get().ip) == "192.0.2.1"


def test_a_client_cannot_accept_an_nda_and_nothing_is_recorded():
    project = _nda_project()
    with pytest.raises(NotAllowed):
        services.accept_nda(project=project, by=project.owner)
    assert not NdaAcceptance.objects.exists()


def test_the_client_and_staff_see_the_details_without_an_nda(client):
    project = _nda_project()
    for person in (project.owner, StaffFactory()):
        client.force_login(person)
        assert "Zirconiumwidget" in client.get(project.get_absolute_url()).content.decode()


@pytest.mark.postgres
def test_the_confidential_text_is_not_searchable_but_the_summary_is():
    project = _nda_project()
    assert project.status == Project.Status.OPEN
    anyone = ExpertFactory()
    secret = search_projects(query=ProjectQuery(q="Zirconiumwidget"), viewer=anyone, page=1)
    assert project.pk not in [p.pk for p in secret.items]
    found = search_projects(query=ProjectQuery(q="injection-moulded"), viewer=anyone, page=1)
    assert project.pk in [p.pk for p in found.items]


def test_an_nda_post_needs_a_public_summary():
    from projects.exceptions import ProjectInvalid

    with pytest.raises(ProjectInvalid) as refused:
        make_standalone_project(nda_required=True, public_summary="  ")
    assert "public_summary" in refused.value.errors
    assert not Project.objects.exists()


def _nda_workspace_with_reviewer():
    from tests.workspaces.factories import make_contract
    from workspaces.services import assign_qc_reviewer, open_workspace

    contract = make_contract(
        30_000,
        standalone=True,
        additional_qc=True,
        nda_required=True,
        public_summary=SUMMARY,
        description=SECRET,
    )
    workspace = open_workspace(contract=contract)
    reviewer = ExpertFactory(name="Rita Reviewer")
    assign_qc_reviewer(workspace=workspace, by=StaffFactory(), reviewer=reviewer)
    return workspace, reviewer


def test_the_second_expert_accepts_the_nda_before_the_workspace_opens(client):
    workspace, reviewer = _nda_workspace_with_reviewer()
    contract = workspace.contract
    client.force_login(reviewer)
    page = client.get(workspace.get_absolute_url()).content.decode()
    assert "Accept the NDA and open the workspace" in page
    for hidden in (SECRET, contract.client.display_name, contract.expert.display_name):
        assert hidden not in page
    assert client.get(reverse("workspaces:chat", args=[workspace.pk])).status_code == 403
    assert not NdaAcceptance.objects.filter(user=reviewer).exists()

    response = client.post(
        reverse("projects:accept_nda", args=[contract.project_id]),
        {"next": workspace.get_absolute_url()},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.url == workspace.get_absolute_url()
    record = NdaAcceptance.objects.get(user=reviewer)
    assert record.project_id == contract.project_id
    assert str(record.ip) == "203.0.113.9"
    page = client.get(workspace.get_absolute_url()).content.decode()
    assert "Accept the NDA and open the workspace" not in page
    assert SECRET in page


def test_the_second_expert_cannot_review_before_the_nda_and_nothing_changes():
    from tests.workspaces.factories import milestone_at
    from workspaces.exceptions import NotAllowed as WorkspaceNotAllowed
    from workspaces.models import Milestone
    from workspaces.services import approve_delivery, deliver_milestone

    workspace, reviewer = _nda_workspace_with_reviewer()
    milestone = milestone_at(workspace, Milestone.Status.IN_PROGRESS)
    deliver_milestone(milestone=milestone, by=workspace.contract.expert, note="Done", files=[])
    with pytest.raises(WorkspaceNotAllowed, match="non-disclosure"):
        approve_delivery(milestone=milestone, by=reviewer, note="Fine.")
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.IN_QC
    assert milestone.deliveries.get().qc_by is None


def test_the_plain_search_of_the_embedded_default_skips_the_confidential_text_too():
    from projects.search import _filter_plainly

    project = _nda_project()
    everything = Project.objects.all()
    assert not _filter_plainly(everything, ProjectQuery(q="Zirconiumwidget"), []).exists()
    found = _filter_plainly(everything, ProjectQuery(q="injection-moulded"), [])
    assert list(found) == [project]
