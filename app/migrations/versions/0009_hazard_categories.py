"""hazard categories: each unit's managed 隐患类别 list (`safety_hazard_category`), each entry with
its synonyms, seeded for every unit with the twelve categories the app offered until now

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# The seed as this revision writes it (kept here, not imported: a landed script never changes).
SEED = (
    ("高处坠落", "坠落、临边防护、洞口防护、临边洞口、高处作业"),
    ("起重机械", "起重伤害、塔吊、塔式起重机、施工升降机、物料提升机、起重吊装"),
    ("临时用电", "触电、施工用电、临电、用电安全"),
    ("深基坑", "基坑、基坑支护、基坑工程、土方开挖"),
    ("模板支撑", "模板、高支模、支模架、模板工程、模板支撑系统"),
    ("脚手架", "外架、外脚手架、悬挑脚手架、脚手架工程"),
    ("施工机具", "机械伤害、施工机械、中小型机械、机具"),
    ("消防", "火灾、消防安全、动火作业"),
    ("扬尘", "扬尘治理、扬尘防治、大气污染防治"),
    ("文明施工", "安全文明施工、现场管理"),
    ("工程质量", "质量、质量问题、工程质量问题"),
    ("其他", "其它"),
)


def upgrade() -> None:
    op.create_table(
        "safety_hazard_category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("synonyms", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("changed_by", sa.String(length=100), server_default="", nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_safety_hazard_category_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_hazard_category")),
        sa.UniqueConstraint("unit_id", "name", name=op.f("uq_safety_hazard_category_unit_id_name")),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_safety_hazard_category_unit_id"),
        "safety_hazard_category",
        ["unit_id"],
        unique=False,
        if_not_exists=True,
    )
    bind = op.get_bind()
    units = bind.execute(
        sa.text("SELECT id FROM unit WHERE id NOT IN (SELECT unit_id FROM safety_hazard_category)")
    ).scalars()
    table = sa.table(
        "safety_hazard_category",
        sa.column("unit_id", sa.Integer()),
        sa.column("position", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("synonyms", sa.Text()),
    )
    rows = [
        {"unit_id": unit_id, "position": position, "name": name, "synonyms": synonyms}
        for unit_id in list(units)
        for position, (name, synonyms) in enumerate(SEED)
    ]
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_index(op.f("ix_safety_hazard_category_unit_id"), table_name="safety_hazard_category")
    op.drop_table("safety_hazard_category")
