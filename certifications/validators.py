"""File checks by content, not by name: a renamed executable or a broken scan is refused at the form.

An extension says nothing about what a file is, so each upload is opened: a PDF must start with the
PDF signature and end with an end-of-file marker, an image must be decoded by Pillow as one of the
formats we accept, and the extension must agree with what the content turned out to be.
"""

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

# Pillow format -> (MIME type, extensions that may carry it)
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", {"jpg", "jpeg"}),
    "PNG": ("image/png", {"png"}),
    "WEBP": ("image/webp", {"webp"}),
}
PDF_EXTENSIONS = {"pdf"}
LOGO_MAX_BYTES = 512 * 1024


@dataclass(frozen=True)
class SniffedFile:
    content_type: str
    extension: str


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _image_format(upload) -> str | None:
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()  # walks the data: truncated or corrupt files raise here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    return image_format


def evidence_max_bytes() -> int:
    return getattr(settings, "CERTIFICATION_EVIDENCE_MAX_BYTES", 5 * 1024 * 1024)


def sniff_evidence(upload) -> SniffedFile:
    """What an evidence upload really is, or ValidationError saying why it is refused."""
    name = getattr(upload, "name", "") or ""
    limit = evidence_max_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty."), code="empty", params={"name": name})
    extension = _extension(name)
    head = upload.read(1024)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        data = _read_all(upload)
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(
                _("%(name)s is an incomplete PDF (no end-of-file marker)."), code="bad_pdf", params={"name": name}
            )
        if extension not in PDF_EXTENSIONS:
            raise ValidationError(
                _("%(name)s is a PDF but its name does not end in .pdf."), code="mismatch", params={"name": name}
            )
        return SniffedFile("application/pdf", "pdf")
    image_format = _image_format(upload)
    if image_format in IMAGE_FORMATS:
        content_type, extensions = IMAGE_FORMATS[image_format]
        if extension not in extensions:
            raise ValidationError(
                _("%(name)s is a %(format)s image but its name ends in .%(ext)s."),
                code="mismatch",
                params={"name": name, "format": image_format, "ext": extension or "?"},
            )
        return SniffedFile(content_type, extension)
    raise ValidationError(
        _("%(name)s is not a PDF or an image (JPEG, PNG, WebP)."), code="bad_type", params={"name": name}
    )


def validate_evidence(upload) -> None:
    sniff_evidence(upload)


SVG_FORBIDDEN_TAGS = {"script", "foreignobject", "iframe", "object", "embed"}


def _check_svg(data: bytes) -> None:
    """Logos are shown with <img>, but an SVG opened directly runs its scripts: refuse active content."""
    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise ValidationError(_("SVG logos may not declare a DOCTYPE or entities."), code="svg_unsafe")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ValidationError(_("The SVG logo is not valid XML."), code="svg_invalid") from exc
    if not root.tag.lower().endswith("svg"):
        raise ValidationError(_("The logo is not an SVG image."), code="svg_invalid")
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in SVG_FORBIDDEN_TAGS:
            raise ValidationError(_("SVG logos may not contain scripts or embedded documents."), code="svg_unsafe")
        for attribute, value in element.attrib.items():
            attribute = attribute.rsplit("}", 1)[-1].lower()
            if attribute.startswith("on") or (attribute == "href" and not value.strip().startswith("#")):
                raise ValidationError(_("SVG logos may not contain event handlers or links."), code="svg_unsafe")


def validate_logo(upload) -> None:
    """SVG (without active content), PNG or JPEG, at most 512 KB."""
    if getattr(upload, "_committed", False):
        return  # a logo already stored was checked when it was uploaded
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(LOGO_MAX_BYTES)},
        )
    name = getattr(upload, "name", "") or ""
    if _extension(name) == "svg":
        _check_svg(_read_all(upload))
        return
    if _image_format(upload) not in ("PNG", "JPEG"):
        raise ValidationError(_("The logo must be an SVG, PNG or JPEG image."), code="bad_type")
