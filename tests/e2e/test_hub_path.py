"""The verified hub in Chromium, as its people walk it: a verified company posts a managed NDA
project with a second-expert review; staff approve it in the admin; an expert reads the public
summary, accepts the NDA, sees the details and bids under an alias; the company asks staff to
negotiate and accepts the revised offer; the expert confirms the contract; the second expert
accepts the NDA before the workspace opens and approves the delivery; the company completes the
work and reviews the expert under the alias."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect

from bids.models import Bid, Contract
from bids.services import managed
from projects.models import NdaAcceptance, Project
from tests.e2e.helpers import page_for, shot, stars
from tests.factories import (
    ExpertFactory,
    ExpertSkillFactory,
    SkillCategoryFactory,
    SkillFactory,
    StaffFactory,
    verified_company,
)
from tests.workspaces.factories import top_up
from workspaces import services as ws
from workspaces.models import Milestone

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "Gate moves 12 mm toward the rib; drawings H-2231 attached."


@pytest.fixture(autouse=True)
def _e2e_settings(settings) -> None:
    settings.PAYMENT_GATEWAY = "demo"
    settings.PLATFORM_CURRENCY = "EUR"
    settings.PLATFORM_FEE_BPS = 1000
    settings.PLATFORM_FEE_MIN = 100
    settings.PLATFORM_FEE_BY_KIND = {}
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PROJECT_MODERATION = "off"  # hub posts are reviewed whatever this says


def test_the_hub_path_from_a_verified_post_to_a_review_under_the_alias(
    live_server, browser: Browser
):
    base = live_server.url
    staff = StaffFactory(name="Hana Hub", is_superuser=True)
    company = verified_company(
        name="Olga Owner", email="olga@acme.example", company_profile__legal_name="Acme GmbH"
    )
    category = SkillCategoryFactory(name="Plastics engineering")
    skill = SkillFactory(category=category, name="Mould-flow analysis")
    expert = ExpertFactory(name="Lukas Brandt", email="lukas@brandt.example")
    ExpertSkillFactory(profile=expert.expert_profile, skill=skill, years=8)
    reviewer = ExpertFactory(name="Rita Reviewer")

    # The verified company posts a hub project: it waits for staff, whatever the setting says.
    owner = page_for(browser, live_server, company)
    owner.goto(base + reverse("projects:post"))
    owner.get_by_label("Title").fill("Reduce warpage of a PA66 housing")
    owner.get_by_label("Description").fill(SECRET)
    owner.get_by_label("Category").select_option(label="Plastics engineering")
    owner.get_by_label("Skills").select_option(label="Mould-flow analysis")
    owner.get_by_label(re.compile(r"^\s*Budget\W*$")).fill("900")
    owner.get_by_label("Additional Quality Control").check()
    owner.get_by_label("Managed").check()
    owner.get_by_label("Experts must accept an NDA before seeing details").check()
    owner.get_by_label("Public summary").fill("Mould-flow review of an injection-moulded housing.")
    owner.get_by_role("button", name="Publish project").click()
    expect(owner.locator("main")).to_contain_text("Waiting for approval")
    project = Project.objects.get()
    assert project.status == Project.Status.PENDING

    # Staff approve it in the admin.
    hub = page_for(browser, live_server, staff)
    pending = reverse("admin:projects_project_changelist") + "?status__exact=pending_approval"
    hub.goto(base + pending)
    hub.locator(f"input[name='_selected_action'][value='{project.pk}']").check()
    hub.locator("select[name='action']").select_option(label="Approve selected projects")
    hub.locator("button[name='index'], input[name='index']").first.click()
    project.refresh_from_db()
    assert project.status == Project.Status.OPEN

    # The expert reads the summary only, accepts the NDA, then sees the details and bids.
    worker = page_for(browser, live_server, expert)
    worker.goto(base + project.get_absolute_url())
    expect(worker.locator("#public-summary")).to_contain_text("Mould-flow review")
    expect(worker.locator("main")).not_to_contain_text(SECRET)
    shot(worker, "hub-path-1-summary")
    worker.get_by_role("button", name="Accept the NDA and see the details").click()
    expect(worker.locator("main")).to_contain_text(SECRET)
    assert NdaAcceptance.objects.filter(user=expert, project=project).exists()
    worker.get_by_role("link", name="Place a bid").click()
    worker.get_by_label("Total price").fill("900")
    worker.get_by_label("Estimated days").fill("20")
    worker.get_by_label("Proposal").fill("Mould-flow study, gate proposal, report.")
    worker.get_by_role("button", name=re.compile("bid", re.IGNORECASE)).last.click()
    bid = Bid.objects.get()

    # The company sees the bid under its alias, without identifying details, and asks staff.
    owner.goto(base + reverse("bids:project_bids", args=[project.pk]))
    expect(owner.locator("main")).to_contain_text(bid.alias)
    expect(owner.locator("main")).to_contain_text("Mould-flow analysis (expert, 8 years)")
    expect(owner.locator("main")).not_to_contain_text("Lukas Brandt")
    owner.goto(base + bid.get_absolute_url())
    owner.get_by_label("Message").fill("Could it be done for 850?")
    owner.get_by_role("button", name="Ask staff to negotiate").click()
    managed.revise_offer(
        bid=bid, by=staff, amount=85_000, days=20, milestones=[], note="Agreed at 850."
    )
    owner.goto(base + bid.get_absolute_url())
    owner.get_by_role("button", name="Accept the revised offer").click()
    worker.goto(base + bid.get_absolute_url())
    worker.get_by_role("button", name="Accept the revised offer").click()
    bid.refresh_from_db()
    assert bid.amount == 85_000

    # Award and contract (the contract's NDA too).
    owner.goto(base + bid.get_absolute_url())
    owner.get_by_role("button", name="Award").click()
    worker.goto(base + bid.get_absolute_url())
    worker.get_by_role("link", name="Review and confirm").click()
    expect(worker.locator("main")).not_to_contain_text("Olga Owner")
    worker.get_by_label("I accept the contract").check()
    worker.get_by_label("I accept the non-disclosure agreement").check()
    worker.get_by_role("button", name="Confirm").click()
    contract = Contract.objects.get()
    workspace_url = base + reverse("workspaces:detail", args=[contract.pk])

    # Staff assign the second expert, who accepts the NDA before the workspace opens.
    workspace = ws.open_workspace(contract=contract)
    ws.assign_qc_reviewer(workspace=workspace, by=staff, reviewer=reviewer)
    milestone = workspace.milestones.get()
    ws.request_start(milestone=milestone, by=expert)
    top_up(company, 200_000)
    ws.start_milestone(milestone=milestone, by=company, source="balance")
    ws.deliver_milestone(milestone=milestone, by=expert, note="Report.", files=[])
    second = page_for(browser, live_server, reviewer)
    second.goto(workspace_url)
    expect(second.locator("main")).not_to_contain_text(SECRET)
    shot(second, "hub-path-2-qc-nda")
    second.get_by_role("button", name="Accept the NDA and open the workspace").click()
    expect(second.locator("main")).to_contain_text(SECRET)
    expect(second.locator("main")).not_to_contain_text("Olga Owner")
    with second.expect_navigation():
        second.get_by_role("button", name=re.compile("Approve for the")).first.click()
    assert milestone.deliveries.get().qc_by == reviewer
    ws.approve_delivery(milestone=milestone, by=staff)  # the hub manager forwards it
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.DELIVERED

    # The company completes the work and reviews the expert under the alias.
    owner.goto(workspace_url)
    expect(owner.locator("main")).not_to_contain_text("Lukas Brandt")
    owner.get_by_role("button", name="Mark as Completed").click()
    expect(owner.locator("#next-action")).to_contain_text("completed")
    owner.goto(base + reverse("reviews:contract", args=[contract.pk]))
    expect(owner.get_by_role("heading", name=f"Review {bid.alias}")).to_be_visible()
    expect(owner.locator("main")).not_to_contain_text("Lukas Brandt")
    stars(owner, "Overall rating", 5)
    for group in ("Quality of work", "Communication", "Timeliness", "Value for money"):
        stars(owner, group, 5)
    owner.get_by_label("Your review").fill("Clear study, on time.")
    owner.get_by_role("group", name="Would you work together again?").get_by_label("Yes").check()
    owner.get_by_role("button", name="Submit review").click()
    expect(owner.locator("main")).to_contain_text("Clear study, on time.")
    shot(owner, "hub-path-3-review")
    for page in (owner, worker, hub, second):
        assert page.errors == []  # type: ignore[attr-defined]
