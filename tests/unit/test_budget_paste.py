from __future__ import annotations

from decimal import Decimal

from app.services.budget.data import Indicator
from app.services.budget.paste import parse_block, paste_block
from app.services.budget.rules import RULE_SETS


def test_cells_with_line_breaks_arrive_quoted() -> None:
    text = (
        '"产出指标\r\n(30分)"\t数量指标\t办理项目竣工验收率\t60个\t27个\t1\t0.5\t'
        '"根据市场实际情况，\n已全部办理"\r\n'
    )
    assert parse_block(text) == [
        [
            "产出指标\n(30分)",
            "数量指标",
            "办理项目竣工验收率",
            "60个",
            "27个",
            "1",
            "0.5",
            "根据市场实际情况，\n已全部办理",
        ]
    ]


def test_a_partial_block_fills_the_columns_from_where_it_is_pasted() -> None:
    rows = [Indicator("产出指标", "数量指标", "甲", "10个"), Indicator("产出指标", "数量指标", "乙", "5个")]
    # GIVEN actuals and weights copied as two columns, pasted on 实际完成值 of the first row
    result = paste_block(rows, 0, "actual", [["9个", "10"], ["5个", "十"]], RULE_SETS["hunan"])
    # THEN they land there, and a cell that is not a number is reported, not pasted
    assert [(r.actual, r.weight) for r in rows] == [("9个", Decimal(10)), ("5个", None)]
    assert result.problems == ["第2行分值“十”不是数字，未粘贴"]
    assert (result.first_row, result.last_row, result.appended) == (0, 1, 0)


def test_not_applicable_rows_and_the_total_row() -> None:
    rows: list[Indicator] = []
    block = [
        [
            "成本指标（20分）",
            "经济成本指标",
            "控制在财政预算内",
            "控制在财政预算内",
            "控制在财政预算内",
            "10",
            "10",
            "",
        ],
        ["", "社会成本指标", "不适用", "", "", "", "", ""],
        ["总分", "", "", "", "", "100", "99.5", ""],
        ["不应读到", "", "", "", "", "", "", ""],
    ]
    result = paste_block(rows, 0, "level1", block, RULE_SETS["hunan"])
    assert result.appended == 2 and result.header_weights == {"成本指标": Decimal(20)}
    assert rows[0].score is None  # 10 of 10 is what the suggestion gives: not typed in
    assert (rows[1].level1, rows[1].level2, rows[1].not_applicable, rows[1].name) == (
        "成本指标",
        "社会成本指标",
        True,
        "",
    )
