"""Qt's own dialogs speak Chinese: the folder dialog of an export has no "Look in" / "Files of type"."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton

from ui.application import create_application


def test_the_non_native_folder_dialog_is_in_chinese(qtbot) -> None:
    create_application()
    dialog = QFileDialog(None, "选择导出到的文件夹")
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.show()
    qtbot.waitExposed(dialog)
    labels = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
    assert labels["lookInLabel"] == "查找范围(&L)："
    assert labels["fileTypeLabel"] == "文件类型(&T)："
    texts = " ".join(labels.values())
    assert not any(word in texts for word in ("Look in", "Files of", "Directory"))
    # the other texts still come from qtbase_zh_CN (an added translator must not blank them)
    buttons = {button.text() for button in dialog.findChildren(QPushButton)}
    assert "取消" in buttons
    assert labels["fileNameLabel"] == "目录："
