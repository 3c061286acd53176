"""record versions: every editable record counts its saves (`version`) and remembers the computer
(`changed_by`) and local time (`changed_at`) of the last one, so a save from a stale copy (another
window, another PC) is refused instead of silently reverting the other change

Before adding them, this revision checks that the tables of 0002–0006 are really there: files
written by the builds whose 0002–0005 were still placeholders are stamped 0005 without them.
app/migrate.py re-stamps such a file to the revision its tables match before upgrading, so the
landed (and idempotent) scripts create what is missing; this check is the guard behind that.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

VERSIONED = (
    "unit",
    "unit_year",
    "petition",
    "inspection",
    "rectification_problem",
    "report_section",
    "report_setting",
    "safety_project",
    "safety_inspection",
    "safety_hazard",
    "safety_document",
    "safety_activity",
    "safety_workload_value",
)


def _columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    from app.migrate import missing_tables

    missing = missing_tables(op.get_bind(), "0006")
    if missing:
        from app.errors import UserError

        raise UserError(
            "数据文件缺少数据表（" + "、".join(missing) + "），无法升级。"
            "请用“文件 › 从备份恢复…”恢复一个完整的备份，或联系技术支持。"
        )
    for table in VERSIONED:
        have = _columns(table)
        if "version" not in have:
            op.add_column(table, sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        if "changed_by" not in have:
            op.add_column(
                table, sa.Column("changed_by", sa.String(length=100), server_default="", nullable=False)
            )
        if "changed_at" not in have:
            op.add_column(table, sa.Column("changed_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            for column in ("changed_at", "changed_by", "version"):
                batch.drop_column(column)
