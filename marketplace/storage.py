"""Media on an S3-compatible object store (MEDIA_STORAGE=s3), so web nodes keep no files.

Two buckets: public images (avatars, logos, portfolio, listings) in S3_BUCKET, and the files
only permission-checked views serve (deliverables, attachments, company documents) in
S3_PRIVATE_BUCKET. Private files are streamed through those views, never linked: see the README
("Files on several machines").
"""

from __future__ import annotations

from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class PublicMediaStorage(S3Storage):
    """Public images, linked at MEDIA_URL: the bucket's public address when S3_MEDIA_URL names
    one, else this site's /media/ route, which streams them from the bucket."""

    def url(
        self,
        name: str,
        parameters: dict[str, str] | None = None,
        expire: int | None = None,
        http_method: str | None = None,
    ) -> str:
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))
