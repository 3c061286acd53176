"""The Word reports read back with python-docx: GB/T 9704 page, fonts (East-Asian included), sizes,
heading numbering, page-number footers, 落款, and the figures in the text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from app.db import Database
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
from app.exports.package import export_year

THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


@pytest.fixture
def exported(example_db: Database, example_unit_id: int, tmp_path: Path) -> dict[str, Path]:
    result = export_year(
        example_db,
        example_unit_id,
        2023,
        tmp_path / "out",
        keys={"reports.dept_self_eval", "reports.safety_self_check"},
    )
    return {path.name: path for path in result.files}


@pytest.fixture
def dept(exported: dict[str, Path]):
    return Document(str(exported["2023年度部门整体支出绩效自评报告.docx"]))


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


def test_page_is_a4_with_the_gbt9704_margins_and_a_22_line_grid(dept) -> None:
    body = dept.sections[-1]
    assert abs(body.page_width - Mm(210)) < Mm(0.1) and abs(body.page_height - Mm(297)) < Mm(0.1)
    for value, mm in (
        (body.top_margin, 37),
        (body.bottom_margin, 35),
        (body.left_margin, 28),
        (body.right_margin, 26),
    ):
        assert abs(value - Mm(mm)) < Mm(0.1)
    # 版心 156 × 225 mm
    assert abs(body.page_width - body.left_margin - body.right_margin - Mm(156)) < Mm(0.2)
    assert abs(body.page_height - body.top_margin - body.bottom_margin - Mm(225)) < Mm(0.2)
    grid = body._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 28.95 pt: 22 lines in 225 mm
    pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096  # a character grid of 28 characters in 156 mm
    assert 28 * pitch <= 156 / 25.4 * 72 < 29 * pitch
    assert 22 * 28.95 <= 225 / 25.4 * 72 < 23 * 28.95


def test_every_style_sets_latin_and_east_asian_fonts_and_no_theme_fonts(dept) -> None:
    styles_xml = dept.styles.element
    for rfonts in styles_xml.iter(qn("w:rFonts")):
        assert not any(rfonts.get(qn(f"w:{a}")) for a in THEME_ATTRS), rfonts.attrib
    defaults = styles_xml.find(qn("w:docDefaults")).find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert fonts(defaults)["eastAsia"] == spec.FANGSONG
    for style_spec in spec.STYLES:
        style = style_by_name(dept, style_spec.name)
        found = fonts(style.element)
        assert found == {k: style_spec.font for k in ("ascii", "hAnsi", "eastAsia", "cs")}, style_spec.name
        assert style.font.size == Pt(style_spec.size_pt), style_spec.name


def test_title_body_and_heading_styles(dept) -> None:
    title = style_by_name(dept, "Title")
    assert fonts(title.element)["eastAsia"] == "方正小标宋简体" and title.font.size == Pt(22)
    assert title.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    body = style_by_name(dept, spec.BODY)
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
        style = style_by_name(dept, name)
        assert fonts(style.element)["eastAsia"] == font and style.font.size == Pt(16)
        assert (
            style.font.bold is False
            and style.font.color.rgb is not None
            and str(style.font.color.rgb) == "000000"
        )


def test_tables_have_no_fixed_line_spacing(dept) -> None:
    for name in (spec.TABLE_TEXT, spec.TABLE_HEADER):
        ppr = style_by_name(dept, name).element.pPr
        assert ppr.find(qn("w:spacing")).get(qn("w:lineRule")) == "auto"
        assert ppr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0"


def test_the_report_reads_like_seed_003_with_the_units_figures(dept) -> None:
    paragraphs = body_paragraphs(dept)
    texts = [p.text for p in paragraphs]
    # the cover: its own section, no page number
    assert texts[0] == "2023年度汨罗市建筑工程服务中心\n部门整体支出\n绩效自评报告"
    assert texts[1] == "部门名称：汨罗市建筑工程服务中心（盖章）"
    cover_section = dept.sections[0]
    assert cover_section._sectPr.find(qn("w:footerReference")) is None
    # the title, then the ten sections numbered by the app
    title = next(p for p in paragraphs if p.style.name == "Title")
    assert title.text == "2023年度汨罗市建筑工程服务中心\n部门整体支出绩效自评报告"
    assert {run_fonts(r)["eastAsia"] for r in title.runs if r.text} == {"方正小标宋简体"}
    assert {r.font.size for r in title.runs if r.text} == {Pt(22)}
    level1 = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert level1 == [
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
    level2 = [p.text for p in paragraphs if p.style.name == "Heading 2"]
    assert level2[:4] == [
        "（一）职能职责",
        "（二）组织结构、人员编制",
        "（一）基本支出情况",
        "（二）项目支出情况",
    ]
    h1 = next(p for p in paragraphs if p.style.name == "Heading 1")
    h2 = next(p for p in paragraphs if p.style.name == "Heading 2")
    assert run_fonts(h1.runs[0])["eastAsia"] == "黑体" and run_fonts(h2.runs[0])["eastAsia"] == "楷体_GB2312"
    # the figures, filled from the unit profile
    assert (
        "我单位是汨罗市住房和城乡建设局下属单位，下设10个站室，现有干职工79人，其中在编59人，"
        "退休干职工20人，为全额拨款事业单位。"
    ) in texts
    assert "1.贯彻执行国家、省、市关于建筑行业管理法律、法规和方针、政策；" in texts
    assert "8.承办主管部门交办的其它事项。" in texts
    assert not any("【" in t for t in texts)
    # body paragraphs: 仿宋_GB2312 3号 on every run, with the two-character indent from the style
    body = [p for p in paragraphs if p.style.name == spec.BODY]
    assert len(body) > 10
    for paragraph in body:
        for run in paragraph.runs:
            if run.text:
                assert run.font.size == Pt(16)
                assert {run_fonts(run)[k] for k in ("ascii", "hAnsi", "eastAsia")} <= {
                    "仿宋_GB2312",
                    "楷体_GB2312",
                    "黑体",
                }


def test_run_in_headings_keep_the_heading_font_for_the_heading_only(dept) -> None:
    paragraph = next(p for p in dept.paragraphs if p.text.startswith("（一）着力加强政治建设"))
    assert paragraph.style.name == spec.BODY
    heading_run, text_run = paragraph.runs[0], paragraph.runs[1]
    assert heading_run.text == "（一）着力加强政治建设，筑牢党风廉政思想根基。"
    assert run_fonts(heading_run)["eastAsia"] == "楷体_GB2312"
    assert run_fonts(text_run)["eastAsia"] == "仿宋_GB2312"


def test_page_numbers_are_dashed_songti_odd_right_even_left_from_one(dept) -> None:
    assert dept.settings.odd_and_even_pages_header_footer
    body = dept.sections[-1]
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


def test_annex_list_and_signature(dept) -> None:
    texts = [p.text for p in dept.paragraphs]
    assert "附件：1.部门整体支出绩效评价基础数据表" in texts
    assert "6.社会保险基金预算支出情况表" in texts
    signer, when = texts[-2], texts[-1]
    assert (signer, when) == ("汨罗市建筑工程服务中心", BLANK_DATE)
    date_para = dept.paragraphs[-1]
    assert date_para.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert date_para._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "400"  # right-indented 4 characters


def test_the_safety_self_check_has_its_addressee_and_opening(exported: dict[str, Path]) -> None:
    document = Document(str(exported["2023年度平安建设工作自查报告.docx"]))
    paragraphs = body_paragraphs(document)
    assert paragraphs[0].style.name == "Title"
    assert paragraphs[1].text == "市政法委：" and paragraphs[1].style.name == spec.ADDRESSEE
    assert paragraphs[2].text == "按照考核要求，现将2023年度平安建设工作情况自查报告如下："
    assert [p.text for p in paragraphs if p.style.name == "Heading 1"] == [
        "一、所作的工作",
        "二、存在的问题",
        "三、今后工作打算",
    ]


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
