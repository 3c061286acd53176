"""The Word writer for 公文-style reports (GB/T 9704-2012), on python-docx.

A report is a list of blocks (plain data: `Title`, `Heading`, `Paragraph`, `Signature`, `Table` …)
that `write_docx` lays out on a template (see `docx_template`): the template gives the page setup and
the styles, this module gives the structure — the cover section, page numbers "— 1 —" on odd (right)
and even (left) pages, the 落款 indents, the annex list, Word tables.

Headings: a standalone heading is a paragraph in the "Heading N" style (so it shows in the navigation
pane); a run-in heading (“（一）高度重视，明确责任。正文……”) is a body paragraph whose first run is
set in the heading's font. Numbers ("一、", "（一）", "1.", "（1）") come from the caller, never from
the prose. Every run carries the fonts of its style explicitly (ascii, hAnsi and eastAsia), read from
the template in use, so a template edited in WPS still decides the look.

python-docx is imported inside the functions: importing this module costs nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from app import dates
from app.exports import docx_page_fill as page_fill
from app.exports import docx_spec as spec
from app.exports.docx_blocks import (
    Addressee,
    Annex,
    AnnexNote,
    BlankLine,
    Block,
    Cell,
    Cover,
    Heading,
    Ordinal,
    Paragraph,
    Signature,
    Table,
    TableNote,
    Title,
)
from app.exports.docx_table_layout import place_cells, width_in_chars

# re-exported: the reports measure titles with it, and build their blocks from here
__all__ = [
    "Addressee",
    "Annex",
    "AnnexNote",
    "BlankLine",
    "Block",
    "Cell",
    "Cover",
    "Heading",
    "Ordinal",
    "Paragraph",
    "Signature",
    "Table",
    "TableNote",
    "Title",
    "width_in_chars",
]

HEADING_PUNCTUATION = "。！？：；，、.!?:;,"
BLANK_DATE = "　　年　　月　　日"


# -- text helpers ------------------------------------------------------------------------------------


def cn_date(value: date | None) -> str:
    """成文日期 in Arabic numerals without leading zeros: 2024年7月1日; blank slots when None."""
    if value is None:
        return BLANK_DATE
    return dates.cn_date(value)


def run_in_title(title: str) -> str:
    """A run-in heading ends with a full stop before its text follows (“（一）高度重视，明确责任。”)."""
    title = title.strip()
    return title if not title or title[-1] in HEADING_PUNCTUATION else title + "。"


def signature_indents(signer: str, date_text: str, seal: bool) -> tuple[float, float]:
    """Right indents (in characters) of the signer line and the date line.

    With a seal the date is right-indented 4 characters and the signer centred above it; without, the
    signer is right-indented 2 and the date starts 2 characters to the right of the signer's start
    (GB/T 9704-2012 7.3.5)."""
    n, d = width_in_chars(signer), width_in_chars(date_text)
    if seal:
        return max(0.0, 4 + (d - n) / 2), 4.0
    if d <= n - 2:
        return 2.0, n - d
    return d - n + 4, 2.0


# -- the writer ----------------------------------------------------------------------------------------


def _w(name: str) -> str:
    from docx.oxml.ns import qn

    return qn(f"w:{name}")


class TemplateStyleError(Exception):
    """The template lacks a style the writer needs (validated templates never raise this)."""


@dataclass(frozen=True)
class _RunFormat:
    ascii: str
    east_asia: str
    half_points: int | None
    bold: bool | None


class GongwenWriter:
    def __init__(self, template: Path) -> None:
        from docx import Document

        self.doc = Document(str(template))
        self.doc.element.body.clear_content()
        spec.strip_theme_fonts(self.doc)
        self._styles: dict[str, Any] = {}
        self._style_index = None
        self._formats: dict[str, _RunFormat] = {}
        self._has_cover = False

    # -- styles of the template ------------------------------------------------------------------

    def style(self, name: str):
        if name not in self._styles:
            from app.exports.docx_template import StyleIndex

            if self._style_index is None:
                self._style_index = StyleIndex(self.doc)
            found = self._style_index.find(name)
            if found is None:
                raise TemplateStyleError(name)
            self._styles[name] = found
        return self._styles[name]

    def _format(self, style_name: str) -> _RunFormat:
        """The fonts and size a style resolves to (walking its base styles, then the defaults)."""
        if style_name in self._formats:
            return self._formats[style_name]
        found: dict[str, Any] = {}
        style = self.style(style_name)
        chain = []
        while style is not None:
            chain.append(style.element.rPr)
            style = style.base_style
        defaults = self.doc.styles.element.find(_w("docDefaults"))
        if defaults is not None:
            chain.append(defaults.find(f"{_w('rPrDefault')}/{_w('rPr')}"))
        for rpr in chain:
            if rpr is None:
                continue
            fonts = rpr.find(_w("rFonts"))
            if fonts is not None:
                for key in ("ascii", "eastAsia"):
                    value = fonts.get(_w(key))
                    if value and key not in found:
                        found[key] = value
            size = rpr.find(_w("sz"))
            if size is not None and "sz" not in found:
                found["sz"] = int(size.get(_w("val")))
            bold = rpr.find(_w("b"))
            if bold is not None and "b" not in found:
                found["b"] = bold.get(_w("val"), "1") not in ("0", "false", "off")
        east_asia = found.get("eastAsia") or found.get("ascii") or spec.FANGSONG
        result = _RunFormat(found.get("ascii") or east_asia, east_asia, found.get("sz"), found.get("b"))
        self._formats[style_name] = result
        return result

    # -- paragraphs and runs -----------------------------------------------------------------------

    def _paragraph(self, style_name: str, container=None):
        target = container if container is not None else self.doc
        paragraph = target.add_paragraph()
        self._set_style(paragraph, style_name)
        return paragraph

    def _set_style(self, paragraph, style_name: str) -> None:
        """By id, straight into w:pStyle (python-docx's `paragraph.style =` looks the default
        style up on every call)."""
        _set_pstyle(paragraph._p, self.style(style_name).style_id)

    def _run(self, paragraph, text: str, style_name: str, *, bold: bool | None = None):
        """A run in the style's fonts and size. Built with lxml directly: python-docx's get-or-add
        helpers search the schema's successor lists on every element, most of a report's time."""
        from docx.text.run import Run

        r = _sub(paragraph._p, "r")
        _add_rpr(r, self._format(style_name), bold)
        if text:
            _add_text(r, text)
        return Run(r, paragraph)

    @staticmethod
    def _indent(paragraph, **chars: float) -> None:
        """Set w:ind in characters (hundredths, as Word's grid uses) with the twips beside them."""
        ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
        for key, value in chars.items():
            ind.set(_w(key), str(round(value * spec.BODY_CHAR_TWIPS)))
            ind.set(_w(f"{key}Chars"), str(round(value * 100)))

    # -- blocks ----------------------------------------------------------------------------------------

    def add(self, block: Block) -> None:
        handler = getattr(self, f"_add_{type(block).__name__.lower()}")
        handler(block)

    def add_all(self, blocks: Iterable[Block]) -> None:
        for block in blocks:
            self.add(block)

    def _add_cover(self, block: Cover) -> None:
        from docx.shared import Pt

        if self._has_cover or len(self.doc.element.body) > 1:
            raise ValueError("the cover must be the first block")
        top = self._paragraph(spec.COVER_TITLE)
        top.paragraph_format.space_before = Pt(spec.LINE_PITCH_PT * 3)
        size = self._fitting_size(spec.COVER_TITLE, block.title_lines)
        for index, line in enumerate(block.title_lines):
            if index:
                self._run(top, "", spec.COVER_TITLE).add_break()
            run = self._run(top, line, spec.COVER_TITLE)
            run.font.size = Pt(size)
        signer = self._paragraph(spec.COVER_SIGNER)
        signer.paragraph_format.space_before = Pt(spec.LINE_PITCH_PT * 7)
        self._run(signer, block.signer, spec.COVER_SIGNER)
        self._indent(signer, left=2)
        when = self._paragraph(spec.COVER_SIGNER)
        self._run(when, block.date, spec.COVER_SIGNER)
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        when.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self._indent(when, right=4)
        self._end_cover_section(when)
        self._has_cover = True

    def _fitting_size(self, style_name: str, lines: Sequence[str]) -> float:
        """The style's size, or the largest smaller standard size (一号, 小一, 二号…) at which each of
        `lines` fits on one line of the type area."""
        fmt = self._format(style_name)
        largest = (fmt.half_points or 72) / 2
        widest = max((width_in_chars(line) for line in lines), default=0)
        width_pt = spec.TYPE_AREA_WIDTH_MM / 25.4 * 72
        for size in (largest, *(s for s in spec.STANDARD_SIZES if s < largest)):
            if widest * size <= width_pt:
                return size
        return spec.STANDARD_SIZES[-1]

    def _end_cover_section(self, last_paragraph) -> None:
        """Close the cover's section in its last paragraph (a copy of the body's page setup without
        header/footer references, so the cover shows no page number)."""
        import copy

        body_sect = self.doc.element.body.get_or_add_sectPr()
        cover_sect = copy.deepcopy(body_sect)
        for ref in cover_sect.xpath("w:headerReference|w:footerReference|w:pgNumType|w:titlePg"):
            cover_sect.remove(ref)
        last_paragraph._p.get_or_add_pPr().append(cover_sect)

    def _add_title(self, block: Title) -> None:
        paragraph = self._paragraph(spec.TITLE)
        for index, line in enumerate(block.lines):
            if index:
                self._run(paragraph, "", spec.TITLE).add_break()
            self._run(paragraph, line, spec.TITLE)
        self._add_blankline(BlankLine())

    def _add_addressee(self, block: Addressee) -> None:
        text = block.text.strip().rstrip(":：") + "："
        self._run(self._paragraph(spec.ADDRESSEE), text, spec.ADDRESSEE)

    def _add_heading(self, block: Heading) -> None:
        if not 1 <= block.level <= 4:
            raise ValueError(f"heading level {block.level}")
        heading_style = spec.HEADING[block.level - 1]
        if block.run_in is None:
            paragraph = self._paragraph(heading_style)
            self._run(paragraph, f"{block.number}{block.title.strip()}", heading_style)
            return
        paragraph = self._paragraph(spec.BODY)
        self._run(paragraph, f"{block.number}{run_in_title(block.title)}", heading_style)
        if block.run_in:
            self._run(paragraph, block.run_in, spec.BODY)

    def _add_ordinal(self, block: Ordinal) -> None:
        paragraph = self._paragraph(spec.BODY)
        self._run(paragraph, f"{block.number}{run_in_title(block.title)}", spec.BODY)
        if block.text:
            self._run(paragraph, block.text, spec.BODY)

    def _add_paragraph(self, block: Paragraph) -> None:
        self._run(self._paragraph(spec.BODY), block.text, spec.BODY)

    def _add_blankline(self, _block: BlankLine) -> None:
        self._paragraph(spec.BODY)

    def _add_annexnote(self, block: AnnexNote) -> None:
        items = [item.strip() for item in block.items if item.strip()]
        numbered = len(items) > 1
        for index, item in enumerate(items):
            number = f"{index + 1}." if numbered else ""
            lead = "附件：" if index == 0 else ""
            paragraph = self._paragraph(spec.ANNEX_NOTE)
            self._run(paragraph, f"{lead}{number}{item}", spec.ANNEX_NOTE)
            # Continuation lines align with the first character of the annex name.
            number_width = width_in_chars(number)
            hang = number_width + (3 if index == 0 else 0)
            self._indent(paragraph, left=2 + 3 + number_width, hanging=hang)

    def _add_signature(self, block: Signature) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        # The 落款 never stands alone on a page: the text above it (the blank line and the last
        # paragraph, whose last lines widow control keeps together) goes over with it.
        for paragraph in self.doc.paragraphs[-2:]:
            paragraph.paragraph_format.keep_with_next = True
        signer_right, date_right = signature_indents(block.signer, block.date, block.seal)
        for index, (text, right) in enumerate(((block.signer, signer_right), (block.date, date_right))):
            paragraph = self._paragraph(spec.SIGNATURE)
            if index == 0:
                paragraph.paragraph_format.keep_with_next = True
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            self._run(paragraph, text, spec.SIGNATURE)
            self._indent(paragraph, right=right)

    def _add_annex(self, block: Annex) -> None:
        label = self._paragraph(spec.ANNEX_LABEL)
        label.paragraph_format.page_break_before = True
        self._run(label, block.label, spec.ANNEX_LABEL)
        self._add_blankline(BlankLine())
        self._add_title(Title(block.title_lines))
        for p in self._last_paragraphs(3):  # the blank line, the title, its blank line: kept with the table
            p.get_or_add_pPr().keepNext_val = True
        inner_blocks = page_fill.keep_tails(block, self._format(spec.TABLE_TEXT).half_points or 21)
        for index, inner in enumerate(inner_blocks):
            self.add(inner)
            following = inner_blocks[index + 1] if index + 1 < len(inner_blocks) else None
            if isinstance(inner, TableNote) and following is not None:
                # A note before a table (填报单位 …) or between the notes under it stays with what follows.
                self._last_paragraphs(1)[0].get_or_add_pPr().keepNext_val = True

    def _last_paragraphs(self, count: int) -> list[Any]:
        found: list[Any] = []
        for element in reversed(self.doc.element.body):
            if element.tag == _w("p"):
                found.append(element)
                if len(found) == count:
                    break
        return found

    def _add_tablenote(self, block: TableNote) -> None:
        self._run(self._paragraph(spec.TABLE_TEXT), block.text, spec.TABLE_TEXT)

    def _add_table(self, block: Table) -> None:
        """The table's XML is written directly (gridSpan / vMerge on the cells): python-docx's
        cell lookup and merge walk the whole table each time, minutes for a 40-row 自评表."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.shared import Mm

        placed = place_cells(block.rows, len(block.widths_mm))
        columns = len(block.widths_mm)
        table = self.doc.add_table(rows=0, cols=columns)
        table._tbl.tblStyle_val = self.style(spec.TABLE_STYLE).style_id
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for index, width in enumerate(block.widths_mm):
            table.columns[index].width = Mm(width)
        tbl = table._tbl
        default_width = str(self.doc._block_width // columns // 635) if columns else "0"
        header_style = self.style(spec.TABLE_HEADER).style_id
        text_style = self.style(spec.TABLE_TEXT).style_id
        header_format, text_format = self._format(spec.TABLE_HEADER), self._format(spec.TABLE_TEXT)
        # Where each cell continues (rowspan > 1) into later rows: (row, col) -> the spanning cell.
        continued: dict[tuple[int, int], Cell] = {}
        covered: set[tuple[int, int]] = set()
        for (row, col), cell_spec in placed.items():
            for r in range(row, row + cell_spec.rowspan):
                if r != row:
                    continued[(r, col)] = cell_spec
                covered.update((r, c) for c in range(col + 1, col + cell_spec.colspan))
        keep = block.keep_with_next
        for row in range(len(block.rows)):
            tr = _sub(tbl, "tr")
            tr_pr = _sub(tr, "trPr")
            _sub(tr_pr, "cantSplit")  # a row is never broken across pages
            header = row < block.header_rows
            if header:
                _sub(tr_pr, "tblHeader")
            for col in range(columns):
                if (row, col) in covered:
                    continue
                cell_spec = placed.get((row, col)) or continued.get((row, col))
                tc = _sub(tr, "tc")
                tc_pr = _sub(tc, "tcPr")
                if cell_spec is None:  # a position no cell reaches: an empty cell, as python-docx leaves it
                    _sub(tc_pr, "tcW", type="dxa", w=default_width)
                    _sub(tc, "p")
                    continue
                width = Mm(sum(block.widths_mm[col : col + cell_spec.colspan]))
                _sub(tc_pr, "tcW", type="dxa", w=str(width.twips))
                if cell_spec.colspan > 1:
                    _sub(tc_pr, "gridSpan", val=str(cell_spec.colspan))
                starts = (row, col) in placed
                if cell_spec.rowspan > 1:
                    if starts:
                        _sub(tc_pr, "vMerge", val="restart")
                    else:
                        _sub(tc_pr, "vMerge")
                _sub(tc_pr, "vAlign", val="center")
                if not starts:
                    _set_pstyle(_sub(tc, "p"), text_style)
                    continue
                lines = cell_spec.text.split("\n") if cell_spec.text else [""]
                bold = True if (cell_spec.bold and not header) else None
                for line in lines:
                    p = _sub(tc, "p")
                    p_pr = _sub(p, "pPr")
                    _sub(p_pr, "pStyle", val=header_style if header else text_style)
                    if row in keep:
                        _sub(p_pr, "keepNext")
                    _sub(p_pr, "jc", val="center" if header else cell_spec.align)
                    if line:
                        r = _sub(p, "r")
                        _add_rpr(r, header_format if header else text_format, bold)
                        _add_text(r, line)
        # Word needs a paragraph between a table and whatever follows (another table, a section end).
        after = self._paragraph(spec.TABLE_TEXT)
        if block.continued or block.page_break_after:
            _hairline(after)
            after.paragraph_format.keep_with_next = True
        if block.page_break_after:  # the hairline goes over with the rest: a break before the page's top
            after.paragraph_format.page_break_before = True

    # -- saving ------------------------------------------------------------------------------------------

    def _page_number_footers(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement

        self.doc.settings.odd_and_even_pages_header_footer = True
        section = self.doc.sections[-1]
        section.different_first_page_header_footer = False
        sect_pr = section._sectPr
        for old in sect_pr.findall(_w("pgNumType")):
            sect_pr.remove(old)
        numbering = OxmlElement("w:pgNumType")
        numbering.set(_w("start"), "1")
        successors = (
            "cols",
            "formProt",
            "vAlign",
            "noEndnote",
            "titlePg",
            "textDirection",
            "bidi",
            "rtlGutter",
            "docGrid",
        )
        anchor = next(
            (sect_pr.find(_w(tag)) for tag in successors if sect_pr.find(_w(tag)) is not None), None
        )
        if anchor is not None:
            anchor.addprevious(numbering)
        else:
            sect_pr.append(numbering)
        for footer, align, side in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
        ):
            footer.is_linked_to_previous = False
            element = footer._element
            for child in list(element):
                element.remove(child)
            paragraph = footer.add_paragraph()
            self._set_style(paragraph, spec.PAGE_NUMBER)
            paragraph.alignment = align
            # 单页码居右空一字, 双页码居左空一字 (one 四号 character).
            ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
            ind.set(_w(side), str(spec.pt_to_twips(spec.SI_HAO)))
            self._run(paragraph, "— ", spec.PAGE_NUMBER)
            self._field(paragraph, "PAGE", "1")
            self._run(paragraph, " —", spec.PAGE_NUMBER)

    def _field(self, paragraph, instruction: str, shown: str) -> None:
        from docx.oxml import OxmlElement

        def fld_char(kind: str) -> None:
            run = self._run(paragraph, "", spec.PAGE_NUMBER)
            char = OxmlElement("w:fldChar")
            char.set(_w("fldCharType"), kind)
            run._r.append(char)

        fld_char("begin")
        run = self._run(paragraph, "", spec.PAGE_NUMBER)
        instr = OxmlElement("w:instrText")
        instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        instr.text = f" {instruction} "
        run._r.append(instr)
        fld_char("separate")
        self._run(paragraph, shown, spec.PAGE_NUMBER)
        fld_char("end")

    def save(self, path: Path) -> None:
        self._page_number_footers()
        self.doc.save(str(path))


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _sub(parent, tag: str, **attributes: str):
    """Append a w:`tag` child with w: attributes (`makeelement` keeps python-docx's element classes)."""
    element = parent.makeelement(f"{{{_W_NS}}}{tag}", {f"{{{_W_NS}}}{k}": v for k, v in attributes.items()})
    parent.append(element)
    return element


def _set_pstyle(p, style_id: str) -> None:
    """w:pPr/w:pStyle of paragraph element `p` (both first in their parents, as the schema wants)."""
    ppr = p.find(f"{{{_W_NS}}}pPr")
    if ppr is None:
        ppr = p.makeelement(f"{{{_W_NS}}}pPr", {})
        p.insert(0, ppr)
    pstyle = ppr.find(f"{{{_W_NS}}}pStyle")
    if pstyle is None:
        pstyle = ppr.makeelement(f"{{{_W_NS}}}pStyle", {})
        ppr.insert(0, pstyle)
    pstyle.set(f"{{{_W_NS}}}val", style_id)


def _add_rpr(r, fmt: _RunFormat, bold: bool | None) -> None:
    """w:rPr with the fonts (rFonts), bold (b) and size (sz) of a run, in the schema's order."""
    rpr = _sub(r, "rPr")
    _sub(rpr, "rFonts", ascii=fmt.ascii, hAnsi=fmt.ascii, eastAsia=fmt.east_asia, cs=fmt.ascii)
    if bold is True:
        _sub(rpr, "b")
    elif bold is False:
        _sub(rpr, "b", val="0")
    if fmt.half_points:
        _sub(rpr, "sz", val=str(fmt.half_points))


def _add_text(r, text: str) -> None:
    """The run's text as w:t; tabs and line breaks as w:tab / w:br (python-docx's rules)."""
    if "\t" in text or "\n" in text or "\r" in text:
        r.text = text  # python-docx's CT_R setter splits them out, keeping w:rPr
        return
    t = _sub(r, "t")
    t.text = text
    if len(text.strip()) < len(text):
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _hairline(paragraph) -> None:
    """A paragraph 1 pt high, holding nothing: two tables either side of it print as one."""
    from docx.shared import Pt

    fmt = paragraph.paragraph_format
    fmt.line_spacing = Pt(1)
    fmt.space_before = fmt.space_after = Pt(0)
    r = _sub(paragraph._p, "r")
    r_pr = _sub(r, "rPr")
    _sub(r_pr, "sz", val="2")
    _sub(r_pr, "szCs", val="2")


def write_docx(blocks: Sequence[Block], path: Path, template: Path) -> None:
    """Lay `blocks` out on `template` and save the document to `path`."""
    writer = GongwenWriter(template)
    writer.add_all(blocks)
    writer.save(path)
