"""date choices: a report's 成文日期 and a year's 填报日期 can be left blank to be written by hand
(`date_blank`, `fill_date_blank`); with no date set and not left blank, the export date is written

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COLUMNS = (("report_setting", "date_blank"), ("budget_year", "fill_date_blank"))


def upgrade() -> None:
    for table, column in COLUMNS:
        have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}
        if column not in have:
            op.add_column(table, sa.Column(column, sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    for table, column in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
