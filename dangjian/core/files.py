"""Files the product hands out (Excel and CSV ledgers, Word minutes and summaries), and the
uploaded files' field, whose links lead to the scoped download view."""

import mimetypes

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import HttpResponse
from django.utils.http import content_disposition_header


def file_response(data: bytes, filename: str) -> HttpResponse:
    """A download of `data` named `filename` (Chinese names kept), its type from the extension."""
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if content_type == "text/csv":
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- uploaded files: reached only through the scoped download view (site.files) ---------------

DOWNLOAD_URL_NAME = "file-download"


def file_url(instance, field_name: str) -> str:
    """The address of the file in `field_name` of the saved `instance`: the download view, which
    serves it only to a signed-in user whose scope reaches the record (never a public media URL)."""
    from django.urls import reverse

    return reverse(
        DOWNLOAD_URL_NAME,
        kwargs={"label": instance._meta.label_lower, "pk": instance.pk, "field": field_name},
    )


class ScopedFieldFile(FieldFile):
    """A stored file whose `url` is the record's download address (admin links, the portal, API
    serializers all use `.url`)."""

    @property
    def url(self):
        self._require_file()
        if self.instance.pk is None:
            raise ValueError("文件所在的记录尚未保存")
        return file_url(self.instance, self.field.name)


class ScopedFileField(models.FileField):
    """A FileField whose files are handed out only by the scoped download view. Only fields of
    this class can be downloaded there."""

    attr_class = ScopedFieldFile


def scoped_file_field(model, field_name: str):
    """The ScopedFileField `field_name` of `model`, or None (not a downloadable file field)."""
    try:
        field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, ScopedFileField) else None
