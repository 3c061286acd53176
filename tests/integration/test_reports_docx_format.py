"""The Word reports of the example unit read back with python-docx: GB/T 9704 page, fonts (East-Asian
included), sizes, heading numbering, page-number footers, 落款 and tables — for every report — and
each report's figures in the text, as its seed writes them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from app.exports import docx_spec as spec
from app.exports.docx_template import builtin_template_path
from app.exports.docx_writer import (
    BLANK_DATE,
    AnnexNote,
    BlankLine,
    Cell,
    Heading,
    Ordinal,
    Paragraph,
    Signature,
    Table,
    Title,
    cn_date,
    signature_indents,
    width_in_chars,
    write_docx,
)
from tests.conftest import exported_example

THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")

DEPT = "2023年度部门整体支出绩效自评报告.docx"
PROJECTS = tuple(
    f"2023年度项目支出绩效评价报告（{p}）.docx"
    for p in ("质量安全监督管理专项", "招投标监督管理专项", "工作经费")
)
SAFETY = "2023年度平安建设工作自查报告.docx"
QUARTERS = tuple(f"2023年第{q}季度房屋市政工程安全生产监督检查开展情况.docx" for q in "一二三四")
Q1 = QUARTERS[0]
INSPECTION = "巡察整改进展情况（市委第二巡察组工程建设和房地产领域专项巡察）.docx"
ALL = (DEPT, *PROJECTS, SAFETY, *QUARTERS, INSPECTION)


@pytest.fixture(scope="module")
def exported(example_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """Every report of the example unit for 2023, exported once for this module."""
    from app.registry import default_registry

    keys = {e.key for e in default_registry().exporters if e.key.startswith(("reports.", "budget."))}
    with exported_example(example_template, tmp_path_factory.mktemp("reports"), keys) as files:
        yield files


@pytest.fixture(params=ALL)
def report(request: pytest.FixtureRequest, exported: dict[str, Path]):
    return Document(str(exported[request.param]))


@pytest.fixture
def dept(exported: dict[str, Path]):
    return Document(str(exported[DEPT]))


def fonts(el) -> dict[str, str]:
    rpr = el.find(qn("w:rPr")) if el.tag != qn("w:rPr") else el
    rfonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    if rfonts is None:
        return {}
    return {k.split("}")[1]: v for k, v in rfonts.attrib.items()}


def run_fonts(run) -> dict[str, str]:
    return fonts(run._r)


def style_by_name(document, name):
    return next(s for s in document.styles if s.name == name)


def body_paragraphs(document):
    return [p for p in document.paragraphs if p.text.strip()]


def all_text(document) -> str:
    """Paragraphs and table cells, in one string (a figure may sit in either)."""
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def section_text(document, heading: str) -> str:
    """The paragraphs under a level-1 heading, up to the next one."""
    texts = [p.text for p in document.paragraphs]
    start = texts.index(heading) + 1
    end = next(
        (i for i in range(start, len(texts)) if document.paragraphs[i].style.name == "Heading 1"), len(texts)
    )
    return "\n".join(texts[start:end])


# -- format, for every report -------------------------------------------------------------------------------


def test_page_is_a4_with_the_gbt9704_margins_and_a_22_line_grid(report) -> None:
    for section in report.sections:  # the cover's section too
        assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)
        for value, mm in (
            (section.top_margin, 37),
            (section.bottom_margin, 35),
            (section.left_margin, 28),
            (section.right_margin, 26),
        ):
            assert abs(value - Mm(mm)) < Mm(0.1)
    body = report.sections[-1]
    # 版心 156 × 225 mm
    assert abs(body.page_width - body.left_margin - body.right_margin - Mm(156)) < Mm(0.2)
    assert abs(body.page_height - body.top_margin - body.bottom_margin - Mm(225)) < Mm(0.2)
    grid = body._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 28.95 pt: 22 lines in 225 mm
    pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096  # a character grid of 28 characters in 156 mm
    assert 28 * pitch <= 156 / 25.4 * 72 < 29 * pitch
    assert 22 * 28.95 <= 225 / 25.4 * 72 < 23 * 28.95


def test_every_style_sets_latin_and_east_asian_fonts_and_no_theme_fonts(report) -> None:
    styles_xml = report.styles.element
    for rfonts in styles_xml.iter(qn("w:rFonts")):
        assert not any(rfonts.get(qn(f"w:{a}")) for a in THEME_ATTRS), rfonts.attrib
    for rfonts in report.element.body.iter(qn("w:rFonts")):
        assert not any(rfonts.get(qn(f"w:{a}")) for a in THEME_ATTRS), rfonts.attrib
    defaults = styles_xml.find(qn("w:docDefaults")).find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert fonts(defaults)["eastAsia"] == spec.FANGSONG
    for style_spec in spec.STYLES:
        style = style_by_name(report, style_spec.name)
        found = fonts(style.element)
        assert found == {k: style_spec.font for k in ("ascii", "hAnsi", "eastAsia", "cs")}, style_spec.name
        assert style.font.size == Pt(style_spec.size_pt), style_spec.name


def test_title_body_and_heading_styles(report) -> None:
    title = style_by_name(report, "Title")
    assert fonts(title.element)["eastAsia"] == "方正小标宋简体" and title.font.size == Pt(22)
    assert title.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    body = style_by_name(report, spec.BODY)
    assert fonts(body.element)["eastAsia"] == "仿宋_GB2312" and body.font.size == Pt(16)
    ind = body.element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200" and ind.get(qn("w:firstLine")) == "640"  # two characters
    spacing = body.element.pPr.find(qn("w:spacing"))
    assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == ("579", "exact")
    expected = {
        "Heading 1": "黑体",
        "Heading 2": "楷体_GB2312",
        "Heading 3": "仿宋_GB2312",
        "Heading 4": "仿宋_GB2312",
    }
    for name, font in expected.items():
        style = style_by_name(report, name)
        assert fonts(style.element)["eastAsia"] == font and style.font.size == Pt(16)
        assert style.font.bold is False and str(style.font.color.rgb) == "000000"


def test_the_title_and_every_run_of_the_text_carry_their_fonts_and_sizes(report) -> None:
    paragraphs = body_paragraphs(report)
    titles = [p for p in paragraphs if p.style.name == "Title"]
    assert titles, "no title"
    title = titles[0]
    assert title.alignment in (None, WD_ALIGN_PARAGRAPH.CENTER)
    for run in (r for r in title.runs if r.text):
        assert run_fonts(run)["eastAsia"] == "方正小标宋简体" and run.font.size == Pt(22)
    heading_fonts = {"Heading 1": "黑体", "Heading 2": "楷体_GB2312", "Heading 3": "仿宋_GB2312"}
    for paragraph in paragraphs:
        name = paragraph.style.name
        for run in (r for r in paragraph.runs if r.text):
            found = run_fonts(run)
            assert found["eastAsia"] == found["ascii"] == found["hAnsi"], paragraph.text[:20]
            if name in heading_fonts:
                assert found["eastAsia"] == heading_fonts[name] and run.font.size == Pt(16)
            elif name == spec.BODY:
                # body text in 仿宋; a run-in heading's first run in its heading's font
                assert found["eastAsia"] in ("仿宋_GB2312", "楷体_GB2312", "黑体"), paragraph.text[:20]
                assert run.font.size == Pt(16)
    body = [p for p in paragraphs if p.style.name == spec.BODY]
    assert len(body) >= 3
    assert all(run_fonts(p.runs[-1])["eastAsia"] == "仿宋_GB2312" for p in body if p.runs)


CN = "一二三四五六七八九十"


def cn(n: int) -> str:
    return CN[n - 1] if n <= 10 else "十" + CN[n - 11]


LEVEL2 = re.compile(r"^（([一二三四五六七八九十]+)）")
ORDINAL = re.compile(r"^([一二三四五六七八九十]+)是")
ORDINAL_TITLE = re.compile(r"^[一二三四五六七八九十]+是[^；。]*。$")  # an Ordinal block's lead run


def test_headings_are_numbered_by_the_app_in_sequence(report) -> None:
    """一、 二、 … ; （一）（二）… restarting under each 一、 (standalone or run-in, no punctuation
    after the bracket); 1. 2. … under each （一）; seed 002's 一是、二是 paragraphs likewise."""
    level1 = level2 = level3 = 0
    ordinal = 0
    seen_level1 = []
    for paragraph in body_paragraphs(report):
        text, name = paragraph.text, paragraph.style.name
        first_font = run_fonts(paragraph.runs[0])["eastAsia"] if paragraph.runs else ""
        if name == "Heading 1":
            level1 += 1
            level2 = level3 = ordinal = 0
            assert text.startswith(f"{cn(level1)}、"), text
            seen_level1.append(text)
        elif name == "Heading 2" or (name == spec.BODY and first_font == "楷体_GB2312"):
            level2 += 1
            level3 = 0
            assert text.startswith(f"（{cn(level2)}）"), text
            assert text[len(f"（{cn(level2)}）")] not in "、.，。：", text
        elif name == "Heading 3":
            level3 += 1
            assert text.startswith(f"{level3}."), text
        elif name == spec.BODY and ORDINAL.match(text) and ORDINAL_TITLE.match(paragraph.runs[0].text):
            ordinal += 1
            assert ORDINAL.match(text).group(1) == cn(ordinal), text
    assert len(seen_level1) >= 3


