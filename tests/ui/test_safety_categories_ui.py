"""隐患类别 in the 安全监督 page: the pick-list in the 检查记录 dialog (a typed synonym saved as its
category), errors that go as soon as the field is fixed, the 90-day 整改期限 warning, the list
dialog (rename, model), and the ledger filter offering every category in use."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.db import Database
from app.models.safety import SafetyHazard
from app.registry import default_registry
from app.services.safety.inspections import HazardDraft, InspectionDraft, create_inspection
from app.services.safety.projects import ProjectForm, create_project
from app.services.unit import create_unit
from ui.context import AppContext
from ui.dialogs.safety_categories_dialog import HazardCategoriesDialog
from ui.dialogs.safety_inspection_dialog import INVALID_STYLE, WARNING_STYLE, InspectionDialog
from ui.models.hazard_category_model import NAME, SYNONYMS, USED, HazardCategoryModel
from ui.pages.safety_page import SafetyPage
from ui.tasks import TaskRunner
from ui.widgets.safety_fields import to_qdate

TODAY = date(2024, 6, 30)
SHOTS = Path("/tmp/categories")


def _page(qtbot, db: Database) -> tuple[SafetyPage, int, list]:
    unit_id = create_unit(db, "测试县建筑工程服务中心", 2024)
    pid = create_project(db, unit_id, ProjectForm(name="城北小区一期"), "在建", date(2024, 1, 2))
    ctx = AppContext(db, default_registry(), TaskRunner(), unit_id, 2024)
    page = SafetyPage(ctx, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.load()
    opened: list = []
    page.dialog_opened.connect(opened.append)
    return page, pid, opened


def _categories(db: Database) -> list[str]:
    with db.session() as session:
        return list(session.scalars(session.query(SafetyHazard.category).order_by(SafetyHazard.id).statement))


def _type(widget, text: str) -> None:
    from PySide6.QtGui import QInputMethodEvent

    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_a_synonym_typed_into_the_category_is_saved_as_its_category(qtbot, db: Database) -> None:
    page, pid, opened = _page(qtbot, db)
    page.new_inspection()
    dialog: InspectionDialog = opened[-1]
    dialog.checked_on.setDate(to_qdate(date(2024, 6, 3)))
    dialog.set_projects_checked([pid])
    row = dialog.rows[0]
    combo = row.category
    # the pick-list is the unit's list; typing finds an entry by a synonym
    assert [combo.itemText(i) for i in range(combo.count())][:3] == ["高处坠落", "起重机械", "临时用电"]
    combo.setEditText("触电")  # (typing it would pop the completer up: not on an offscreen test)
    combo.lineEdit().editingFinished.emit()
    assert combo.currentText() == "临时用电"
    combo.setEditText("塔吊（起重机械）")  # as the completer offers a synonym
    assert combo.category() == "起重机械"
    combo.setEditText("触电")
    _type(row.description, "配电箱漏电保护器失效")
    with qtbot.waitSignal(dialog.finished):
        dialog.save()
    assert _categories(db) == ["临时用电"]


def test_a_red_field_clears_as_soon_as_it_is_valid_and_a_far_deadline_warns(qtbot, db: Database) -> None:
    page, pid, opened = _page(qtbot, db)
    page.new_inspection()
    dialog: InspectionDialog = opened[-1]
    dialog.resize(1260, 680)
    dialog.show()
    dialog.checked_on.setDate(to_qdate(date(2024, 6, 3)))
    dialog.set_projects_checked([pid])
    first = dialog.rows[0]
    _type(first.measures, "立即设置防护栏杆")  # not blank: kept, but without a description
    first.category.setEditText("地震")
    dialog.save()
    assert dialog.isVisible()
    assert first.description.styleSheet() == INVALID_STYLE
    assert first.category.styleSheet() == INVALID_STYLE
    assert "第1条隐患：请填写隐患描述" in dialog.errors.text()
    # WHEN the description is typed, its mark goes at once; the category stays marked
    _type(first.description, "三层临边防护栏杆缺失")
    assert first.description.styleSheet() == "" and first.description.toolTip() == ""
    assert first.category.styleSheet() == INVALID_STYLE
    assert "请填写隐患描述" not in dialog.errors.text() and "地震" in dialog.errors.text()
    # a 整改期限 91 days out: amber, listed, not an error
    first.deadline.setDate(to_qdate(date(2024, 9, 2)))
    assert first.deadline.styleSheet() == WARNING_STYLE
    assert (
        dialog.warnings.text()
        == "请核对（不影响保存）：第1条隐患：整改期限在检查日期91天之后（超过90天），请核对"
    )
    dialog.grab().save(str(SHOTS / "inspection-dialog-marks.png"))
    first.category.setCurrentText("高处坠落")
    assert first.category.styleSheet() == ""
    assert dialog.errors.isHidden()
    with qtbot.waitSignal(dialog.finished):
        dialog.save()
    assert _categories(db) == ["高处坠落"]


def test_the_hazard_dialog_clears_its_error_on_a_valid_edit(qtbot, db: Database) -> None:
    page, pid, opened = _page(qtbot, db)
    draft = InspectionDraft(date(2024, 6, 3), "月例行检查", [pid], inspectors="李志刚")
    create_inspection(
        db, page.ctx.unit_id, draft, [HazardDraft(pid, "临边防护缺失", "高处坠落", date(2024, 6, 10))]
    )
    page.hazards.reload()
    page.edit_hazard(page.hazards.model.row_key(0))
    dialog = opened[-1]
    dialog.category.setEditText("地震")
    dialog.save()
    assert dialog.fields["category"].has_error()
    dialog.category.setEditText("临电")  # a synonym: valid
    assert not dialog.fields["category"].has_error()
    dialog.deadline.setDate(to_qdate(date(2024, 12, 31)))
    message = dialog.fields["deadline"].message_text()
    assert message == "整改期限在检查日期211天之后（超过90天），请核对"
    assert not dialog.fields["deadline"].has_error()
    with qtbot.waitSignal(dialog.finished):
        dialog.save()
    assert _categories(db) == ["临时用电"]


def test_the_category_model(qtmodeltester) -> None:
    from app.services.safety.categories import seed_list

    model = HazardCategoryModel(seed_list(), {"消防": 3})
    qtmodeltester.check(model)
    assert model.index(2, SYNONYMS).data() == "触电、施工用电、临电、用电安全"
    assert not model.flags(model.index(0, USED)) & Qt.ItemFlag.ItemIsEditable
    assert model.move(0, 1) == 1 and model.index(1, NAME).data() == "高处坠落"
    model.setData(model.index(0, SYNONYMS), "塔吊，龙门吊 塔吊")
    assert model.items()[0].synonyms == ("塔吊", "龙门吊")


def test_renaming_in_the_dialog_rewrites_the_hazards_and_the_filter_follows(qtbot, db: Database) -> None:
    page, pid, opened = _page(qtbot, db)
    draft = InspectionDraft(date(2024, 6, 3), "月例行检查", [pid])
    create_inspection(
        db,
        page.ctx.unit_id,
        draft,
        [HazardDraft(pid, f"隐患{n}", c, date(2024, 6, 10)) for n, c in enumerate(("消防", "消防", "扬尘"))],
    )
    page.hazards.reload()
    page.edit_categories()
    dialog: HazardCategoriesDialog = opened[-1]
    model = dialog.model
    fire = next(r for r in range(model.rowCount()) if model.index(r, NAME).data() == "消防")
    assert model.index(fire, USED).data() == 2
    dialog.show()
    dialog.grab().save(str(SHOTS / "categories-dialog.png"))
    assert dialog.width() <= 1280 and dialog.height() <= 720
    model.setData(model.index(fire, NAME), "消防安全")
    assert "保存时已记录的隐患一并改为新名称" in model.index(fire, NAME).data(Qt.ItemDataRole.ToolTipRole)
    with qtbot.waitSignal(dialog.finished):
        dialog.save()
    assert dialog.summary() == "隐患类别已保存，2条隐患改为新的类别名称"
    assert _categories(db) == ["消防安全", "消防安全", "扬尘"]
    box = page.hazards.category
    offered = [box.itemText(i) for i in range(box.count())]
    assert "消防安全" in offered and "消防" not in offered
    box.setCurrentIndex(box.findData("消防安全"))
    assert page.hazards.model.total() == 2


def test_the_filter_offers_old_categories_when_opened(qtbot, db: Database) -> None:
    page, pid, _opened = _page(qtbot, db)
    draft = InspectionDraft(date(2024, 6, 3), "月例行检查", [pid])
    create_inspection(
        db, page.ctx.unit_id, draft, [HazardDraft(pid, "灭火器过期", "消防", date(2024, 6, 10))]
    )
    with db.transaction() as session:  # saved before the list existed, under a name it lacks
        session.execute(SafetyHazard.__table__.update().values(category="防火"))
    box = page.hazards.category
    assert box.findData("防火") < 0 and box.count() == 13  # 全部类别 and the list: no scan yet
    box.opening.emit()  # the list is being opened
    assert box.itemText(box.count() - 1) == "防火"
    box.setCurrentIndex(box.count() - 1)
    assert page.hazards.model.total() == 1


def test_a_wrong_list_is_refused_in_the_dialog(qtbot, db: Database) -> None:
    page, _pid, opened = _page(qtbot, db)
    page.edit_categories()
    dialog: HazardCategoriesDialog = opened[-1]
    dialog.add_entry()
    dialog.model.setData(dialog.model.index(dialog._current_row(), NAME), "消防")
    dialog.save()
    assert dialog.isVisible() and dialog.error_label.text() == "类别名称重复：消防"
    dialog.reject()


def test_the_tools_menu_opens_the_list(qtbot, example_path: Path) -> None:
    from tests.ui.helpers import close_window, open_window

    window = open_window(qtbot, example_path)
    action = window.categories_action
    assert action.text() == "隐患类别…" and action.isEnabled()
    page = window.page("safety")
    opened: list = []
    page.dialog_opened.connect(opened.append)
    action.trigger()
    dialog = opened[-1]
    assert isinstance(dialog, HazardCategoriesDialog)
    assert dialog.model.rowCount() == 12 and dialog.model.index(0, USED).data() == 505
    assert dialog.unify.isHidden()  # the example has no hazard under a synonym
    dialog.reject()
    close_window(window)
