"""Every heading of every seed report is in the example's export, in the seed's order.

The seeds' headings are copied into tests/fixtures/seed_headings/ (one file per report, its first line
naming the seed file it comes from), since the seeds themselves are outside the repository. A heading
of the export is a paragraph in a heading style, or the numbered run that starts a run-in heading
(“（一）夯实基础，积蓄高质量发展动能。为推动……”).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document

from tests.conftest import exported_example

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "seed_headings"
# fixture → the exported report it is compared with
REPORTS = {
    "safety_self_check": "2023年度平安建设工作自查报告.docx",
    "rectification_progress": "巡察整改进展情况（市委第二巡察组工程建设和房地产领域专项巡察）.docx",
    "safety_quarterly": "2023年第一季度房屋市政工程安全生产监督检查开展情况.docx",
    "dept_self_eval": "2023年度部门整体支出绩效自评报告.docx",
    "project_eval.工作经费": "2023年度项目支出绩效评价报告（工作经费）.docx",
    "project_eval.招投标监督管理专项": "2023年度项目支出绩效评价报告（招投标监督管理专项）.docx",
    "project_eval.质量安全监督管理专项": "2023年度项目支出绩效评价报告（质量安全监督管理专项）.docx",
}
OUTLINE_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.|（\d+）)")


def normalized(heading: str) -> str:
    """Half- or full-width, spaces, and the full stop or colon a run-in heading ends with aside."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", heading))
    return text.rstrip("。.：:")


def seed_headings(name: str) -> list[str]:
    path = FIXTURES / f"{name}.txt"
    assert path.is_file(), f"missing fixture {path}"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines and lines[0].startswith("# source: ") and "seeds/" in lines[0], f"{path}: no source line"
    headings = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert headings, f"{path}: no headings"
    return headings


def export_headings(path: Path) -> list[str]:
    found = []
    for paragraph in Document(str(path)).paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        if style.startswith("Heading") and paragraph.text.strip():
            found.append(paragraph.text)
        elif len(paragraph.runs) > 1 and OUTLINE_NUMBER.match(paragraph.runs[0].text):
            found.append(paragraph.runs[0].text)  # run-in: the heading's own run, not its text
    return found


def missing_in_order(wanted: list[str], found: list[str]) -> list[str]:
    """The headings of `wanted` that are not a subsequence of `found` (each matched after the last)."""
    have = [normalized(h) for h in found]
    missing, at = [], 0
    for heading in wanted:
        try:
            at = have.index(normalized(heading), at) + 1
        except ValueError:
            missing.append(heading)
    return missing


@pytest.fixture(scope="module")
def exported(example_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The example's reports for 2023, exported once for this module."""
    from app.registry import default_registry

    keys = {e.key for e in default_registry().exporters if e.key.startswith("reports.")}
    with exported_example(example_template, tmp_path_factory.mktemp("seed_headings"), keys) as files:
        yield files


def test_every_seed_report_has_a_fixture_and_every_fixture_a_report() -> None:
    assert sorted(p.stem for p in FIXTURES.glob("*.txt")) == sorted(REPORTS)


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_the_export_has_every_heading_of_the_seed_in_order(name: str, exported: dict[str, Path]) -> None:
    wanted = seed_headings(name)
    assert REPORTS[name] in exported, f"{REPORTS[name]} was not exported: {sorted(exported)}"
    found = export_headings(exported[REPORTS[name]])
    missing = missing_in_order(wanted, found)
    assert not missing, (
        f"{name}: the export lacks these seed headings (or has them out of order):\n  "
        + "\n  ".join(missing)
        + "\nthe export's headings:\n  "
        + "\n  ".join(found)
    )


def test_a_heading_out_of_order_or_renumbered_is_missing() -> None:
    found = ["一、甲", "（一）乙。", "二、丙"]
    assert missing_in_order(["一、甲", "（一）乙", "二、丙"], found) == []
    assert missing_in_order(["二、丙", "（一）乙"], found) == ["（一）乙"]
    assert missing_in_order(["（二）乙"], found) == ["（二）乙"]
