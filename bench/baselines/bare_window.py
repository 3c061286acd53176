"""Start-up baseline: a bare PySide6 script that opens a QMainWindow with a QTableView.

The window has the app's first-start size and is timed by the same probe (ui/startup_probe.py).
With `--with-orm DB` (the second baseline) it then does what the app must do at the least to show
data: once the window has painted, import SQLAlchemy's ORM, run one query on the database file
and show the rows in the table.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # for ui.startup_probe only

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPaintEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

from ui.startup_probe import StartupProbe


class Window(QMainWindow):
    def __init__(self, db_path: str | None) -> None:
        super().__init__()
        self.db_path = db_path
        self.view = QTableView()
        self.setCentralWidget(self.view)
        self.resize(1280, 800)
        self.probe = StartupProbe(self, trace=True, quit_when_ready=True)
        self._painted = False

    def paintEvent(self, event: QPaintEvent) -> None:  # as the app does: load after the first paint
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.load)

    def load(self) -> None:
        if self.db_path is not None:
            from sqlalchemy import create_engine, text
            from sqlalchemy.orm import Session

            engine = create_engine(f"sqlite:///{self.db_path}")
            with Session(engine) as session:
                rows = session.execute(text("SELECT id, name, credit_code FROM unit ORDER BY id")).all()
            engine.dispose()
            model = QStandardItemModel(0, 3, self.view)
            for row in rows:
                model.appendRow([QStandardItem(str(value)) for value in row])
            self.view.setModel(model)
        self.probe.data_ready()


def main() -> int:
    db_path = sys.argv[sys.argv.index("--with-orm") + 1] if "--with-orm" in sys.argv else None
    app = QApplication(sys.argv[:1])
    window = Window(db_path)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
