"""Opening the ledger import wizard and the 导入记录 dialog from a page or the 文件 menu, and
telling every page that shows the imported (or undone) records to read them again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

# The page (and data_changed module key) that lists each kind's records.
PAGE_OF_KIND = {
    "projects": "safety",
    "hazards": "safety",
    "documents": "safety",
    "petitions": "petitions",
    "rectification": "rectification",
}
MENU_KINDS = (
    ("projects", "工程项目清单…"),
    ("hazards", "隐患排查整改台账…"),
    ("documents", "执法文书登记…"),
    ("petitions", "信访事项登记台账…"),
    ("rectification", "巡察整改台账…"),
)


def _reload(page: QWidget, ctx, kind: str, summary: str) -> None:
    window = page.window()
    target = window.pages.get(PAGE_OF_KIND.get(kind, "")) if hasattr(window, "pages") else None
    if target is not None and not target.is_dirty():  # unsaved input stays; the page reloads later
        target.load()
    ctx.notify_saved(PAGE_OF_KIND.get(kind, kind), summary)


def open_ledger_import(page: QWidget, ctx, kind: str, path: Path | None = None):
    """Show the wizard for `kind` (non-modal to the event loop: `open()`); returns the dialog."""
    from ui.dialogs.ledger_import_dialog import LedgerImportDialog

    dialog = LedgerImportDialog(ctx, kind, path, page)
    dialog.imported.connect(lambda _batch, summary: _reload(page, ctx, kind, summary))
    page.ledger_import_dialog = dialog  # kept alive; tests reach it here
    dialog.open()
    if path is None:
        dialog.choose_file()
        if dialog.path is None:  # the file dialog cancelled: no wizard left open with nothing in it
            dialog.reject()
    return dialog


def open_import_batches(page: QWidget, ctx):
    from ui.dialogs.import_batches_dialog import ImportBatchesDialog

    dialog = ImportBatchesDialog(ctx, page)
    dialog.undone.connect(lambda kind, summary: _reload(page, ctx, kind, summary))
    page.import_batches_dialog = dialog
    dialog.open()
    return dialog
