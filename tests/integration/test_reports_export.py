"""The reports in the year package and on their own: what is exported, what stops an export, and that
a cancelled or failed run leaves nothing behind."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from docx import Document

from app.checks import run_checks
from app.cli import build_parser, run_command
from app.db import Database
from app.errors import UserError
from app.exports.package import export_year
from app.registry import Cancelled, Figure, default_registry
from app.services.reports import bindings
from app.services.reports.checks import parse_target_record
from app.services.reports.definitions import SAFETY_QUARTERLY
from app.services.reports.exporters import NOTES, ONLY, single_report_registry
from app.services.reports.outline import GeneratedSection
from app.services.reports.prose import ReportEdits, SectionText, load_sections, new_custom_key
from app.services.reports.prose import save_report as _save_report
from app.services.reports.scopes import Scope
from app.services.unit import add_year


def save_report(
    db: Database, unit_id: int, year: int, report_key: str, scope: str, edits: ReportEdits
) -> None:
    """Save as the reports page does: over the example's stored sections, from their versions."""
    with db.session() as session:
        stored = load_sections(session, unit_id, year, report_key, scope)
    for key, section in edits.sections.items():
        if key in stored:
            section.version = stored[key].version
    _save_report(db, unit_id, year, report_key, scope, edits)


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _texts(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs if p.text.strip()]


def test_the_year_package_holds_every_report_that_has_data(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    # the example's prose and the drafts leave no section of any report unwritten, no figure blank
    assert not [f for f in run_checks(example_db, example_unit_id, 2023) if f.table.startswith("报告")]
    result = export_year(example_db, example_unit_id, 2023, tmp_path)
    by_title = {title: sorted(p.name for p in files) for title, files in result.by_exporter}
    assert by_title["部门整体支出绩效自评报告"] == ["2023年度部门整体支出绩效自评报告.docx"]
    # one per project of the budget tables
    assert by_title["项目支出绩效评价报告"] == [
        "2023年度项目支出绩效评价报告（工作经费）.docx",
        "2023年度项目支出绩效评价报告（招投标监督管理专项）.docx",
        "2023年度项目支出绩效评价报告（质量安全监督管理专项）.docx",
    ]
    assert by_title["平安建设工作自查报告"] == ["2023年度平安建设工作自查报告.docx"]
    # one per quarter with safety records (the example has records in all four)
    assert by_title["季度房屋市政工程安全生产监督检查开展情况"] == sorted(
        f"2023年第{q}季度房屋市政工程安全生产监督检查开展情况.docx" for q in "一二三四"
    )
    # one per 巡察 whose rectification concerns the year
    assert by_title["巡察整改进展情况"] == [
        "巡察整改进展情况（市委第二巡察组工程建设和房地产领域专项巡察）.docx"
    ]
    # and the tables of the modules beside them
    assert len(by_title["预算绩效自评表格"]) == 5
    assert result.folder.name == "汨罗市建筑工程服务中心2023年度填报材料"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".zjtb-export-")]


def test_a_year_without_records_exports_no_report(example_db: Database, example_unit_id: int) -> None:
    add_year(example_db, example_unit_id, 2024, None, registry=default_registry())
    with example_db.session() as session:
        applies = {
            e.key: e.applies(session, example_unit_id, 2024)
            for e in default_registry().exporters
            if e.key.startswith("reports.")
        }
    # no budget, safety or petition records in 2024, and no prose: nothing to report …
    assert applies == {
        "reports.dept_self_eval": False,
        "reports.project_eval": False,
        "reports.safety_self_check": False,
        "reports.safety_quarterly": False,
        # … except the 巡察, three of whose problems are still being rectified
        "reports.rectification_progress": True,
    }


