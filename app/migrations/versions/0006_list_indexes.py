"""indexes for 100,000-row lists and statistics: the petition and hazard date indexes hold every
column the lists' counts and filters and the statistics of a period read, so those never visit
the rows they leave out; the petition filter indexes end with the received date; the inspection
date index holds kind and campaign (bench/README.md, scale)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# (index, table, columns before, columns after)
INDEXES = [
    (
        "ix_petition_unit_received",
        "petition",
        ["unit_id", "received_on"],
        [
            "unit_id",
            "received_on",
            "status",
            "channel",
            "category",
            "assignment",
            "people",
            "repeat",
            "accepted_on",
            "due_on",
            "closed_on",
            "next_due",
        ],
    ),
    ("ix_petition_unit_status", "petition", ["unit_id", "status"], ["unit_id", "status", "received_on"]),
    ("ix_petition_unit_channel", "petition", ["unit_id", "channel"], ["unit_id", "channel", "received_on"]),
    (
        "ix_petition_unit_category",
        "petition",
        ["unit_id", "category"],
        ["unit_id", "category", "received_on"],
    ),
    (
        "ix_safety_hazard_unit_found",
        "safety_hazard",
        ["unit_id", "found_on"],
        ["unit_id", "found_on", "status", "deadline", "category", "level", "rectified_on"],
    ),
    (
        "ix_safety_inspection_unit_checked",
        "safety_inspection",
        ["unit_id", "checked_on"],
        ["unit_id", "checked_on", "kind", "campaign"],
    ),
]


def _replace(after: bool) -> None:
    for name, table, before_columns, after_columns in INDEXES:
        op.drop_index(name, table_name=table, if_exists=True)
        op.create_index(name, table, after_columns if after else before_columns, if_not_exists=True)


def upgrade() -> None:
    _replace(after=True)


def downgrade() -> None:
    _replace(after=False)
