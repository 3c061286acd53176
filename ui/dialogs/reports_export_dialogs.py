"""The dialogs around an export: 校验 findings first, then the summary of what was written."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.findings import Finding
from ui.widgets.findings_panel import FindingsPanel


class FindingsBeforeExportDialog(QDialog):
    """校验结果 before the one-click export: warnings allow it; errors need an explicit confirmation."""

    jump_requested = Signal(object)  # Finding

    def __init__(self, year: int, findings: list[Finding], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"导出前校验 · {year}年度")
        self.resize(760, 480)
        self.findings = findings
        errors = sum(1 for f in findings if f.is_error)
        warnings = len(findings) - errors
        if errors:
            text = (
                f"校验发现 <b style='color:#c62828'>{errors} 项错误</b>、{warnings} 项警告。"
                "有错误的表格或报告数字可能不对，建议先修改（双击跳转到该处）。"
            )
        elif warnings:
            text = f"校验发现 {warnings} 项警告（不影响导出）。可以继续导出，或先处理（双击跳转到该处）。"
        else:
            text = "校验没有发现问题。"
        self.summary = QLabel(text)
        self.summary.setWordWrap(True)
        self.panel = FindingsPanel()
        self.panel.set_findings(findings)
        self.panel.jump_requested.connect(self._jump)
        self.confirm = QCheckBox("我已了解存在错误，仍要导出")
        self.confirm.setVisible(errors > 0)
        # Chosen by 导出草稿: the files the errors reach are listed as drafts in the summary.
        self.draft = False
        self.buttons = QDialogButtonBox()
        self.draft_button = self.buttons.addButton("导出草稿…", QDialogButtonBox.ButtonRole.ActionRole)
        self.draft_button.setToolTip("不逐项确认错误，先导出一份草稿：受错误影响的文件在导出清单中标为草稿")
        self.draft_button.setVisible(errors > 0)
        self.draft_button.clicked.connect(self._export_draft)
        self.export_button = self.buttons.addButton("继续导出…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.export_button.setEnabled(errors == 0)
        self.confirm.toggled.connect(self.export_button.setEnabled)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.panel, 1)
        layout.addWidget(self.confirm)
        layout.addWidget(self.buttons)

    def _export_draft(self) -> None:
        self.draft = True
        self.accept()

    def _jump(self, finding: Finding) -> None:
        self.reject()
        self.jump_requested.emit(finding)


class ExportSummaryDialog(QDialog):
    """What was written, grouped by table/report, with “打开文件夹”."""

    def __init__(
        self,
        folder: Path,
        by_exporter: list[tuple[str, list[Path]]],
        notes: list[str] | None = None,
        parent: QWidget | None = None,
        drafts: set[Path] | frozenset[Path] = frozenset(),
    ) -> None:
        super().__init__(parent)
        self.folder = folder
        self.drafts = set(drafts)
        self.setWindowTitle("导出完成（含草稿）" if drafts else "导出完成")
        self.resize(640, 420)
        count = sum(len(files) for _title, files in by_exporter)
        text = f"已导出 {count} 个文件到：<br><b>{folder}</b>"
        if drafts:
            text += (
                f"<br><span style='color:#c62828'>其中 {len(drafts)} 个文件为草稿：导出时校验有错误，"
                "数字可能不对，改正后请重新导出。</span>"
            )
        head = QLabel(text)
        head.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["文件"])
        for title, files in by_exporter:
            draft = "，草稿" if any(p in self.drafts for p in files) else ""
            group = QTreeWidgetItem([f"{title}（{len(files)}{draft}）"])
            for path in files:
                try:
                    shown = str(path.relative_to(folder))
                except ValueError:
                    shown = path.name
                child = QTreeWidgetItem([f"{shown}（草稿）" if path in self.drafts else shown])
                child.setToolTip(0, str(path))
                if path in self.drafts:
                    child.setForeground(0, QColor("#c62828"))
                group.addChild(child)
            self.tree.addTopLevelItem(group)
            group.setExpanded(True)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.tree, 1)
        self.notes = QLabel("\n".join(f"注意：{n}" for n in dict.fromkeys(notes or [])))
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color:#b26a00")
        self.notes.setVisible(bool(notes))
        layout.addWidget(self.notes)
        buttons = QDialogButtonBox()
        self.open_button = QPushButton("打开文件夹")
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.AcceptRole)
        close.setDefault(True)
        buttons.accepted.connect(self.accept)
        self.open_button.clicked.connect(self.open_folder)
        layout.addWidget(buttons)

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))
