"""The 巡察整改 ledger kind's reading rules, row by row: the 巡察 a title names, 方面 headings,
due texts, status words and paragraphs, value maps and what a ledger must name."""

from __future__ import annotations

from datetime import date

import pytest

from app.importers.ledgers.kinds.rectification import (
    KIND,
    NEEDS_INSPECTION,
    RectificationContext,
    _Inspection,
    _key,
    aspect_title,
    inspection_name_in,
)
from app.importers.ledgers.model import ImportOptions, SourceRow

KEYS = ("number", "description", "measures", "due_on", "status", "completed_on", "evidence")
COLUMNS = {
    key: (i + 1, header)
    for i, (key, header) in enumerate(
        zip(
            KEYS,
            ("序号", "问题描述", "整改措施", "整改时限", "整改进展", "完成时间", "佐证材料"),
            strict=True,
        )
    )
}
FEEDBACK = date(2023, 1, 20)


def _ctx() -> RectificationContext:
    known = _Inspection("工程建设和房地产领域专项巡察", id=7, feedback_on=FEEDBACK)
    return RectificationContext(1, "整改台账.xlsx", date(2024, 1, 20), {_key(known.name): known})


def _row(at: int = 5, **cells: object) -> SourceRow:
    values = dict.fromkeys(KEYS)
    values.update(cells)
    return SourceRow("台账", at, values, COLUMNS, title_year=2024, title="")


def _parse(ctx: RectificationContext | None = None, options: ImportOptions | None = None, **cells: object):
    options = options or ImportOptions(year=2024, inspection="工程建设和房地产领域专项巡察")
    return KIND.parse(_row(**cells), ctx or _ctx(), options)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("关于市委第三巡察组反馈意见整改落实情况台账", "市委第三巡察组"),
        ("工程建设和房地产领域专项巡察反馈问题整改台账.xlsx", "工程建设和房地产领域专项巡察"),
        ("附件2：市委第二巡察组对市住建局巡察反馈问题整改清单", "市委第二巡察组对市住建局巡察"),
        ("2023年市委第一轮巡察整改台账", "2023年市委第一轮巡察"),
        ("市委第二巡察组巡察反馈问题整改台账.csv", "市委第二巡察组"),
        ("2024年巡察整改工作台账", ""),  # only a year before 巡察: it names no 巡察
        ("巡察整改台账", ""),
        ("2023年度整改清单.xlsx", ""),
    ],
)
def test_the_inspection_a_title_names(text: str, name: str) -> None:
    assert inspection_name_in(text) == name


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("一、落实全面从严治党主体责任方面", "落实全面从严治党主体责任方面"),
        ("（二）履行监管职责方面（共3个问题）：", "履行监管职责方面"),
        ("第三部分 防范化解风险方面", "防范化解风险方面"),
        ("4.落实中央八项规定精神方面", "落实中央八项规定精神方面"),
    ],
)
def test_aspect_titles_lose_their_numbering(text: str, title: str) -> None:
    assert aspect_title(text) == title


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("2024年6月底前", date(2024, 6, 30)),
        ("2024年底", date(2024, 12, 31)),
        ("2月底", date(2024, 2, 29)),  # the year of the sheet's title
        ("2024年6月30日前", date(2024, 6, 30)),
        ("2024.3.12", date(2024, 3, 12)),
        (45382, date(2024, 3, 31)),  # an Excel serial
    ],
)
def test_due_texts(due: object, expected: date) -> None:
    parsed = _parse(description="问题", due_on=due)
    assert parsed.problems == []
    assert parsed.values["due_on"] == expected


def test_long_term_due_text_makes_the_status() -> None:
    parsed = _parse(description="问题", due_on="长期坚持", completed_on="2023.6.30")
    assert (parsed.values["due_on"], parsed.values["status"]) == (None, "长期坚持")
    assert parsed.values["completed_on"] == date(2023, 6, 30)


def test_a_done_problem_without_a_completion_date_gets_its_deadline() -> None:
    parsed = _parse(description="问题", due_on="2023年6月底前", status="已完成")
    assert parsed.values["completed_on"] == date(2023, 6, 30)
    assert parsed.notes == ["未填写完成日期，按2023年6月30日记"]


