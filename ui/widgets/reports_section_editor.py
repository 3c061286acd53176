"""The editor of one report section: its title and layout, the text with 【数据】 placeholders, the
figure picker and the draft, and a preview of the paragraph as it will be exported."""

from __future__ import annotations

import html
from dataclasses import dataclass, replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.exports.docx_writer import run_in_title
from app.services.reports.build import paragraphs
from app.services.reports.figures import EMPTY_VALUE, PLACEHOLDER, FigureSet
from app.services.reports.outline import OutlineNode
from app.services.reports.prose import SectionText


@dataclass
class SectionView:
    """What the editor shows for one section: the working text and where it came from."""

    node: OutlineNode
    text: SectionText
    origin: str  # "stored", "draft", "empty", "generated"
    draft: str | None  # the drafted text on offer (None: no draft)


def preview_html(view: SectionView, figures: FigureSet) -> str:
    """The section as it will read in the document: numbers made, placeholders filled (blue), unknown
    ones in red, blank figures as the fill-in line (orange)."""
    node = view.node

    def fill(paragraph: str) -> str:
        out, last = [], 0
        for match in PLACEHOLDER.finditer(paragraph):
            out.append(html.escape(paragraph[last : match.start()]))
            resolution = figures.resolve(match.group(1))
            if resolution.figure is None:
                tip = html.escape(resolution.problem)
                out.append(
                    f'<span style="color:#c62828;text-decoration:underline" title="{tip}">'
                    f"{html.escape(match.group(0))}</span>"
                )
            elif resolution.figure.text == "":
                out.append(f'<span style="color:#b26a00">{EMPTY_VALUE}</span>')
            else:
                value = html.escape(resolution.figure.text).replace("\n", "<br>")
                out.append(f'<span style="color:#1565c0">{value}</span>')
            last = match.end()
        out.append(html.escape(paragraph[last:]))
        return "".join(out)

    paras = [fill(p) for p in paragraphs(view.text.text)]
    heading_fonts = {1: "font-weight:bold", 2: "font-style:italic"}
    indent = "text-indent:2em;margin:0 0 4px 0"
    blocks = []
    title = html.escape(view.text.title or node.title)
    if node.heading:
        number = html.escape(node.number)
        style = heading_fonts.get(node.depth, "") if not node.ordinal else ""
        if (node.run_in or node.ordinal) and paras:
            lead = html.escape(run_in_title(html.unescape(title)))
            blocks.append(f'<p style="{indent}"><span style="{style}">{number}{lead}</span>{paras[0]}</p>')
            paras = paras[1:]
        else:
            blocks.append(f'<p style="{indent};{style}">{number}{title}</p>')
    blocks.extend(f'<p style="{indent}">{p}</p>' for p in paras)
    if not blocks or (node.heading and len(blocks) == 1 and not view.text.text.strip()):
        blocks.append('<p style="color:#888">（本节暂无正文）</p>')
    return "".join(blocks)


