"""Which .docx template a Word report is laid out with.

The built-in template (`resources/templates/公文报告模板.docx`, made by `make_templates.py`) carries
the GB/T 9704 styles and page setup. A user can copy it into the data folder's `templates/` and edit
it in WPS; the app then uses that copy — as `公文报告模板.docx` for every report, or renamed after one
report (`部门整体支出绩效自评报告.docx`) for that report only. A copy that is not a usable .docx, or
that lacks a style the writer needs, is skipped with a message naming the problem, and the built-in
template is used.
"""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from app.exports.docx_spec import REQUIRED_STYLES, STYLE_BY_NAME, TABLE_STYLE
from app.paths import resources_dir, templates_dir

BUILTIN_TEMPLATE = "公文报告模板.docx"
README_NAME = "说明.txt"

_STYLE_LABELS = {
    "Title": "标题（Title）",
    "Heading 1": "标题 1（Heading 1）",
    "Heading 2": "标题 2（Heading 2）",
    "Heading 3": "标题 3（Heading 3）",
    "Heading 4": "标题 4（Heading 4）",
}


def style_label(name: str) -> str:
    return _STYLE_LABELS.get(name, name)


@dataclass(frozen=True)
class TemplateChoice:
    path: Path
    is_builtin: bool
    # Why a user template that would have been used was rejected ("" when none was).
    problem: str = ""

    def describe(self) -> str:
        if self.is_builtin:
            return "内置模板"
        return f"数据文件夹中的模板“{self.path.name}”"


def builtin_template_path() -> Path:
    return resources_dir() / "templates" / BUILTIN_TEMPLATE


def user_template_paths(report_template: str | None = None) -> list[Path]:
    """The user copies that would be used for a report, most specific first."""
    folder = templates_dir()
    names = ([f"{report_template}.docx"] if report_template else []) + [BUILTIN_TEMPLATE]
    return [folder / name for name in names]


def find_style(document, name: str):
    """A paragraph/table style by its name, or by the id Word gives it ("Heading1"); None if absent.

    WPS keeps the English names of built-in styles in the file and shows them translated."""
    return StyleIndex(document).find(name)


class StyleIndex:
    """`find_style` for many names: the document's styles are read once."""

    def __init__(self, document) -> None:
        self._by_name: dict[str, object] = {}
        self._by_id: dict[str, object] = {}
        for style in document.styles:
            if style.name:
                self._by_name.setdefault(style.name.casefold(), style)
            if style.style_id:
                self._by_id.setdefault(style.style_id.casefold(), style)

    def find(self, name: str):
        found = self._by_name.get(name.casefold())
        if found is not None:
            return found
        spec = STYLE_BY_NAME.get(name)
        return self._by_id.get(spec.style_id.casefold()) if spec else None


def template_problem(path: Path) -> str | None:
    """What makes `path` unusable as a report template (in Chinese), or None when it is fine."""
    if not path.is_file():
        return "文件不存在"
    if not zipfile.is_zipfile(path):
        return (
            "不是 .docx 格式的文件（可能是 .doc 或 .wps 文件）。请在 WPS 中用“另存为”保存为"
            "“Word 文档（*.docx）”"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            if "word/document.xml" not in archive.namelist():
                return "不是有效的 Word 文档（缺少 word/document.xml）"
    except (zipfile.BadZipFile, OSError) as exc:
        return f"无法读取文件（{exc}）"
    try:
        from docx import Document

        document = Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for damaged packages
        text = str(exc)
        if "template" in text:
            return "是 Word 模板（.dotx）而不是文档。请在 WPS 中另存为“Word 文档（*.docx）”"
        return f"文件已损坏，无法作为 Word 文档打开（{text[:120]}）"
    missing = [style_label(name) for name in REQUIRED_STYLES if find_style(document, name) is None]
    if find_style(document, TABLE_STYLE) is None:
        missing.append(TABLE_STYLE)
    if missing:
        return "缺少样式：" + "、".join(f"“{name}”" for name in missing)
    section = document.sections[-1]
    if not section.page_width or not section.page_height:
        return "未设置纸张大小"
    return None


def choose_template(report_template: str | None = None) -> TemplateChoice:
    """The template to use for a report: the most specific usable user copy, else the built-in one.

    A rejected copy is reported in `problem`, so the caller can tell the user."""
    problems = []
    for path in user_template_paths(report_template):
        if not path.exists():
            continue
        problem = template_problem(path)
        if problem is None:
            return TemplateChoice(path, False, "；".join(problems))
        problems.append(f"模板“{path.name}”无法使用：{problem}，已改用内置模板")
    return TemplateChoice(builtin_template_path(), True, "；".join(problems))


def user_template_problems(report_templates: list[str]) -> list[tuple[Path, str]]:
    """Every .docx in the user's template folder that cannot be used, with the reason: broken files,
    and names that no report would pick up."""
    folder = templates_dir()
    if not folder.is_dir():
        return []
    known = {BUILTIN_TEMPLATE, *(f"{name}.docx" for name in report_templates)}
    found = []
    for path in sorted(folder.glob("*.docx")):
        if path.name.startswith("~$"):  # WPS/Word lock file of an open document
            continue
        if path.name not in known:
            found.append(
                (path, "文件名不对应任何报告，程序不会使用它（应为“公文报告模板.docx”或“报告名称.docx”）")
            )
            continue
        problem = template_problem(path)
        if problem:
            found.append((path, problem))
    return found


def copy_builtin_template(overwrite: bool = False) -> Path:
    """Copy the built-in template into the user's template folder (with a short how-to beside it);
    returns the copy. An existing copy is kept unless `overwrite`."""
    folder = templates_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / BUILTIN_TEMPLATE
    if overwrite or not target.exists():
        staged = folder / f".{BUILTIN_TEMPLATE}.tmp"
        shutil.copyfile(builtin_template_path(), staged)
        staged.replace(target)
    readme = folder / README_NAME
    if not readme.exists():
        readme.write_text(TEMPLATE_README, encoding="utf-8")
    return target


TEMPLATE_README = """报告模板说明

“公文报告模板.docx”决定全部 Word 报告的版式：纸张和页边距、文档网格，以及各样式的字体、字号、缩进和行距。
可以用 WPS 打开它，修改样式（如“公文正文”“标题 1”“页码”）后保存，下次导出报告即按修改后的样式排版。

· 请修改样式，而不是在模板里直接给文字设字体；模板正文中的文字不会出现在报告里。
· 只想改某一个报告：把模板复制一份，改名为该报告的名称，例如“部门整体支出绩效自评报告.docx”。
· 不要删除或改名以下样式：{styles}。
· 模板有问题时（文件损坏、缺少样式），程序会提示原因并改用内置模板。删除本文件夹中的模板即恢复内置版式。
""".format(styles="、".join(style_label(n) for n in (*REQUIRED_STYLES, TABLE_STYLE)))
