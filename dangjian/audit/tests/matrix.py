"""The audit app's part of the scope matrix (dangjian.core.testing.scope_matrix): the log is
not scoped by organization and cannot be written through pages or the API."""

from dangjian.audit.models import AuditEntry
from dangjian.audit.services import audit_record
from dangjian.core.testing.scope_matrix import ModelSpec, register_matrix

register_matrix(
    table="""
role               model           rec scope list   detail create change delete
zone_admin         auditentry      a   none  403    403    403    403    403

leader             auditentry      a   none  403    403    403    403    403

secretary          auditentry      a   none  403    403    403    403    403

cadre              auditentry      a   none  403    403    403    403    403

enterprise_contact auditentry      a   none  403    403    403    403    403

system_admin       auditentry      a   none  403    403    403    403    403

security_admin     auditentry      a   none  403    403    403    403    403

audit_admin        auditentry      a   in    seen   200    403    403    403
""",
    specs=[
        ModelSpec(
            key="auditentry",
            model=AuditEntry,
            admin_name="audit_auditentry",
            api_basename="auditentry",
            change_field="message",
            change_value="篡改",
            build=lambda world: {"a": audit_record(AuditEntry.Action.EVENT, message="矩阵测试用审计记录")},
            api_create=lambda w, choice: {"action": "event", "message": "伪造的审计记录"},
            sides=("a",),
        ),
    ],
    module=__name__,
)
