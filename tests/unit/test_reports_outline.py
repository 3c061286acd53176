"""The report outlines: numbering made by the app, the seeds' sections, drafts ready or pending."""

from __future__ import annotations

import pytest

from app.registry import Figure
from app.services.reports import drafts
from app.services.reports.definitions import (
    DEPT_SELF_EVAL,
    PROJECT_EVAL,
    RECTIFICATION_PROGRESS,
    REPORTS,
    SAFETY_QUARTERLY,
    SAFETY_SELF_CHECK,
)
from app.services.reports.figures import FigureGroup, FigureSet
from app.services.reports.outline import (
    GeneratedSection,
    build_outline,
    cn_number,
    draft_text,
    section_number,
    walk,
)
from app.services.reports.prose import SectionText


def test_chinese_numerals() -> None:
    assert [cn_number(n) for n in (1, 9, 10, 11, 19, 20, 21, 99)] == [
        "一",
        "九",
        "十",
        "十一",
        "十九",
        "二十",
        "二十一",
        "九十九",
    ]
    with pytest.raises(ValueError):
        cn_number(0)


def test_section_numbers_follow_gbt9704_without_punctuation_after_brackets() -> None:
    assert [section_number(d, 2) for d in (1, 2, 3, 4)] == ["二、", "（二）", "2.", "（2）"]
    assert section_number(2, 3, ordinal=True) == "三是"


def _titles(report, rows=None, generated=None) -> list[str]:
    return [n.numbered_title for n in walk(build_outline(report, rows or {}, generated)) if not n.hidden]


def test_report_1_has_the_ten_sections_of_seed_003() -> None:
    top = [n.numbered_title for n in build_outline(DEPT_SELF_EVAL, {})]
    assert top == [
        "一、部门基本情况",
        "二、一般公共预算支出情况",
        "三、政府性基金预算支出情况",
        "四、国有资本经营预算支出情况",
        "五、社会保险基金预算支出情况",
        "六、部门整体支出绩效情况",
        "七、存在的问题及原因分析",
        "八、下一步改进措施",
        "九、部门整体支出绩效自评结果拟应用和公开情况",
        "十、其他需要说明的情况",
    ]
    titles = _titles(DEPT_SELF_EVAL)
    assert titles[1:3] == ["（一）职能职责", "（二）组织结构、人员编制"]
    assert "（一）基本支出情况" in titles and "（二）项目支出情况" in titles
    # 六、 as seed 003 has it: 政治建设, then 服务水平 with its three sub-headings numbered 1. 2. 3.
    six = titles.index("六、部门整体支出绩效情况")
    assert titles[six + 1 : six + 6] == [
        "（一）着力加强政治建设，筑牢党风廉政思想根基",
        "（二）全力提升服务水平，助推行业高质量发展",
        "1.夯实基础，积蓄高质量发展动能",
        "2.抓实安全生产，提供高质量发展保障",
        "3.优化服务质量，提升高质量发展品质",
    ]


def test_report_2_has_the_seven_sections_of_seed_003() -> None:
    top = [n.numbered_title for n in build_outline(PROJECT_EVAL, {})]
    assert top == [
        "一、项目支出基本情况",
        "二、绩效评价工作情况",
        "三、项目支出主要绩效及评价结论",
        "四、绩效评价指标分析",
        "五、主要经验及做法、存在的问题及原因分析",
        "六、有关建议",
        "七、其他需要说明的问题",
    ]
    indicators = build_outline(PROJECT_EVAL, {})[3]
    assert [c.numbered_title for c in indicators.children] == [
        "（一）项目支出决策情况",
        "（二）项目执行过程情况",
        "（三）项目支出产出情况",
        "（四）项目支出效益情况",
    ]


def test_report_3_4_5_outlines_follow_seeds_000_002_001() -> None:
    nodes = build_outline(SAFETY_SELF_CHECK, {})
    assert [n.numbered_title for n in nodes] == [
        "导语",
        "一、所作的工作",
        "二、存在的问题",
        "三、今后工作打算",
    ]
    assert nodes[0].heading is False and nodes[0].number == ""
    assert [c.numbered_title for c in nodes[1].children][-1] == "（四）依法处理来信来访"
    quarterly = build_outline(SAFETY_QUARTERLY, {})
    assert [n.numbered_title for n in quarterly] == [
        "一、重点工作开展情况",
        "二、存在的问题",
        "三、下一步工作",
    ]
    assert [c.number for c in quarterly[0].children] == [
        "一是",
        "二是",
        "三是",
        "四是",
        "五是",
        "六是",
        "七是",
    ]
    assert all(c.run_in and c.ordinal for c in quarterly[0].children)
    progress = build_outline(RECTIFICATION_PROGRESS, {})
    assert [n.numbered_title for n in progress][-1] == "四、下一步工作打算"


