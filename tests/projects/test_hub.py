"""Verified-company hub projects: who may post, the NDA record, and staff verifying deliveries
before the company sees them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import CompanyProfile
from bids import services as bid_services
from bids.exceptions import NotAllowed as BidNotAllowed
from bids.models import Bid, Contract
from projects import services
from projects.exceptions import NotAllowed
from projects.models import Project
from tests.bids.factories import make_standalone_project, place
from tests.factories import (
    ClientFactory,
    CompanyClientFactory,
    ExpertFactory,
    StaffFactory,
    verified_company,
)
from tests.projects.fulfilment_factories import invited_values
from workspaces.models import Milestone
from workspaces.services import approve_delivery, deliver_milestone, open_workspace
from workspaces.services.common import role_of

pytestmark = pytest.mark.django_db


def _values(**overrides):
    values = invited_values(**overrides)
    values.update(budget_type="fixed", budget_min=90_000, budget_max=90_000)
    values.setdefault("managed", True)
    values.setdefault("public_summary", "Mould-flow review of a housing; details under NDA.")
    return values


def _verified_company():
    company = CompanyClientFactory()
    CompanyProfile.objects.filter(user=company).update(
        verification_status="verified", verified_at=timezone.now()
    )
    return company


def test_an_unverified_company_cannot_post_a_hub_project_and_nothing_changes():
    company = CompanyClientFactory()
    project = services.create_draft(by=company, values=_values())
    with pytest.raises(NotAllowed, match="verified"):
        services.publish_project(project=project, by=company)
    project.refresh_from_db()
    assert project.status == Project.Status.DRAFT
    assert project.history.count() == 1


def test_a_verified_company_posts_a_hub_project_for_moderation(settings):
    settings.PROJECT_MODERATION = "all"
    company = _verified_company()
    project = services.create_draft(by=company, values=_values())
    project = services.publish_project(project=project, by=company)
    assert project.status == Project.Status.PENDING


def test_work_cannot_start_without_the_nda_and_nothing_moves():
    project = make_standalone_project(owner=_verified_company(), managed=True, nda_required=True)
    bid = place(project, ExpertFactory())
    bid_services.award_bid(bid=bid, by=project.owner)
    with pytest.raises(BidNotAllowed, match="non-disclosure"):
        bid_services.confirm_award(bid=bid, by=bid.expert, accept_terms=True, accept_nda=False)
    bid.refresh_from_db()
    assert bid.status == Bid.Status.AWARDED
    assert not Contract.objects.exists()


def test_the_nda_is_recorded_with_who_when_ip_and_text_version(settings):
    settings.NDA_VERSION = "2026-11-b"
    project = make_standalone_project(owner=_verified_company(), managed=True, nda_required=True)
    bid = place(project, ExpertFactory())
    bid_services.award_bid(bid=bid, by=project.owner)
    contract = bid_services.confirm_award(
        bid=bid, by=bid.expert, accept_terms=True, accept_nda=True, ip="192.0.2.10"
    )
    assert contract.expert == bid.expert
    assert contract.nda_accepted_at is not None
    assert contract.accepted_ip == "192.0.2.10"
    assert contract.nda_version == "2026-11-b"


def test_a_hub_delivery_waits_for_the_hub_manager_before_the_company_sees_it():
    from tests.workspaces.factories import make_contract, milestone_at

    contract = make_contract(30_000, managed=True)
    workspace = open_workspace(contract=contract)
    milestone = milestone_at(workspace, Milestone.Status.IN_PROGRESS)
    delivery = deliver_milestone(
        milestone=milestone,
        by=contract.expert,
        note="Drawings",
        files=[SimpleUploadedFile("part.step", b"cad")],
    )
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.IN_QC
    assert not delivery.visible_to_client
    staff = StaffFactory()
    assert role_of(workspace, staff) == "staff"
    approve_delivery(milestone=milestone, by=staff)
    delivery.refresh_from_db()
    assert delivery.visible_to_client


def test_a_second_experts_approval_waits_for_the_hub_manager_to_forward_it():
    from tests.workspaces.factories import make_contract, milestone_at
    from workspaces.services import assign_qc_reviewer

    contract = make_contract(30_000, managed=True)
    workspace = open_workspace(contract=contract)
    staff = StaffFactory()
    reviewer = ExpertFactory()
    assign_qc_reviewer(workspace=workspace, by=staff, reviewer=reviewer)
    milestone = milestone_at(workspace, Milestone.Status.IN_PROGRESS)
    deliver_milestone(milestone=milestone, by=contract.expert, note="Drawings", files=[])
    delivery = approve_delivery(milestone=milestone, by=reviewer, note="Tolerances fine.")
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.IN_QC
    assert not delivery.visible_to_client
    assert delivery.qc_by == reviewer
    approve_delivery(milestone=milestone, by=staff)
    milestone.refresh_from_db()
    delivery.refresh_from_db()
    assert milestone.status == Milestone.Status.DELIVERED
    assert delivery.visible_to_client


@pytest.mark.parametrize("option", ["managed", "nda_required", "additional_qc"])
def test_a_hub_post_waits_for_staff_approval_whatever_the_moderation_setting(settings, option):
    settings.PROJECT_MODERATION = "off"
    company = verified_company()
    values = _values(managed=False)
    values[option] = True
    project = services.create_draft(by=company, values=values)
    project = services.publish_project(project=project, by=company)
    assert project.status == Project.Status.PENDING
    assert project.published_at is None


def test_an_ordinary_post_by_a_verified_company_follows_the_moderation_setting(settings):
    settings.PROJECT_MODERATION = "off"
    company = verified_company()
    project = services.create_draft(by=company, values=_values(managed=False))
    project = services.publish_project(project=project, by=company)
    assert project.status == Project.Status.OPEN


def test_a_hub_post_goes_through_the_clarification_loop_before_going_live(settings):
    settings.PROJECT_MODERATION = "off"
    company = verified_company()
    staff = StaffFactory()
    project = services.create_draft(by=company, values=_values())
    services.publish_project(project=project, by=company)
    services.request_clarification(project=project, by=staff, note="Which tolerance class?")
    project = services.resubmit_project(project=project, by=company)
    assert project.status == Project.Status.PENDING
    project = services.approve_project(project=project, by=staff)
    assert project.status == Project.Status.OPEN


def test_an_unverified_company_cannot_publish_an_ordinary_post_and_nothing_changes(settings):
    settings.PROJECT_MODERATION = "off"
    company = CompanyClientFactory()
    project = services.create_draft(by=company, values=_values(managed=False))
    with pytest.raises(NotAllowed, match="company must be verified"):
        services.publish_project(project=project, by=company)
    project.refresh_from_db()
    assert project.status == Project.Status.DRAFT
    assert project.published_at is None
    assert project.history.count() == 1


def test_an_individual_client_publishes_an_ordinary_post_at_once(settings):
    settings.PROJECT_MODERATION = "off"
    person = ClientFactory()
    project = services.create_draft(by=person, values=_values(managed=False))
    project = services.publish_project(project=project, by=person)
    assert project.status == Project.Status.OPEN


def test_the_post_page_tells_an_unverified_company_how_to_get_verified(client):
    company = CompanyClientFactory()
    client.force_login(company)
    page = client.get(reverse("projects:post")).content.decode()
    assert "must be verified before it can publish" in page
    assert reverse("accounts:company_edit") in page
    assert 'value="publish"' not in page
    verified = verified_company()
    client.force_login(verified)
    page = client.get(reverse("projects:post")).content.decode()
    assert 'value="publish"' in page
    assert "must be verified before it can publish" not in page
