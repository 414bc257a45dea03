"""Files the product hands out (Excel and CSV ledgers, Word minutes and summaries)."""

import mimetypes

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
