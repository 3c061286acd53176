"""reports: the prose of each report section, and each report's settings

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_year_id", sa.Integer(), nullable=False),
        sa.Column("report_key", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.String(length=80), nullable=False),
        sa.Column("section_key", sa.String(length=60), nullable=False),
        sa.Column("parent_key", sa.String(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("run_in", sa.Boolean(), nullable=True),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("carried_from", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_year_id"],
            ["unit_year.id"],
            name=op.f("fk_report_section_unit_year_id_unit_year"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_section")),
        sa.UniqueConstraint(
            "unit_year_id",
            "report_key",
            "scope",
            "section_key",
            name=op.f("uq_report_section_unit_year_id_report_key_scope_section_key"),
        ),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_report_section_unit_year_id"),
        "report_section",
        ["unit_year_id"],
        unique=False,
        if_not_exists=True,
    )
    op.create_table(
        "report_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_year_id", sa.Integer(), nullable=False),
        sa.Column("report_key", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.String(length=80), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("addressee", sa.String(length=200), nullable=True),
        sa.Column("signer", sa.String(length=200), nullable=True),
        sa.Column("sign_date", sa.Date(), nullable=True),
        sa.Column("seal", sa.Boolean(), nullable=True),
        sa.Column("append_tables", sa.Boolean(), nullable=False),
        sa.Column("variant", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_year_id"],
            ["unit_year.id"],
            name=op.f("fk_report_setting_unit_year_id_unit_year"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_setting")),
        sa.UniqueConstraint(
            "unit_year_id",
            "report_key",
            "scope",
            name=op.f("uq_report_setting_unit_year_id_report_key_scope"),
        ),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_report_setting_unit_year_id"),
        "report_setting",
        ["unit_year_id"],
        unique=False,
        if_not_exists=True,
    )


def downgrade() -> None:
    op.drop_table("report_setting")
    op.drop_table("report_section")
