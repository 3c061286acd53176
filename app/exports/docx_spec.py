"""GB/T 9704-2012 (党政机关公文格式) as numbers and styles, for python-docx documents.

This module is the single statement of the format. `resources/templates/make_templates.py` uses it
to build the built-in template, the writer (`docx_writer`) takes its styles from whichever template
is in use (so a template edited in WPS wins), and the tests hold the output to it.

python-docx pitfall (DEVELOPERS.md): its styles carry theme fonts (`w:asciiTheme`, `w:eastAsiaTheme`
…) that override explicit font names, and it never sets `w:eastAsia`; WPS and Word then show
等线/宋体. Every style here sets ascii, hAnsi, eastAsia and cs, and `strip_theme_fonts` removes the
theme attributes everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

# -- fonts and sizes ---------------------------------------------------------------------------------

FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
XIAOBIAOSONG = "方正小标宋简体"
SONG = "宋体"

# 字号 in points.
ER_HAO = 22.0  # 二号: title
SAN_HAO = 16.0  # 三号: body and headings
SI_HAO = 14.0  # 四号: page numbers
WU_HAO = 10.5  # 五号: table text
XIAO_CHU = 36.0  # 小初: cover title
XIAO_ER = 18.0  # 小二: cover signer line
# 字号 from 初号 down to 三号, for titles that must fit on one line.
STANDARD_SIZES = (42.0, 36.0, 26.0, 24.0, 22.0, 18.0, 16.0)

# -- page --------------------------------------------------------------------------------------------

PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
MARGIN_TOP_MM = 37.0
MARGIN_BOTTOM_MM = 35.0
MARGIN_LEFT_MM = 28.0
MARGIN_RIGHT_MM = 26.0
TYPE_AREA_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 156
TYPE_AREA_HEIGHT_MM = PAGE_HEIGHT_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM  # 225
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28

# The page number's 一字线 sits 7 mm below the type area. Word measures the footer distance from the
# page edge to the bottom of the footer line, which is one exact 四号 line (14 pt = 4.94 mm) whose
# middle carries the dashes: 35 − 7 − 4.94 / 2 ≈ 25.5 mm.
PAGE_NUMBER_GAP_MM = 7.0
PAGE_NUMBER_LINE_PT = SI_HAO
FOOTER_DISTANCE_MM = MARGIN_BOTTOM_MM - PAGE_NUMBER_GAP_MM - PAGE_NUMBER_LINE_PT * 25.4 / 72 / 2
HEADER_DISTANCE_MM = 15.0

TWIPS_PER_PT = 20


def mm_to_twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


def pt_to_twips(pt: float) -> int:
    return round(pt * TWIPS_PER_PT)


# 22 lines in 225 mm: 637.8 pt / 22 = 28.99 pt; Word's grid takes whole twips and the 公文 templates in
# use write 579 (28.95 pt), which leaves the 22nd line room for rounding.
LINE_PITCH_TWIPS = 579
LINE_PITCH_PT = LINE_PITCH_TWIPS / TWIPS_PER_PT
# 28 characters in 156 mm: a pitch of 15.79 pt, a little less than a 3号 (16 pt) character.
CHAR_PITCH_PT = TYPE_AREA_WIDTH_MM / 25.4 * 72 / CHARS_PER_LINE
# Word's own way is a character grid (w:type="linesAndChars", pitch = Normal's size + charSpace/4096 pt)
# that squeezes each 16 pt character into its 15.79 pt cell. LibreOffice cannot squeeze: it gives such
# a character two cells and sets 14–18 characters a line. So the grid here is a line grid (22 lines of
# 28.95 pt, the same in every program) and the 3号 styles are condensed by 0.25 pt (w:spacing −5), which
# puts 28 characters on a line in Word, WPS and LibreOffice alike (28 × 15.75 pt = 441 pt ≤ 442.2 pt).
# charSpace is still written, so switching the grid to "lines and characters" in WPS gives 28 too.
DOC_GRID_TYPE = "lines"
CHAR_SPACE = round((CHAR_PITCH_PT - SAN_HAO) * 4096)  # −849
CONDENSE_TWENTIETHS = -5  # w:spacing on 3号 runs: −0.25 pt

# One character of body text (for indents given in twips beside the *Chars attributes).
BODY_CHAR_TWIPS = pt_to_twips(SAN_HAO)


# -- styles --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StyleSpec:
    """A paragraph style: how it looks, and what the writer uses it for."""

    name: str  # the style's name as Word/WPS show it (built-in names stay English, WPS translates)
    style_id: str
    font: str
    size_pt: float
    bold: bool = False
    align: str = "both"  # w:jc: left, center, right, both
    first_line_chars: int = 0  # hundredths of a character (200 = two characters)
    line_exact_twips: int | None = LINE_PITCH_TWIPS  # None: single spacing (tables)
    outline_level: int | None = None
    keep_next: bool = False
    snap_to_grid: bool = True
    condense: int = 0  # w:spacing in twentieths of a point (negative: condensed)
    based_on: str = "Normal"
    purpose: str = ""


# Style names the writer asks for (keys) → their specification. Templates must define all of them.
BODY = "公文正文"
TITLE = "Title"
HEADING = ("Heading 1", "Heading 2", "Heading 3", "Heading 4")
ADDRESSEE = "主送机关"
SIGNATURE = "落款"
ANNEX_NOTE = "附件说明"
ANNEX_LABEL = "附件标识"
COVER_TITLE = "封面标题"
COVER_SIGNER = "封面落款"
PAGE_NUMBER = "页码"
TABLE_TEXT = "表格文字"
TABLE_HEADER = "表格标题行"
TABLE_STYLE = "公文表格"

STYLES: tuple[StyleSpec, ...] = (
    StyleSpec(
        "Normal",
        "Normal",
        FANGSONG,
        SAN_HAO,
        line_exact_twips=None,
        based_on="",
        condense=CONDENSE_TWENTIETHS,
        purpose="基础样式",
    ),
    StyleSpec(
        BODY,
        "GwBody",
        FANGSONG,
        SAN_HAO,
        first_line_chars=200,
        condense=CONDENSE_TWENTIETHS,
        purpose="正文：3号仿宋，首行缩进2字",
    ),
    StyleSpec(
        TITLE,
        "Title",
        XIAOBIAOSONG,
        ER_HAO,
        align="center",
        keep_next=True,
        snap_to_grid=False,  # a 22 pt line must keep its exact 28.95 pt, not take two grid lines
        purpose="标题：2号小标宋",
    ),
    StyleSpec(
        HEADING[0],
        "Heading1",
        HEITI,
        SAN_HAO,
        first_line_chars=200,
        outline_level=0,
        keep_next=True,
        condense=CONDENSE_TWENTIETHS,
        purpose="一级标题“一、”：3号黑体",
    ),
    StyleSpec(
        HEADING[1],
        "Heading2",
        KAITI,
        SAN_HAO,
        first_line_chars=200,
        outline_level=1,
        keep_next=True,
        condense=CONDENSE_TWENTIETHS,
        purpose="二级标题“（一）”：3号楷体",
    ),
    StyleSpec(
        HEADING[2],
        "Heading3",
        FANGSONG,
        SAN_HAO,
        first_line_chars=200,
        outline_level=2,
        keep_next=True,
        condense=CONDENSE_TWENTIETHS,
        purpose="三级标题“1.”：3号仿宋",
    ),
    StyleSpec(
        HEADING[3],
        "Heading4",
        FANGSONG,
        SAN_HAO,
        first_line_chars=200,
        outline_level=3,
        keep_next=True,
        condense=CONDENSE_TWENTIETHS,
        purpose="四级标题“（1）”：3号仿宋",
    ),
    StyleSpec(
        ADDRESSEE,
        "GwAddressee",
        FANGSONG,
        SAN_HAO,
        align="left",
        condense=CONDENSE_TWENTIETHS,
        purpose="主送机关：顶格",
    ),
    StyleSpec(
        SIGNATURE,
        "GwSignature",
        FANGSONG,
        SAN_HAO,
        align="right",
        condense=CONDENSE_TWENTIETHS,
        purpose="发文机关署名与成文日期",
    ),
    StyleSpec(
        ANNEX_NOTE,
        "GwAnnexNote",
        FANGSONG,
        SAN_HAO,
        align="left",
        condense=CONDENSE_TWENTIETHS,
        purpose="附件说明",
    ),
    StyleSpec(
        ANNEX_LABEL,
        "GwAnnexLabel",
        HEITI,
        SAN_HAO,
        align="left",
        keep_next=True,
        condense=CONDENSE_TWENTIETHS,
        purpose="附件标识：黑体顶格",
    ),
    StyleSpec(
        COVER_TITLE,
        "GwCoverTitle",
        XIAOBIAOSONG,
        XIAO_CHU,
        align="center",
        line_exact_twips=pt_to_twips(60),
        keep_next=True,
        snap_to_grid=False,
        purpose="封面标题",
    ),
    StyleSpec(COVER_SIGNER, "GwCoverSigner", FANGSONG, XIAO_ER, align="left", purpose="封面署名与日期"),
    StyleSpec(
        PAGE_NUMBER,
        "GwPageNumber",
        SONG,
        SI_HAO,
        align="right",
        line_exact_twips=pt_to_twips(PAGE_NUMBER_LINE_PT),
        snap_to_grid=False,
        purpose="页码：4号半角宋体",
    ),
    StyleSpec(
        TABLE_TEXT,
        "GwTableText",
        SONG,
        WU_HAO,
        align="left",
        line_exact_twips=None,
        snap_to_grid=False,
        purpose="表格内文字：5号宋体，单倍行距",
    ),
    StyleSpec(
        TABLE_HEADER,
        "GwTableHeader",
        SONG,
        WU_HAO,
        bold=True,
        align="center",
        line_exact_twips=None,
        snap_to_grid=False,
        based_on=TABLE_TEXT,
        purpose="表头",
    ),
)

STYLE_BY_NAME = {spec.name: spec for spec in STYLES}
REQUIRED_STYLES: tuple[str, ...] = tuple(spec.name for spec in STYLES if spec.name != "Normal")

_THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def _w(name: str) -> str:
    from docx.oxml.ns import qn

    return qn(f"w:{name}")


def set_run_fonts(rpr, font: str) -> None:
    """Set every script's font on an `w:rPr` and drop theme fonts, which would override it."""
    rfonts = rpr.get_or_add_rFonts()
    for attr in _THEME_ATTRS:
        rfonts.attrib.pop(_w(attr), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(_w(attr), font)


def strip_theme_fonts(document: DocxDocument) -> int:
    """Remove theme-font attributes from every `w:rFonts` in the styles and the body; returns how
    many were removed. Idempotent, so it is safe on templates a user saved from WPS."""
    removed = 0
    roots = [document.styles.element, document.element]
    for section in document.sections:
        for part in (section.header, section.footer, section.even_page_header, section.even_page_footer):
            if not part.is_linked_to_previous:
                roots.append(part._element)
    for root in roots:
        for rfonts in root.iter(_w("rFonts")):
            for attr in _THEME_ATTRS:
                if rfonts.attrib.pop(_w(attr), None) is not None:
                    removed += 1
    return removed


def _reset(element, tag: str):
    """Remove the child `tag` of a style element and add an empty one (in schema order)."""
    existing = element.find(_w(tag))
    if existing is not None:
        element.remove(existing)
    return element.get_or_add_pPr() if tag == "pPr" else element.get_or_add_rPr()


def _apply_paragraph_props(ppr, spec: StyleSpec) -> None:
    from docx.oxml import OxmlElement

    def add(tag: str, **attrs: str):
        el = OxmlElement(f"w:{tag}")
        for key, value in attrs.items():
            el.set(_w(key), value)
        ppr.append(el)
        return el

    # Children in the schema's order (CT_PPrBase).
    if spec.keep_next:
        add("keepNext")
    if not spec.snap_to_grid:
        add("snapToGrid", val="0")
    if spec.line_exact_twips is None:
        add("spacing", before="0", after="0", line="240", lineRule="auto")
    else:
        add("spacing", before="0", after="0", line=str(spec.line_exact_twips), lineRule="exact")
    if spec.first_line_chars:
        twips = BODY_CHAR_TWIPS * spec.first_line_chars // 100
        add("ind", left="0", leftChars="0", firstLine=str(twips), firstLineChars=str(spec.first_line_chars))
    else:
        add("ind", left="0", leftChars="0", firstLine="0", firstLineChars="0")
    add("jc", val=spec.align)
    if spec.outline_level is not None:
        add("outlineLvl", val=str(spec.outline_level))


def _apply_run_props(rpr, spec: StyleSpec) -> None:
    from docx.oxml import OxmlElement

    set_run_fonts(rpr, spec.font)
    for tag in ("b", "bCs"):
        el = OxmlElement(f"w:{tag}")
        el.set(_w("val"), "1" if spec.bold else "0")
        rpr.append(el)
    color = OxmlElement("w:color")
    color.set(_w("val"), "000000")
    rpr.append(color)
    spacing = OxmlElement("w:spacing")  # always written: tables must not inherit Normal's condensing
    spacing.set(_w("val"), str(spec.condense))
    rpr.append(spacing)
    half_points = str(round(spec.size_pt * 2))
    for tag in ("sz", "szCs"):
        el = OxmlElement(f"w:{tag}")
        el.set(_w("val"), half_points)
        rpr.append(el)
    # Reorder children into schema order: rFonts, b, bCs, ..., color, ..., sz, szCs.
    tags = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "color", "spacing", "w", "kern", "sz", "szCs")
    order = {_w(t): i for i, t in enumerate(tags)}
    children = sorted(rpr, key=lambda c: order.get(c.tag, 99))
    for child in children:
        rpr.remove(child)
        rpr.append(child)


