"""One findings list for the window: the F7 dock and the 预算绩效 side panel count the same
findings as app.checks, the panel those of its page (本页) and the whole year (全部)."""

from __future__ import annotations

from pathlib import Path

from app.checks import run_checks
from ui.models.findings_model import ALL, count_text, scope_of

from .helpers import close_window, open_window


def test_the_dock_and_the_budget_panel_count_as_app_checks(qtbot, example_path: Path) -> None:
    window = open_window(qtbot, example_path)
    try:
        ctx = window.ctx
        assert ctx is not None and ctx.year == 2023
        expected = run_checks(ctx.db, ctx.unit_id, 2023)
        budget = [f for f in expected if scope_of(f) == "budget"]
        assert budget and len(budget) < len(expected)  # the example has findings elsewhere too
        page = window.page("budget")
        window.show_page("budget")
        panel = page.findings_panel
        # The panel checks the whole year in the background for its 全部 count.
        qtbot.waitUntil(lambda: panel.source.complete, timeout=10000)
        assert panel.summary.text() == f"本页：{count_text(budget)}（全部：{count_text(expected)}）"
        assert panel.summary.text() == "本页：错误 0、警告 6（全部：错误 0、警告 10）"
        assert panel.findings() == budget

        findings = window.run_checks()
        dock = window.findings_dock.widget()
        assert findings == expected
        assert dock.findings() == expected
        assert dock.summary.text() == f"{count_text(expected)}（双击跳转）"
        assert dock.source is panel.source  # one list

        # 全部 in the panel lists what the dock lists
        panel.shown_scope.setCurrentIndex(panel.shown_scope.findData(ALL))
        assert panel.findings() == dock.findings()
    finally:
        close_window(window)


def test_a_year_switch_empties_the_list_until_checked_again(qtbot, example_path: Path) -> None:
    window = open_window(qtbot, example_path)
    try:
        window.run_checks()
        dock = window.findings_dock.widget()
        assert dock.findings()
        with qtbot.waitSignal(window.badges_refreshed, timeout=10000):
            window.switch_year(2022)
        assert window.ctx is not None
        assert window.run_checks() == run_checks(window.ctx.db, window.ctx.unit_id, 2022)
        assert dock.findings() == run_checks(window.ctx.db, window.ctx.unit_id, 2022)
    finally:
        close_window(window)
