from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from dangjian.audit import integrity
from dangjian.audit.models import AuditEntry


def grants(role: str, schema: str, audit_table: str) -> list[str]:
    """The app role's rights: read and write every table of the schema except the audit log,
    which it may only read and append to; the sequences (ids); the same on tables the owner
    creates later. Nothing else: no TRUNCATE, no REFERENCES or TRIGGER, no CREATE in the schema."""
    q = connection.ops.quote_name
    role, schema, audit = q(role), q(schema), f"{q(schema)}.{q(audit_table)}"
    return [
        f"GRANT CONNECT ON DATABASE {q(connection.settings_dict['NAME'])} TO {role}",
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"REVOKE CREATE ON SCHEMA {schema} FROM {role}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"REVOKE ALL ON {audit} FROM {role}",
        f"GRANT SELECT, INSERT ON {audit} TO {role}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ]


class Command(BaseCommand):
    help = (
        "（PostgreSQL）授予应用的数据库角色所需的最小权限：业务表可读写，审计日志表只可查询和追加，"
        "不能修改、删除、清空，也不是任何表的属主。须在 migrate 之后以数据库属主身份运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, help="应用连接数据库所用的角色（DATABASE_URL 中的用户）")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("db_grant_app_role 只用于 PostgreSQL")
        if not integrity.runs_as_owner():
            raise CommandError("须以数据库属主身份运行：设置 DANGJIAN_DB_OWNER=1 与 DATABASE_OWNER_URL")
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
            found = cursor.fetchone()
            if found is None:
                raise CommandError(f"数据库角色 {role} 不存在：请先 CREATE ROLE {role} LOGIN PASSWORD '…'")
            if any(found):
                raise CommandError(f"数据库角色 {role} 是超级用户或可绕过行级安全，不能作为应用角色")
            cursor.execute("SELECT current_user, current_schema()")
            owner, schema = cursor.fetchone()
            if role == owner:
                raise CommandError(f"应用角色 {role} 不能就是表的属主 {owner}")
            cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [role, owner])
            if cursor.fetchone()[0]:
                raise CommandError(f"应用角色 {role} 是属主角色 {owner} 的成员，会拥有属主的全部权限")
            cursor.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
                "WHERE r.rolname = %s AND c.relkind IN ('r', 'p', 'S', 'v', 'm')",
                [role],
            )
            if cursor.fetchone()[0]:
                raise CommandError(f"数据库角色 {role} 拥有表或序列：应用角色不能是任何表的属主")
            with transaction.atomic():
                for statement in grants(role, schema, AuditEntry._meta.db_table):
                    cursor.execute(statement)
        self.stdout.write(
            f"已授予角色 {role}：模式 {schema} 中业务表的查询、新增、修改、删除，序列的使用；"
            f"审计日志表 {AuditEntry._meta.db_table} 只可查询和新增；以后新建的表同样授予"
        )
