"""A detail pane beside a list in a QSplitter, hidden while it has nothing to show: the list then
takes the whole width. Shown again, it gets back the width it had (at first SHARE of the
splitter), at least its minimum."""

from __future__ import annotations

from PySide6.QtWidgets import QSplitter, QWidget

SHARE = 0.4
WIDTH_PROPERTY = "sidePaneWidth"


def show_beside(pane: QWidget, visible: bool) -> None:
    splitter = pane.parentWidget()
    if not isinstance(splitter, QSplitter):
        pane.setVisible(visible)
        return
    index = splitter.indexOf(pane)
    if not visible:
        if pane.isVisible() and pane.width() > 0:
            pane.setProperty(WIDTH_PROPERTY, pane.width())
        pane.hide()
        return
    if not pane.isHidden():
        return
    pane.show()
    sizes = splitter.sizes()
    total = sum(sizes)
    if total <= 0:
        return
    remembered = pane.property(WIDTH_PROPERTY)
    width = int(remembered) if remembered else int(total * SHARE)
    width = min(max(width, pane.minimumSizeHint().width()), total)
    rest = total - width
    others = [i for i in range(len(sizes)) if i != index]
    shown = sum(sizes[i] for i in others) or 1
    for i in others:  # the other widgets share what is left as they did before
        sizes[i] = rest * sizes[i] // shown
    sizes[index] = width
    splitter.setSizes(sizes)
