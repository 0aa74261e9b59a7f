import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts import services
from tests.accounts.conftest import image_upload
from tests.factories import ExpertFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def expert():
    return ExpertFactory()


def _post_avatar(client, upload):
    return client.post(reverse("accounts:expert_avatar"), {"avatar-image": upload})


def test_valid_avatar_is_stored_with_square_thumbnail(client, expert):
    client.force_login(expert)
    response = _post_avatar(client, image_upload("me.jpg", size=(800, 600), image_format="JPEG"))
    assert response.status_code == 302
    profile = expert.expert_profile
    profile.refresh_from_db()
    assert profile.avatar.name.startswith("avatars/")
    assert profile.avatar.name.endswith(".jpg")
    assert (profile.avatar_thumbnail.width, profile.avatar_thumbnail.height) == (256, 256)


def test_text_file_named_png_is_refused_and_nothing_saved(client, expert):
    client.force_login(expert)
    response = _post_avatar(client, SimpleUploadedFile("me.png", b"hello", "image/png"))
    assert response.status_code == 200
    assert "not an image we can read" in response.content.decode()
    expert.expert_profile.refresh_from_db()
    assert not expert.expert_profile.avatar


def test_image_in_unsupported_format_is_refused(client, expert):
    client.force_login(expert)
    response = _post_avatar(client, image_upload("me.bmp", image_format="BMP"))
    assert "Upload a JPEG, PNG, WebP or GIF image." in response.content.decode()
    expert.expert_profile.refresh_from_db()
    assert not expert.expert_profile.avatar


def test_too_large_image_file_is_refused(client, expert, settings):
    settings.MAX_IMAGE_SIZE = 1024
    client.force_login(expert)
    buffer = io.BytesIO()
    noise = random.Random(1).randbytes(64 * 64 * 3)
    Image.frombytes("RGB", (64, 64), noise).save(buffer, format="PNG")
    assert len(buffer.getvalue()) > 1024
    response = _post_avatar(client, SimpleUploadedFile("big.png", buffer.getvalue()))
    html = response.content.decode()
    assert "Images can be at most 1.0 KB" in html
    expert.expert_profile.refresh_from_db()
    assert not expert.expert_profile.avatar


def test_image_with_too_many_pixels_is_refused(client, expert, settings):
    settings.MAX_IMAGE_PIXELS = 100 * 100
    client.force_login(expert)
    response = _post_avatar(client, image_upload(size=(101, 100)))
    assert "101 x 100 pixels" in response.content.decode()
    expert.expert_profile.refresh_from_db()
    assert not expert.expert_profile.avatar


def test_image_wider_than_6000_pixels_is_refused(client, expert):
    buffer = io.BytesIO()
    Image.new("1", (6001, 10)).save(buffer, format="PNG")
    client.force_login(expert)
    response = _post_avatar(client, SimpleUploadedFile("wide.png", buffer.getvalue()))
    assert "at most 6000 pixels a side" in response.content.decode()


def test_truncated_image_is_refused():
    good = image_upload(size=(300, 300)).read()
    upload = SimpleUploadedFile("cut.png", good[: len(good) // 2], "image/png")
    expert = ExpertFactory()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.set_avatar(profile=expert.expert_profile, by=expert, image=upload)
    expert.expert_profile.refresh_from_db()
    assert not expert.expert_profile.avatar


def test_replacing_avatar_deletes_old_files_after_commit(
    expert, django_capture_on_commit_callbacks
):
    profile = expert.expert_profile
    with django_capture_on_commit_callbacks(execute=True):
        services.set_avatar(profile=profile, by=expert, image=image_upload("one.png"))
    profile.refresh_from_db()
    old_name = profile.avatar.name
    storage = profile.avatar.storage
    with django_capture_on_commit_callbacks(execute=True):
        profile = services.set_avatar(profile=profile, by=expert, image=image_upload("two.png"))
    assert not storage.exists(old_name)
    assert storage.exists(profile.avatar.name)
    assert storage.exists(profile.avatar_thumbnail.name)


def test_public_media_view_serves_avatars_but_never_private_files(client, expert):
    profile = services.set_avatar(profile=expert.expert_profile, by=expert, image=image_upload())
    response = client.get(profile.avatar_thumbnail.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get("/media/private/company-documents/1/x.png").status_code == 404
    assert client.get("/media/avatars/../private/x.png").status_code == 404
