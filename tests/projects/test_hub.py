"""Verified-company hub projects: who may post, the NDA record, and staff verifying deliveries
before the company sees them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
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
    CompanyClientFactory,
    ExpertFactory,
    StaffFactory,
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
