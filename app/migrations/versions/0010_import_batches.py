"""import batches: every ledger import as a batch (`import_batch`) with the records it created or
updated (`import_batch_item`, for undo), and the column mappings remembered per header layout
(`import_mapping`)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("created_by", sa.String(length=100), server_default="", nullable=False),
        sa.Column("counts", sa.Text(), server_default="", nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_import_batch_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_import_batch_unit_id"), "import_batch", ["unit_id"], unique=False, if_not_exists=True
    )
    op.create_table(
        "import_batch_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=60), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("version_after", sa.Integer(), nullable=True),
        sa.Column("changed_at_after", sa.DateTime(), nullable=True),
        sa.Column("before", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batch.id"],
            name=op.f("fk_import_batch_item_batch_id_import_batch"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch_item")),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_import_batch_item_batch_id"),
        "import_batch_item",
        ["batch_id"],
        unique=False,
        if_not_exists=True,
    )
    op.create_index(
        "ix_import_batch_item_table_record",
        "import_batch_item",
        ["table_name", "record_id"],
        unique=False,
        if_not_exists=True,
    )
    op.create_table(
        "import_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_import_mapping_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_mapping")),
        sa.UniqueConstraint(
            "unit_id", "kind", "signature", name=op.f("uq_import_mapping_unit_id_kind_signature")
        ),
        if_not_exists=True,
    )


def downgrade() -> None:
    op.drop_table("import_mapping")
    op.drop_index("ix_import_batch_item_table_record", table_name="import_batch_item")
    op.drop_index(op.f("ix_import_batch_item_batch_id"), table_name="import_batch_item")
    op.drop_table("import_batch_item")
    op.drop_index(op.f("ix_import_batch_unit_id"), table_name="import_batch")
    op.drop_table("import_batch")
