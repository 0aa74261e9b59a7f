"""Checking uploaded images and making their thumbnails (Pillow)."""

import io
import warnings
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
MAX_SIDE = 6000
AVATAR_THUMBNAIL = (256, 256)
PORTFOLIO_THUMBNAIL = (480, 320)


def _megabytes(size: int) -> str:
    return str(filesizeformat(size)).replace("\xa0", " ")


def validate_image(upload: UploadedFile) -> None:
    """Refuse anything that is not a real JPEG, PNG, WebP or GIF within the size limits."""
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > settings.MAX_IMAGE_SIZE:
        raise ValidationError(
            _("Images can be at most {megabytes}; this one is {megabytes2}.").format(
                megabytes=_megabytes(settings.MAX_IMAGE_SIZE), megabytes2=_megabytes(upload.size)
            ),
            code="too_large",
        )
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format or ""
                width, height = image.size
                if image_format not in ALLOWED_FORMATS:
                    raise ValidationError(
                        _("Upload a JPEG, PNG, WebP or GIF image."), code="format"
                    )
                if (
                    width > MAX_SIDE
                    or height > MAX_SIDE
                    or width * height > (settings.MAX_IMAGE_PIXELS)
                ):
                    raise ValidationError(
                        _(
                            "The image is {width} x {height} pixels: at most {MAX_SIDE} pixels a "
                            "side and {MAX_IMAGE_PIXELS:,} pixels in all."
                        ).format(
                            width=width,
                            height=height,
                            MAX_SIDE=MAX_SIDE,
                            MAX_IMAGE_PIXELS=settings.MAX_IMAGE_PIXELS,
                        ),
                        code="too_many_pixels",
                    )
                image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(_("The image has too many pixels."), code="too_many_pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("This file is not an image we can read: upload a JPEG, PNG, WebP or GIF."),
            code="invalid",
        ) from exc
    finally:
        upload.seek(0)


def make_thumbnail(upload: UploadedFile, *, size: tuple[int, int]) -> ContentFile:
    """A cropped-to-fit WebP thumbnail of an image that passed validate_image."""
    upload.seek(0)
    with Image.open(upload) as image:
        image.seek(0)  # the first frame of an animated GIF
        picture = ImageOps.exif_transpose(image) or image
        mode = "RGBA" if picture.mode in {"RGBA", "LA", "P"} else "RGB"
        thumbnail = ImageOps.fit(picture.convert(mode), size, Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        thumbnail.save(buffer, format="WEBP", quality=85)
    upload.seek(0)
    return ContentFile(buffer.getvalue(), name=f"{Path(upload.name or 'image').stem}.webp")


def validate_document(upload: UploadedFile) -> None:
    if not upload.size:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > settings.MAX_DOCUMENT_SIZE:
        raise ValidationError(
            _("Documents can be at most {megabytes}; this one is {megabytes2}.").format(
                megabytes=_megabytes(settings.MAX_DOCUMENT_SIZE), megabytes2=_megabytes(upload.size)
            ),
            code="too_large",
        )
    if not _is_pdf(upload) and not _is_image(upload):
        raise ValidationError(
            _("This file is neither a PDF nor an image: upload a PDF, JPEG, PNG, WebP or GIF."),
            code="document_type",
        )


def _is_pdf(upload: UploadedFile) -> bool:
    """Judged by the content, never by the name or the browser's claimed type."""
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    return head.lstrip()[:5] == b"%PDF-"


def _is_image(upload: UploadedFile) -> bool:
    """A raster image Pillow can read and verify (an SVG or HTML page is neither)."""
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if (image.format or "") not in ALLOWED_FORMATS:
                    return False
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Warning):
        return False
    except Image.DecompressionBombError:
        return False
    finally:
        upload.seek(0)
    return True