def test_at_once_takes_the_feedback_date_of_the_inspection() -> None:
    parsed = _parse(description="问题", due_on="立行立改", status="整改中")
    assert (parsed.values["due_on"], parsed.shown["due_on"]) == (FEEDBACK, "立行立改（2023-01-20）")
    new = _parse(
        description="问题", due_on="立行立改", options=ImportOptions(year=2024, inspection="市委第九巡察组")
    )
    assert new.values["due_on"] is None
    assert new.notes == ["整改时限为“立行立改”，巡察没有反馈日期，时限留空"]


def test_a_progress_paragraph_is_read_by_its_first_words() -> None:
    text = "已完成。一是印发了学习计划；二是开展专题研讨4次"
    parsed = _parse(description="问题", status=text, completed_on="2024.3.1")
    assert (parsed.values["status"], parsed.values["evidence"]) == ("已完成", text)
    assert parsed.notes == ["整改进展按“已完成”导入，其文字记入佐证材料"]


def test_unknown_status_and_bad_dates_are_row_problems() -> None:
    parsed = _parse(description="问题", status="好", completed_on="2024.2.30")
    assert [p.text() for p in parsed.problems] == [
        "台账 第5行 第F列（完成时间）：完成日期“2024.2.30”不是有效日期",
        "台账 第5行 第E列（整改进展）：整改进展“好”无法识别（可填：已完成、整改中、未启动、长期坚持）",
    ]


def test_value_maps_come_first() -> None:
    options = ImportOptions(year=2024, inspection="市委巡察", value_maps={"status": {"OK": "已完成"}})
    parsed = _parse(description="问题", status="OK", completed_on="2024.3.1", options=options)
    assert parsed.values["status"] == "已完成"


def test_heading_rows_set_the_aspect_of_the_rows_below() -> None:
    ctx = _ctx()
    options = ImportOptions(year=2024, inspection="市委巡察")
    merged = "二、履行工程建设监管职责方面"
    beside_numbering = dict.fromkeys(KEYS[1:], "落实中央八项规定精神方面")
    rows = [
        _row(4, **dict.fromkeys(KEYS, merged)),
        _row(5, number=1, description="抽查覆盖面不足", measures="一是制定计划；二是全覆盖检查"),
        _row(6, number="三", **beside_numbering),  # "三" in 序号, the title merged over the rest
        _row(7, number=2, description="公务用车登记不规范"),
        _row(8, description="（四）其他方面"),  # a lone heading-like text
        _row(9, number=3, description="会议费报销审核不严"),
    ]
    parsed = [KIND.parse(row, ctx, options) for row in rows]
    assert [p.heading for p in parsed] == [merged, "", "落实中央八项规定精神方面", "", "（四）其他方面", ""]
    assert [p.values.get("aspect") for p in parsed if not p.heading] == [
        "履行工程建设监管职责方面",
        "落实中央八项规定精神方面",
        "其他方面",
    ]
    assert parsed[1].values["measures"] == ["制定计划", "全覆盖检查"]


def test_a_repeated_problem_in_the_file_is_a_problem() -> None:
    ctx = _ctx()
    options = ImportOptions(year=2024, inspection="市委巡察")
    KIND.parse(_row(5, description="公务用车登记不规范"), ctx, options)
    again = KIND.parse(_row(9, description="公务用车登记 不规范。"), ctx, options)
    assert [p.text() for p in again.problems] == [
        "台账 第9行 第B列（问题描述）：与台账 第5行的问题重复（同一巡察、同一问题描述）"
    ]


def test_what_a_ledger_must_name() -> None:
    options = ImportOptions(year=2024)
    assert KIND.needs({"description"}, options, "整改台账", "整改清单.xlsx") == [NEEDS_INSPECTION]
    assert KIND.needs({"description", "inspection"}, options, "整改台账", "整改清单.xlsx") == []
    assert KIND.needs({"description"}, options, "市委第三巡察组反馈问题整改台账", "x.xlsx") == []
    assert KIND.needs({"description"}, options, "", "市委第三巡察组反馈问题整改台账.xlsx") == []
    assert KIND.needs({"description"}, ImportOptions(year=2024, inspection="X巡察"), "", "a.xlsx") == []


def test_a_leading_year_still_finds_the_inspection() -> None:
    options = ImportOptions(year=2024, inspection="2023年工程建设和房地产领域专项巡察")
    parsed = _parse(description="问题", due_on="立行立改", options=options)
    assert parsed.values["inspection"] == "工程建设和房地产领域专项巡察"
    assert parsed.values["due_on"] == FEEDBACK
