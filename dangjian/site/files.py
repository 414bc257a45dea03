"""Uploaded files (meeting attachments, request files, duty evidence, daily photos, documents),
served only to a signed-in user whose scope reaches the record that holds the file.

The address names the record and its field (/files/<app_label>.<model>/<pk>/<field>/), so the
record is found and checked with the scope (`core.scope.restrict`, which also asks for the view
permission of the model that governs it); a record out of scope is a 404, as if it did not exist.
Every download is audited. Behind nginx (MEDIA_ACCEL_REDIRECT) the answer is an
X-Accel-Redirect to the internal /protected-media/ location; otherwise Django streams the file.
"""

import mimetypes
import os
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from dangjian.audit.services import AuditEntry, audit_record
from dangjian.core.files import scoped_file_field
from dangjian.core.scope import restrict

ACCEL_PREFIX = "/protected-media/"


def _display_name(record, stored) -> str:
    """The file's name as the user knows it: the record's 名称 with the stored extension, else the
    stored file's own name."""
    base = os.path.basename(stored.name)
    name = (getattr(record, "name", "") or "").strip()
    if not name:
        return base
    ext = os.path.splitext(base)[1]
    return name if not ext or name.lower().endswith(ext.lower()) else name + ext


@require_safe
@login_required
def download(request, label, pk, field):
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404("文件不存在") from None
    if scoped_file_field(model, field) is None:
        raise Http404("文件不存在")
    record = restrict(request.user, model._default_manager.filter(pk=pk)).first()
    stored = getattr(record, field, None) if record is not None else None
    if not stored or not stored.storage.exists(stored.name):
        raise Http404("文件不存在")
    filename = _display_name(record, stored)
    audit_record(
        AuditEntry.Action.EVENT,
        obj=record,
        user=request.user,
        request=request,
        message=f"下载{model._meta.get_field(field).verbose_name}：{filename}",
    )
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if settings.MEDIA_ACCEL_REDIRECT:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = ACCEL_PREFIX + quote(stored.name.replace(os.sep, "/"))
    else:
        response = FileResponse(stored.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
