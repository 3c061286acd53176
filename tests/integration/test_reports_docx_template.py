"""Report templates: the built-in one is reproducible from the spec; a user's copy in the data folder
wins; a broken copy is named with its problem and the built-in template is used instead."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from app.checks import run_checks
from app.db import Database
from app.exports import docx_spec as spec
from app.exports.docx_template import (
    BUILTIN_TEMPLATE,
    README_NAME,
    builtin_template_path,
    choose_template,
    copy_builtin_template,
    template_problem,
)
from app.exports.package import export_year
from app.paths import resources_dir, templates_dir

REPORT = "reports.dept_self_eval"
FILE = "2023年度部门整体支出绩效自评报告.docx"


def _make_templates_module():
    path = resources_dir() / "templates" / "make_templates.py"
    module_spec = importlib.util.spec_from_file_location("make_templates", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


def _part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def test_the_committed_template_is_what_make_templates_builds(tmp_path: Path) -> None:
    rebuilt = _make_templates_module().build_template(tmp_path / "rebuilt.docx")
    committed = builtin_template_path()
    assert template_problem(committed) is None
    for part in ("word/styles.xml", "word/document.xml", "word/settings.xml"):
        assert _part(rebuilt, part) == _part(committed, part), (
            f"{part}: re-run resources/templates/make_templates.py"
        )


def _body_font(document) -> tuple[str, object]:
    paragraph = next(p for p in document.paragraphs if p.style.name == spec.BODY and p.runs)
    run = paragraph.runs[-1]
    return run._r.rPr.rFonts.get(qn("w:eastAsia")), run.font.size


def _export(db: Database, unit_id: int, out: Path, notes: list[str] | None = None) -> Path:
    result = export_year(
        db, unit_id, 2023, out, keys={REPORT}, options={"reports.notes": notes if notes is not None else []}
    )
    return next(p for p in result.files if p.name == FILE)


def _edited_copy(path: Path, *, font: str = "仿宋", size: float = 15, drop_style: str | None = None) -> None:
    """A copy of the built-in template with the body style changed as a user would in WPS."""
    document = Document(str(builtin_template_path()))
    body = next(s for s in document.styles if s.name == spec.BODY)
    spec.set_run_fonts(body.element.get_or_add_rPr(), font)
    body.font.size = Pt(size)
    # WPS writes theme fonts back into what it saves: they must not win over the style's font
    body.element.rPr.rFonts.set(qn("w:eastAsiaTheme"), "minorEastAsia")
    if drop_style:
        style = next(s for s in document.styles if s.name == drop_style)
        style.element.getparent().remove(style.element)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


def test_a_template_in_the_data_folder_decides_the_look(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    _edited_copy(templates_dir() / BUILTIN_TEMPLATE)
    choice = choose_template("部门整体支出绩效自评报告")
    assert not choice.is_builtin and choice.problem == ""
    document = Document(str(_export(example_db, example_unit_id, tmp_path / "out")))
    assert _body_font(document) == ("仿宋", Pt(15))
    for rfonts in document.styles.element.iter(qn("w:rFonts")):
        assert rfonts.get(qn("w:eastAsiaTheme")) is None


def test_a_template_named_after_a_report_is_used_for_that_report_only(tmp_path: Path) -> None:
    _edited_copy(templates_dir() / BUILTIN_TEMPLATE, font="仿宋")
    _edited_copy(templates_dir() / "部门整体支出绩效自评报告.docx", font="楷体")
    assert choose_template("部门整体支出绩效自评报告").path.name == "部门整体支出绩效自评报告.docx"
    assert choose_template("平安建设工作自查报告").path.name == BUILTIN_TEMPLATE


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"this is a .doc file, not a docx", "不是 .docx 格式的文件"),
        (None, "缺少样式：“页码”"),
    ],
)
def test_a_broken_template_is_named_with_its_problem_and_the_builtin_one_is_used(
    example_db: Database, example_unit_id: int, tmp_path: Path, content: bytes | None, expected: str
) -> None:
    target = templates_dir() / BUILTIN_TEMPLATE
    if content is None:
        _edited_copy(target, drop_style=spec.PAGE_NUMBER)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    # the problem is named …
    choice = choose_template("部门整体支出绩效自评报告")
    assert choice.is_builtin and expected in choice.problem and BUILTIN_TEMPLATE in choice.problem
    # … before the export, as a 校验 warning …
    findings = [f for f in run_checks(example_db, example_unit_id, 2023) if f.table == "报告模板"]
    assert len(findings) == 1 and expected in findings[0].message and findings[0].level == "警告"
    # … and the report is still written, with the built-in styles
    notes: list[str] = []
    document = Document(str(_export(example_db, example_unit_id, tmp_path / "out", notes)))
    assert _body_font(document) == ("仿宋_GB2312", Pt(16))
    assert any(expected in note for note in notes)


def test_a_docx_without_word_content_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "缺少 word/document.xml" in template_problem(path)


def test_copying_the_template_keeps_an_edited_copy_unless_asked(tmp_path: Path) -> None:
    path = copy_builtin_template()
    assert path == templates_dir() / BUILTIN_TEMPLATE and template_problem(path) is None
    assert (templates_dir() / README_NAME).read_text(encoding="utf-8").startswith("报告模板说明")
    _edited_copy(path, font="仿宋")
    copy_builtin_template()
    assert _body_font_of_style(path) == "仿宋"
    copy_builtin_template(overwrite=True)
    assert _body_font_of_style(path) == spec.FANGSONG


def _body_font_of_style(path: Path) -> str:
    document = Document(str(path))
    body = next(s for s in document.styles if s.name == spec.BODY)
    return body.element.rPr.rFonts.get(qn("w:eastAsia"))