def define_style(document: DocxDocument, spec: StyleSpec) -> None:
    """Create or redefine one paragraph style exactly as `spec` says (old properties dropped)."""
    from docx.enum.style import WD_STYLE_TYPE

    styles = document.styles
    existing = next((s for s in styles if s.name == spec.name), None)
    style = existing or styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
    el = style.element
    if existing is None:
        el.set(_w("styleId"), spec.style_id)
    if spec.based_on:
        style.base_style = next(s for s in styles if s.name == spec.based_on)
    else:
        style.base_style = None
    if spec.name in HEADING or spec.name == TITLE:
        style.next_paragraph_style = next((s for s in styles if s.name == BODY), style)
    style.quick_style = True
    style.hidden = False
    style.unhide_when_used = False
    _apply_paragraph_props(_reset(el, "pPr"), spec)
    _apply_run_props(_reset(el, "rPr"), spec)


def define_table_style(document: DocxDocument) -> None:
    """公文表格: single 0.5 pt borders everywhere, small cell margins, no fixed line spacing."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    styles = document.styles
    style = next((s for s in styles if s.name == TABLE_STYLE), None)
    if style is None:
        style = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE)
        style.element.set(_w("styleId"), "GwTable")
    el = style.element
    for child in list(el):
        if child.tag in (_w("pPr"), _w("rPr"), _w("tblPr"), _w("tcPr")):
            el.remove(child)
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    el.append(
        parse_xml(
            f"<w:tblPr {nsdecls('w')}><w:tblBorders>{borders}</w:tblBorders>"
            '<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
            '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        )
    )


def apply_document_defaults(document: DocxDocument) -> None:
    """docDefaults: 仿宋 3号, zh-CN, no spacing after (python-docx's template adds 10 pt after)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    styles_el = document.styles.element
    defaults = styles_el.find(_w("docDefaults"))
    if defaults is not None:
        styles_el.remove(defaults)
    size = str(round(SAN_HAO * 2))
    defaults = parse_xml(
        f"<w:docDefaults {nsdecls('w')}><w:rPrDefault><w:rPr>"
        f'<w:rFonts w:ascii="{FANGSONG}" w:hAnsi="{FANGSONG}" w:eastAsia="{FANGSONG}" w:cs="{FANGSONG}"/>'
        f'<w:kern w:val="2"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    styles_el.insert(0, defaults)


def apply_page_setup(section) -> None:
    """A4, the 版心 margins, and the 22 × 28 document grid on one python-docx Section."""
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.shared import Mm

    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(PAGE_WIDTH_MM)
    section.page_height = Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(MARGIN_TOP_MM)
    section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
    section.left_margin = Mm(MARGIN_LEFT_MM)
    section.right_margin = Mm(MARGIN_RIGHT_MM)
    section.header_distance = Mm(HEADER_DISTANCE_MM)
    section.footer_distance = Mm(FOOTER_DISTANCE_MM)
    section.gutter = Mm(0)
    sect_pr = section._sectPr
    grid = sect_pr.find(_w("docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.attrib.clear()
    grid.set(_w("type"), DOC_GRID_TYPE)
    grid.set(_w("linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(_w("charSpace"), str(CHAR_SPACE))


def apply_gbt9704(document: DocxDocument) -> None:
    """Give a python-docx Document the whole format: defaults, every style, the page of every section."""
    apply_document_defaults(document)
    strip_theme_fonts(document)
    for spec in STYLES:
        define_style(document, spec)
    define_table_style(document)
    for section in document.sections:
        apply_page_setup(section)
