"""`main.py shots --out DIR [--size 1366x768] [--db PATH]`: a picture of the whole window for every
page and every tab at a page's top level, taken offscreen, with a check that each page fits the
window's width (the window did not grow, no page-level horizontal scroll bar).

Files: `NN-页面.png`, or `NN-页面-选项卡.png` for each tab (NN: the page's place in the
navigation), e.g. 01-工作台.png, 03-预算绩效-基础数据表.png. Exit codes: 0 every page fits;
1 a page is wider than the window (named on stderr); 2 cannot run (no unit in the data file …).
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

NO_UNIT = "数据文件中没有单位，请先 main.py demo 或指定 --db"
SETTLE_TIMEOUT_S = 20.0
POLL_MS = 20  # how often settle() looks whether the window is idle


def _has_unit(db_path: str | None) -> bool:
    from app.opening import open_database, resolve_location
    from app.services.unit import first_unit

    db, _migration = open_database(resolve_location(db_path))
    try:
        with db.session() as session:
            return first_unit(session) is not None
    finally:
        db.dispose()


def _tab_name(text: str) -> str:
    """A tab's title without the count it carries ("项目支出（2）" → "项目支出")."""
    return re.sub(r"[（(]\d+[)）]$", "", text.replace("&", "")).strip()


def _quiet_offscreen_notices() -> None:
    """The offscreen platform says it cannot propagate size hints at every window shown: noise in
    the command's output. Every other Qt message still goes to stderr."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_kind, _context, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def take_shots(db_path: str | None, out: Path, size: tuple[int, int], say: Callable[..., None]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if not _has_unit(db_path):
        say(f"错误：{NO_UNIT}", sys.stderr)
        return 2
    from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
    from PySide6.QtWidgets import QScrollArea, QTabWidget

    from app.exports.atomic import safe_filename
    from ui.application import create_application
    from ui.main_window import MainWindow
    from ui.pages import PAGES

    out.mkdir(parents=True, exist_ok=True)
    _quiet_offscreen_notices()
    create_application()
    width, height = size
    with tempfile.TemporaryDirectory(prefix="zjtb-shots-") as tmp:
        # Its own window settings: the user's saved geometry neither applies nor changes.
        settings = QSettings(str(Path(tmp) / "ui.ini"), QSettings.Format.IniFormat)
        window = MainWindow(db_path, settings)
        window.show()
        window.resize(width, height)
        window.start()

        def settle(until: Callable[[], bool] = lambda: True) -> None:
            """Run the event loop until background tasks have ended and `until()` is true, then one
            poll more for the paints they queued (or until the time is up)."""
            loop = QEventLoop()
            ready_polls = 0

            def poll() -> None:
                nonlocal ready_polls
                busy = window._tasks is not None and window._tasks.pool.activeThreadCount() > 0
                prefetching = window.prefetch is not None and not window.prefetch.done
                page = window.current_page()
                busy = busy or (page is not None and page.is_busy())
                ready_polls = ready_polls + 1 if until() and not busy and not prefetching else 0
                if ready_polls >= 2:
                    loop.quit()

            timer = QTimer()
            timer.timeout.connect(poll)
            timer.start(POLL_MS)
            QTimer.singleShot(int(SETTLE_TIMEOUT_S * 1000), loop.quit)
            loop.exec()
            timer.stop()

        settle(lambda: window.ctx is not None and window.stack.currentWidget() is not window.loading_label)
        if window.ctx is None:
            say("错误：未能打开数据文件", sys.stderr)
            window.close()
            return 2
        written: list[Path] = []
        too_wide: list[str] = []

        def shoot(name: str, page) -> None:
            window.resize(width, height)
            settle()
            path = out / f"{safe_filename(name)}.png"
            window.grab().save(str(path))
            written.append(path)
            scrolled = [
                area
                for area in page.findChildren(QScrollArea)
                if area.horizontalScrollBar().isVisible()
                and area.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOn
            ]
            if window.width() != width:
                too_wide.append(f"{name}：窗口宽 {window.width()}，应为 {width}")
            elif scrolled:
                too_wide.append(f"{name}：页面出现横向滚动条（{page.width()} 像素宽的页面放不下）")

        for number, spec in enumerate(PAGES, start=1):
            page = window.page(spec.key)
            window.show_page(spec.key)
            settle()
            base = f"{number:02d}-{spec.title}"
            tabs = [t for t in page.findChildren(QTabWidget) if _top_level(t, page)]
            if not tabs:
                shoot(base, page)
                continue
            for tabs_widget in tabs:
                for index in range(tabs_widget.count()):
                    if not tabs_widget.isTabEnabled(index) or not tabs_widget.isTabVisible(index):
                        continue
                    tabs_widget.setCurrentIndex(index)
                    shoot(f"{base}-{_tab_name(tabs_widget.tabText(index))}", page)
        for page in window.pages.values():
            if page.is_dirty():
                page.discard()
        window.close()
        settle()
    say(f"已保存 {len(written)} 张截图到 {out}：")
    for path in written:
        say(f"  {path.name}")
    if too_wide:
        say(f"{len(too_wide)} 个页面比 {width}×{height} 的窗口宽：", sys.stderr)
        for line in too_wide:
            say(f"  {line}", sys.stderr)
        return 1
    return 0


def _top_level(tabs, page) -> bool:
    """A tab widget of the page itself, not one inside another tab widget's tab."""
    from PySide6.QtWidgets import QTabWidget

    parent = tabs.parentWidget()
    while parent is not None and parent is not page:
        if isinstance(parent, QTabWidget):
            return False
        parent = parent.parentWidget()
    return parent is page
