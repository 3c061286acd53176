"""registers module tables: 信访 (petition, petition_choice) and 巡察整改 (inspection, its aspects,
problems, measures and attachments)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "petition_choice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("stat_group", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_petition_choice_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_choice")),
        sa.UniqueConstraint("unit_id", "kind", "name", name=op.f("uq_petition_choice_unit_id_kind_name")),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_petition_choice_unit_id"), "petition_choice", ["unit_id"], unique=False, if_not_exists=True
    )

    op.create_table(
        "petition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("referred_by", sa.String(length=100), nullable=False),
        sa.Column("assignment", sa.String(length=20), nullable=False),
        sa.Column("petitioner", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("repeat", sa.Boolean(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=False),
        sa.Column("leader", sa.String(length=50), nullable=False),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("notified_on", sa.Date(), nullable=True),
        sa.Column("required_by", sa.Date(), nullable=True),
        sa.Column("extension_days", sa.Integer(), nullable=False),
        sa.Column("extension_reason", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("next_due", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("satisfaction", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_petition_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition")),
        sa.UniqueConstraint("unit_id", "number", name=op.f("uq_petition_unit_id_number")),
        if_not_exists=True,
    )
    for name, columns in (
        ("ix_petition_unit_received", ["unit_id", "received_on"]),
        ("ix_petition_unit_status", ["unit_id", "status"]),
        ("ix_petition_unit_next_due", ["unit_id", "next_due"]),
        ("ix_petition_unit_channel", ["unit_id", "channel"]),
        ("ix_petition_unit_category", ["unit_id", "category"]),
    ):
        op.create_index(name, "petition", columns, unique=False, if_not_exists=True)

    op.create_table(
        "inspection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("team", sa.String(length=100), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("feedback_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_inspection_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection")),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_inspection_unit_id"), "inspection", ["unit_id"], unique=False, if_not_exists=True
    )

    op.create_table(
        "inspection_aspect",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
            name=op.f("fk_inspection_aspect_inspection_id_inspection"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_aspect")),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_inspection_aspect_inspection_id"),
        "inspection_aspect",
        ["inspection_id"],
        unique=False,
        if_not_exists=True,
    )

    op.create_table(
        "rectification_problem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("aspect_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("leader", sa.String(length=50), nullable=False),
        sa.Column("lead_unit", sa.String(length=100), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["aspect_id"],
            ["inspection_aspect.id"],
            name=op.f("fk_rectification_problem_aspect_id_inspection_aspect"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
            name=op.f("fk_rectification_problem_inspection_id_inspection"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification_problem")),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_rectification_problem_aspect_id"),
        "rectification_problem",
        ["aspect_id"],
        unique=False,
        if_not_exists=True,
    )
    for name, columns in (
        ("ix_rectification_problem_inspection_status", ["inspection_id", "status"]),
        ("ix_rectification_problem_inspection_due", ["inspection_id", "due_on"]),
        ("ix_rectification_problem_inspection_number", ["inspection_id", "number"]),
    ):
        op.create_index(name, "rectification_problem", columns, unique=False, if_not_exists=True)

    op.create_table(
        "rectification_measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("problem_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["problem_id"],
            ["rectification_problem.id"],
            name=op.f("fk_rectification_measure_problem_id_rectification_problem"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification_measure")),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_rectification_measure_problem_id"),
        "rectification_measure",
        ["problem_id"],
        unique=False,
        if_not_exists=True,
    )

    op.create_table(
        "rectification_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("problem_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("stored_path", sa.String(length=500), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["problem_id"],
            ["rectification_problem.id"],
            name=op.f("fk_rectification_attachment_problem_id_rectification_problem"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification_attachment")),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_rectification_attachment_problem_id"),
        "rectification_attachment",
        ["problem_id"],
        unique=False,
        if_not_exists=True,
    )


def downgrade() -> None:
    op.drop_table("rectification_attachment")
    op.drop_table("rectification_measure")
    op.drop_table("rectification_problem")
    op.drop_table("inspection_aspect")
    op.drop_table("inspection")
    op.drop_table("petition")
    op.drop_table("petition_choice")
