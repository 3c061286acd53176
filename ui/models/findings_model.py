"""The 校验 findings of the year in view, one list for the whole window: the F7 dock shows all of
it, a page's side panel the part in its scope (the page a finding points to), so both count the
same findings the same way.

A page that checks as the user types (预算绩效) puts its findings for its scope in live; they
replace that scope's findings of the last full check (app.checks.run_checks) until the year
changes, so that the dock and the page agree about unsaved edits too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from app.findings import Finding, sort_findings

if TYPE_CHECKING:
    from ui.context import AppContext

_Index = QModelIndex | QPersistentModelIndex

ALL = ""  # the scope of the whole list (全部)
FINDING_ROLE = Qt.ItemDataRole.UserRole
SCOPE_ROLE = Qt.ItemDataRole.UserRole + 1


def scope_of(finding: Finding) -> str:
    """The page a finding belongs to: the one it jumps to ("" when it points nowhere)."""
    return finding.target.page if finding.target is not None else ""


def counts(findings: list[Finding]) -> tuple[int, int]:
    """(errors, warnings)."""
    errors = sum(1 for f in findings if f.is_error)
    return errors, len(findings) - errors


def count_text(findings: list[Finding]) -> str:
    errors, warnings = counts(findings)
    return f"错误 {errors}、警告 {warnings}"


class FindingsModel(QAbstractListModel):
    """Findings, errors first; `complete` once a full check of the year has been put in."""

    # A full check in the background (`recheck`) has ended, or the list was emptied.
    completeness_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._checked: list[Finding] = []  # the last full check
        self._live: dict[str, list[Finding]] = {}  # scope → findings a page put in
        self.findings: list[Finding] = []
        self.complete = False
        self._ctx: AppContext | None = None
        self._task = None
        self._again = False

    # -- contents ----------------------------------------------------------------------------------

    def set_findings(self, findings: list[Finding], scope: str | None = None) -> None:
        """All findings of a full check (scope None), or the live findings of one scope."""
        if scope is None:
            self._checked = list(findings)
            was = self.complete
            self.complete = True
            self._rebuild()
            if not was:
                self.completeness_changed.emit(True)
        else:
            self._live[scope] = [f for f in findings if scope_of(f) == scope]
            self._rebuild()

    def clear(self) -> None:
        self._checked = []
        self._live = {}
        self.complete = False
        self._rebuild()
        self.completeness_changed.emit(False)

    def _rebuild(self) -> None:
        # A live scope's findings take the place of the checked ones: the same order as the
        # full check's when nothing is unsaved.
        merged: list[Finding] = []
        placed: set[str] = set()
        for finding in self._checked:
            scope = scope_of(finding)
            if scope not in self._live:
                merged.append(finding)
            elif scope not in placed:
                placed.add(scope)
                merged.extend(self._live[scope])
        for scope, findings in self._live.items():
            if scope not in placed:
                merged.extend(findings)
        self.beginResetModel()
        self.findings = sort_findings(merged)
        self.endResetModel()

    def in_scope(self, scope: str = ALL) -> list[Finding]:
        if scope == ALL:
            return list(self.findings)
        return [f for f in self.findings if scope_of(f) == scope]

    # -- following the window's context -----------------------------------------------------------------

    def follow(self, ctx: AppContext) -> None:
        """Empty on a year switch; checked again in the background when a module saves (if a
        full check was in)."""
        self._ctx = ctx
        ctx.year_changed.connect(lambda _year: self.clear())
        ctx.data_changed.connect(self._on_data_changed)

    def _on_data_changed(self, _module: str) -> None:
        if self.complete:
            self.recheck()

    def recheck(self) -> None:
        """Run the full check of the context's year on a worker thread, then put it in."""
        ctx = self._ctx
        if ctx is None:
            return
        if self._task is not None:
            self._again = True
            return
        from app.checks import run_checks

        db, unit_id, year, registry = ctx.db, ctx.unit_id, ctx.year, ctx.registry

        def work(_progress, _cancel) -> tuple[int, int, list[Finding]]:
            return unit_id, year, run_checks(db, unit_id, year, registry)

        self._again = False
        self._task = ctx.tasks.start(work)
        self._task.finished.connect(self._rechecked)
        self._task.ended.connect(self._recheck_ended)

    def _rechecked(self, result: tuple[int, int, list[Finding]]) -> None:
        unit_id, year, findings = result
        ctx = self._ctx
        if ctx is not None and (unit_id, year) == (ctx.unit_id, ctx.year):
            self.set_findings(findings)
        else:
            self._again = True

    def _recheck_ended(self) -> None:
        self._task = None
        if self._again:
            self.recheck()

    # -- Qt model -------------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.findings)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self.findings):
            return None
        finding = self.findings[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return finding.text()
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("#c62828") if finding.is_error else QColor("#8a5a00")
        if role == Qt.ItemDataRole.ToolTipRole:
            return "双击跳转到该处" if finding.target else finding.text()
        if role == FINDING_ROLE:
            return finding
        if role == SCOPE_ROLE:
            return scope_of(finding)
        return None


class ScopedFindings(QSortFilterProxyModel):
    """The findings of one scope (ALL: every one)."""

    def __init__(self, source: FindingsModel, scope: str = ALL, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scope = scope
        self.setSourceModel(source)

    def set_scope(self, scope: str) -> None:
        self.beginFilterChange()
        self.scope = scope
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if self.scope == ALL:
            return True
        source = self.sourceModel()
        return source.index(source_row, 0, source_parent).data(SCOPE_ROLE) == self.scope

    def finding(self, index: _Index) -> Finding | None:
        return index.data(FINDING_ROLE) if index.isValid() else None


def findings_model(ctx: AppContext) -> FindingsModel:
    """The one findings list of the window showing `ctx` (created on first use)."""
    model = getattr(ctx, "_findings_model", None)
    if model is None:
        model = FindingsModel(ctx)
        model.follow(ctx)
        ctx._findings_model = model  # type: ignore[attr-defined]
    return model