def test_page_numbers_are_dashed_songti_odd_right_even_left_from_one(report) -> None:
    assert report.settings.odd_and_even_pages_header_footer
    body = report.sections[-1]
    numbering = body._sectPr.find(qn("w:pgNumType"))
    assert numbering.get(qn("w:start")) == "1"
    for footer, alignment, side in (
        (body.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (body.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ):
        assert not footer.is_linked_to_previous
        (paragraph,) = footer.paragraphs
        assert paragraph.alignment == alignment
        assert paragraph.style.name == spec.PAGE_NUMBER
        assert paragraph._p.pPr.find(qn("w:ind")).get(qn(f"w:{side}")) == "280"  # one 4号 character
        xml = paragraph._p.xml
        assert "PAGE" in "".join(t.text for t in paragraph._p.iter(qn("w:instrText")))
        assert xml.count('w:fldCharType="begin"') == 1 and xml.count('w:fldCharType="end"') == 1
        assert paragraph.text == "— 1 —"
        for run in paragraph.runs:
            assert run_fonts(run)["eastAsia"] == "宋体" and run_fonts(run)["ascii"] == "宋体"
            assert run.font.size == Pt(14)
    distance_mm = body.footer_distance / Mm(1)
    assert 24 <= distance_mm <= 27  # the dashes sit about 7 mm below the type area


def test_the_signature_is_right_indented_under_the_text(report) -> None:
    signature = [p for p in report.paragraphs if p.style.name == spec.SIGNATURE]
    # 成文日期 not set: the export date (fixed for the tests in conftest), written 2024年1月20日
    assert [p.text for p in signature] == ["汨罗市建筑工程服务中心", "2024年1月20日"]
    date_para = signature[1]
    assert date_para.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    right = date_para._p.pPr.find(qn("w:ind")).get(qn("w:rightChars"))
    # 4 characters with a seal; without, the date starts 2 characters right of the signer's start,
    # which right-indents it by the signer's width less its own: 11 − 6.5 (GB/T 9704 7.3.5)
    assert right in ("400", "450")


def test_no_placeholder_or_blank_is_left_in_any_report(exported: dict[str, Path]) -> None:
    for name in ALL:
        text = all_text(Document(str(exported[name])))
        assert "【" not in text and "】" not in text and "＿＿＿＿" not in text, name


def test_tables_fit_the_type_area_in_five_point_songti_without_fixed_line_spacing(report) -> None:
    for name in (spec.TABLE_TEXT, spec.TABLE_HEADER):
        ppr = style_by_name(report, name).element.pPr
        assert ppr.find(qn("w:spacing")).get(qn("w:lineRule")) == "auto"
        assert ppr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0"
    for table in report.tables:
        grid = table._tbl.tblGrid
        width_mm = sum(int(col.get(qn("w:w"))) for col in grid.findall(qn("w:gridCol"))) / 1440 * 25.4
        assert width_mm <= 156.1
        for row in table.rows:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None
        for tc in table._tbl.iter(qn("w:tc")):
            for p in tc.iter(qn("w:p")):
                spacing = p.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
                assert spacing is None or spacing.get(qn("w:lineRule")) != "exact"
                for r in p.iter(qn("w:r")):
                    if "".join(t.text or "" for t in r.iter(qn("w:t"))):
                        assert fonts(r)["eastAsia"] == "宋体"
                        assert r.find(f"{qn('w:rPr')}/{qn('w:sz')}").get(qn("w:val")) == "21"  # 五号


# -- 1. 部门整体支出绩效自评报告 (seed 003) ------------------------------------------------------------------


def test_report_1_reads_like_seed_003_with_the_units_figures(dept) -> None:
    paragraphs = body_paragraphs(dept)
    texts = [p.text for p in paragraphs]
    # the cover: its own section, no page number
    assert texts[0] == "2023年度汨罗市建筑工程服务中心\n部门整体支出\n绩效自评报告"
    assert texts[1] == "部门名称：汨罗市建筑工程服务中心（盖章）"
    assert dept.sections[0]._sectPr.find(qn("w:footerReference")) is None
    title = next(p for p in paragraphs if p.style.name == "Title")
    assert title.text == "2023年度汨罗市建筑工程服务中心\n部门整体支出绩效自评报告"
    assert [p.text for p in paragraphs if p.style.name == "Heading 1"] == [
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
    assert [p.text for p in paragraphs if p.style.name == "Heading 2"] == [
        "（一）职能职责",
        "（二）组织结构、人员编制",
        "（一）基本支出情况",
        "（二）项目支出情况",
        "（二）全力提升服务水平，助推行业高质量发展",  # 六、's second, with no text of its own
    ]
    assert (
        "我单位是汨罗市住房和城乡建设局下属单位，下设10个站室，现有干职工79人，其中在编59人，"
        "退休干职工20人，为全额拨款事业单位。"
    ) in texts
    assert "1.贯彻执行国家、省、市关于建筑行业管理法律、法规和方针、政策；" in texts
    # 二、: 592.17 = 572.61 + 19.56; the projects' 全年预算数 359.74 and what was spent, 359.73
    assert (
        "2023年基本支出数为592.17万元，是指为保障单位机构正常运转、完成日常工作任务而发生的各项支出，"
        "包括用于基本工资、津贴补贴等人员经费以及办公费、印刷费、水电费、差旅费等日常公用经费。"
        "其中人员经费572.61万元，公用经费19.56万元。"
    ) in texts
    assert (
        "2023年项目支出全年预算数为359.74万元，实际支出359.73万元，是指单位为完成特定行政工作任务或事业发展"
        "目标而发生的支出，包括有关业务工作经费和运行维护经费。其中：质量安全监督管理专项20万元，"
        "招投标监督管理专项5万元，工作经费334.74万元（实际支出334.73万元）。"
    ) in texts
    # 三、四、五 when nothing was spent
    for heading, sentence in (
        ("三、政府性基金预算支出情况", "2023年度本单位无政府性基金安排的支出。"),
        ("四、国有资本经营预算支出情况", "2023年度本单位无国有资本经营安排的支出。"),
        ("五、社会保险基金预算支出情况", "2023年度本单位无社会保险基金安排的支出。"),
    ):
        assert section_text(dept, heading) == sentence
    # 六、: the self-evaluation's result, then the year's work in figures
    performance = section_text(dept, "六、部门整体支出绩效情况")
    assert (
        "总体来看，2023年度部门全年预算数951.90万元，全年执行数951.90万元，预算执行率100.00%；"
        "经自评，部门整体支出绩效自评得分99.5分，评价等级为“优”"
    ) in performance
    for sentence in (
        "全年监管房屋工程项目101个，总建筑面积约285.17万平方米，总造价约51.53亿元，市政工程项目11个，"
        "总造价约6.83亿元。",
        "全年竣工验收项目共38个，年末在建房屋和市政项目共74个（房屋工程68个，市政工程6个），"
        "其中在建项目44个，停工项目16个，未开工项目14个。",
        "全年共开展专项检查11次，对65个项目进行了825次检查，共下发隐患整改通知书232份、"
        "下发停工整改通知书45份、下发催办通知13份，消除质量安全隐患2092条，记录红黄牌101份，"
        "记录不良行为29起，移交案件线索17起，记项目安全考评不合格6份。",
        "检测中共发现安全隐患930余处，强制拆除1台、现场封停9台。",
        "2023年度公开招标项目共计14个，总金额78089.7763万元。",
        "共办理建设工程项目竣工验收备案82个，工程总造价350773.89万元。其中房建类81个，"
        "工程总造价350391.39万元，建筑面积1913714.87平方米；市政工程1个，工程总造价382.5万元。",
        "全年共办理建筑领域投诉、信访、交办284件（12345信箱239件、舆情11件、信访26件、市长信箱8件）。",
    ):
        assert sentence in performance, sentence
    run_in = next(p for p in paragraphs if p.text.startswith("（一）着力加强政治建设"))
    assert run_in.style.name == spec.BODY and run_fonts(run_in.runs[0])["eastAsia"] == "楷体_GB2312"
    run_in = next(p for p in paragraphs if p.text.startswith("2.抓实安全生产"))
    assert run_in.style.name == spec.BODY and run_fonts(run_in.runs[0])["eastAsia"] == "仿宋_GB2312"


def test_report_1_lists_its_annexes_and_appends_the_tables(dept, exported: dict[str, Path]) -> None:
    texts = [p.text for p in dept.paragraphs]
    annexes = [
        "部门整体支出绩效评价基础数据表",
        "部门整体支出绩效自评表",
        "项目支出绩效自评表（质量安全监督管理专项）",
        "项目支出绩效自评表（招投标监督管理专项）",
        "项目支出绩效自评表（工作经费）",
        "政府性基金预算支出情况表",
        "国有资本经营预算支出情况表",
        "社会保险基金预算支出情况表",
    ]
    assert f"附件：1.{annexes[0]}" in texts
    assert [f"{i}.{name}" for i, name in enumerate(annexes[1:], 2)] == [
        t for t in texts if re.match(r"^[2-8]\.", t) and "表" in t
    ]
    # each annex on its own page after the 落款, in the list's order, each with its table
    labels = [p for p in dept.paragraphs if p.style.name == spec.ANNEX_LABEL]
    assert [p.text for p in labels] == [f"附件{i}" for i in range(1, 9)]
    assert all(p.paragraph_format.page_break_before for p in labels)
    assert texts.index("附件1") > texts.index("2024年1月20日")  # after the 落款 and its date
    # each annex's tables (a 自评表 is two Word tables printed as one, or more when cut for a page)
    from docx.table import Table as DocxTable

    by_annex: dict[str, list[DocxTable]] = {}
    current = None
    for element in dept.element.body:
        style = element.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") if element.tag == qn("w:p") else None
        if style is not None and style.get(qn("w:val")) == dept.styles[spec.ANNEX_LABEL].style_id:
            current = "".join(t.text or "" for t in element.iter(qn("w:t")))
            by_annex[current] = []
        elif element.tag == qn("w:tbl") and current is not None:
            by_annex[current].append(DocxTable(element, dept))
    assert list(by_annex) == [f"附件{i}" for i in range(1, 9)] and all(by_annex.values())
    base = by_annex["附件1"]
    department_tables = by_annex["附件2"]
    projects_tables = [by_annex[f"附件{i}"] for i in (3, 4, 5)]
    funds = [by_annex[f"附件{i}"][0] for i in (6, 7, 8)]

    def cells(table) -> list[str]:
        tables = table if isinstance(table, list) else [table]
        return [c.text for t in tables for row in t.rows for c in row.cells]

    department = department_tables[0]
    projects = [tables[-1] for tables in projects_tables]

    assert {"61", "59", "96.72%", "359.73", "19.56", "59.70"} <= set(cells(base))
    assert {"801.08", "951.90", "885.94", "65.96", "592.17", "572.61", "359.73", "100.00%"} <= set(
        cells(department)
    )
    whole = cells(department_tables)
    assert "产出\n指标\n(30分)" in whole and "评价等级：优" in whole
    assert "99.5" in whole and "0.5" in whole  # 总分 and 竣工验收率's score
    totals = [[c.text for c in t.rows[-1].cells] for t in (department_tables[-1], *projects)]
    assert [row[0] for row in totals] == ["总分"] * 4
    assert [row[6:8] for row in totals] == [["100", "99.5"], ["100", "100"], ["100", "100"], ["100", "99.5"]]
    for table in funds:
        assert "0.00" in cells(table) and any("本年度本单位无" in c for c in cells(table))
    # merged as in seed 003: the side labels over their rows, 一级/二级 over their indicators
    side = department.cell(1, 0)
    assert side.text == "年\n度\n预\n算\n申\n请" and side._tc.vMerge == "restart"
    assert department.cell(2, 0)._tc is side._tc
    assert department.cell(0, 2)._tc.grid_span == 7  # the unit's name over seven columns
    # the same computed values as the Excel tables
    from openpyxl import load_workbook

    xlsx = next(p for n, p in exported.items() if n.startswith("附件2 "))
    sheet = load_workbook(xlsx).active
    values = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert {"801.08", "951.9", "99.5", "592.17", "572.61", "359.73"} <= values


# -- 2. 项目支出绩效评价报告 (seed 003) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "figures"),
    [
        (
            PROJECTS[0],
            (
                "2023年，本项目全年预算数20万元，全部为当年财政拨款；截至2023年12月31日，项目支出20万元，"
                "预算执行率100.00%。",
                "经自评，该项目绩效自评得分为100分，评价等级为“优”。",
                "本项目为住建领域质量安全监管工作开展专项资金，保障全市所有在建项目质量安全巡查、监督管理，"
                "正常工作运转经费开支。",
            ),
        ),
        (
            PROJECTS[1],
            (
                "2023年，本项目全年预算数5万元，全部为当年财政拨款；截至2023年12月31日，项目支出5万元，"
                "预算执行率100.00%。",
                "2023年建筑工程公开招标项目共计14个，中标金额合计为78089.7763万元。",
            ),
        ),
        (
            PROJECTS[2],
            (
                "2023年，本项目全年预算数334.74万元，全部为当年财政拨款；截至2023年12月31日，"
                "项目支出334.73万元，预算执行率100.00%。",
                "经自评，该项目绩效自评得分为99.5分，评价等级为“优”。",
                "办理项目竣工验收率（指标值60个，完成值27个，分值1分，得分0.5分，偏差原因：根据市场实际情况，"
                "全年只有27个项目，已全部办理竣工验收）",
                "产出指标分值30分，共19项三级指标，得分29.5分。",
            ),
        ),
    ],
)
def test_report_2_has_the_seven_sections_and_the_projects_figures(
    exported: dict[str, Path], name: str, figures: tuple[str, ...]
) -> None:
    document = Document(str(exported[name]))
    paragraphs = body_paragraphs(document)
    project = name.split("（")[1].rstrip("）.docx")
    assert paragraphs[0].text == f"2023年度{project}\n项目支出绩效评价报告"
    assert [p.text for p in paragraphs if p.style.name == "Heading 1"] == [
        "一、项目支出基本情况",
        "二、绩效评价工作情况",
        "三、项目支出主要绩效及评价结论",
        "四、绩效评价指标分析",
        "五、主要经验及做法、存在的问题及原因分析",
        "六、有关建议",
        "七、其他需要说明的问题",
    ]
    assert [p.text for p in paragraphs if p.style.name == "Heading 2"] == [
        "（一）项目支出概况",
        "（二）项目资金使用管理情况",
        "（三）项目支出绩效目标完成程度",
        "（一）项目支出决策情况",
        "（二）项目执行过程情况",
        "（三）项目支出产出情况",
        "（四）项目支出效益情况",
    ]
    text = all_text(document)
    for figure in figures:
        assert figure in text, figure


# -- 3. 平安建设工作自查报告 (seeds 000, 004) ----------------------------------------------------------------


def test_report_3_has_its_addressee_and_the_petition_and_safety_figures(exported: dict[str, Path]) -> None:
    document = Document(str(exported[SAFETY]))
    paragraphs = body_paragraphs(document)
    assert paragraphs[0].style.name == "Title"
    assert paragraphs[0].text == "2023年度汨罗市建筑工程服务中心\n平安建设工作情况自查报告"
    assert paragraphs[1].text == "市政法委：" and paragraphs[1].style.name == spec.ADDRESSEE
    assert paragraphs[2].text == "按照考核要求，现将2023年度平安建设工作情况自查报告如下："
    assert [p.text for p in paragraphs if p.style.name == "Heading 1"] == [
        "一、所作的工作",
        "二、存在的问题",
        "三、今后工作打算",
    ]
    work = section_text(document, "一、所作的工作")
    # （四）: the petition statistics in seed 004's manner
    assert (
        "2023年，共受理群众来信来访、投诉284件（其中：12345信箱239件、舆情11件、信访26件、市长信箱8件），"
        "办结率100%，按期办结率98.94%；共接待来访群众62人次（其中：个访、重复访13人次，群访49人次），"
        "信访总量同比上升20.3%。"
    ) in work
    # （三）: the year's safety supervision and tendering
    assert (
        "全年开展质量安全专项检查11次，对65个在建项目开展检查825次，查出安全隐患2080条，"
        "下发隐患整改通知书232份，停工整改通知书45份，隐患整改率达到99.09%。"
    ) in work
    assert "全年公开招标项目14个，中标金额78089.7763万元。" in work


# -- 4. 季度房屋市政工程安全生产监督检查开展情况 (seed 002) ------------------------------------------------


def test_report_4_states_the_quarters_figures_as_seed_002(exported: dict[str, Path]) -> None:
    document = Document(str(exported[Q1]))
    texts = [p.text for p in body_paragraphs(document)]
    assert texts[0] == "2023年第一季度房屋市政工程安全生产工作\n监督检查开展情况"
    assert [p.text for p in body_paragraphs(document) if p.style.name == "Heading 1"] == [
        "一、重点工作开展情况",
        "二、存在的问题",
        "三、下一步工作",
    ]
    work = section_text(document, "一、重点工作开展情况")
    for sentence in (
        "三是全面压实责任，全力做好质量安全生产监督和指导。第一季度累计检查47项房屋市政工程，"
        "排查治理质量安全隐患49条，下发限期整改通知书3份。",
        "截至3月31日，全市受理消防设计审查29项、办结26项；受理消防验收21项、办结18项；"
        "受理消防验收备案55项、未抽中数10项，抽中数45项。",
        "抽查25个村社区、42栋房屋，发现18条问题",
        "辖区共有图斑587209个，未排查20051个，排查中7335个，已排查559823个，排查完成率95.34%。",
        "目前共有经营性自建房14634栋，“回头看”完成14108栋，完成率96.41%，排名第5。",
        "存在安全隐患的经营性自建房共有213栋，已整治33栋，整改完成率15.49%，排名第8。",
        "六是积极处理房屋质量投诉信访工作。第一季度受理房屋质量投诉6项，已办结6项。",
        "七是完成信息报送工作。第一季度共计报送信息6篇，被采用1篇。",
    ):
        assert sentence in work, sentence
    # a later quarter quotes its own figures, and leaves out the 重点工作 it had nothing for
    q2 = section_text(Document(str(exported[QUARTERS[1]])), "一、重点工作开展情况")
    assert q2 == (
        "一是全面压实责任，全力做好质量安全生产监督和指导。第二季度累计检查65项房屋市政工程，"
        "排查治理质量安全隐患707条，下发限期整改通知书75份、停工整改通知书13份。"
    )


# -- 5. 巡察整改进展情况 (seed 001) --------------------------------------------------------------------------


def test_report_5_states_the_inspection_and_its_problems_with_their_measures(
    exported: dict[str, Path],
) -> None:
    document = Document(str(exported[INSPECTION]))
    paragraphs = body_paragraphs(document)
    texts = [p.text for p in paragraphs]
    assert texts[0] == "汨罗市建筑工程服务中心关于\n工程建设和房地产领域专项巡察\n整改进展情况的通报"
    assert texts[1] == (
        "按照巡察工作统一部署，2022年11月28日至2022年12月30日，市委第二巡察组对我单位开展了工程建设和"
        "房地产领域专项巡察，2023年1月20日，市委第二巡察组向我单位反馈了巡察意见。按照巡察整改公开工作要求，"
        "现将整改进展情况予以公布。"
    )
    assert "将3个方面12个主要问题分别落实到责任领导和责任科室" in section_text(
        document, "二、建立整改台账，实行清单管理"
    )
    progress = section_text(document, "三、整改落实情况")
    assert "截至2023年12月31日，已完成整改9项（其中需长期坚持3项），正在整改3项，整改完成率75%。" in progress
    # one （一） per 方面, one 1. per problem, its measures 一是……二是……
    assert [p.text for p in paragraphs if p.style.name == "Heading 2"] == [
        "（一）学习贯彻落实党中央、省委、市委工程建设和房地产领域决策部署，切实履行领导责任",
        "（二）履行工程建设监管职责",
        "（三）防范化解风险、维护群众切身利益",
    ]
    problems = [p.text for p in paragraphs if p.style.name == "Heading 3"]
    assert len(problems) == 12 and problems[0] == (
        "1.着力解决学习贯彻落实工程建设和房地产领域重要指示批示精神力度有待加强的问题"
    )
    first = texts[texts.index(problems[0]) + 1]
    assert (
        first.startswith("一是以“高质量推进工程建设”") and "；二是以“保投资、保重点、保民生、保品质”" in first
    )
    assert texts[texts.index(problems[0]) + 2] == "该问题已于2023年3月28日完成整改，2023年4月15日销号。"


# -- personal data -------------------------------------------------------------------------------------------


def test_no_report_names_a_petitioner_or_shows_their_phone_or_id_number(
    exported: dict[str, Path], example_template: Path
) -> None:
    from contextlib import closing

    from tests.conftest import connect_data

    with closing(connect_data(example_template, readonly=True)) as conn:
        rows = conn.execute("SELECT petitioner, phone, id_number FROM petition").fetchall()
    personal = {value for row in rows for value in row if value and len(value) >= 2}
    assert len(personal) > 100  # the example's register does hold names, phones and ID numbers
    for name in ALL:
        document = Document(str(exported[name]))
        text_all = all_text(document)
        for section in document.sections:
            text_all += "\n".join(p.text for p in section.footer.paragraphs)
        leaked = sorted(v for v in personal if v in text_all)
        assert not leaked, (name, leaked[:5])
        assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", text_all.replace("13907305668", "")), name
        assert not re.search(r"(?<!\d)\d{17}[\dXx](?!\d)", text_all), name


# -- the writer on its own ----------------------------------------------------------------------------------


def test_dates_have_no_leading_zeros() -> None:
    assert cn_date(date(2024, 7, 1)) == "2024年7月1日"
    assert cn_date(None) == BLANK_DATE


def test_signature_indents_follow_gbt9704() -> None:
    name, when = "汨罗市建筑工程服务中心", "2024年7月1日"
    assert width_in_chars(when) == 6.0 and width_in_chars(name) == 11.0
    # with a seal: date right 4, name centred over the date
    assert signature_indents(name, when, seal=True) == (1.5, 4.0)
    # without: name right 2, the date starting two characters further right
    assert signature_indents(name, when, seal=False) == (2.0, 5.0)
    assert signature_indents("某局", when, seal=False) == (8.0, 2.0)


def test_writer_blocks_tables_and_ordinals(tmp_path: Path) -> None:
    path = tmp_path / "blocks.docx"
    table = Table(
        (30, 40, 40),
        (
            (Cell("项目"), Cell("数值", colspan=2)),
            (Cell("年度资金总额", rowspan=2), Cell("801.08", align="right"), Cell("951.90", align="right")),
            (Cell("合计", bold=True), Cell("100%", align="center")),
        ),
    )
    write_docx(
        [
            Title(("标题",)),
            Heading(3, "1.", "加强组织领导", run_in="成立了领导小组。"),
            Heading(4, "（1）", "明确责任"),
            Ordinal("一是", "提前谋划", "为确保……"),
            Paragraph("正文"),
            BlankLine(),
            AnnexNote(("唯一附件",)),
            Signature("某局", cn_date(date(2024, 7, 1)), seal=False),
            table,
        ],
        path,
        builtin_template_path(),
    )
    document = Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert "1.加强组织领导。成立了领导小组。" in texts
    assert "（1）明确责任" in texts
    assert "一是提前谋划。为确保……" in texts
    assert "附件：唯一附件" in texts  # a single annex takes no number
    (word_table,) = document.tables
    assert word_table.style.name == spec.TABLE_STYLE
    assert word_table.cell(0, 1).text == "数值" and word_table.cell(0, 2).text == "数值"  # merged
    assert word_table.cell(2, 0).text == "年度资金总额"  # row span
    assert word_table.cell(2, 1).text == "合计"
    header_row = word_table.rows[0]._tr
    assert header_row.trPr.find(qn("w:tblHeader")) is not None
    for row in word_table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                assert paragraph.style.name in (spec.TABLE_TEXT, spec.TABLE_HEADER)
                spacing = paragraph._p.pPr.find(qn("w:spacing")) if paragraph._p.pPr is not None else None
                assert spacing is None or spacing.get(qn("w:lineRule")) != "exact"
                for run in paragraph.runs:
                    assert run_fonts(run)["eastAsia"] == "宋体" and run.font.size == Pt(10.5)


def test_tabs_line_breaks_and_edge_spaces_in_a_run_are_kept(tmp_path: Path) -> None:
    """Runs are written with lxml directly: a tab or line break becomes w:tab / w:br (as python-docx
    writes them), spaces at the ends are preserved, and a cell's lines become its paragraphs."""
    path = tmp_path / "runs.docx"
    table = Table((40, 40), ((Cell("第一行\n第二行"), Cell(" 前后空格 ")),))
    write_docx([Paragraph("甲\t乙\n丙"), Paragraph(" 首尾空格 "), table], path, builtin_template_path())
    document = Document(str(path))
    first, second = document.paragraphs[0], document.paragraphs[1]
    assert first.text == "甲\t乙\n丙"
    run = first.runs[0]._r
    assert [child.tag.split("}")[1] for child in run if not child.tag.endswith("rPr")] == [
        "t",
        "tab",
        "t",
        "br",
        "t",
    ]
    assert second.text == " 首尾空格 "
    assert second.runs[0]._r.find(qn("w:t")).get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    (word_table,) = document.tables
    assert [p.text for p in word_table.cell(0, 0).paragraphs] == ["第一行", "第二行"]
    assert word_table.cell(0, 1).text == " 前后空格 "
    assert run_fonts(first.runs[0])["eastAsia"] == run_fonts(second.runs[0])["eastAsia"] != ""
