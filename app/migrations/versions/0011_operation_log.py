"""operation log: one row per recorded operation (`operation_log`: unmasked exports and views,
deletions, imports, restores, password and lock events), append-only

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "operation_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("os_user", sa.String(length=100), server_default="", nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.Text(), server_default="", nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_operation_log_unit_id_unit"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation_log")),
        if_not_exists=True,
    )
    op.create_index(op.f("ix_operation_log_at"), "operation_log", ["at"], unique=False, if_not_exists=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_operation_log_at"), table_name="operation_log")
    op.drop_table("operation_log")
