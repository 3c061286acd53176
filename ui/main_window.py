"""The main window: navigation, year selector, pages, status bar.

It shows itself before touching the database (start-up paints first), then opens and migrates
the database, offers the example data on an empty one, and creates each page when first shown.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QGuiApplication,
    QIcon,
    QKeySequence,
    QPaintEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from app import APP_NAME, __version__
from ui.pages import PAGES, PageSpec, page_spec
from ui.widgets.navigation import Navigation
from ui.widgets.screen_fit import FRAME_ALLOWANCE

if TYPE_CHECKING:
    from app.db import Database, DatabaseLocation
    from app.findings import Finding
    from ui.context import AppContext
    from ui.pages.base import Page
    from ui.prefetch import Prefetch
    from ui.tasks import Task, TaskRunner


BADGE_DELAY_MS = 300
# The idle-time imports of the page modules start after the badges and the quick check.
PREFETCH_DELAY_MS = 800
HOME_PAGE = "workbench"  # where every start opens
DEFAULT_SIZE = (1280, 800)  # the first start's window, shrunk to a smaller screen's free area


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    if moment.date() == datetime.now().date():
        return f"今天 {moment:%H:%M}"
    return f"{moment:%Y-%m-%d %H:%M}"


def icon(name: str) -> QIcon:
    from app.paths import resources_dir

    return QIcon(str(resources_dir() / "icons" / name))


class MainWindow(QMainWindow):
    # The unit's data has been put into the widgets (end of `_enter`).
    entered = Signal()
    badges_refreshed = Signal()
    # Without a paint in this time (a window shown minimised), the database is opened anyway.
    OPEN_FALLBACK_MS = 500

    def __init__(self, db_path: str | None, settings: QSettings, tasks: TaskRunner | None = None) -> None:
        super().__init__()
        self._painted = False
        self._open_pending = False
        self.db_path = db_path
        self.settings = settings
        self._tasks = tasks
        self.db: Database | None = None
        self.ctx: AppContext | None = None
        self.pages: dict[str, Page] = {}
        self._badge_task: Task | None = None
        self._badges_again = False
        self.unit_name = ""
        self.years: list[int] = []
        self.last_saved: datetime | None = None
        self.last_backup: datetime | None = None
        self._quick_checked = True  # the background PRAGMA quick_check of the opened file has started
        self.quick_check_task: Task | None = None
        self.prefetch: Prefetch | None = None

        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(icon("app.svg"))
        self.nav = Navigation()
        for spec in PAGES:
            self.nav.add_page(spec.key, spec.title, icon(spec.icon))
        self.nav.setEnabled(False)
        self.stack = QStackedWidget()
        self.loading_label = QLabel("正在打开数据库…")
        self.loading_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.loading_label)
        central = QWidget()
        from PySide6.QtWidgets import QHBoxLayout

        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_actions()
        self._build_toolbar()
        self._build_menus()
        self._build_status_bar()
        self.findings_dock: QDockWidget | None = None
        self.nav.currentRowChanged.connect(self._on_nav_row)
        self._restore_geometry()

    def bring_forward(self) -> None:
        """Another start of the program on this data file asked for this window."""
        from ui.single_instance import bring_forward
        from ui.startup_probe import mark

        bring_forward(self)
        mark("activated")

    @property
    def tasks(self) -> TaskRunner:
        """Created on first use: nothing before the first paint needs it or its imports."""
        if self._tasks is None:
            from ui.tasks import TaskRunner

            self._tasks = TaskRunner(self)
        return self._tasks

    # -- chrome ------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.save_action = QAction("保存", self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.setToolTip("保存当前页面的修改（Ctrl+S）")
        self.save_action.triggered.connect(self.save_current)
        self.export_action = QAction("导出…", self)
        self.export_action.setToolTip("先校验，再把本年度全部表格和报告导出到一个文件夹")
        self.export_action.triggered.connect(self.export_year)
        self.new_year_action = QAction("新建年度…", self)
        self.new_year_action.triggered.connect(self.new_year)
        self.check_action = QAction("校验", self)
        self.check_action.setShortcut(QKeySequence("F7"))
        self.check_action.setToolTip("校验本年度全部数据（F7）")
        self.check_action.triggered.connect(self.run_checks)
        self.backup_action = QAction("立即备份", self)
        self.backup_action.triggered.connect(lambda: self.start_backup("manual"))
        self.open_data_action = QAction("打开数据文件夹", self)
        self.open_data_action.triggered.connect(self.open_data_folder)
        self.open_backups_action = QAction("打开备份文件夹", self)
        self.open_backups_action.triggered.connect(self.open_backup_folder)
        self.restore_action = QAction("从备份恢复…", self)
        self.restore_action.setEnabled(False)
        self.restore_action.triggered.connect(self.restore_from_backup)
        self.db_settings_action = QAction("数据库设置…", self)
        self.db_settings_action.triggered.connect(self.database_settings)
        self.quit_action = QAction("退出", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.about_action = QAction("关于", self)
        self.about_action.triggered.connect(self.about)
        for action in (
            self.save_action,
            self.export_action,
            self.new_year_action,
            self.check_action,
            self.backup_action,
        ):
            action.setEnabled(False)

    def _build_toolbar(self) -> None:
        bar = QToolBar("工具栏")
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.unit_label = QLabel("")
        self.unit_label.setObjectName("unitName")
        bar.addWidget(self.unit_label)
        spacer = QWidget()
        spacer.setFixedWidth(16)
        bar.addWidget(spacer)
        bar.addWidget(QLabel("年度 "))
        self.year_combo = QComboBox()
        self.year_combo.setMinimumWidth(110)
        self.year_combo.setEnabled(False)
        self.year_combo.setToolTip("切换工作年度")
        self.year_combo.activated.connect(self._on_year_chosen)
        bar.addWidget(self.year_combo)
        bar.addAction(self.new_year_action)
        stretch = QWidget()
        stretch.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(stretch)
        bar.addAction(self.check_action)
        bar.addAction(self.save_action)
        self.addToolBar(bar)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        file_menu.addAction(self.save_action)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        from ui.ledger_import import MENU_KINDS

        self.import_menu = file_menu.addMenu("导入台账")
        self.import_menu.setToolTip("从 WPS/Excel 中已有的台账导入记录")
        for kind, text in MENU_KINDS:
            self.import_menu.addAction(text, lambda k=kind: self.import_ledger(k))
        self.import_menu.addAction("预算绩效自评表…", self.import_budget_tables)
        self.batches_action = file_menu.addAction("导入记录…", self.show_import_batches)
        self.batches_action.setToolTip("查看每次导入，撤销某次导入")
        self.oplog_action = file_menu.addAction("操作日志…", self.show_operation_log)
        self.oplog_action.setToolTip("查看、导出操作日志：个人信息的查看与导出、删除、导入、恢复、密码与锁定")
        self.oplog_action.setEnabled(False)
        self.import_menu.setEnabled(False)
        self.batches_action.setEnabled(False)
        file_menu.addSeparator()
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.open_backups_action)
        file_menu.addAction(self.restore_action)
        file_menu.setToolTipsVisible(True)  # why 从备份恢复 is off for a PostgreSQL database
        file_menu.addAction(self.open_data_action)
        file_menu.addAction(self.db_settings_action)
        from ui.password_flow import add_password_action

        add_password_action(self, file_menu)
        file_menu.addSeparator()
        from ui.lock_screen import LockScreen

        self.lock_screen = LockScreen(self)
        file_menu.addAction(self.lock_screen.lock_action)
        file_menu.addAction(self.lock_screen.auto_lock_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        year_menu = self.menuBar().addMenu("年度(&Y)")
        year_menu.addAction(self.new_year_action)
        tools_menu = self.menuBar().addMenu("工具(&T)")
        tools_menu.addAction(self.check_action)
        self.categories_action = tools_menu.addAction("隐患类别…", self.edit_hazard_categories)
        self.categories_action.setToolTip("安全监督的隐患类别及其同义词")
        self.categories_action.setEnabled(False)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        help_menu.addAction(self.about_action)

    def _build_status_bar(self) -> None:
        from ui.widgets.elided_label import ElidedLabel

        self.file_label = ElidedLabel("数据文件：—")
        self.saved_label = QLabel("上次保存：—")
        self.backup_label = QLabel("上次备份：—")
        for label in (self.file_label, self.saved_label, self.backup_label):
            label.setContentsMargins(8, 0, 8, 0)
            self.statusBar().addPermanentWidget(label)
        from ui.password_flow import add_protection_badge

        add_protection_badge(self)

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        restored = geometry is not None and self.restoreGeometry(geometry)
        if not restored:
            self.resize(*DEFAULT_SIZE)
        self._fit_to_screen(move=restored)
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)

    def _fit_to_screen(self, *, move: bool) -> None:
        """Shrink the window to the screen's free area (a small screen, a taskbar; a geometry
        saved on a bigger monitor) and, when `move`, put it back onto that area."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None or self.isMaximized() or self.isFullScreen():
            return
        area = screen.availableGeometry()
        # resize() sets the size inside the frame; the title bar is not known before it is shown.
        width = min(self.width(), area.width() - FRAME_ALLOWANCE.width())
        height = min(self.height(), area.height() - FRAME_ALLOWANCE.height())
        if (width, height) != (self.width(), self.height()):
            self.resize(max(width, self.minimumWidth()), max(height, self.minimumHeight()))
        if move:
            x = min(max(self.x(), area.left()), area.right() + 1 - self.width() - FRAME_ALLOWANCE.width())
            y = min(max(self.y(), area.top()), area.bottom() + 1 - self.height() - FRAME_ALLOWANCE.height())
            self.move(max(x, area.left()), max(y, area.top()))

    def _save_geometry(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        if self.nav.currentRow() >= 0:
            self.settings.setValue("window/page", self.nav.key_at(self.nav.currentRow()))
        self.settings.sync()

    # -- opening the database ----------------------------------------------------------------

    def start(self) -> None:
        """Open the database once the window has been painted (a hidden window: at once), so
        that the window appears before SQLAlchemy and the database are even loaded."""
        if self.isVisible() and not self._painted:
            self._open_pending = True
            QTimer.singleShot(self.OPEN_FALLBACK_MS, self._open_once)
        else:
            QTimer.singleShot(0, self.open_database)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            if self._open_pending:
                QTimer.singleShot(0, self._open_once)  # after the whole window has been painted

    def _open_once(self) -> None:
        if self._open_pending:
            self._open_pending = False
            self.open_database()

    def open_database(self) -> None:
        from app.errors import DamagedDatabaseError, UserError
        from app.opening import open_database, resolve_location
        from ui.dialogs.error_dialog import show_error

        while True:
            try:
                location = resolve_location(self.db_path)
                self._show_location(location)
                from ui.unlock_flow import unlock_at_start

                if not unlock_at_start(self, location.path):
                    self.close()
                    return
                db, migration = open_database(location)
            except DamagedDatabaseError as exc:
                assert location.path is not None
                self._damaged(str(exc), location.path, in_use=False)
                return
            except UserError as exc:
                if location.path is None and "PostgreSQL 数据库" in str(exc) and "密码" in str(exc):
                    if self._ask_server_password(location, str(exc)):
                        continue  # resolve_location now finds the password typed
                    self.close()
                    return
                show_error(self, f"无法打开数据库。<br>{exc}")
                self.close()
                return
            break
        self.db = db
        self._quick_checked = False
        self.offer_restore_for(db.location)
        from ui.password_flow import refresh_security_actions

        refresh_security_actions(self)
        if migration.backup is not None:
            self.statusBar().showMessage(
                f"数据库已升级到新版本，升级前已备份：{migration.backup.name}", 10000
            )
        self._refresh_save_and_backup_times()
        from app.services.unit import first_unit

        with db.session() as session:
            unit = first_unit(session)
            unit_id = unit.id if unit else None
        if unit_id is None:
            self._first_run()
        else:
            self._enter(unit_id)
        QTimer.singleShot(1500, self._auto_backup)

    def _ask_server_password(self, location, problem: str) -> bool:
        """The PostgreSQL password the credential store lacks; kept there when the user agrees
        (and the PC has a store), else for this run only. False: the user chose 退出."""
        from app import server_password
        from ui.dialogs.server_password_dialog import ServerPasswordDialog

        dialog = ServerPasswordDialog(location.describe(), problem, self)
        self.server_password_dialog = dialog
        if dialog.exec() != ServerPasswordDialog.DialogCode.Accepted:
            return False
        bare = server_password.without_password(location.url)[0]
        if dialog.remember():
            if not server_password.store(bare, dialog.password()):
                self.statusBar().showMessage(
                    "本机没有系统凭据管理器：密码只在本次运行中使用，下次启动时再询问", 10000
                )
        else:
            server_password.remember_for_run(bare, dialog.password())
        return True

    def _first_run(self) -> None:
        from ui.dialogs.first_run_dialog import FirstRunDialog

        assert self.db is not None
        path = self.db.location.path
        from app.protection.files import is_encrypted

        offer = path is not None and not self.showing_example and not is_encrypted(path)
        dialog = FirstRunDialog(self.db.location.describe(), self, offer_password=offer)
        if dialog.exec() != FirstRunDialog.DialogCode.Accepted:
            self.close()
            return
        if dialog.choice() == FirstRunDialog.EXAMPLE:
            self._load_example()
        else:
            from app.services.unit import create_unit
            from ui.password_flow import first_unit_created

            first_unit_created(self, dialog, create_unit(self.db, dialog.unit_name(), dialog.year()))

    @property
    def showing_example(self) -> bool:
        """The window shows the example data's own file (not the user's)."""
        from app.paths import EXAMPLE_FILE_NAME

        path = self.db.location.path if self.db is not None else None
        return path is not None and path.name == EXAMPLE_FILE_NAME

    def _show_location(self, location: DatabaseLocation) -> None:
        from app.paths import EXAMPLE_FILE_NAME

        where = location.describe()
        example = location.path is not None and location.path.name == EXAMPLE_FILE_NAME
        self.file_label.setText(f"数据文件：示例数据（{where}）" if example else f"数据文件：{where}")
        self.file_label.setToolTip(where)

    def _load_example(self) -> None:
        """Open the example unit in a file of its own, beside the user's (loaded there the first
        time): the user's file stays empty, so that the next start offers the choice again."""
        from app.db import location_for
        from app.errors import UserError
        from app.example_data import load_example
        from app.opening import open_database
        from app.paths import example_db_path
        from app.services.unit import first_unit
        from ui.dialogs.error_dialog import show_error

        assert self.db is not None
        own, own_path = self.db, self.db_path
        location = location_for(example_db_path(own.location.path))
        try:
            db, _migration = open_database(location)
        except UserError as exc:
            show_error(self, f"无法打开示例数据文件。<br>{exc}")
            self._first_run()
            return
        own.dispose()
        self.db, self.db_path = db, str(location.path)
        self._show_location(location)
        self.offer_restore_for(db.location)
        from ui.password_flow import refresh_security_actions

        refresh_security_actions(self)
        self._refresh_save_and_backup_times()
        with db.session() as session:
            unit = first_unit(session)
        if unit is not None:  # loaded at an earlier start
            self._enter(unit.id)
            return

        def work(progress, _cancel):
            progress(0, 0, "正在载入示例数据…")
            return load_example(db)

        def failed(message: str, details: str) -> None:
            show_error(self, message, details)
            db.dispose()
            self.db, self.db_path = None, own_path
            self.open_database()  # the user's own file again, and its first-run question

        def loaded(unit_id: int) -> None:
            self.last_saved = datetime.now()
            self.saved_label.setText(f"上次保存：{_when(self.last_saved)}")
            self._enter(unit_id)

        self.tasks.run_with_progress(
            self, "载入示例数据", work, cancellable=False, on_finished=loaded, on_failed=failed
        )

    def _enter(self, unit_id: int) -> None:
        """Show the unit: latest year, first page (or the page last open)."""
        from app.services.unit import years_of
        from ui.context import AppContext

        assert self.db is not None
        with self.db.session() as session:
            years = years_of(session, unit_id)
        year = max(years)
        self.ctx = AppContext(self.db, None, self.tasks, unit_id, year)
        self.ctx.data_changed.connect(self._on_data_changed)
        self.ctx.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self._set_years(years, year)
        self._refresh_unit_name()
        for action in (self.save_action, self.export_action, self.new_year_action, self.check_action):
            action.setEnabled(True)
        self.backup_action.setEnabled(self.db.location.is_sqlite)
        self.categories_action.setEnabled(True)
        self.import_menu.setEnabled(True)
        self.batches_action.setEnabled(True)
        self.oplog_action.setEnabled(True)
        self.year_combo.setEnabled(True)
        self.nav.setEnabled(True)
        # Every start opens on the 工作台 (the first page), not on the page last open.
        self.nav.setCurrentRow(self.nav.row_of(HOME_PAGE))
        if self.stack.currentWidget() is self.loading_label:
            self._on_nav_row(self.nav.currentRow())
        # The badges (overdue counts) come a moment after the data: their queries and the
        # modules behind them would otherwise hold up the first view of the unit.
        QTimer.singleShot(BADGE_DELAY_MS, self.refresh_badges)
        if self.prefetch is None:
            QTimer.singleShot(PREFETCH_DELAY_MS, self._start_prefetch)
        self.entered.emit()
        if not self._quick_checked:
            self._quick_checked = True
            # with the badges, after the data is idle on screen (the start-up bench's data-idle)
            QTimer.singleShot(BADGE_DELAY_MS, self._start_quick_check)

    def _start_prefetch(self) -> None:
        """The page modules and the checks imported in idle time (ui/prefetch.py), after the
        data, the badges and the quick check have had their turn."""
        from ui.prefetch import Prefetch, page_modules

        if self.prefetch is not None or self.ctx is None:
            return
        from ui.models.findings_model import findings_model

        ctx = self.ctx
        modules = [*page_modules(spec.page_class for spec in PAGES), "app.checks"]
        # Last, a full check on a worker thread: the side panels' 全部 counts are ready, and F7's
        # queries have been compiled once (SQLAlchemy caches them: the first F7 took twice as long).
        after = [lambda: ctx.registry, lambda: findings_model(ctx).complete or findings_model(ctx).recheck()]
        self.prefetch = Prefetch(modules, after, self)
        self.prefetch.start()

    def _refresh_unit_name(self) -> None:
        from app.models.unit import Unit

        assert self.db is not None and self.ctx is not None
        with self.db.session() as session:
            unit = session.get(Unit, self.ctx.unit_id)
            self.unit_name = unit.name if unit else ""
        self.unit_label.setText(self.unit_name)
        self._update_title()

    def _update_title(self) -> None:
        year = f" · {self.ctx.year}年度" if self.ctx else ""
        name = f"{self.unit_name}（示例数据）" if self.unit_name and self.showing_example else self.unit_name
        self.setWindowTitle(f"{name}{year}[*] — {APP_NAME}" if name else APP_NAME)
        self.setWindowModified(any(page.is_dirty() for page in self.pages.values()))

    # -- pages -------------------------------------------------------------------------------

    def page(self, key: str) -> Page:
        """The page for `key`, created (and loaded) on first use."""
        if key not in self.pages:
            assert self.ctx is not None
            page = page_spec(key).create(self.ctx)
            page.dirty_changed.connect(lambda _d: self._update_title())
            page.badge_changed.connect(self.refresh_badges)
            records = getattr(page, "records_requested", None)  # the 工作台's cards and bars
            if records is not None:
                records.connect(self.show_records)
                page.checks_requested.connect(self.run_checks)  # type: ignore[attr-defined]
            self.pages[key] = page
            self.stack.addWidget(page)
            page.load()
        return self.pages[key]

    def show_page(self, key: str) -> Page:
        row = self.nav.row_of(key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)
        return self.pages[key]

    def show_records(self, key: str, kind: str, ids: list) -> None:
        """Open page `key` narrowed to exactly the records `ids` (the 工作台's cards and bars)."""
        if self.nav.row_of(key) < 0:
            return
        self.page(key)
        self.show_page(key).show_records(kind, ids)

    def current_page(self) -> Page | None:
        widget = self.stack.currentWidget()
        return widget if widget is not self.loading_label else None  # type: ignore[return-value]

    def _on_nav_row(self, row: int) -> None:
        if row < 0 or self.ctx is None:
            return
        self.stack.setCurrentWidget(self.page(self.nav.key_at(row)))

    def refresh_badges(self) -> None:
        """Recount the navigation badges in the background (they are queries over possibly
        100,000s of rows, and never worth a frozen window); one count at a time."""
        if self.ctx is None:
            return
        if self._badge_task is not None:
            self._badges_again = True
            return
        db, unit_id, year = self.ctx.db, self.ctx.unit_id, self.ctx.year
        specs = [spec for spec in PAGES if spec.badge]

        def work(_progress, _cancel) -> tuple[int, int, dict[str, int]]:
            counts = {}
            with db.session() as session:
                for spec in specs:
                    count_fn = spec.badge_function()
                    assert count_fn is not None
                    counts[spec.key] = int(count_fn(session, unit_id, year))
            return unit_id, year, counts

        self._badges_again = False
        self._badge_task = self.tasks.start(work)
        self._badge_task.finished.connect(self._badges_counted)
        self._badge_task.ended.connect(self._badges_ended)

    def _badges_counted(self, result: tuple[int, int, dict[str, int]]) -> None:
        unit_id, year, counts = result
        if self.ctx is None or (unit_id, year) != (self.ctx.unit_id, self.ctx.year):
            self._badges_again = True
            return
        for key, count in counts.items():
            self.nav.set_badge(key, count)
        self.badges_refreshed.emit()

    def _badges_ended(self) -> None:
        self._badge_task = None
        if self._badges_again:
            self.refresh_badges()

    def _on_data_changed(self, module: str) -> None:
        self.last_saved = datetime.now()
        self.saved_label.setText(f"上次保存：{_when(self.last_saved)}")
        if module == "unit":
            self._refresh_unit_name()
        self.refresh_badges()

    # -- saving and unsaved edits --------------------------------------------------------------

    def save_current(self) -> None:
        page = self.current_page()
        if page is None:
            return
        if not page.is_dirty():
            self.statusBar().showMessage("没有需要保存的修改", 3000)
            return
        page.save()

    def confirm_unsaved(self, action: str) -> bool:
        """Ask about every page with unsaved edits; False if the user cancelled."""
        for spec in PAGES:
            page = self.pages.get(spec.key)
            if page is None or not page.is_dirty():
                continue
            answer = QMessageBox.question(
                self,
                "有未保存的修改",
                f"“{spec.title}”有未保存的修改。{action}前是否保存？",
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return False
            if answer == QMessageBox.StandardButton.Save:
                self.show_page(spec.key)
                if not page.save():
                    return False
            else:
                page.discard()
        return True

    # -- years ---------------------------------------------------------------------------------

    def _set_years(self, years: list[int], current: int) -> None:
        self.years = years
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for year in sorted(years, reverse=True):
            self.year_combo.addItem(f"{year}年度", year)
        self.year_combo.setCurrentIndex(self.year_combo.findData(current))
        self.year_combo.blockSignals(False)

    def _on_year_chosen(self, index: int) -> None:
        year = self.year_combo.itemData(index)
        if self.ctx is None or year == self.ctx.year:
            return
        if not self.confirm_unsaved("切换年度"):
            self.year_combo.setCurrentIndex(self.year_combo.findData(self.ctx.year))
            return
        self.switch_year(year)

    def switch_year(self, year: int) -> None:
        assert self.ctx is not None
        self.ctx.set_year(year)
        self.year_combo.setCurrentIndex(self.year_combo.findData(year))
        for page in self.pages.values():
            page.load()
        self._update_title()
        self.refresh_badges()
        self.statusBar().showMessage(f"已切换到 {year} 年度", 3000)

    def new_year(self) -> None:
        from app.errors import UserError
        from app.services.unit import add_year
        from ui.dialogs.new_year_dialog import NewYearDialog

        if self.ctx is None or not self.confirm_unsaved("新建年度"):
            return
        dialog = NewYearDialog(self.years, self)
        if dialog.exec() != NewYearDialog.DialogCode.Accepted:
            return
        try:
            add_year(self.ctx.db, self.ctx.unit_id, dialog.year(), dialog.carry_from(), self.ctx.registry)
        except UserError as exc:
            QMessageBox.warning(self, "无法新建年度", str(exc))
            return
        self._set_years([*self.years, dialog.year()], self.ctx.year)
        self.switch_year(dialog.year())
        source = dialog.carry_from()
        note = f"（已从 {source} 年度结转）" if source else ""
        self.statusBar().showMessage(f"已新建 {dialog.year()} 年度{note}", 8000)

    # -- checks ----------------------------------------------------------------------------------

    def run_checks(self) -> list[Finding]:
        from app.checks import run_checks
        from ui.models.findings_model import counts, findings_model
        from ui.widgets.findings_panel import FindingsPanel

        if self.ctx is None:
            return []
        model = findings_model(self.ctx)
        model.set_findings(run_checks(self.ctx.db, self.ctx.unit_id, self.ctx.year, self.ctx.registry))
        if self.findings_dock is None:
            self.findings_dock = QDockWidget("校验结果", self)
            self.findings_dock.setObjectName("findingsDock")
            panel = FindingsPanel(source=model)
            panel.jump_requested.connect(self.jump_to)
            self.findings_dock.setWidget(panel)
            self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.findings_dock)
        panel = self.findings_dock.widget()
        panel.set_source(model)  # type: ignore[attr-defined]
        self.findings_dock.show()
        # A page checking as the user types (预算绩效) counts its unsaved edits: the list shown.
        findings = model.in_scope()
        errors, warnings = counts(findings)
        self.statusBar().showMessage(f"校验完成：错误 {errors} 项，警告 {warnings} 项", 8000)
        return findings

    def export_year(self) -> None:
        """文件 › 导出…: the 报告导出 page's one-click export of the year in view."""
        if self.ctx is None:
            return
        self.page("reports")
        self.show_page("reports").export_all()  # type: ignore[attr-defined]

    def jump_to(self, finding: Finding) -> None:
        if finding.target is None:
            return
        if self.nav.row_of(finding.target.page) < 0:
            return
        self.page(finding.target.page)
        self.show_page(finding.target.page).show_target(finding.target)

    # -- backups and folders ---------------------------------------------------------------------

    def _backup_dir(self) -> Path | None:
        from app.paths import backups_dir_for

        if self.db is None or self.db.location.path is None:
            return None
        return backups_dir_for(self.db.location.path)

    def _refresh_save_and_backup_times(self) -> None:
        from app.backup import last_backup

        assert self.db is not None
        path = self.db.location.path
        if path is None:
            self.backup_label.setText("备份：由数据库服务器负责")
            self.saved_label.setText("上次保存：—")
            return
        stamps = [p.stat().st_mtime for p in (path, path.with_name(path.name + "-wal")) if p.exists()]
        if self.last_saved is None and stamps:
            self.last_saved = datetime.fromtimestamp(max(stamps))
        self.saved_label.setText(f"上次保存：{_when(self.last_saved)}")
        backup_dir = self._backup_dir()
        newest = last_backup(backup_dir, path.stem) if backup_dir else None
        self.last_backup = newest.taken_at if newest else None
        self.backup_label.setText(f"上次备份：{_when(self.last_backup)}")

    def _auto_backup(self) -> None:
        from app.backup import backup_due

        directory = self._backup_dir()
        path = self.db.location.path if self.db else None
        if (
            directory is not None
            and path is not None
            and self.ctx is not None
            and backup_due(directory, stem=path.stem)
        ):
            self.start_backup("auto")

    def start_backup(self, kind: str) -> None:
        from app.backup import backup_sqlite
        from app.registry import Cancelled

        directory = self._backup_dir()
        if directory is None or self.db is None or self.db.location.path is None:
            return
        source = self.db.location.path

        def work(progress, cancel):
            from app.backup import BackupCancelled

            try:
                return backup_sqlite(source, directory, kind, progress=progress, cancel=cancel)
            except BackupCancelled as exc:
                raise Cancelled from exc

        def done(path: Path) -> None:
            self._refresh_save_and_backup_times()
            self.statusBar().showMessage(f"已备份到 {path}", 8000)

        def failed(message: str, _details: str) -> None:
            self.backup_label.setText("上次备份：失败")
            self.statusBar().showMessage(f"备份失败：{message}", 10000)

        if kind == "auto":
            self.backup_label.setText("正在自动备份…")
            task = self.tasks.start(work)
            task.finished.connect(done)
            task.failed.connect(failed)
            task.cancelled.connect(self._refresh_save_and_backup_times)
        else:
            self.tasks.run_with_progress(self, "备份数据库", work, on_finished=done, on_failed=failed)

    # -- damaged files and restoring from a backup --------------------------------------------------

    def _start_quick_check(self) -> None:
        """PRAGMA quick_check in the background, once the data is on screen; a damaged file is
        reported in a dialog (ui/dialogs/damaged_file_dialog.py)."""
        from app.integrity import check

        if self.db is None or self.db.location.path is None or not self.isVisible():
            return  # (the window closed meanwhile: its database is gone)
        path = self.db.location.path

        def work(_progress, cancel) -> list[str]:
            from app.integrity import CheckCancelled
            from app.registry import Cancelled

            try:
                return check(path, quick=True, cancel=cancel)
            except CheckCancelled as exc:
                raise Cancelled from exc

        def checked(problems: list[str]) -> None:
            if problems and self.isVisible() and self.db is not None and self.db.location.path == path:
                self.quick_check_problems = problems
                self._damaged(
                    f"数据文件“{path}”已损坏：SQLite 的完整性检查发现问题（{problems[0]}）。"
                    "继续使用可能丢失数据，导出的材料也可能不完整。",
                    path,
                    in_use=True,
                )

        self.quick_check_task = self.tasks.start(work)
        self.quick_check_task.finished.connect(checked)

    def _damaged(self, message: str, path: Path, *, in_use: bool) -> None:
        """Ask what to do about a damaged data file, and do it."""
        from app.backup import list_backups
        from app.paths import backups_dir_for
        from ui.dialogs import damaged_file_dialog as choices

        has_backups = bool(list_backups(backups_dir_for(path), stem=path.stem))
        dialog = choices.DamagedFileDialog(message, self, has_backups=has_backups, in_use=in_use)
        self.damaged_dialog = dialog
        dialog.exec()
        choice = dialog.choice()
        restoring = choice in (choices.RESTORE_LATEST, choices.CHOOSE_BACKUP)
        if in_use and restoring and not self.confirm_unsaved("恢复备份"):
            return
        if choice == choices.RESTORE_LATEST:
            self._run_restore(None, path)
        elif choice == choices.CHOOSE_BACKUP:
            if not self._choose_and_restore(path) and not in_use:
                self._damaged(message, path, in_use=False)
        elif choice == choices.OTHER_FILE:
            from PySide6.QtWidgets import QFileDialog

            chosen, _ = QFileDialog.getOpenFileName(
                self, "打开数据文件", str(path.parent), "数据文件 (*.sqlite3 *.db);;所有文件 (*)"
            )
            if chosen:
                self.db_path = chosen
                self.open_database()
            else:
                self._damaged(message, path, in_use=False)
        elif choice == choices.QUIT:
            self.close()

    def offer_restore_for(self, location: DatabaseLocation) -> None:
        self.restore_action.setEnabled(location.is_sqlite)
        local_only = "备份与恢复只用于本机数据文件；PostgreSQL 数据库由数据库服务器负责备份。"
        self.restore_action.setToolTip("从备份恢复数据文件" if location.is_sqlite else local_only)

    def restore_from_backup(self) -> None:
        """文件 › 从备份恢复…"""
        if self.db is None or self.db.location.path is None:
            return
        if not self.confirm_unsaved("恢复备份"):
            return
        self._choose_and_restore(self.db.location.path)

    def _choose_and_restore(self, path: Path) -> bool:
        from ui.dialogs.restore_dialog import RestoreDialog

        dialog = RestoreDialog(path, self)
        self.restore_dialog = dialog
        if dialog.exec() != RestoreDialog.DialogCode.Accepted or dialog.chosen() is None:
            return False
        summary = dialog.chosen()
        assert summary is not None
        from app.protection.files import needs_password

        if needs_password(summary.backup.path):  # encrypted with another key: its own password
            from ui.dialogs.password_dialogs import UnlockDialog

            asking = UnlockDialog(summary.backup.path, self, backup=True)
            self.backup_unlock_dialog = asking
            if asking.exec() != UnlockDialog.DialogCode.Accepted:
                return False
        self._run_restore(summary.backup.path, path)
        return True

    def _run_restore(self, backup: Path | None, path: Path) -> None:
        """Close the database, restore `backup` (None: the newest that passes integrity_check)
        over `path` in the background, and open the file again, restored or not."""
        from app.errors import UserError
        from app.restore import format_time, latest_good_backup, restore

        self._close_database()

        def work(progress, cancel):
            chosen = backup
            if chosen is None:
                progress(0, 0, "正在查找完好的备份…")
                found = latest_good_backup(path, cancel)
                if found is None:
                    raise UserError("没有找到通过完整性检查的备份。可以打开其他数据文件。")
                chosen = found.path
            return restore(chosen, path, progress=progress, cancel=cancel)

        def done(result) -> None:
            from app.backup import list_backups
            from app.paths import backups_dir_for

            taken = next(
                (b.taken_at for b in list_backups(backups_dir_for(path)) if b.path == result.backup), None
            )
            when = f"（{format_time(taken)}）" if taken else ""
            kept = f"<br>被替换的数据文件已另存为：{result.kept_copy}" if result.kept_copy else ""
            self.statusBar().showMessage(f"已从备份恢复：{result.backup.name}", 10000)
            text = f"已用备份 {result.backup.name}{when} 恢复数据文件。{kept}"
            QMessageBox.information(self, "从备份恢复", text)
            self.open_database()

        def failed(message: str, details: str) -> None:
            from ui.dialogs.error_dialog import show_error

            show_error(self, f"未能从备份恢复，数据文件没有改动。<br>{message}", details)
            self.open_database()

        self.tasks.run_with_progress(
            self, "从备份恢复", work, on_finished=done, on_failed=failed, on_cancelled=self.open_database
        )

    def _close_database(self) -> None:
        """Let go of the database and everything showing its data (before its file is replaced)."""
        if self._tasks is not None:
            self._tasks.shutdown()
        self.stack.setCurrentWidget(self.loading_label)
        for page in self.pages.values():
            self.stack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()
        if self.findings_dock is not None:
            self.findings_dock.hide()
        if self.ctx is not None:
            self.ctx.deleteLater()
            self.ctx = None
        for action in (
            self.save_action,
            self.export_action,
            self.new_year_action,
            self.check_action,
            self.backup_action,
        ):
            action.setEnabled(False)
        self.restore_action.setEnabled(False)
        self.categories_action.setEnabled(False)
        self.import_menu.setEnabled(False)
        self.batches_action.setEnabled(False)
        self.oplog_action.setEnabled(False)
        self.year_combo.setEnabled(False)
        self.nav.setEnabled(False)
        if self.db is not None:
            self.db.dispose()
            self.db = None

    def open_data_folder(self) -> None:
        from app.paths import data_dir

        folder = self.db.location.path.parent if self.db and self.db.location.path else data_dir()
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def open_backup_folder(self) -> None:
        directory = self._backup_dir()
        if directory is None:
            QMessageBox.information(self, "备份", "当前使用 PostgreSQL 数据库，备份由数据库服务器负责。")
            return
        directory.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(directory)))

    def import_ledger(self, kind: str) -> None:
        """文件 › 导入台账 › …: the page that lists the records, then the import wizard."""
        from ui.ledger_import import PAGE_OF_KIND, open_ledger_import

        if self.ctx is None:
            return
        key = PAGE_OF_KIND[kind]
        self.show_page(key)
        open_ledger_import(self.page(key), self.ctx, kind)

    def import_budget_tables(self) -> None:
        if self.ctx is None:
            return
        self.show_page("budget")
        self.page("budget").import_tables()  # type: ignore[attr-defined]

    def show_import_batches(self) -> None:
        from ui.ledger_import import open_import_batches

        if self.ctx is not None:
            open_import_batches(self, self.ctx)

    def show_operation_log(self) -> None:
        """文件 › 操作日志…"""
        from ui.dialogs.operation_log_dialog import OperationLogDialog

        if self.ctx is None:
            return
        self.operation_log_dialog = OperationLogDialog(self.ctx, self)
        self.operation_log_dialog.open()

    def edit_hazard_categories(self) -> None:
        """工具 › 隐患类别…: opens the 安全监督 page and its list of hazard categories."""
        if self.ctx is None:
            return
        self.show_page("safety")
        self.page("safety").edit_categories()  # type: ignore[attr-defined]

    def database_settings(self) -> None:
        from ui.dialogs.database_dialog import DatabaseDialog

        dialog = DatabaseDialog(self.db.location.describe() if self.db else "", self)
        if dialog.exec() == DatabaseDialog.DialogCode.Accepted:
            note = (
                ""
                if dialog.password_kept
                else ("<br>本机没有系统凭据管理器，数据库密码没有保存，每次启动时询问。")
            )
            QMessageBox.information(self, "数据库设置", f"设置已保存，重新启动程序后生效。{note}")

    def about(self) -> None:
        where = self.db.location.describe() if self.db else "—"
        QMessageBox.about(
            self,
            f"关于{APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>县级住建单位预算绩效、安全监督、信访与巡察整改数据的"
            f"填报与一键导出。<br><br>数据文件：{where}",
        )

    # -- closing -----------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.confirm_unsaved("退出"):
            event.ignore()
            return
        self._save_geometry()
        if self._tasks is not None:
            self._tasks.shutdown()
        if self.db is not None:
            self.db.dispose()
        event.accept()


__all__ = ["MainWindow", "PageSpec"]