def test_a_quarter_with_prose_is_exported_with_its_ordinal_paragraphs(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    save_report(
        example_db,
        example_unit_id,
        2023,
        "safety_quarterly",
        "Q1",
        ReportEdits(
            {
                "work.plan": SectionText(
                    "work.plan", text="为确保全年房屋市政工程安全生产工作开好局起好步，制定工作要点。"
                ),
                "work.training": SectionText("work.training", hidden=True),
                "next": SectionText("next", text="一是提高政治站位，全面压实责任。"),
            }
        ),
    )
    result = export_year(example_db, example_unit_id, 2023, tmp_path, keys={"reports.safety_quarterly"})
    path = next(p for p in result.files if "第一季度" in p.name)
    assert path.name == "2023年第一季度房屋市政工程安全生产监督检查开展情况.docx"
    texts = _texts(path)
    assert texts[0] == "2023年第一季度房屋市政工程安全生产工作\n监督检查开展情况"
    assert (
        "一是提前谋划，结合实际制定质量安全工作要点。为确保全年房屋市政工程安全生产工作开好局起好步，制定工作要点。"
        in texts
    )
    assert not any("强化宣传培训" in t for t in texts)  # hidden, and the rest renumbered
    # not written: its draft, with the quarter's figures
    assert (
        "二是全面压实责任，全力做好质量安全生产监督和指导。第一季度累计检查47项房屋市政工程，"
        "排查治理质量安全隐患49条，下发限期整改通知书3份。"
    ) in texts
    assert texts[-2:] == ["汨罗市建筑工程服务中心", "2024年1月20日"]  # the export date


def test_an_unknown_placeholder_stops_the_export_naming_the_section_and_leaves_nothing(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    save_report(
        example_db,
        example_unit_id,
        2023,
        "dept_self_eval",
        "",
        ReportEdits({"problems": SectionText("problems", text="全年共办理【信访件数】件。")}),
    )
    # the 校验 says it first, pointing at the section
    errors = [f for f in run_checks(example_db, example_unit_id, 2023) if f.is_error]
    assert len(errors) == 1
    finding = errors[0]
    assert finding.table == "报告：部门整体支出绩效自评报告"
    assert finding.row == "七、存在的问题及原因分析" and finding.field == "【信访件数】"
    assert parse_target_record(finding.target.record) == ("dept_self_eval", "", "problems")
    # and the export refuses, naming it
    with pytest.raises(UserError) as raised:
        export_year(example_db, example_unit_id, 2023, tmp_path / "out")
    message = str(raised.value)
    assert "七、存在的问题及原因分析" in message and "【信访件数】" in message
    assert _files(tmp_path / "out") == []


def test_a_cancelled_export_leaves_no_files(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    cancel = threading.Event()
    seen = []

    def progress(_done: int, _total: int, text: str) -> None:
        seen.append(text)
        if text.startswith("正在生成：平安建设"):
            cancel.set()  # the first report is already written into the staging folder by now

    with pytest.raises(Cancelled):
        export_year(example_db, example_unit_id, 2023, tmp_path / "out", progress=progress, cancel=cancel)
    assert any(t.startswith("正在生成：部门整体支出") for t in seen)
    assert _files(tmp_path / "out") == []


def test_one_report_alone_even_without_prose(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    notes: list[str] = []
    result = export_year(
        example_db,
        example_unit_id,
        2023,
        tmp_path,
        registry=single_report_registry(default_registry(), SAFETY_QUARTERLY),
        into_package_folder=False,
        options={ONLY: ("safety_quarterly", "Q3"), NOTES: notes},
    )
    assert [p.name for p in result.files] == ["2023年第三季度房屋市政工程安全生产监督检查开展情况.docx"]
    assert result.files[0].parent == tmp_path and notes == []


def test_the_command_line_export_writes_every_report_and_table(example_path: Path, tmp_path: Path) -> None:
    args = build_parser().parse_args(
        ["export", "--year", "2023", "--out", str(tmp_path), "--db", str(example_path)]
    )
    assert run_command(args) == 0
    folder = "汨罗市建筑工程服务中心2023年度填报材料/"
    files = [f.removeprefix(folder) for f in _files(tmp_path)]
    reports = sorted(f for f in files if f.endswith(".docx"))
    assert reports == sorted(
        [
            "2023年度部门整体支出绩效自评报告.docx",
            *(
                f"2023年度项目支出绩效评价报告（{p}）.docx"
                for p in ("质量安全监督管理专项", "招投标监督管理专项", "工作经费")
            ),
            "2023年度平安建设工作自查报告.docx",
            *(f"2023年第{q}季度房屋市政工程安全生产监督检查开展情况.docx" for q in "一二三四"),
            "巡察整改进展情况（市委第二巡察组工程建设和房地产领域专项巡察）.docx",
        ]
    )
    tables = [f for f in files if f.endswith(".xlsx")]
    assert len([f for f in tables if f.startswith("预算绩效/")]) == 5
    assert len([f for f in tables if f.startswith("安全监督/")]) == 4
    assert {"信访/2023年信访事项登记台账.xlsx", "信访/2023年信访情况统计表.xlsx"} <= set(tables)
    assert "巡察整改/工程建设和房地产领域专项巡察反馈问题整改台账.xlsx" in tables


def test_a_scope_provider_feeds_a_scoped_report(
    example_db: Database, example_unit_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What phase 2 plugs in for a 巡察: its scope, its figures, the sections made from the register."""
    monkeypatch.setattr(
        bindings, "inspections", lambda s, u, y: [Scope("inspection:7", "第二巡察组专项巡察")]
    )
    monkeypatch.setattr(
        bindings,
        "inspection_figures",
        lambda s, u, y, i: [
            Figure("inspection.problems", "问题数", "12", "项", 12),
            Figure("inspection.aspects", "方面数", "3", "个", 3),
        ],
    )
    monkeypatch.setattr(
        bindings,
        "inspection_sections",
        lambda s, u, y, i: [
            GeneratedSection(
                "学习贯彻落实决策部署，切实履行领导责任",
                children=(GeneratedSection("着力解决学习贯彻力度有待加强的问题", "一是……二是……"),),
            )
        ],
    )
    custom = new_custom_key()
    save_report(
        example_db,
        example_unit_id,
        2023,
        "rectification_progress",
        "inspection:7",
        ReportEdits(
            {
                "ledger": SectionText(
                    "ledger", text="将【方面数】个方面【问题数】个主要问题分别落实到责任领导。"
                ),
                custom: SectionText(
                    custom, title="不会出现", parent_key="ledger"
                ),  # ledger takes no subsections
            }
        ),
    )
    result = export_year(example_db, example_unit_id, 2023, tmp_path, keys={"reports.rectification_progress"})
    (path,) = result.files
    assert path.name == "巡察整改进展情况（第二巡察组专项巡察）.docx"
    texts = _texts(path)
    assert texts[0] == "汨罗市建筑工程服务中心关于\n第二巡察组专项巡察整改进展情况的通报"
    assert "将3个方面12个主要问题分别落实到责任领导。" in texts
    assert "（一）学习贯彻落实决策部署，切实履行领导责任" in texts
    assert "1.着力解决学习贯彻力度有待加强的问题" in texts and "一是……二是……" in texts
    assert not any("不会出现" in t for t in texts)


def test_blank_figures_and_carried_over_text_are_warnings(example_db: Database, example_unit_id: int) -> None:
    from app.services.unit import load_profile, save_profile

    profile = load_profile(example_db.session(), example_unit_id, 2023)
    profile.nature = ""
    save_profile(example_db, example_unit_id, 2023, profile)
    save_report(
        example_db,
        example_unit_id,
        2023,
        "dept_self_eval",
        "",
        ReportEdits({"basic.staffing": SectionText("basic.staffing", text="为【单位性质】。")}),
    )
    findings = run_checks(example_db, example_unit_id, 2023)
    blank = [f for f in findings if f.field == "【单位性质】"]
    assert len(blank) == 1 and blank[0].level == "警告" and "＿＿＿＿" in blank[0].message
    add_year(example_db, example_unit_id, 2024, carry_from=2023, registry=default_registry())
    carried = [f for f in run_checks(example_db, example_unit_id, 2024) if "结转" in f.message]
    assert {f.row for f in carried} >= {"七、存在的问题及原因分析", "八、下一步改进措施"}
    assert all(f.level == "警告" for f in carried)
