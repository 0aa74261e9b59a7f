import io

import pytest
from django.core.management import call_command

from accounts.models import (
    CompanyDocument,
    CompanyProfile,
    Experience,
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    PortfolioItem,
    Qualification,
    User,
)

pytestmark = pytest.mark.django_db

MODELS = [
    User,
    ExpertProfile,
    ExpertSkill,
    ExpertLanguage,
    Qualification,
    Experience,
    PortfolioItem,
    CompanyProfile,
    CompanyDocument,
]


def _snapshot():
    return {
        model.__name__: sorted(map(str, model.objects.values_list("pk", flat=True)))
        for model in MODELS
    }


def test_seed_demo_creates_the_demo_people_and_prints_logins():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    output = out.getvalue()
    assert "staff@guildhall.example" in output
    assert "guildhall-demo" in output
    assert User.objects.filter(is_expert=True).count() == 6
    assert User.objects.get(email="staff@guildhall.example").is_staff
    nordlicht = CompanyProfile.objects.get(legal_name="Nordlicht Plastics GmbH")
    assert nordlicht.verification_status == "verified"
    assert nordlicht.documents.exists()
    unverified = CompanyProfile.objects.get(legal_name="Atelier Lumen SARL")
    assert unverified.verification_status == "unverified"
    priya = User.objects.get(email="priya@guildhall.example")
    assert priya.check_password("guildhall-demo")
    assert priya.expert_profile.skills.count() == 5
    assert priya.expert_profile.avatar_thumbnail


def test_seed_demo_twice_gives_the_same_data():
    call_command("seed_demo", stdout=io.StringIO())
    first = _snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert _snapshot() == first


@pytest.mark.django_db(transaction=True)
def test_seed_demo_stores_notifications_but_sends_no_email(mailoutbox):
    # Transactional: the seed's commits really happen, so the email tasks run inside it.
    from notifications.models import Notification

    call_command("seed_demo", stdout=io.StringIO())
    assert Notification.objects.exists()
    assert mailoutbox == []


def test_the_german_demo_people_read_guildhall_in_german(client):
    call_command("seed_demo", stdout=io.StringIO())

    jonas = User.objects.get(email="jonas@guildhall.example")
    assert (jonas.language, User.objects.get(email="lukas@guildhall.example").language) == (
        "de",
        "de",
    )
    assert User.objects.get(email="hannah@guildhall.example").language == ""
    # Their notifications were written in German when the demo data was made.
    assert jonas.notifications.exists()
    assert not jonas.notifications.filter(body__contains="verified badge").exists()
    client.force_login(jonas)
    assert '<html lang="de">' in client.get("/").content.decode()
