"""unit, its yearly profile and duties

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
        if_not_exists=True,
    )
    op.create_table(
        "unit_year",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("supervisor", sa.String(length=200), nullable=False),
        sa.Column("nature", sa.String(length=50), nullable=False),
        sa.Column("departments", sa.Integer(), nullable=True),
        sa.Column("staff_quota", sa.Integer(), nullable=True),
        sa.Column("staff_actual", sa.Integer(), nullable=True),
        sa.Column("retired", sa.Integer(), nullable=True),
        sa.Column("head", sa.String(length=50), nullable=False),
        sa.Column("preparer", sa.String(length=50), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_unit_year_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_year")),
        sa.UniqueConstraint("unit_id", "year", name=op.f("uq_unit_year_unit_id_year")),
        if_not_exists=True,
    )
    op.create_index(op.f("ix_unit_year_unit_id"), "unit_year", ["unit_id"], unique=False, if_not_exists=True)
    op.create_table(
        "unit_duty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_year_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_year_id"],
            ["unit_year.id"],
            name=op.f("fk_unit_duty_unit_year_id_unit_year"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_duty")),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_unit_duty_unit_year_id"), "unit_duty", ["unit_year_id"], unique=False, if_not_exists=True
    )


def downgrade() -> None:
    op.drop_table("unit_duty")
    op.drop_table("unit_year")
    op.drop_table("unit")
