"""safety supervision: projects and status history, inspections, hazards, documents, activities,
工作量统计 catalogue and values

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
    ]


def _unit_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["unit_id"], ["unit.id"], name=op.f(f"fk_{table}_unit_id_unit"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "safety_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("developer", sa.String(length=200), nullable=False),
        sa.Column("contractor", sa.String(length=200), nullable=False),
        sa.Column("supervision_firm", sa.String(length=200), nullable=False),
        sa.Column("area", sa.BigInteger(), nullable=True),
        sa.Column("cost", sa.BigInteger(), nullable=True),
        sa.Column("permit_no", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("status_since", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_timestamps(),
        _unit_fk("safety_project"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_project")),
        if_not_exists=True,
    )
    op.create_index("ix_safety_project_unit_kind", "safety_project", ["unit_id", "kind"], if_not_exists=True)
    op.create_index(
        "ix_safety_project_unit_status", "safety_project", ["unit_id", "status"], if_not_exists=True
    )

    op.create_table(
        "safety_project_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["safety_project.id"],
            name=op.f("fk_safety_project_status_project_id_safety_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_project_status")),
        sa.UniqueConstraint("project_id", "since", name=op.f("uq_safety_project_status_project_id_since")),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_safety_project_status_project_id"),
        "safety_project_status",
        ["project_id"],
        if_not_exists=True,
    )

    op.create_table(
        "safety_inspection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("campaign", sa.String(length=200), nullable=False),
        sa.Column("inspectors", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        *_timestamps(),
        _unit_fk("safety_inspection"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_inspection")),
        if_not_exists=True,
    )
    op.create_index(
        "ix_safety_inspection_unit_checked",
        "safety_inspection",
        ["unit_id", "checked_on"],
        if_not_exists=True,
    )

    op.create_table(
        "safety_inspection_project",
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["safety_inspection.id"],
            name=op.f("fk_safety_inspection_project_inspection_id_safety_inspection"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["safety_project.id"],
            name=op.f("fk_safety_inspection_project_project_id_safety_project"),
        ),
        sa.PrimaryKeyConstraint("inspection_id", "project_id", name=op.f("pk_safety_inspection_project")),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_safety_inspection_project_project_id"),
        "safety_inspection_project",
        ["project_id"],
        if_not_exists=True,
    )

    op.create_table(
        "safety_hazard",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("found_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=4), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("responsible", sa.String(length=200), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("rectified_on", sa.Date(), nullable=True),
        sa.Column("reviewer", sa.String(length=50), nullable=False),
        sa.Column("status", sa.String(length=6), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["safety_inspection.id"],
            name=op.f("fk_safety_hazard_inspection_id_safety_inspection"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["safety_project.id"], name=op.f("fk_safety_hazard_project_id_safety_project")
        ),
        _unit_fk("safety_hazard"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_hazard")),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_safety_hazard_inspection_id"), "safety_hazard", ["inspection_id"], if_not_exists=True
    )
    op.create_index(op.f("ix_safety_hazard_project_id"), "safety_hazard", ["project_id"], if_not_exists=True)
    op.create_index(
        "ix_safety_hazard_unit_found", "safety_hazard", ["unit_id", "found_on"], if_not_exists=True
    )
    op.create_index(
        "ix_safety_hazard_unit_rectified", "safety_hazard", ["unit_id", "rectified_on"], if_not_exists=True
    )
    op.create_index(
        "ix_safety_hazard_unit_status_deadline",
        "safety_hazard",
        ["unit_id", "status", "deadline"],
        if_not_exists=True,
    )

    op.create_table(
        "safety_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["project_id"], ["safety_project.id"], name=op.f("fk_safety_document_project_id_safety_project")
        ),
        _unit_fk("safety_document"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_document")),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_safety_document_project_id"), "safety_document", ["project_id"], if_not_exists=True
    )
    op.create_index(
        "ix_safety_document_unit_issued", "safety_document", ["unit_id", "issued_on"], if_not_exists=True
    )

    op.create_table(
        "safety_document_hazard",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("hazard_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["safety_document.id"],
            name=op.f("fk_safety_document_hazard_document_id_safety_document"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["hazard_id"],
            ["safety_hazard.id"],
            name=op.f("fk_safety_document_hazard_hazard_id_safety_hazard"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "hazard_id", name=op.f("pk_safety_document_hazard")),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_safety_document_hazard_hazard_id"),
        "safety_document_hazard",
        ["hazard_id"],
        if_not_exists=True,
    )

    op.create_table(
        "safety_activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        *_timestamps(),
        _unit_fk("safety_activity"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_activity")),
        if_not_exists=True,
    )
    op.create_index(
        "ix_safety_activity_unit_held", "safety_activity", ["unit_id", "held_on"], if_not_exists=True
    )

    op.create_table(
        "safety_workload_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("group", sa.String(length=40), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("aggregation", sa.String(length=10), nullable=False),
        sa.Column("decimals", sa.Integer(), nullable=False),
        sa.Column("numerator_key", sa.String(length=40), nullable=False),
        sa.Column("denominator_key", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _unit_fk("safety_workload_item"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_workload_item")),
        sa.UniqueConstraint("unit_id", "key", name=op.f("uq_safety_workload_item_unit_id_key")),
        if_not_exists=True,
    )

    op.create_table(
        "safety_workload_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        *_timestamps(),
        _unit_fk("safety_workload_value"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_workload_value")),
        sa.UniqueConstraint(
            "unit_id",
            "key",
            "period_start",
            "period_end",
            name=op.f("uq_safety_workload_value_unit_id_key_period_start_period_end"),
        ),
        if_not_exists=True,
    )


def downgrade() -> None:
    for table in (
        "safety_workload_value",
        "safety_workload_item",
        "safety_activity",
        "safety_document_hazard",
        "safety_document",
        "safety_hazard",
        "safety_inspection_project",
        "safety_inspection",
        "safety_project_status",
        "safety_project",
    ):
        op.drop_table(table)
