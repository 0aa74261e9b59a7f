"""Media on an S3-compatible store (MEDIA_STORAGE=s3), against a local moto server.

The storages are the ones marketplace/settings.py builds from the environment (read in a fresh
interpreter, as a web node would), so these tests hold the settings to what they promise.
"""

import json

import pytest
from django.apps import apps
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import services as account_services
from accounts.models import private_storage
from tests import s3
from tests.accounts.conftest import image_upload
from tests.factories import ExpertFactory
from tests.marketplace.test_settings import REPO, run_python
from tests.workspaces.factories import ClientFactory, make_workspace
from workspaces import services as workspace_services
from workspaces.models import WorkspaceFile


def s3_settings(env: dict[str, str]) -> dict:
    code = (
        "import json, marketplace.settings as s; "
        "print(json.dumps({'STORAGES': s.STORAGES, 'MEDIA_URL': s.MEDIA_URL}, default=str))"
    )
    result = run_python(code, {**env, "PATH": "/usr/bin:/bin", "HOME": str(REPO)})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def buckets(s3_endpoint, settings, monkeypatch):
    media, private = s3.make_buckets(s3_endpoint)
    for name, value in s3_settings(s3.storage_env(s3_endpoint, media, private)).items():
        setattr(settings, name, value)
    # A process reads STORAGES before its models: their private fields take the private bucket
    # then. Here the models were loaded first, so give those fields the new storage by hand.
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if getattr(field, "_storage_callable", None) is private_storage:
                monkeypatch.setattr(field, "storage", storages["private"])
    return media, private


@pytest.mark.django_db
def test_s3_keeps_private_files_in_their_own_bucket_and_nothing_on_local_disk(
    buckets, s3_endpoint, settings
):
    media, private = buckets
    workspace = make_workspace(30_000)
    owner = workspace.contract.client

    item = workspace_services.upload_file(
        workspace=workspace, by=owner, upload=SimpleUploadedFile("plan.txt", b"the plan")
    )

    assert s3.keys(s3_endpoint, private) == [item.file.name]
    assert s3.keys(s3_endpoint, media) == []
    assert not settings.MEDIA_ROOT.exists()


@pytest.mark.django_db
def test_s3_private_file_is_streamed_to_members_only_never_linked(client, buckets, s3_endpoint):
    workspace = make_workspace(30_000)
    owner = workspace.contract.client
    item = workspace_services.upload_file(
        workspace=workspace, by=owner, upload=SimpleUploadedFile("plan.txt", b"the plan")
    )

    client.force_login(workspace.contract.expert)
    member = client.get(item.get_absolute_url())
    client.force_login(ClientFactory())
    stranger = client.get(item.get_absolute_url())

    assert member.status_code == 200  # the bytes themselves, not a redirect to the store
    assert b"".join(member.streaming_content) == b"the plan"
    assert member["Content-Disposition"] == 'attachment; filename="plan.txt"'
    assert stranger.status_code == 404
    assert WorkspaceFile.objects.count() == 1


@pytest.mark.django_db
def test_s3_public_image_is_stored_in_the_media_bucket_and_served_at_media_url(
    client, buckets, s3_endpoint
):
    media, private = buckets
    expert = ExpertFactory()
    profile = account_services.set_avatar(
        profile=expert.expert_profile, by=expert, image=image_upload()
    )

    stored = s3.keys(s3_endpoint, media)
    url = profile.avatar_thumbnail.url
    served = client.get(url)

    assert profile.avatar.name in stored
    assert url == "/media/" + profile.avatar_thumbnail.name
    assert served.status_code == 200
    assert served["Content-Type"] == "image/webp"
    assert b"".join(served.streaming_content).startswith(b"RIFF")
    assert s3.keys(s3_endpoint, private) == []


def test_s3_media_url_links_images_straight_to_the_bucket_and_allows_them_in_csp(s3_endpoint):
    env = {**s3.storage_env(s3_endpoint, "a", "b"), "S3_MEDIA_URL": "https://media.example.org/"}
    code = "import marketplace.settings as s; print(s.MEDIA_URL, ' '.join(s.SECURE_CSP['img-src']))"

    result = run_python(code, {**env, "PATH": "/usr/bin:/bin", "HOME": str(REPO)})

    assert result.stdout.split() == [
        "https://media.example.org/",
        "'self'",
        "data:",
        "https://media.example.org/",
    ]


@pytest.mark.parametrize(
    "overrides",
    [
        {"S3_BUCKET": ""},
        {"S3_PRIVATE_BUCKET": ""},
        {"S3_PRIVATE_BUCKET": "media"},
        {"WORKSPACE_X_ACCEL_REDIRECT": "/protected/"},
    ],
)
def test_s3_refuses_a_missing_or_shared_bucket_and_x_accel(overrides):
    env = {**s3.storage_env("http://127.0.0.1:9", "media", "private"), **overrides}

    result = run_python("import marketplace.settings", {**env, "PATH": "/usr/bin:/bin"})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
