"""Finding the header rows of ledgers laid out the many ways clerks lay them out, and mapping their
columns to fields by synonyms, with a confidence."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from app.importers.ledgers.files import read_ledger_file
from app.importers.ledgers.headers import (
    detect_header,
    header_texts,
    is_blank_row,
    is_repeated_header,
    is_subtotal_row,
    layout_signature,
    map_columns,
    normalise_header,
)
from app.importers.ledgers.model import ColumnMatch, FieldSpec, HeaderGuess, RawSheet

OLD_XLS = Path(__file__).resolve().parents[1] / "fixtures" / "ledgers" / "隐患台账-旧版.xls"

HAZARD = (
    FieldSpec("found_on", "检查日期", ("检查日期", "检查时间", "排查日期")),
    FieldSpec("project", "项目名称", ("项目名称", "工程名称", "项目"), required=True),
    FieldSpec("inspectors", "检查人员", ("检查人员", "检查人", "排查人")),
    FieldSpec("description", "隐患描述", ("隐患描述", "隐患内容", "存在问题"), required=True),
    FieldSpec("category", "隐患类别", ("隐患类别", "隐患类型", "类别")),
    FieldSpec("deadline", "整改期限", ("整改期限", "整改时限", "限期")),
    FieldSpec("done_on", "完成时间", ("完成时间", "整改完成时间", "销号日期")),
    FieldSpec("status", "整改状态", ("整改状态", "整改情况", "状态")),
    FieldSpec("fine", "罚款金额", ("罚款金额", "罚款")),
    FieldSpec("note", "备注", ("备注",)),
)
PROJECT = (
    FieldSpec("name", "项目名称", ("项目名称", "工程名称"), required=True),
    FieldSpec("builder", "建设单位", ("建设单位", "业主单位")),
    FieldSpec("contractor", "施工单位", ("施工单位", "总包单位")),
    FieldSpec("investment", "总投资", ("总投资", "项目总投资", "投资额")),
    FieldSpec("area", "建筑面积", ("建筑面积", "面积")),
    FieldSpec("started_on", "开工日期", ("开工日期", "开工时间")),
    FieldSpec("address", "项目地址", ("项目地址", "建设地点", "地址")),
)
PETITION = (
    FieldSpec("number", "信访编号", ("信访编号", "编号", "件号")),
    FieldSpec("received_on", "登记日期", ("登记日期", "来信来访日期", "受理日期")),
    FieldSpec("petitioner", "信访人", ("信访人", "来访人", "姓名")),
    FieldSpec("phone", "联系电话", ("联系电话", "电话", "手机号码")),
    FieldSpec("content", "反映问题", ("反映问题", "信访内容", "诉求")),
    FieldSpec("channel", "信访渠道", ("信访渠道", "来源", "渠道")),
)
RECTIFICATION = (
    FieldSpec("aspect", "方面", ("方面", "问题方面")),
    FieldSpec("problem", "问题描述", ("问题描述", "存在问题", "反馈问题"), required=True),
    FieldSpec("measures", "整改措施", ("整改措施", "整改举措")),
    FieldSpec("owner", "责任人", ("责任人", "责任领导")),
    FieldSpec("due_on", "整改时限", ("整改时限", "完成时限")),
    FieldSpec("status", "整改情况", ("整改情况", "整改进度", "进展情况")),
)


def _sheet(*rows: list) -> RawSheet:
    width = max(len(row) for row in rows)
    return RawSheet("表", [list(row) + [None] * (width - len(row)) for row in rows])


def _fields(matches: list[ColumnMatch]) -> dict[int, tuple[str | None, int]]:
    return {match.column: (match.field, match.confidence) for match in matches}


TITLE = "汨罗市建筑工程服务中心2024年安全隐患排查整改台账"


def test_a_header_under_a_merged_title_is_found() -> None:
    sheet = _sheet(
        [TITLE] * 8,
        ["序号", "检查日期", "项目名称", "检查人员", "隐患描述", "隐患类别", "整改期限", "备注"],
        [
            1,
            datetime(2024, 1, 9),
            "汨罗市城南安置小区二期工程",
            "李建国",
            "临边防护缺失",
            "高处坠落",
            "1月16日",
            None,
        ],
    )

    guess = detect_header(sheet, HAZARD)

    assert (guess.first_row, guess.last_row, guess.title) == (2, 2, TITLE)
    headers = header_texts(sheet, 2, 2)
    assert headers == ["序号", "检查日期", "项目名称", "检查人员", "隐患描述", "隐患类别", "整改期限", "备注"]
    assert _fields(map_columns(headers, HAZARD)) == {
        1: (None, 0),
        2: ("found_on", 100),
        3: ("project", 100),
        4: ("inspectors", 100),
        5: ("description", 100),
        6: ("category", 100),
        7: ("deadline", 100),
        8: ("note", 100),
    }


def test_a_header_on_row_three_after_a_filled_in_line_with_a_spacer_column() -> None:
    sheet = _sheet(
        [TITLE] * 6 + [None],
        ["填报单位：汨罗市建筑工程服务中心", None, None, None, "填报日期：", "2024年4月2日", None],
        ["排查日期", "工程 名称", None, "存在问题", "隐患\n类型", "整改\n情况", "罚款（万元）"],
        ["2024.1.9", "汨罗市城南安置小区二期工程", None, "临边防护缺失", "高处坠落", "已整改", "0.5"],
    )

    guess = detect_header(sheet, HAZARD)

    assert (guess.first_row, guess.last_row) == (3, 3)
    assert guess.title == f"{TITLE} 填报单位：汨罗市建筑工程服务中心 填报日期： 2024年4月2日"
    headers = header_texts(sheet, 3, 3)
    assert headers == ["排查日期", "工程 名称", "", "存在问题", "隐患类型", "整改情况", "罚款（万元）"]
    assert _fields(map_columns(headers, HAZARD)) == {
        1: ("found_on", 100),
        2: ("project", 100),
        4: ("description", 100),
        5: ("category", 100),
        6: ("status", 100),
        7: ("fine", 100),
    }


def test_a_two_row_header_with_a_merged_group_cell_and_cells_merged_down() -> None:
    ledger = read_ledger_file(OLD_XLS)
    sheet = ledger.sheets[0]

    guess = detect_header(sheet, HAZARD)

    assert (guess.first_row, guess.last_row) == (2, 3)
    assert guess.title == "汨罗市建筑工程服务中心2023年安全隐患排查整改台账"
    headers = header_texts(sheet, 2, 3)
    assert headers == [
        "序号", "检查日期", "项目名称", "检查人员", "隐患描述", "隐患类别",
        "整改情况/整改期限", "整改情况/完成时间", "整改情况/整改状态", "备注",
    ]  # fmt: skip
    # the group "整改情况" (a synonym of status) does not pull its parts to status
    assert _fields(map_columns(headers, HAZARD)) == {
        1: (None, 0),
        2: ("found_on", 100),
        3: ("project", 100),
        4: ("inspectors", 100),
        5: ("description", 100),
        6: ("category", 100),
        7: ("deadline", 100),
        8: ("done_on", 100),
        9: ("status", 100),
        10: ("note", 100),
    }


def test_a_two_row_header_whose_upper_labels_are_not_merged_down() -> None:
    sheet = _sheet(
        [TITLE] * 5,
        ["项目名称", "隐患描述", "整改", "整改", "备注"],
        [None, None, "时限", "完成时间", None],
        ["汨罗市城南安置小区二期工程", "临边防护缺失", "1月16日", "1月15日", None],
    )

    guess = detect_header(sheet, HAZARD)

    assert (guess.first_row, guess.last_row) == (2, 3)
    headers = header_texts(sheet, 2, 3)
    assert headers == ["项目名称", "隐患描述", "整改/时限", "整改/完成时间", "备注"]
    matches = _fields(map_columns(headers, HAZARD))
    assert matches[3] == ("deadline", 100)  # joined, "整改" + "时限" is the synonym 整改时限
    assert matches[4] == ("done_on", 100)


def test_a_lone_group_cell_is_part_of_the_header_but_a_title_over_most_columns_is_not() -> None:
    header = ["序号", "项目名称", "隐患描述", "完成时间", "整改期限", "备注"]
    data = [1, "汨罗市城南安置小区二期工程", "临边防护缺失", "1月15日", "1月16日", None]
    grouped = _sheet(["2024年隐患台账"] * 6, [None, None, None, "整改情况", "整改情况", None], header, data)
    titled = _sheet(["隐患台账"] * 5 + [None], header, data)

    assert detect_header(grouped, HAZARD) == HeaderGuess(2, 3, "2024年隐患台账")
    assert header_texts(grouped, 2, 3)[3:5] == ["整改情况/完成时间", "整改情况/整改期限"]
    assert detect_header(titled, HAZARD) == HeaderGuess(2, 2, "隐患台账")


def test_a_group_name_alone_does_not_map_its_columns() -> None:
    fields = (*HAZARD, FieldSpec("responsible", "责任单位/人", ("责任单位/人", "责任人")))
    headers = ["隐患描述", "整改情况/责任单位/人", "整改情况/复查意见", "整改情况/完成时间"]

    assert _fields(map_columns(headers, fields)) == {
        1: ("description", 100),
        2: ("responsible", 100),  # the lowest part is "人": the whole text is the synonym
        3: (None, 0),  # not status although its group "整改情况" is a status synonym
        4: ("done_on", 100),
    }


def test_a_row_of_units_under_the_header_is_part_of_it() -> None:
    sheet = _sheet(
        ["2023年在建工程项目清单"] * 5,
        ["项目名称", "建设单位", "总投资", "建筑面积", "开工日期"],
        [None, None, "（万元）", "（㎡）", None],
        ["汨罗市城南安置小区二期工程", "汨罗市城投公司", "5120.36", "28500", "2023.3.1"],
    )

    guess = detect_header(sheet, PROJECT)

    assert (guess.first_row, guess.last_row, guess.title) == (2, 3, "2023年在建工程项目清单")
    headers = header_texts(sheet, 2, 3)
    assert headers == ["项目名称", "建设单位", "总投资/（万元）", "建筑面积/（㎡）", "开工日期"]
    assert [m.field for m in map_columns(headers, PROJECT)] == [
        "name",
        "builder",
        "investment",
        "area",
        "started_on",
    ]


def test_project_headers_with_units_marks_and_line_breaks() -> None:
    headers = [
        "*项目名称",
        "建设单位（业主）",
        "总包单位",
        "项目总投资\n（万元）",
        "面积(m²)",
        "开工时间",
        "建设地点",
    ]
    sheet = _sheet(
        headers,
        ["汨罗市城南安置小区二期工程", "城投公司", "某建工集团", "5120.36", "2.85万㎡", "2023/3/1", "城南"],
    )

    guess = detect_header(sheet, PROJECT)

    assert (guess.first_row, guess.last_row, guess.title) == (1, 1, "")
    assert _fields(map_columns(header_texts(sheet, 1, 1), PROJECT)) == {
        1: ("name", 100),
        2: ("builder", 100),
        3: ("contractor", 100),
        4: ("investment", 100),
        5: ("area", 100),
        6: ("started_on", 100),
        7: ("address", 100),
    }


def test_a_petition_number_column_is_kept_although_serial_columns_are_not() -> None:
    headers = [
        "序号",
        "编号",
        "来信来访日期",
        "来访人姓名",
        "联系电话（手机）",
        "信访反映的主要问题",
        "信访来源",
    ]

    assert _fields(map_columns(headers, PETITION)) == {
        1: (None, 0),
        2: ("number", 100),
        3: ("received_on", 100),
        4: ("petitioner", 80),
        5: ("phone", 100),
        6: ("content", 50 + round((0.625 - 0.6) / 0.4 * 20)),
        7: ("channel", 80),
    }


def test_rectification_headers_each_field_goes_to_one_column_only() -> None:
    headers = [
        "问题方面",
        "反馈问题",
        "整改举措",
        "责任领导",
        "责任人",
        "完成时限",
        "整改进展情况",
        "整改情况",
    ]

    matches = _fields(map_columns(headers, RECTIFICATION))

    assert matches == {
        1: ("aspect", 100),
        2: ("problem", 100),
        3: ("measures", 100),
        4: ("owner", 100),
        5: (None, 0),  # 责任人 is also the owner, already taken by 责任领导 (leftmost of equals)
        6: ("due_on", 100),
        7: (None, 0),  # 整改进展情况 is only contained: the exact 整改情况 wins status
        8: ("status", 100),
    }


def test_a_similar_header_gets_a_lower_confidence_and_an_unknown_one_none() -> None:
    matches = _fields(map_columns(["隐患描叙", "检察日期", "天气"], HAZARD))

    assert matches[1] == ("description", 50 + round((0.75 - 0.6) / 0.4 * 20))
    assert matches[2] == ("found_on", 50 + round((0.75 - 0.6) / 0.4 * 20))
    assert matches[3] == (None, 0)


def test_a_remembered_mapping_wins_with_full_confidence() -> None:
    headers = ["序号", "日期", "工程", "情况说明", "检查日期"]

    matches = _fields(
        map_columns(headers, HAZARD, remembered={2: "found_on", 4: "description", 5: None, 9: "note"})
    )

    assert matches == {
        1: (None, 0),
        2: ("found_on", 100),
        3: ("project", 80),
        4: ("description", 100),
        5: (None, 0),  # the clerk ignored it; found_on is already the remembered column 2's
    }


def test_a_header_as_low_as_row_fifteen_still_takes_its_units_row() -> None:
    notes = [[f"说明第{n}条：按季度填报。", None] for n in range(1, 15)]
    sheet = _sheet(
        *notes, ["项目名称", "总投资"], [None, "(万元)"], ["汨罗市城南安置小区二期工程", "5120.36"]
    )

    guess = detect_header(sheet, PROJECT)

    assert (guess.first_row, guess.last_row) == (15, 16)
    assert guess.title.startswith("说明第1条：按季度填报。 说明第2条：按季度填报。")
    assert detect_header(RawSheet("表", [*notes, [None, None], ["项目名称", "总投资"]]), PROJECT) is None


def test_no_header_is_found_in_a_sheet_of_notes() -> None:
    sheet = _sheet(["填表说明"], ["1. 本表按季度填报。"], ["2. 项目名称请填写全称。"], [None])

    assert detect_header(sheet, HAZARD) is None
    assert detect_header(RawSheet("空", []), HAZARD) is None


def test_of_two_equally_good_rows_the_earlier_is_the_header() -> None:
    sheet = _sheet(
        ["项目名称", "隐患描述"],
        ["汨罗市城南安置小区二期工程", "临边防护缺失"],
        ["项目名称", "隐患描述"],
    )

    guess = detect_header(sheet, HAZARD)

    assert (guess.first_row, guess.last_row) == (1, 1)


def test_header_text_normalisation() -> None:
    assert normalise_header("项目总投资\n（万元）*") == "项目总投资"
    assert normalise_header("  建筑面积(㎡)") == "建筑面积"
    assert normalise_header("ＮＯ．") == "no."
    assert normalise_header("（万元）") == "(万元)"
    assert normalise_header(None) == ""


def test_layout_signature_ignores_spelling_noise_but_not_layout_or_kind() -> None:
    one = layout_signature("hazards", ["序号", "检查日期", "", "项目名称（全称）"])

    assert one == layout_signature("hazards", ["序号", "检查 日期", "", "项目名称(全称)"])
    assert one != layout_signature("projects", ["序号", "检查日期", "", "项目名称（全称）"])
    assert one != layout_signature("hazards", ["序号", "", "检查日期", "项目名称（全称）"])
    assert len(one) == 40


@pytest.mark.parametrize(
    ("row", "subtotal"),
    [
        (["合计", None, None, 12], True),
        ([None, "小 计", None, 3], True),
        ([None, None, "总计：", "5条"], True),
        (["", "累计完成", None], True),
        (["共计", 3], True),
        ([1, "2024.1.9", "汨罗市合计路小区", "合计"], False),
        ([1, "2024.1.9", "汨罗市城南安置小区二期工程", "合计"], False),
        ([None, None], False),
    ],
)
def test_subtotal_rows(row: list, subtotal: bool) -> None:
    assert is_subtotal_row(row) is subtotal


def test_blank_and_repeated_header_rows() -> None:
    headers = ["序号", "检查日期", "", "整改情况/完成时间", "备注"]

    assert is_blank_row([None, "  ", "\u3000", None])
    assert not is_blank_row([None, 0])
    assert is_repeated_header(["序号", "检查 日期", None, "完成时间", None], headers)
    assert not is_repeated_header(
        ["序号", None, None, None, "备注"], ["序号", "检查日期", "", "完成时间", "备注", "x"]
    )
    assert not is_repeated_header([1, datetime(2024, 1, 9), None, "2024.1.16", "备注"], headers)