class SectionEditor(QWidget):
    changed = Signal()
    insert_requested = Signal()
    draft_requested = Signal()
    confirm_requested = Signal()  # keep a text carried over from last year as it is

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view: SectionView | None = None
        self._figures = FigureSet([])
        self._loading = False
        self._has_title = self._has_run_in = self._has_hidden = False

        self.heading = QLabel()
        self.heading.setObjectName("sectionHeading")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() + 2)
        font.setBold(True)
        self.heading.setFont(font)
        self.origin = QLabel()
        self.origin.setWordWrap(True)
        self.confirm_button = QPushButton("核对无误，保留此段")
        self.confirm_button.setToolTip("上年结转的文字不需修改时点此，保存后不再提示核对")
        self.confirm_button.hide()
        origin_row = QHBoxLayout()
        origin_row.addWidget(self.origin, 1)
        origin_row.addWidget(self.confirm_button)

        self.title_label = QLabel("小节标题")
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(200)
        self.title_edit.setPlaceholderText("标题（编号由程序生成，不要输入“（一）”等编号）")
        # Short texts, the explanation in the tooltip: the editor must fit beside the outline.
        self.run_in = QCheckBox("标题与正文同段")
        self.run_in.setToolTip("标题后接正文，如“（一）高度重视。正文……”")
        self.hidden = QCheckBox("本年度不写此节")
        self.hidden.setToolTip("导出时略去此节，其余各节自动重新编号")

        self.insert_button = QPushButton("插入数据…")
        self.insert_button.setToolTip("在光标处插入一个数据占位符，导出时填入数值")
        self.draft_button = QPushButton("使用草稿")
        self.draft_button.setToolTip("用按数据生成的草稿替换本节文字")
        buttons = QHBoxLayout()
        buttons.addWidget(self.insert_button)
        buttons.addWidget(self.draft_button)
        buttons.addStretch(1)

        self.text = QPlainTextEdit()
        self.text.setObjectName("sectionText")
        self.text.setTabChangesFocus(True)
        text_font = QFont(self.text.font())
        text_font.setPointSizeF(text_font.pointSizeF() + 1)
        self.text.setFont(text_font)
        self.preview = QTextBrowser()
        self.preview.setObjectName("sectionPreview")
        self.preview.setOpenLinks(False)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color:#c62828")
        self.problems.hide()

        preview_box = QWidget()
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.addWidget(QLabel("导出效果预览（蓝色为填入的数据）"))
        preview_layout.addWidget(self.preview, 1)
        editor_box = QWidget()
        editor_layout = QVBoxLayout(editor_box)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addLayout(buttons)
        editor_layout.addWidget(self.text, 1)
        editor_layout.addWidget(self.problems)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(editor_box)
        splitter.addWidget(preview_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        title_row = QHBoxLayout()
        title_row.addWidget(self.title_label)
        title_row.addWidget(self.title_edit, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(origin_row)
        layout.addLayout(title_row)
        layout.addWidget(self.run_in)
        layout.addWidget(self.hidden)
        layout.addWidget(splitter, 1)

        self.text.textChanged.connect(self._on_edit)
        self.title_edit.textEdited.connect(self._on_edit)
        self.run_in.toggled.connect(self._on_edit)
        self.hidden.toggled.connect(self._on_edit)
        self.insert_button.clicked.connect(self.insert_requested)
        self.draft_button.clicked.connect(self.draft_requested)
        self.confirm_button.clicked.connect(self.confirm_requested)

    # -- showing a section ------------------------------------------------------------------------

    def show_section(self, view: SectionView, figures: FigureSet) -> None:
        self._loading = True
        self._view = view
        self._figures = figures
        node, text = view.node, view.text
        editable = node.kind != "generated"
        self.heading.setText(node.path)
        title_editable = node.kind == "custom" or (node.section is not None and node.section.title_editable)
        self._has_title = title_editable and node.heading
        self._has_run_in = node.heading and not node.ordinal and editable
        self._has_hidden = node.kind == "custom" or (
            node.kind == "fixed" and node.section is not None and node.section.optional
        )
        self.title_label.setVisible(self._has_title)
        self.title_edit.setVisible(self._has_title)
        self.title_edit.setText(text.title or node.title)
        self.run_in.setVisible(self._has_run_in)
        self.run_in.setChecked(node.run_in)
        self.hidden.setVisible(self._has_hidden)
        self.hidden.setChecked(text.hidden)
        self.text.setReadOnly(not editable)
        self.text.setPlainText(text.text)
        hint = node.section.hint if node.section is not None else ""
        self.text.setPlaceholderText(hint or "在此填写本节正文。每段一行；段首不必空格，首行缩进由模板完成。")
        self.insert_button.setEnabled(editable)
        self.draft_button.setEnabled(editable and view.draft is not None)
        self.draft_button.setToolTip(
            "用按数据生成的草稿替换本节文字" if view.draft is not None else "本节没有可用的草稿"
        )
        self._loading = False
        self._refresh()

    def set_heading(self, path: str) -> None:
        self.heading.setText(path)

    def view(self) -> SectionView | None:
        return self._view

    # -- editing --------------------------------------------------------------------------------------

    def current_text(self) -> SectionText:
        assert self._view is not None
        base = self._view.text
        title = self.title_edit.text().strip() if self._has_title else base.title
        node = self._view.node
        if node.kind == "fixed" and title == (node.section.title if node.section else ""):
            title = ""
        run_in = self.run_in.isChecked() if self._has_run_in else base.run_in
        default_run_in = node.section.run_in if node.kind == "fixed" and node.section else None
        if node.kind == "fixed" and run_in == default_run_in and base.run_in is None:
            run_in = None
        return replace(
            base,
            text=self.text.toPlainText(),
            title=title,
            run_in=run_in,
            hidden=self.hidden.isChecked() if self._has_hidden else base.hidden,
        )

    def _on_edit(self, *_args: object) -> None:
        if self._loading or self._view is None:
            return
        self._refresh()
        self.changed.emit()

    def insert_text(self, text: str) -> None:
        cursor = self.text.textCursor()
        cursor.insertText(text)
        self.text.setTextCursor(cursor)
        self.text.setFocus()

    def replace_text(self, text: str) -> None:
        cursor = self.text.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)  # one undo step, unlike setPlainText
        self.text.setTextCursor(cursor)

    def _refresh(self) -> None:
        if self._view is None:
            return
        current = replace(self._view, text=self.current_text())
        self.preview.setHtml(preview_html(current, self._figures))
        problems = []
        for match in PLACEHOLDER.finditer(current.text.text):
            resolution = self._figures.resolve(match.group(1))
            if resolution.figure is None:
                problems.append(f"{match.group(0)}：{resolution.problem}")
        self.problems.setText("无法识别的数据占位符（导出前须修改）：\n" + "\n".join(dict.fromkeys(problems)))
        self.problems.setVisible(bool(problems))

    def set_origin_text(self, text: str, warning: bool = False, *, confirmable: bool = False) -> None:
        self.origin.setText(text)
        self.origin.setStyleSheet("color:#b26a00" if warning else "color:#666")
        self.confirm_button.setVisible(confirmable)
