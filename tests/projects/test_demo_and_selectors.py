from datetime import timedelta

import pytest
from django.utils import timezone

from projects import selectors
from projects.models import Invitation, Project
from tests.projects.factories import make_open_project

pytestmark = pytest.mark.django_db


def test_featured_projects_lists_only_running_public_features(owner):
    now = timezone.now()
    running = make_open_project(owner, title="Running", featured_until=now + timedelta(days=1))
    make_open_project(owner, title="Ended", featured_until=now - timedelta(seconds=1))
    make_open_project(
        owner, title="Private", featured_until=now + timedelta(days=1), visibility="private"
    )
    make_open_project(owner, title="Plain")
    assert selectors.featured_projects() == [running]


def test_seed_demo_projects_is_idempotent():
    from accounts import demo as accounts_demo
    from projects import demo

    accounts_demo.seed()
    demo.seed()
    count = Project.objects.count()
    demo.seed()
    assert Project.objects.count() == count == len(demo.DEMO_PROJECTS)
    # one draft, and the unverified company's post waiting as a draft until it is verified
    assert Project.objects.filter(status=Project.Status.DRAFT).count() == 2
    assert Invitation.objects.count() == 1
    assert selectors.featured_projects()
