"""The form widgets accept what the services accept: dates 1949–2100 (Qt's own range runs to 9999,
and a 9999-12-20 deadline overflowed the deadline arithmetic), amounts up to 1e12 万元."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate

from ui.widgets.budget_fields import MoneyEdit
from ui.widgets.registers_date_edit import DateField
from ui.widgets.safety_fields import OptionalDate, date_edit


def test_date_edits_stop_at_1949_and_2100(qtbot) -> None:
    edit = date_edit(date(2024, 5, 6))
    qtbot.addWidget(edit)
    assert (edit.minimumDate(), edit.maximumDate()) == (QDate(1949, 1, 1), QDate(2100, 12, 31))
    edit.setDate(QDate(9999, 12, 20))
    assert edit.date() == QDate(2100, 12, 31)
    optional = OptionalDate("整改期限")
    qtbot.addWidget(optional)
    assert optional.edit.maximumDate() == QDate(2100, 12, 31)


def test_a_typed_register_date_past_2100_is_an_error(qtbot) -> None:
    field = DateField()
    qtbot.addWidget(field)
    field.line.setText("9999-12-20")
    assert field.value() is None and "1949年至2100年" in (field.error() or "")
    assert field.calendar.maximumDate() == QDate(2100, 12, 31)


def test_an_amount_past_1e12_is_marked_invalid(qtbot) -> None:
    edit = MoneyEdit()
    qtbot.addWidget(edit)
    for text in ("1000000000000.01", "1e24", "NaN", "①"):
        edit.setText(text)
        assert not edit.is_valid(), text
    edit.setText("1,000,000,000,000")
    assert edit.is_valid()