def test_hidden_sections_are_skipped_and_the_rest_renumbered() -> None:
    rows = {"work.plan": SectionText("work.plan", hidden=True)}
    work = build_outline(SAFETY_QUARTERLY, rows)[0]
    shown = [c for c in work.children if not c.hidden]
    assert shown[0].key == "work.training" and shown[0].number == "一是"
    assert work.children[0].number == ""


def test_only_optional_sections_can_be_hidden() -> None:
    rows = {"problems": SectionText("problems", hidden=True)}
    assert [n.number for n in build_outline(DEPT_SELF_EVAL, rows)][6] == "七、"


def test_added_subsections_are_numbered_after_the_fixed_ones_in_their_order() -> None:
    rows = {
        "custom:b": SectionText("custom:b", title="第二个", parent_key="performance", position=2),
        "custom:a": SectionText("custom:a", title="第一个", parent_key="performance", position=1),
    }
    performance = build_outline(DEPT_SELF_EVAL, rows)[5]
    assert [c.numbered_title for c in performance.children][-2:] == ["（三）第一个", "（四）第二个"]
    assert all(c.run_in for c in performance.children)  # they follow their run-in siblings
    assert performance.children[-1].path == "六、部门整体支出绩效情况 › （四）第二个"


def test_editable_titles_replace_the_outlines_and_fixed_ones_do_not() -> None:
    rows = {
        "work.responsibility": SectionText("work.responsibility", title="高度重视，明确责任"),
        "problems": SectionText("problems", title="别的标题"),
    }
    nodes = build_outline(SAFETY_SELF_CHECK, rows)
    assert nodes[1].children[0].numbered_title == "（一）高度重视，明确责任"
    assert nodes[2].numbered_title == "二、存在的问题"


def test_generated_sections_are_numbered_under_their_section() -> None:
    made = [
        GeneratedSection(
            "学习贯彻落实决策部署", children=(GeneratedSection("着力解决学习不够的问题", "一是……"),)
        )
    ]
    nodes = build_outline(RECTIFICATION_PROGRESS, {}, lambda s: made if s.key == "progress" else [])
    progress = next(n for n in nodes if n.key == "progress")
    assert progress.children[0].numbered_title == "（一）学习贯彻落实决策部署"
    assert progress.children[0].children[0].numbered_title == "1.着力解决学习不够的问题"
    assert progress.children[0].kind == "generated"


def _figures(*figures: Figure, title: str = "单位信息") -> FigureSet:
    return FigureSet([FigureGroup("unit", title, figures)])


def test_staffing_draft_states_the_unit_figures_with_placeholders() -> None:
    figures = _figures(
        Figure("unit.supervisor", "主管部门", "汨罗市住房和城乡建设局"),
        Figure("unit.departments", "内设机构数", "10", "个", 10),
        Figure("unit.staff_actual", "在职（在编）人数", "59", "人", 59),
        Figure("unit.retired", "退休人数", "20", "人", 20),
        Figure("unit.staff_total", "干职工总数（在编＋退休）", "79", "人", 79),
        Figure("unit.nature", "单位性质", "全额拨款事业单位"),
    )
    text = drafts.staffing(figures)
    assert text == (
        "我单位是【主管部门】下属单位，下设【内设机构数】个站室，现有干职工【干职工总数（在编＋退休）】人，"
        "其中在编【在职（在编）人数】人，退休干职工【退休人数】人，为【单位性质】。"
    )
    from app.services.reports.figures import fill

    assert fill(text, figures).text == (
        "我单位是汨罗市住房和城乡建设局下属单位，下设10个站室，现有干职工79人，其中在编59人，"
        "退休干职工20人，为全额拨款事业单位。"
    )


def test_a_draft_leaves_out_the_clauses_whose_figures_are_blank() -> None:
    figures = _figures(Figure("unit.staff_total", "干职工总数（在编＋退休）", "79", "人", 79))
    assert drafts.staffing(figures) == "现有干职工【干职工总数（在编＋退休）】人。"
    assert drafts.staffing(_figures()) == ""
    assert draft_text(DEPT_SELF_EVAL.section("basic.staffing"), _figures()) is None


def test_ready_drafts() -> None:
    assert draft_text(DEPT_SELF_EVAL.section("other"), _figures()) == "无"
    assert "门户网站上对该绩效自评报告进行公开" in draft_text(
        DEPT_SELF_EVAL.section("application"), _figures()
    )
    year = _figures(Figure("unit.year", "年度", "2023", "年", 2023))
    assert (
        draft_text(SAFETY_SELF_CHECK.section("opening"), year)
        == "按照考核要求，现将【年度】年度平安建设工作情况自查报告如下："
    )


def test_section_keys_are_unique_within_each_report() -> None:
    for report in REPORTS:
        keys = [s.key for s in report.all_sections()]
        assert len(keys) == len(set(keys)), report.key
