"""budget performance (预算绩效): the year's figures, control items, buildings, projects, indicators

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _money(name: str) -> sa.Column:
    return sa.Column(name, sa.BigInteger(), nullable=True)


def _fk_year(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["budget_year_id"],
        ["budget_year.id"],
        name=op.f(f"fk_{table}_budget_year_id_budget_year"),
        ondelete="CASCADE",
    )


def _fk_project(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["project_id"],
        ["budget_project.id"],
        name=op.f(f"fk_{table}_project_id_budget_project"),
        ondelete="CASCADE",
    )


def _index(table: str, column: str, unique: bool = False) -> None:
    op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=unique, if_not_exists=True)


def upgrade() -> None:
    op.create_table(
        "budget_year",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_year_id", sa.Integer(), nullable=False),
        sa.Column("rule_set", sa.String(length=40), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        *(
            _money(name)
            for name in (
                "initial_budget",
                "full_budget",
                "executed",
                "income_general",
                "income_fund",
                "income_special",
                "income_other",
                "personnel",
                "public",
                "state_capital",
                "social_insurance",
            )
        ),
        sa.Column("goal_expected", sa.Text(), nullable=False),
        sa.Column("goal_actual", sa.Text(), nullable=False),
        sa.Column("thrift_measures", sa.Text(), nullable=False),
        sa.Column("fill_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_year_id"],
            ["unit_year.id"],
            name=op.f("fk_budget_year_unit_year_id_unit_year"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_year")),
        if_not_exists=True,
    )
    _index("budget_year", "unit_year_id", unique=True)

    op.create_table(
        "budget_control_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("budget_year_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=240), nullable=False),
        _money("prior"),
        _money("budget"),
        _money("actual"),
        _fk_year("budget_control_item"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_control_item")),
        sa.UniqueConstraint(
            "budget_year_id", "code", name=op.f("uq_budget_control_item_budget_year_id_code")
        ),
        if_not_exists=True,
    )
    _index("budget_control_item", "budget_year_id")

    op.create_table(
        "budget_building",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("budget_year_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        _money("approved_area"),
        _money("actual_area"),
        _money("budget_investment"),
        _money("actual_investment"),
        _fk_year("budget_building"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_building")),
        if_not_exists=True,
    )
    _index("budget_building", "budget_year_id")

    op.create_table(
        "budget_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("budget_year_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("supervisor", sa.String(length=200), nullable=False),
        sa.Column("implementer", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        *(
            _money(f"{source}_{column}")
            for source in ("current", "carry", "other")
            for column in ("initial", "full", "executed")
        ),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("overview", sa.Text(), nullable=False),
        sa.Column("goal_expected", sa.Text(), nullable=False),
        sa.Column("goal_actual", sa.Text(), nullable=False),
        _fk_year("budget_project"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_project")),
        if_not_exists=True,
    )
    _index("budget_project", "budget_year_id")

    op.create_table(
        "budget_indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("budget_year_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("level1", sa.String(length=50), nullable=False),
        sa.Column("level2", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.Column("actual", sa.String(length=300), nullable=False),
        _money("weight"),
        _money("score"),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("not_applicable", sa.Boolean(), nullable=False),
        sa.Column("nature", sa.String(length=10), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("band", sa.String(length=10), nullable=False),
        _fk_year("budget_indicator"),
        _fk_project("budget_indicator"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_indicator")),
        if_not_exists=True,
    )
    _index("budget_indicator", "budget_year_id")
    _index("budget_indicator", "project_id")

    op.create_table(
        "budget_level1_weight",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("budget_year_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("level1", sa.String(length=50), nullable=False),
        sa.Column("weight", sa.BigInteger(), nullable=False),
        _fk_year("budget_level1_weight"),
        _fk_project("budget_level1_weight"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_level1_weight")),
        if_not_exists=True,
    )
    _index("budget_level1_weight", "budget_year_id")
    _index("budget_level1_weight", "project_id")


def downgrade() -> None:
    for table in (
        "budget_level1_weight",
        "budget_indicator",
        "budget_project",
        "budget_building",
        "budget_control_item",
        "budget_year",
    ):
        op.drop_table(table)
