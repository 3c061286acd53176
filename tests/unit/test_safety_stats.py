"""The figures of seeds 003 (2023) and 002 (2023 Q1) come out of the example unit's records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.db import Database
from app.registry import default_registry
from app.services.safety.periods import Period
from app.services.safety.stats import Change, period_statistics, same_period_last_year
from app.services.safety.stats_table import statistics_rows


@pytest.fixture
def year_2023(example_db: Database, example_unit_id: int):
    with example_db.session() as s:
        return period_statistics(s, example_unit_id, date(2023, 1, 1), date(2023, 12, 31))


@pytest.fixture
def q1_2023(example_db: Database, example_unit_id: int):
    with example_db.session() as s:
        return period_statistics(s, example_unit_id, date(2023, 1, 1), date(2023, 3, 31))


def test_seed_003_projects(year_2023) -> None:
    # 全年监管房屋工程项目101个，总建筑面积约285.17万平方米，总造价约51.53亿元，
    # 市政工程项目11个，总造价约6.83亿元。全年竣工验收项目共38个
    assert year_2023.housing.supervised == 101
    assert year_2023.housing.area_wan_m2 == Decimal("285.17")
    assert year_2023.housing.cost_yi == Decimal("51.53")
    assert year_2023.municipal.supervised == 11
    assert year_2023.municipal.cost_yi == Decimal("6.83")
    assert year_2023.completed == 38
    # 目前在建房屋和市政项目共74个（房屋工程68个，市政工程6个），其中在建44个，停工16个，未开工14个
    assert year_2023.unfinished_at_end() == 74
    assert (year_2023.housing.unfinished_at_end, year_2023.municipal.unfinished_at_end) == (68, 6)
    assert [year_2023.status_at_end(s) for s in ("在建", "停工", "未开工")] == [44, 16, 14]


def test_seed_003_inspections_hazards_documents_meetings(year_2023) -> None:
    # 全年共开展专项检查11次，对65个项目进行了825次检查
    assert year_2023.special_checks == 11
    assert (year_2023.checks, year_2023.projects_inspected) == (825, 65)
    # 委托第三方专业检测机构对全市在用起重机械设备开展了4次全覆盖监督比对检测
    assert year_2023.crane_rounds == 4
    # 下发隐患整改通知书232份、停工整改通知书45份，催办通知13份，消除质量安全隐患2092条，
    # 记录红黄牌101份，记录不良行为29起，移交案件线索17起，安全考评不合格6份
    assert year_2023.hazards_rectified == 2092
    docs = year_2023.documents
    assert [docs(k) for k in ("隐患整改通知书", "停工整改通知书", "催办通知")] == [232, 45, 13]
    assert [docs(k) for k in ("红黄牌", "不良行为记录", "移交案件线索", "考评不合格")] == [101, 29, 17, 6]
    # 质量安全管理专项会议13次，打非治违专项会议4次，质量安全警示约谈会11次，扬尘防治约谈会2次
    acts = year_2023.activities
    assert [acts(k) for k in ("质量安全管理专项会议", "打非治违会议", "警示约谈", "扬尘防治约谈")] == [
        13,
        4,
        11,
        2,
    ]
    # The example's own rate: 2061 of the 2080 hazards found in 2023 were rectified by 31 December.
    assert (year_2023.hazards_found, year_2023.hazards_found_rectified) == (2080, 2061)
    assert year_2023.rectification_rate == Decimal("0.9909")
    assert (year_2023.hazards_open_at_end, year_2023.hazards_overdue_at_end) == (19, 7)


def test_seed_003_workload_figures(year_2023) -> None:
    work = year_2023.workload
    texts = {key: work[key].text for key in work}
    # 竣工验收备案82个,工程总造价350773.89万元。其中房建类81个，工程总造价350391.39万元，
    # 建筑面积1913714.87平方米；市政工程1个，工程总造价382.5万元
    assert [texts[k] for k in ("filing.count", "filing.cost", "filing.house.count", "filing.house.cost")] == [
        "82",
        "350773.89",
        "81",
        "350391.39",
    ]
    assert [texts[k] for k in ("filing.house.area", "filing.municipal.count", "filing.municipal.cost")] == [
        "1913714.87",
        "1",
        "382.5",
    ]
    # 公开招标项目共计14个，总金额78089.7763万元；专项标后稽查3次，整改告知书28份，移交9起
    assert work["tender.open.amount"].value == Decimal("78089.7763")
    assert [texts[k] for k in ("tender.open.count", "tender.open.amount")] == ["14", "78089.7763"]
    assert [texts[k] for k in ("tender.audit.rounds", "tender.audit.notices", "tender.audit.referrals")] == [
        "3",
        "28",
        "9",
    ]
    # 检测中共发现安全隐患930余处，强制拆除1台、现场封停9台
    assert work["crane.hazards"].approx_text == "930余"
    # 对全市范围内6家预拌商品混凝土企业开展安全生产检查；督促全市项目新装自动降尘喷淋等设备共38台套；
    # 接受业务咨询指导40余次
    assert [texts[k] for k in ("inspect.concrete", "dust.sprinklers")] == ["6", "38"]
    assert work["illegal.consults"].approx_text == "40余"
    assert [texts[k] for k in ("crane.dismantled", "crane.sealed")] == ["1", "9"]


def test_seed_002_first_quarter(q1_2023) -> None:
    # 第一季度累计检查47项房屋市政工程，排查治理质量安全隐患49条，下发限期整改通知书3份
    assert q1_2023.projects_inspected == 47
    assert q1_2023.hazards_found == 49
    assert q1_2023.documents("隐患整改通知书") == 3
    texts = {key: figure.text for key, figure in q1_2023.workload.items()}
    # 受理消防设计审查29项、办结26项；受理消防验收21项、办结18项；受理消防验收备案55项、未抽中10项，抽中45项
    assert [texts[k] for k in ("fire.design.accepted", "fire.design.completed")] == ["29", "26"]
    assert [texts[k] for k in ("fire.acceptance.accepted", "fire.acceptance.completed")] == ["21", "18"]
    assert [texts[k] for k in ("fire.filing.accepted", "fire.filing.sampled", "fire.filing.not_sampled")] == [
        "55",
        "45",
        "10",
    ]
    # 图斑587209个，未排查20051个，排查中7335个，已排查559823个，排查完成率95.34%；经营性自建房14634栋，
    # "回头看"完成14108栋，完成率96.41%，排名第5；存在隐患213栋，已整治33栋，整改完成率15.49%，排名第8
    assert texts["selfbuilt.patches"] == "587209"
    assert [texts[k] for k in ("selfbuilt.survey_rate", "selfbuilt.review_rate", "selfbuilt.fix_rate")] == [
        "95.34%",
        "96.41%",
        "15.49%",
    ]
    assert [texts[k] for k in ("selfbuilt.review_rank", "selfbuilt.fix_rank")] == ["5", "8"]
    # 受理房屋质量投诉6项，已办结6项；报送信息6篇，被采用1篇
    assert [
        texts[k] for k in ("complaints.accepted", "complaints.completed", "info.reported", "info.adopted")
    ] == [
        "6",
        "6",
        "6",
        "1",
    ]


def test_same_period_last_year_gives_the_2022_comparison(example_db: Database, example_unit_id: int) -> None:
    with example_db.session() as s:
        previous = same_period_last_year(s, example_unit_id, date(2023, 1, 1), date(2023, 12, 31))
        nothing = same_period_last_year(s, example_unit_id, date(2022, 1, 1), date(2022, 12, 31))
    assert previous is not None and nothing is None
    assert (previous.start, previous.end) == (date(2022, 1, 1), date(2022, 12, 31))
    assert (previous.checks, previous.hazards_found, previous.special_checks) == (610, 1350, 9)
    assert previous.hazards_rectified == 1319
    # 2022's 31 hazards still open at its end were rectified early in 2023 (part of the 2092).
    assert previous.hazards_open_at_end == 31
    assert Change(825, 610).text == "同比增长35.2%"
    assert Change(previous.rectification_rate, Decimal("0.9909"), is_rate=True).text == "同比降低1.39个百分点"


def test_change_texts_as_the_reports_write_them() -> None:
    assert Change(413, 846).text == "同比下降51.2%"
    assert Change(5, 5).text == "与上年同期持平"
    assert Change(3, 0).text == "" and Change(3, None).text == ""
    assert Change(Decimal("0.9909"), Decimal("0.9909"), is_rate=True).text == "与上年同期持平"


def test_statistics_rows_carry_the_seed_texts(year_2023, example_db: Database, example_unit_id: int) -> None:
    with example_db.session() as s:
        previous = same_period_last_year(s, example_unit_id, year_2023.start, year_2023.end)
    rows = {row.key: row for row in statistics_rows(year_2023, previous)}
    assert rows["projects.house.area"].text == "285.17" and rows["projects.house.area"].unit == "万平方米"
    assert rows["projects.house.cost"].text == "51.53" and rows["projects.house.cost"].unit == "亿元"
    assert rows["inspections.checks"].text == "825"
    assert rows["inspections.checks"].change.text == "同比增长35.2%"
    assert rows["hazards.rate"].text == "99.09%"
    assert rows["projects.status.building"].full_label == "期末在建房屋和市政项目·其中在建"


def test_figure_source_gives_the_year_with_seed_texts(example_db: Database, example_unit_id: int) -> None:
    source = next(s for s in default_registry().figure_sources if s.key == "safety")
    with example_db.session() as s:
        figures = {f.key: f for f in source.provide(s, example_unit_id, 2023)}
    expected = {
        "safety.projects.house.count": ("101", "个"),
        "safety.projects.house.area": ("285.17", "万平方米"),
        "safety.projects.house.cost": ("51.53", "亿元"),
        "safety.projects.municipal.cost": ("6.83", "亿元"),
        "safety.projects.completed": ("38", "个"),
        "safety.projects.unfinished": ("74", "个"),
        "safety.inspections.special": ("11", "次"),
        "safety.inspections.checks": ("825", "次"),
        "safety.inspections.projects": ("65", "个"),
        "safety.hazards.rectified": ("2092", "条"),
        "safety.documents.red_yellow": ("101", "份"),
        "safety.documents.bad_record": ("29", "起"),
        "safety.activities.warning_talk": ("11", "次"),
        "safety.work.tender.open.amount": ("78089.7763", "万元"),
        "safety.work.crane.hazards.approx": ("930余", "处"),
        "safety.work.selfbuilt.review_rate": ("96.41%", ""),
    }
    assert {key: (figures[key].text, figures[key].unit) for key in expected} == expected
    assert figures["safety.inspections.checks.yoy"].text == "同比增长35.2%"
    assert figures["safety.work.complaints.rate"].text == "100%"
    assert figures["safety.inspections.special.names"].text.count("”、“") == 10


def test_period_labels() -> None:
    assert Period.year(2023).label() == "2023年度"
    assert Period.quarter(2023, 1).label() == "2023年第一季度"
    assert Period(date(2023, 1, 1), date(2023, 3, 16)).label() == "2023年1月1日至3月16日"
    assert Period(date(2024, 2, 29), date(2024, 3, 1)).same_period_last_year() == Period(
        date(2023, 2, 28), date(2023, 3, 1)
    )


def test_every_example_record_passes_the_forms_validation(example_db: Database, example_unit_id: int) -> None:
    """A clerk opening any example record and pressing 保存 must not meet an error."""
    from collections import defaultdict

    from sqlalchemy import select

    from app.models.safety import SafetyDocument, SafetyHazard, SafetyInspection, SafetyInspectionProject
    from app.services.safety.inspections import (
        HazardDraft,
        InspectionDraft,
        validate_hazard,
        validate_inspection,
    )
    from app.services.safety.records import DocumentForm, validate_document

    today = date(2026, 1, 1)
    with example_db.session() as s:
        covered: dict[int, list[int]] = defaultdict(list)
        for inspection_id, project_id in s.execute(select(SafetyInspectionProject.__table__)):
            covered[inspection_id].append(project_id)
        for i in s.scalars(select(SafetyInspection)):
            draft = InspectionDraft(i.checked_on, i.kind, covered[i.id], i.campaign, i.inspectors, i.summary)
            assert validate_inspection(draft) == [], i.id
        for h in s.scalars(select(SafetyHazard)):
            draft = HazardDraft(
                h.project_id, h.description, h.category, h.deadline, h.level, h.measures, h.responsible,
                h.status, h.rectified_on, h.reviewer,
            )  # fmt: skip
            assert validate_hazard(draft, h.found_on, covered[h.inspection_id], None, today) == [], h.id
        for d in s.scalars(select(SafetyDocument)):
            form = DocumentForm(d.kind, d.issued_on, d.number, d.project_id, d.deadline, d.closed_on, d.note)
            assert validate_document(form, today) == [], d.id


def test_has_records_agrees_with_the_statistics(example_db: Database, example_unit_id: int) -> None:
    from app.services.safety.stats import has_records

    with example_db.session() as s:
        for year in (2021, 2022, 2023, 2024):
            period = Period.year(year)
            stats = period_statistics(s, example_unit_id, period.start, period.end)
            assert (
                has_records(s, example_unit_id, period.start, period.end)
                == stats.has_records
                == (year in (2022, 2023))
            )
