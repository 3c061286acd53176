"""What the register pages (信访登记, 巡察整改) share: one record at a time in a form beside a lazy
list, its unsaved edits (save, discard, the question before leaving it), delete with confirmation,
dated state changes through a dialog, the refresh after every write, and Excel exports run as
background tasks. A page adds its layout around these, its service calls and its words."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app import clock
from app.dates import DateDefaults
from app.errors import EditConflictError, UserError
from app.services.registers.common import DUE_SOON, OVERDUE, RegisterFilter, deadline_state, describe_deadline
from app.services.versions import reapply
from ui.context import AppContext
from ui.dialogs.conflict_dialog import ConflictChoice, ask_conflict, clash_note
from ui.dialogs.registers_action_dialog import ActionDialog
from ui.pages.base import Page
from ui.widgets.registers_form import DATE, RegisterForm
from ui.widgets.registers_list import RegisterList
from ui.widgets.save_state import SaveState
from ui.widgets.side_pane import show_beside

OVERDUE_COLOUR = "#c62828"
DUE_SOON_COLOUR = "#b26a00"
DONE_COLOUR = "#607d8b"
DEADLINE_COLOURS = {OVERDUE: OVERDUE_COLOUR, DUE_SOON: DUE_SOON_COLOUR}


class Record(Protocol):
    id: int | None


R = TypeVar("R", bound=Record)


class RegisterPage(Page, Generic[R]):
    """A subclass builds `list`, `form` (its `changed` connected to `_on_edited`), `delete_button`
    and the detail panel (through `_detail_panel`), then calls `_show_record(None)`; it answers
    the hooks below."""

    module: ClassVar[str]  # the module ctx.notify_saved is told about
    record_word: ClassVar[str]  # "信访事项": the unsaved-edits question, the delete dialog's title
    labels: ClassVar[dict[str, str]]  # the fields' names, for "未保存：<name> — <message>"
    new_done: ClassVar[str] = "已保存"  # the status message's word when a new record is saved
    # The dates that place a record in its year: warned about when outside the working year.
    year_dates: ClassVar[tuple[str, ...]] = ()

    list: RegisterList
    form: RegisterForm
    delete_button: QPushButton

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.today: Callable[[], date] = clock.today  # tests pass a fixed day
        self.dates = DateDefaults(lambda: self.today())
        self._loaded: R | None = None  # the record in the form (id None: not saved)

    # -- the hooks ------------------------------------------------------------------------------

    def _load_record(self, session: Session, key: int) -> R:
        raise NotImplementedError

    def _form_values(self, data: R) -> dict[str, Any]:
        raise NotImplementedError

    def read_form(self) -> tuple[R, dict[str, str]]:
        """The record as typed, and the messages of the fields that cannot even be read."""
        raise NotImplementedError

    def _check(self, data: R) -> tuple[dict[str, str], dict[str, str]]:
        """The errors that block saving and the warnings."""
        raise NotImplementedError

    def _show_details(self, data: R) -> None:
        """Everything of the record but its form values: the state line, the action buttons …"""

    def _write(self, data: R) -> int:
        """Save `data` in one transaction; returns its id."""
        raise NotImplementedError

    def _delete(self, data: R) -> None:
        raise NotImplementedError

    def _delete_question(self, data: R) -> str:
        raise NotImplementedError

    def _describe(self, data: R, done: str) -> str:
        """The status message after `done` (已保存, 已删除 …) happened to `data`."""
        raise NotImplementedError

    def _refresh_summary(self) -> None:
        """The counts above the list, after a write."""

    def _show_all_records(self) -> None:
        """Widen the list so that any record is in it."""
        self.list.apply_filter(RegisterFilter())

    # -- building ---------------------------------------------------------------------------------

    def _detail_panel(
        self, actions: list[QPushButton], content: QWidget, save_tip: str, empty: str
    ) -> QWidget:
        """The record's state line, its action buttons, `content` scrolled, then the save row; in
        their place, `empty` while no record is shown."""
        for key, spec in self.form.specs.items():
            if spec.kind == DATE:  # an empty date's calendar opens inside the working year
                self.form.editor(key).suggest = self.default_date
        self.state_label = QLabel()
        self.state_label.setObjectName("recordState")
        self.state_label.setWordWrap(True)
        action_row = QHBoxLayout()
        for button in actions:
            action_row.addWidget(button)
        action_row.addStretch(1)

        self.save_state = SaveState(save_tip)
        self.save_state.dirty_changed.connect(self.dirty_changed)
        self.revert_button = self.save_state.revert_button
        self.save_button = self.save_state.save_button
        self.revert_button.clicked.connect(self.discard)
        self.save_button.clicked.connect(self.save)
        bottom = QHBoxLayout()
        bottom.addWidget(self.save_state)
        bottom.addStretch(1)
        bottom.addWidget(self.revert_button)
        bottom.addWidget(self.save_button)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        self.detail = QWidget()
        layout = QVBoxLayout(self.detail)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.state_label)
        layout.addLayout(action_row)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)
        self.empty_label = QLabel(empty)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addWidget(self.empty_label, 1)
        holder_layout.addWidget(self.detail, 1)
        # Hidden while no record is shown: the list beside it then takes the whole width.
        self.detail_pane = holder
        return holder

    # -- the record in the form -------------------------------------------------------------------

    def _on_current_changed(self, key: int | None) -> None:
        if key is None or (self._loaded is not None and self._loaded.id == key):
            return
        if self.save_state.dirty and not self._resolve_unsaved():
            if self._loaded is not None and self._loaded.id is not None:
                self.list.select_key(self._loaded.id)
            return
        self._show_record(key)
        # Saving the previous record refreshes the list and reselects that record: put the
        # highlight back on the row the user clicked, which is the one the form now shows.
        if self.list.current_key() != key:
            self.list.select_key(key)

    def _resolve_unsaved(self) -> bool:
        """Ask what to do with unsaved edits; False if the user wants to stay."""
        answer = QMessageBox.question(
            self,
            "有未保存的修改",
            f"当前{self.record_word}有未保存的修改，是否保存？",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        self.save_state.set_dirty(False)
        return True

    def _show_record(self, key: int | None, data: R | None = None) -> None:
        if data is None and key is not None:
            try:
                with self.ctx.db.session() as session:
                    data = self._load_record(session, key)
            except UserError:
                data = None
        self._loaded = data
        self.empty_label.setVisible(data is None)
        self.detail.setVisible(data is not None)
        show_beside(self.detail_pane, data is not None)
        self.delete_button.setEnabled(data is not None and data.id is not None)
        if data is None:
            self.save_state.set_dirty(False)
            return
        self.form.set_values(self._form_values(data))
        self._show_details(data)
        self.save_state.set_dirty(data.id is None)
        self._validate()

    def _validate(self) -> dict[str, str]:
        if self._loaded is None:
            return {}
        data, errors = self.read_form()
        problems, warnings = self._check(data)
        for key, message in problems.items():
            errors.setdefault(key, message)
        values = self.form.values()
        in_year = {key: values.get(key) for key in self.year_dates}
        for key, message in self.dates.warnings(in_year, self.ctx.year).items():
            warnings.setdefault(key, message)
        self.form.show_messages(errors, warnings)
        return errors

    def default_date(self) -> date:
        """The date a new record or a state change starts with: inside the working year."""
        return self.dates.default(self.ctx.year)

    def _action_date(self, earliest: date | None) -> date:
        """A state change's date: inside the working year, not before the date it follows."""
        day = self.default_date()
        return max(day, earliest) if earliest is not None else day

    def year_warnings(self, values: dict[str, Any]) -> dict[str, str]:
        """A state change dialog's warnings: its dates outside the working year."""
        return self.dates.warnings(values, self.ctx.year)

    def _on_edited(self) -> None:
        if self._loaded is None:
            return
        self._validate()
        data, _ = self.read_form()
        self.save_state.set_dirty(self._loaded.id is None or data != self._loaded)

    # -- Page protocol ----------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self.save_state.dirty

    def save(self) -> bool:
        if self._loaded is None:
            return True
        errors = self._validate()
        if errors:
            key = next(k for k in self.form.fields if k in errors)
            self.form.focus(key)
            self.ctx.status_message.emit(f"未保存：{self.labels.get(key, key)} — {errors[key]}")
            return False
        data, _ = self.read_form()
        try:
            key = self._write(data)
        except EditConflictError as exc:
            self._resolve_conflict(str(exc), data)
            return False
        except UserError as exc:
            QMessageBox.warning(self, "无法保存", str(exc))
            return False
        self.dates.used(*(getattr(data, k, None) for k in self.year_dates))
        self._after_write(key, self._describe(data, self.new_done if data.id is None else "已保存"))
        return True

    def _resolve_conflict(self, message: str, mine: R) -> None:
        """The record was saved (or deleted) elsewhere since the form loaded it: reload it, or put
        the user's own changes back on the newer copy for them to check and save again."""
        original = self._loaded
        assert original is not None and original.id is not None
        try:
            with self.ctx.db.session() as session:
                fresh = self._load_record(session, original.id)
        except UserError:  # deleted elsewhere: nothing to reload; the user's text stays in the form
            QMessageBox.warning(self, "无法保存", message)
            return
        choice = ask_conflict(self, message)
        if choice is ConflictChoice.CANCEL:
            return
        if choice is ConflictChoice.RELOAD:
            self._show_record(original.id, fresh)
            self.ctx.status_message.emit(f"已重新载入{self.record_word}：显示的是别处保存的内容")
            return
        merged, clashes = reapply(original, mine, fresh)
        self._show_record(original.id, fresh)
        self.form.set_values(self._form_values(merged))
        self._on_edited()
        note = clash_note(self.labels, clashes)
        self.ctx.status_message.emit(f"已载入别处保存的内容并填回您的修改，尚未保存。{note}")

    def discard(self) -> None:
        if self._loaded is not None and self._loaded.id is not None:
            self._show_record(self._loaded.id)
        else:
            self._show_record(None)

    def _after_write(self, key: int, message: str) -> None:
        self.save_state.set_dirty(False)
        self.list.refresh_row(key)
        if not self.list.select_key(key):
            # Not in the list as filtered (e.g. received in another year).
            self._show_all_records()
            self.list.select_key(key)
        self._show_record(key)
        self._refresh_summary()
        self.ctx.notify_saved(self.module, message)
        self.badge_changed.emit()

    # -- delete and state changes -----------------------------------------------------------------

    def delete_current(self) -> None:
        data = self._loaded
        if data is None or data.id is None:
            return
        answer = QMessageBox.question(
            self,
            f"删除{self.record_word}",
            self._delete_question(data),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._delete(data)
        except UserError as exc:
            QMessageBox.warning(self, f"无法删除{self.record_word}", str(exc))
            self._show_record(data.id)
            return
        self.save_state.set_dirty(False)
        self._show_record(None)
        self.list.reload()
        self._refresh_summary()
        self.ctx.notify_saved(self.module, self._describe(data, "已删除"))
        self.badge_changed.emit()

    def _ready(self) -> R | None:
        """The saved record to act on (unsaved edits are saved first)."""
        if self._loaded is None or self._loaded.id is None:
            return None
        if self.save_state.dirty and not self.save():
            return None
        return self._loaded

    def _confirmed(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(
            self, title, question, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        )
        return answer == QMessageBox.StandardButton.Yes

    def _act(self, dialog: ActionDialog | None, action: Callable[[dict[str, Any]], Any], done: str) -> bool:
        """A state change: the dialog's values (if any) to `action`, then the refresh."""
        data = self._loaded
        if data is None or data.id is None:
            return False
        values: dict[str, Any] = {}
        if dialog is not None:
            if dialog.exec() != ActionDialog.DialogCode.Accepted:
                return False
            values = dialog.values()
        try:
            action(values)
        except EditConflictError as exc:
            QMessageBox.warning(self, "无法完成操作", f"{exc}\n\n已重新载入，请看过别处的修改后再操作。")
            self._show_record(data.id)
            return False
        except UserError as exc:
            QMessageBox.warning(self, "无法完成操作", str(exc))
            return False
        self.dates.used(*(v for v in values.values() if isinstance(v, date)))
        self._after_write(data.id, self._describe(data, done))
        return True

    # -- exports ----------------------------------------------------------------------------------

    def _ask_xlsx(self, title: str, name: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, title, name, "Excel 工作簿 (*.xlsx)")
        if not path:
            return None
        return Path(path if path.endswith(".xlsx") else path + ".xlsx")

    def _export(self, title: str, write: Callable[[], Any], on_finished: Callable[[Any], None]):
        """Run `write` off the GUI thread with a progress dialog titled `title`; returns the task.
        `write` runs on a worker thread: it may hold plain data, never a widget."""

        def work(progress, _cancel):
            progress(0, 0, f"正在{title}…")
            return write()

        return self.ctx.tasks.run_with_progress(
            self, title, work, cancellable=False, on_finished=on_finished, on_failed=self._export_failed
        )

    def _export_failed(self, message: str, details: str) -> None:
        from ui.dialogs.error_dialog import show_error

        show_error(self, message, details)


def show_count(chip: QPushButton, text: str, count: int, colour: str = "") -> None:
    """A count chip ("已超期 3"), bold in `colour` while its count is not zero."""
    chip.setText(f"{text} {count}")
    if colour:
        chip.setStyleSheet(f"color:{colour}; font-weight:bold" if count else "")


def deadline_html(label: str, due: date, today: date) -> str:
    """The "　label：<deadline>" of a record's state line, coloured when overdue or due this week."""
    colour = DEADLINE_COLOURS.get(deadline_state(due, today), "#263238")
    return f"　{label}：<span style='color:{colour}'>{describe_deadline(due, today)}</span>"


def not_before(
    values: dict[str, Any], key: str, earliest: date | None, label: str, other: str
) -> dict[str, str]:
    """A dialog check: the date at `key` is not earlier than `earliest`."""
    value = values.get(key)
    if value is not None and earliest is not None and value < earliest:
        return {key: f"{label}不能早于{other}（{earliest.isoformat()}）"}
    return {}
