"""标题、主送与落款: a report's title, addressee, signer, date and seal (empty fields use the defaults)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.dates import DateDefaults
from app.services.reports.outline import ReportDef
from app.services.reports.prose import ReportSettings
from ui.widgets.date_choice import DATE_BLANK, DATE_EXPORT, DATE_FIXED, DATE_MODES
from ui.widgets.validated_field import bound_dates


class ReportSettingsForm(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._version: int | None = None  # of the settings shown, as loaded
        self._loading = False
        self._report: ReportDef | None = None
        heading = QLabel("标题、主送与落款")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() + 2)
        font.setBold(True)
        heading.setFont(font)
        note = QLabel(
            "留空的项目使用默认内容（灰色提示文字）。标题可分多行，每行一个回车，按公文“梯形”排列。"
        )
        note.setWordWrap(True)
        note.setStyleSheet("color:#666")

        self.title = QPlainTextEdit()
        self.title.setFixedHeight(72)
        self.variant = QComboBox()
        self.addressee = QLineEdit()
        self.no_addressee = QCheckBox("不写主送机关")
        self.signer = QLineEdit()
        self.no_signer = QCheckBox("不写落款")
        self.sign_date = bound_dates(QDateEdit())
        self.sign_date.setCalendarPopup(True)
        self.sign_date.setDisplayFormat("yyyy年M月d日")
        # A year's report is signed in that year or early in the next (app.dates).
        self.dates = DateDefaults(next_year_too=True)
        self._year: int | None = None
        self.sign_date.setDate(_qdate(clock.today()))
        self.sign_date_note = QLabel()
        self.sign_date_note.setObjectName("fieldMessage")
        self.sign_date_note.setProperty("level", "warning")
        self.sign_date_note.hide()
        self.date_mode = QComboBox()
        self.date_mode.addItems(DATE_MODES)
        self.date_mode.setToolTip("成文日期：默认写导出当天的日期；也可指定日期，或留空打印后手写")
        self.seal = QCheckBox("加盖印章")
        self.seal.setToolTip("加盖印章时，署名以成文日期为准居中，日期右空四字")
        self.append_tables = QCheckBox("在报告后附上自评表（Word表格）")

        addressee_row = QHBoxLayout()
        addressee_row.addWidget(self.addressee, 1)
        addressee_row.addWidget(self.no_addressee)
        signer_row = QHBoxLayout()
        signer_row.addWidget(self.signer, 1)
        signer_row.addWidget(self.no_signer)
        date_row = QHBoxLayout()
        date_row.addWidget(self.date_mode)
        date_row.addWidget(self.sign_date)
        date_row.addWidget(self.sign_date_note)
        date_row.addStretch(1)

        form = QFormLayout()
        form.addRow("标题", self.title)
        self.variant_label = QLabel("文种")
        form.addRow(self.variant_label, self.variant)
        self.addressee_label = QLabel("主送机关")
        form.addRow(self.addressee_label, addressee_row)
        form.addRow("落款单位", signer_row)
        form.addRow("成文日期", date_row)
        form.addRow("", self.seal)
        form.addRow("", self.append_tables)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addStretch(1)

        self.title.textChanged.connect(self._on_edit)
        self.variant.currentIndexChanged.connect(self._on_edit)
        for line in (self.addressee, self.signer):
            line.textEdited.connect(self._on_edit)
        for box in (self.no_addressee, self.no_signer, self.seal, self.append_tables):
            box.toggled.connect(self._on_edit)
        self.date_mode.currentIndexChanged.connect(self._on_edit)
        self.sign_date.dateChanged.connect(self._on_edit)

    def set_settings(
        self,
        report: ReportDef,
        settings: ReportSettings,
        defaults: dict[str, str],
        year: int | None = None,
    ) -> None:
        """Show `settings`; `defaults` holds the default title/addressee/signer (shown as hints);
        `year` is the report's: a date to be chosen starts inside it (or early in the next)."""
        self._loading = True
        self._report = report
        self._year = year
        self._version = settings.version
        self.title.setPlaceholderText(defaults.get("title", ""))
        self.title.setPlainText(settings.title or "")
        self.variant.clear()
        self.variant.addItems(list(report.variants))
        self.variant_label.setVisible(bool(report.variants))
        self.variant.setVisible(bool(report.variants))
        if report.variants:
            index = report.variants.index(settings.variant) if settings.variant in report.variants else 0
            self.variant.setCurrentIndex(index)
        self.addressee.setPlaceholderText(defaults.get("addressee", "") or "（默认不写）")
        self.addressee.setText(settings.addressee or "")
        self.no_addressee.setChecked(settings.addressee == "")
        self.signer.setPlaceholderText(defaults.get("signer", ""))
        self.signer.setText(settings.signer or "")
        self.no_signer.setChecked(settings.signer == "")
        self.signer.setEnabled(report.signature)
        self.no_signer.setEnabled(report.signature)
        if settings.sign_date is not None:
            self.date_mode.setCurrentIndex(DATE_FIXED)
        else:
            self.date_mode.setCurrentIndex(DATE_BLANK if settings.date_blank else DATE_EXPORT)
        if settings.sign_date is not None:
            self.sign_date.setDate(_qdate(settings.sign_date))
        elif year is not None:
            self.sign_date.setDate(_qdate(self.dates.default(year)))
        self.seal.setChecked(settings.seal if settings.seal is not None else report.seal)
        self.append_tables.setVisible(report.appended_tables is not None)
        self.append_tables.setChecked(settings.append_tables)
        self._sync_enabled()
        self._loading = False

    def settings(self) -> ReportSettings:
        report = self._report
        title = self.title.toPlainText().strip()
        addressee = "" if self.no_addressee.isChecked() else (self.addressee.text().strip() or None)
        signer = "" if self.no_signer.isChecked() else (self.signer.text().strip() or None)
        sign_date = None
        if self.date_mode.currentIndex() == DATE_FIXED:
            qd = self.sign_date.date()
            sign_date = date(qd.year(), qd.month(), qd.day())
            self.dates.used(sign_date)
        seal = self.seal.isChecked()
        return ReportSettings(
            title=title or None,
            addressee=addressee,
            signer=signer,
            sign_date=sign_date,
            date_blank=self.date_mode.currentIndex() == DATE_BLANK,
            seal=None if report is not None and seal == report.seal else seal,
            append_tables=self.append_tables.isChecked(),
            variant=self.variant.currentText() if report is not None and report.variants else "",
            version=self._version,
        )

    def _sync_enabled(self) -> None:
        self.addressee.setEnabled(not self.no_addressee.isChecked())
        self.signer.setEnabled(
            not self.no_signer.isChecked() and bool(self._report and self._report.signature)
        )
        fixed = self.date_mode.currentIndex() == DATE_FIXED
        self.sign_date.setEnabled(fixed)
        qd = self.sign_date.date()
        chosen = date(qd.year(), qd.month(), qd.day()) if fixed else None
        note = self.dates.warning(chosen, self._year) if self._year is not None else ""
        self.sign_date_note.setText(note)
        self.sign_date_note.setVisible(bool(note))

    def _on_edit(self, *_args: object) -> None:
        self._sync_enabled()
        if not self._loading:
            self.changed.emit()


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)
