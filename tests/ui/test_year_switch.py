"""Switching the toolbar year with something selected on a page: every page reloads for the new
year, a selection that does not exist there is dropped, and no error box appears."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QAbstractItemView, QMessageBox

from ui.main_window import MainWindow
from ui.pages import PAGES

from .helpers import close_window, open_window

REPORT = "巡察整改进展情况"
# Pages with a list to select in (单位信息 is a form, 工作台 a summary).
LISTS = {"budget", "safety", "petitions", "rectification"}


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every error dialog and message box asked for (none is shown)."""
    shown: list[str] = []

    def record(kind: str):
        def box(*args, **_kwargs):
            shown.append(f"{kind}: {' '.join(str(a) for a in args[1:3])}")
            return QMessageBox.StandardButton.Ok

        return box

    monkeypatch.setattr("ui.dialogs.error_dialog.show_error", record("show_error"))
    for kind in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, record(kind))
    return shown


def _select_first_rows(page) -> int:
    """Make the first row current in every list on the page that has rows; how many were."""
    selected = 0
    for view in page.findChildren(QAbstractItemView):
        model = view.model()
        if model is None or model.rowCount() == 0 or view.selectionModel() is None:
            continue
        index = model.index(0, 0)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        view.selectionModel().setCurrentIndex(index, flags)
        selected += 1
    return selected


def _select_on_reports(page) -> None:
    """The 巡察整改进展情况 report of an inspection of 2023, one of its sections."""
    for row in range(page.report_list.count()):
        if page.report_list.item(row).text().startswith(REPORT):
            page.report_list.setCurrentRow(row)
            break
    assert page._report.title == REPORT
    assert page._scope_key, "the example's 2023 has an inspection to report on"
    sections = [key for key in page.outline.section_keys() if key != page.outline.section_keys()[0]]
    assert sections
    assert page.outline.select_key(sections[0])


def _switch(qtbot, window: MainWindow, year: int) -> None:
    with qtbot.waitSignal(window.badges_refreshed, timeout=10000):
        window._on_year_chosen(window.year_combo.findData(year))


def _expected_badges(window: MainWindow, year: int) -> dict[str, int]:
    assert window.ctx is not None
    counts = {}
    with window.ctx.db.session() as session:
        for spec in PAGES:
            function = spec.badge_function()
            if function is not None:
                counts[spec.key] = int(function(session, window.ctx.unit_id, year))
    return counts


@pytest.mark.parametrize("spec", PAGES, ids=[spec.key for spec in PAGES])
def test_every_page_reloads_cleanly_on_a_year_switch(
    qtbot, example_path: Path, boxes: list[str], spec
) -> None:
    window = open_window(qtbot, example_path)
    try:
        assert window.years == [2022, 2023] or sorted(window.years) == [2022, 2023]
        assert window.ctx is not None and window.ctx.year == 2023
        window.page(spec.key)
        page = window.show_page(spec.key)
        if spec.key == "reports":
            _select_on_reports(page)
        else:
            selected = _select_first_rows(page)
            if spec.key in LISTS:
                assert selected, f"{spec.title}: no list to select in"
        for year in (2022, 2023):
            _switch(qtbot, window, year)
            assert boxes == [], f"{spec.title}: {boxes}"
            assert window.ctx.year == year
            assert f"{year}年度" in window.windowTitle()
            assert window.year_combo.currentData() == year
            heading = getattr(page, "heading", None)
            if heading is not None and "年度" in heading.text():  # 巡察整改 spans the years
                assert f"{year}年度" in heading.text(), heading.text()
            for key, count in _expected_badges(window, year).items():
                assert window.nav.badge(key) == count, (key, year)
            if spec.key == "reports":
                with window.ctx.db.session() as session:
                    kind = page._report.scope_kind
                    options = [o.key for o in kind.options(session, window.ctx.unit_id, year)]
                assert page._report.title == REPORT
                assert page._scope_key in (options[:1] or [""])
                assert [page.scope_combo.itemData(i) for i in range(page.scope_combo.count())] == options
    finally:
        close_window(window)
