"""Example safety-supervision records for the example unit (fictitious projects, firms and people).

The records are generated from a fixed seed and then pinned so that the statistics reproduce
the figures the seeds quote:
- 2023 (seed 003): 101 房屋 projects, 285.17万m², 51.53亿元; 11 市政, 6.83亿元; 38 竣工验收;
  74 unfinished at the year's end (房屋68 + 市政6 = 在建44 + 停工16 + 未开工14); 11 专项检查;
  825 checks of 65 projects; 4 起重机械 rounds; 2092 hazards rectified; documents 232/45/13,
  红黄牌101, 不良行为29, 移交17, 考评不合格6; meetings 13/4/11/2.
- 2023 Q1 (seed 002): 47 projects checked, 49 hazards found, 3 (限期)隐患整改通知书; the
  消防审验/自建房/投诉/信息报送 figures as 工作量统计 values for the quarter.
- 2022: a smaller year, so that 同比 has something to compare with.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.models.safety import (
    SafetyActivity,
    SafetyDocument,
    SafetyDocumentHazard,
    SafetyHazard,
    SafetyInspection,
    SafetyInspectionProject,
    SafetyProject,
    SafetyProjectStatus,
    SafetyWorkloadValue,
)
from app.models.unit import Unit
from app.services.safety.constants import (
    BUILDING,
    COMPLETED,
    CRANE,
    FILED,
    HOUSING,
    IN_PROGRESS,
    MAJOR,
    MUNICIPAL,
    NOT_STARTED,
    ORDINARY,
    PENDING,
    RECTIFIED,
    RECTIFY_NOTICE,
    ROUTINE,
    STOP_WORK_NOTICE,
    SUSPENDED,
)

SEED = 20230331
# The example's figures, pinned (tests assert them through the statistics functions).
HOUSING_AREA_2023 = Decimal("2851706.38")  # m² → 285.17万m²
HOUSING_COST_2023 = Decimal("515286.47")  # 万元 → 51.53亿元
MUNICIPAL_COST_2023 = Decimal("68312.50")  # 万元 → 6.83亿元

# -- names (fictitious) ------------------------------------------------------------------------------

PLACES = (
    "汨罗江畔", "屈子祠", "罗城", "归义", "新市", "长乐", "白水", "古培", "弼时", "大荆", "川山坪", "桃林寺",
    "三江", "神鼎山", "玉池", "营田", "汨东", "高泉", "龙舟", "友谊河", "凤凰", "金龙", "江南", "城西",
    "城北", "高新区", "循环园", "工业园", "楚塘", "向家",
)  # fmt: skip
HOUSING_TYPES = (
    "小区一期", "小区二期", "安置房", "保障性租赁住房", "医院门诊综合楼", "中学教学楼", "小学综合楼",
    "商业综合体", "标准厂房", "职工宿舍", "幼儿园", "养老服务中心", "农贸市场", "文化活动中心",
    "办公楼", "仓储物流园", "学生公寓", "住宅小区",
)  # fmt: skip
MUNICIPAL_WORKS = (
    "大道提质改造工程", "路雨污分流改造工程", "污水处理厂提标改造工程", "城区供水管网改造工程",
    "防洪堤加固工程", "路网连通工程", "老旧小区配套管网工程", "公园景观提质工程", "桥梁维修加固工程",
    "片区海绵城市建设工程", "停车场建设工程", "路人行道改造工程", "排涝泵站建设工程",
)  # fmt: skip
FIRM_WORDS = ("华宇", "鼎盛", "远大", "湘楚", "宏图", "恒昌", "建宇", "中南", "楚峰", "岳州", "湘北", "广厦")
PEOPLE = ("李志刚", "王建军", "陈海波", "刘伟", "张立新", "周敏", "胡小兵", "杨帆", "吴国庆", "彭涛")

HAZARDS = {
    "高处坠落": (
        ("楼层临边防护栏杆缺失", "立即设置符合规范的临边防护栏杆并挂设安全网"),
        ("电梯井口未设置防护门", "电梯井口设置定型化防护门，井内每两层设置水平防护"),
        ("楼层预留洞口未封闭覆盖", "洞口采用固定盖板封闭并设置警示标志"),
        ("作业人员高处作业未系挂安全带", "停止违规作业，对作业人员进行安全教育"),
    ),
    "起重机械": (
        ("塔吊标准节连接螺栓松动", "立即紧固螺栓，由使用单位组织自检后报复查"),
        ("塔吊起重力矩限位装置失灵", "停止使用，委托维保单位修复并经检测合格后方可使用"),
        ("施工升降机防坠安全器超期未检", "立即停用，防坠安全器送检合格后恢复使用"),
        ("起重机械未办理使用登记", "停止使用，办理使用登记后方可投入使用"),
    ),
    "临时用电": (
        ("配电箱未设置漏电保护器", "按三级配电两级保护要求配置漏电保护器"),
        ("电缆线拖地、未架空敷设", "电缆按规范架空或埋地敷设"),
        ("开关箱一闸多机", "实行一机一闸一漏一箱"),
    ),
    "深基坑": (
        ("基坑周边堆载超过设计要求", "清理基坑周边堆载，严格按方案控制荷载"),
        ("基坑监测数据未按时报送", "按方案频率开展第三方监测并及时报送数据"),
        ("基坑临边防护不到位", "设置防护栏杆及挡脚板并张挂警示标志"),
    ),
    "模板支撑": (
        ("高支模立杆间距不符合专项方案", "按专项方案调整立杆间距，经验收合格后方可浇筑"),
        ("模板支撑体系扫地杆缺失", "补设纵横向扫地杆"),
        ("支模架剪刀撑设置不足", "按规范补设竖向及水平剪刀撑"),
    ),
    "脚手架": (
        ("外脚手架连墙件设置不足", "按方案补设连墙件"),
        ("脚手板未满铺、存在探头板", "满铺脚手板并绑扎牢固"),
        ("悬挑脚手架型钢锚固不符合要求", "按方案重新锚固悬挑型钢"),
    ),
    "施工机具": (
        ("钢筋切断机防护罩缺失", "恢复防护罩后方可使用"),
        ("电焊机二次侧未设置防触电保护", "加装二次侧降压保护装置"),
    ),
    "消防": (
        ("生活区消防器材配置不足", "按规范配置灭火器材并定期检查"),
        ("动火作业未办理动火审批", "严格执行动火审批制度，配备看火人员"),
        ("宿舍内私拉电线、使用大功率电器", "拆除私拉电线，设置限流保护"),
    ),
    "扬尘": (
        ("裸露土方未覆盖", "裸土全部覆盖防尘网"),
        ("车辆出场未冲洗", "启用洗车平台，车辆冲洗干净后出场"),
        ("扬尘在线监测设备未正常运行", "修复监测设备并确保数据实时上传"),
    ),
    "文明施工": (
        ("施工围挡破损未修复", "修复围挡并保持整洁"),
        ("材料堆放杂乱", "材料分类堆放整齐并挂牌标识"),
        ("施工现场未设置五牌一图", "按要求设置五牌一图"),
    ),
    "工程质量": (
        ("钢筋保护层厚度不足", "调整垫块，经监理验收合格后方可浇筑"),
        ("混凝土试块留置数量不足", "按规范留置试块并做好见证取样记录"),
        ("砌体灰缝不饱满", "返工处理不合格部位"),
        ("钢筋进场未按规定见证取样", "补做见证取样复试，合格后方可使用"),
    ),
}
CATEGORY_WEIGHTS = {
    "高处坠落": 16, "起重机械": 8, "临时用电": 14, "深基坑": 4, "模板支撑": 6, "脚手架": 10,
    "施工机具": 5, "消防": 9, "扬尘": 10, "文明施工": 10, "工程质量": 8,
}  # fmt: skip

DOCUMENT_PREFIX = {
    RECTIFY_NOTICE: "汨建安改",
    STOP_WORK_NOTICE: "汨建安停",
    "催办通知": "汨建安催",
    "红黄牌": "汨建安牌",
    "不良行为记录": "汨建安记",
    "移交案件线索": "汨建安移",
    "考评不合格": "汨建安评",
    "行政处罚": "汨建罚",
}


# -- plans ---------------------------------------------------------------------------------------------


@dataclass
class ProjectPlan:
    kind: str
    history: list[tuple[date, str]]  # (since, status)
    inspect_in: set[int] = field(default_factory=set)  # years in which it is inspected
    area: Decimal | None = None
    cost: Decimal | None = None
    id: int = 0

    def status_on(self, day: date) -> str | None:
        current = None
        for since, status in self.history:
            if since > day:
                break
            current = status
        return current

    def active(self, day: date) -> bool:
        return self.status_on(day) in (BUILDING, SUSPENDED)

    def started(self) -> date | None:
        return next((since for since, status in self.history if status == BUILDING), None)


@dataclass
class Visit:
    inspection: int  # index into the year's inspections
    project: int  # ProjectPlan index
    day: date
    kind: str


@dataclass
class YearPlan:
    year: int
    routine: dict[int, int]  # month → visits
    must_visit: dict[int, list[int]]  # month → projects that month's routine visits must include
    campaigns: list[tuple[str, str, list[tuple[date, int]]]]  # kind, name, [(day, projects)]
    crane_rounds: list[tuple[date, int]]
    evaluations: list[tuple[date, int]]
    unannounced: list[date]
    hazards: int
    majors: int
    open_at_end: int  # found this year, not rectified by 31 December
    overdue_at_end: int  # … of which past their deadline on 31 December
    open_stay_open: bool  # True: still open today; False: rectified early next year
    q1_hazards: int | None = None  # pinned number found in Q1 (None: whatever falls there)
    q1_late: int = 0  # of the Q1 hazards, rectified only after 31 March
    q1_rectify_notices: int | None = None
    documents: dict[str, int] = field(default_factory=dict)
    activities: list[tuple[str, int, str]] = field(default_factory=list)  # kind, count, title


class _Builder:
    def __init__(self, session: Session, unit: Unit) -> None:
        self.session = session
        self.unit_id = unit.id
        self.rng = random.Random(SEED)
        self.projects: list[ProjectPlan] = []

    # -- projects --------------------------------------------------------------------------------------

    def day(self, year: int, month: int, first: int = 1, last: int = 26) -> date:
        return date(year, month, self.rng.randint(first, last))

    def add(self, kind: str, history: list[tuple[date, str]], inspect_in: set[int] | None = None) -> int:
        self.projects.append(ProjectPlan(kind, sorted(history), inspect_in or set()))
        return len(self.projects) - 1

    def completed(self, kind: str, start: date, done: date, inspect_in: set[int], filed: bool = True) -> int:
        history = [(start, BUILDING), (done, COMPLETED)]
        if filed:
            history.append((done + timedelta(days=self.rng.randint(7, 25)), FILED))
        return self.add(kind, history, inspect_in)

    def plan_projects(self) -> list[int]:
        """Plan every project's history; returns those started in April 2023 (visited in May)."""
        r, y22, y23 = self.rng, 2022, 2023
        # A: finished during 2022 (16 房屋, 2 市政, 2 装饰装修); inspected in 2022.
        for kind, count in ((HOUSING, 16), (MUNICIPAL, 2), ("装饰装修", 2)):
            for _ in range(count):
                self.completed(kind, self.day(2021, r.randint(3, 10)), self.day(y22, r.randint(4, 11)), {y22})
        # B1, finishing in 2023 Q1 (30 房屋, 3 市政): not inspected in 2023.
        for kind, count in ((HOUSING, 30), (MUNICIPAL, 3)):
            for i in range(count):
                start = self.day(2021 if i % 3 else y22, r.randint(2, 9))
                self.completed(kind, start, self.day(y23, r.randint(1, 3), 2), {y22} if i % 3 else set())
        # B1, finishing in late December 2023 (3 房屋, 2 市政): inspected all year.
        for kind, count in ((HOUSING, 3), (MUNICIPAL, 2)):
            for _ in range(count):
                start = self.day(2021, r.randint(4, 11))
                self.completed(kind, start, date(y23, 12, r.randint(27, 29)), {y22, y23}, filed=False)
        # B1, unfinished at the end of 2023: 22 在建 + 15 停工 房屋, 2 在建 + 1 停工 市政.
        for kind, building, suspended in ((HOUSING, 22, 15), (MUNICIPAL, 2, 1)):
            for i in range(building + suspended):
                early = i % 2 == 0
                start = self.day(2021 if early else y22, r.randint(2, 10) if early else r.randint(1, 6))
                history = [(start, BUILDING)]
                if i >= building:
                    history.append((self.day(y23, r.randint(8, 11)), SUSPENDED))
                self.add(kind, history, {y22, y23} if early else {y23})
        # B2, registered in 2023: 2 在建 房屋 from early January (inspected from Q1 on) …
        for _ in range(2):
            self.add(HOUSING, [(date(y23, 1, r.randint(3, 5)), BUILDING)], {y23})
        # … 16 房屋 and 2 市政 started in April (inspected from May on) …
        april = []
        for kind, count in ((HOUSING, 16), (MUNICIPAL, 2)):
            for _ in range(count):
                registered = self.day(y23, 3, 10)
                april.append(
                    self.add(kind, [(registered, NOT_STARTED), (self.day(y23, 4, 1, 28), BUILDING)], {y23})
                )
        # … and 13 房屋 + 1 市政 still 未开工 at the year's end.
        for kind, count in ((HOUSING, 13), (MUNICIPAL, 1)):
            for _ in range(count):
                self.add(kind, [(self.day(y23, r.randint(5, 12)), NOT_STARTED)])
        return april

    def size_projects(self) -> None:
        r = self.rng
        for p in self.projects:
            if p.kind == MUNICIPAL:
                p.cost = Decimal(r.randint(1800, 16000)) + Decimal(r.randint(0, 99)) / 100
            else:
                p.area = Decimal(r.randint(3000, 60000)) + Decimal(r.randint(0, 99)) / 100
                p.cost = (p.area * Decimal(r.randint(1500, 2300)) / 10000).quantize(Decimal("0.01"))
        period_2023 = [p for p in self.projects if self._supervised_2023(p)]
        housing = [p for p in period_2023 if p.kind == HOUSING]
        municipal = [p for p in period_2023 if p.kind == MUNICIPAL]
        _pin_total(housing, "area", HOUSING_AREA_2023)
        _pin_total(housing, "cost", HOUSING_COST_2023)
        _pin_total(municipal, "cost", MUNICIPAL_COST_2023)

    @staticmethod
    def _supervised_2023(p: ProjectPlan) -> bool:
        before = p.status_on(date(2022, 12, 31))
        return p.history[0][0] <= date(2023, 12, 31) and before not in (COMPLETED, FILED)

    def write_projects(self) -> None:
        r = self.rng
        names: set[str] = set()
        rows = []
        for index, p in enumerate(self.projects):
            while True:
                if p.kind == MUNICIPAL:
                    name = f"{r.choice(PLACES)}{r.choice(MUNICIPAL_WORKS)}"
                elif p.kind == "装饰装修":
                    name = f"{r.choice(PLACES)}{r.choice(('酒店', '商场', '办公楼'))}室内装饰装修工程"
                else:
                    name = f"{r.choice(PLACES)}{r.choice(HOUSING_TYPES)}项目"
                if name not in names:
                    names.add(name)
                    break
            started = p.started()
            rows.append(
                {
                    "unit_id": self.unit_id,
                    "name": name,
                    "kind": p.kind,
                    "location": f"汨罗市{r.choice(PLACES)}",
                    "developer": f"汨罗市{r.choice(FIRM_WORDS)}置业有限公司"
                    if p.kind == HOUSING and index % 3
                    else "汨罗市城市建设投资开发有限公司",
                    "contractor": f"湖南{r.choice(FIRM_WORDS)}建设集团有限公司",
                    "supervision_firm": f"湖南{r.choice(FIRM_WORDS)}工程项目管理有限公司",
                    "area": p.area,
                    "cost": p.cost,
                    "permit_no": f"430681{started:%Y%m%d}{index % 100:02d}01" if started else "",
                    "status": p.history[-1][1],
                    "status_since": p.history[-1][0],
                    "note": "",
                }
            )
        ids = _insert_ids(self.session, SafetyProject, rows)
        for p, pid in zip(self.projects, ids, strict=True):
            p.id = pid
        self.session.execute(
            insert(SafetyProjectStatus),
            [
                {"project_id": p.id, "status": status, "since": since, "note": ""}
                for p in self.projects
                for since, status in p.history
            ],
        )

    # -- inspections and hazards ---------------------------------------------------------------------

    def candidates(self, year: int, day: date) -> list[int]:
        return [i for i, p in enumerate(self.projects) if year in p.inspect_in and p.active(day)]

    def visits_for(self, plan: YearPlan) -> tuple[list[dict], list[Visit]]:
        r, year = self.rng, plan.year
        inspections: list[dict] = []
        visits: list[Visit] = []

        def inspection(day: date, kind: str, campaign: str, projects: list[int], summary: str) -> None:
            team = r.sample(PEOPLE, 2 if len(projects) == 1 else 3)
            inspections.append(
                {
                    "unit_id": self.unit_id,
                    "checked_on": day,
                    "kind": kind,
                    "campaign": campaign,
                    "inspectors": "、".join(team),
                    "summary": summary,
                }
            )
            for project in projects:
                visits.append(Visit(len(inspections) - 1, project, day, kind))

        def group(day: date, count: int) -> list[int]:
            pool = self.candidates(year, day)
            if len(pool) < count:
                raise AssertionError(f"{day}: only {len(pool)} projects to inspect, {count} planned")
            return r.sample(pool, count)

        for month, count in plan.routine.items():
            must = [p for p in plan.must_visit.get(month, [])]
            pool = [p for p in self.candidates(year, date(year, month, 27)) if p not in must]
            chosen = must + r.sample(pool, count - len(must))
            for project in chosen:
                first = self.projects[project].started()
                low = first.day + 1 if first and (first.year, first.month) == (year, month) else 1
                inspection(
                    self.day(year, month, min(low, 26)), ROUTINE, "", [project], "月度例行质量安全巡查"
                )
        for kind, name, rounds in plan.campaigns:
            for day, count in rounds:
                inspection(day, kind, name, group(day, count), f"{name}，对受检项目逐一检查")
        for number, (day, count) in enumerate(plan.crane_rounds, start=1):
            name = f"{year}年第{number}轮起重机械监督比对检测"
            inspection(
                day, CRANE, name, group(day, count), "委托第三方检测机构对在用起重机械开展监督比对检测"
            )
        for number, (day, count) in enumerate(plan.evaluations, start=1):
            inspection(day, "季度考评", "", group(day, count), f"第{number}季度质量安全标准化考评")
        for day in plan.unannounced:
            inspection(day, "暗访", "", group(day, 1), "夜间施工及扬尘防治暗访")
        return inspections, visits

    def hazards_for(self, plan: YearPlan, visits: list[Visit]) -> list[dict]:
        r, year = self.rng, plan.year
        q1_end = date(year, 3, 31)
        year_end = date(year, 12, 31)
        counts = [0] * len(visits)
        q1 = [i for i, v in enumerate(visits) if v.day <= q1_end]
        later = [i for i, v in enumerate(visits) if v.day > q1_end]
        if plan.q1_hazards is None:
            for _ in range(plan.hazards):
                counts[r.randrange(len(visits))] += 1
        else:
            # The Q1 hazards rectified only in April come from the quarter's last evaluation.
            last_q1 = max(v.day for v in (visits[i] for i in q1) if v.kind == "季度考评")
            late_visits = [i for i in q1 if visits[i].day == last_q1]
            early_visits = [i for i in q1 if visits[i].day < last_q1]
            for _ in range(plan.q1_late):
                counts[r.choice(late_visits)] += 1
            for _ in range(plan.q1_hazards - plan.q1_late):
                counts[r.choice(early_visits)] += 1
            for _ in range(plan.hazards - plan.q1_hazards):
                counts[r.choice(later)] += 1
        rows: list[dict] = []
        for index, visit in enumerate(visits):
            for _ in range(counts[index]):
                category = "起重机械" if visit.kind == CRANE else _weighted(r, CATEGORY_WEIGHTS)
                description, measures = r.choice(HAZARDS[category])
                rows.append(
                    {
                        "visit": index,
                        "found_on": visit.day,
                        "category": category,
                        "description": description,
                        "measures": measures,
                        "level": ORDINARY,
                        "deadline": visit.day + timedelta(days=r.choice((3, 5, 7, 7, 10, 15))),
                    }
                )
        for row in r.sample(rows, plan.majors):
            row["level"] = MAJOR
            row["deadline"] = row["found_on"] + timedelta(days=15)
        # Which hazards are still open at the year's end: some already past their deadline.
        december = sorted((h for h in rows if h["found_on"].month == 12), key=lambda h: h["found_on"])
        overdue = r.sample([h for h in december if h["found_on"].day <= 12], plan.overdue_at_end)
        not_due = r.sample(
            [h for h in december if h["found_on"].day >= 18], plan.open_at_end - plan.overdue_at_end
        )
        for h in overdue:
            h["deadline"] = h["found_on"] + timedelta(days=7)
        for h in not_due:
            h["deadline"] = h["found_on"] + timedelta(days=14)
        still_open = {id(h) for h in overdue + not_due}
        for h in rows:
            found, deadline = h["found_on"], h["deadline"]
            if id(h) in still_open:
                if plan.open_stay_open:
                    h["status"] = r.choice((PENDING, IN_PROGRESS))
                    h["rectified_on"] = None
                else:
                    h["status"] = RECTIFIED
                    h["rectified_on"] = date(year + 1, r.randint(1, 2), r.randint(2, 26))
                continue
            span = (deadline - found).days
            late = r.random() < 0.04
            fixed = found + timedelta(days=span + r.randint(2, 8) if late else r.randint(1, max(span, 1)))
            limit = year_end
            if plan.q1_hazards is not None and found <= q1_end:
                limit = q1_end if visits[h["visit"]].day < _last_q1(visits, q1_end) else date(year, 4, 20)
                if limit != q1_end:
                    fixed = max(fixed, date(year, 4, r.randint(1, 15)))
            h["rectified_on"] = min(fixed, limit)
            h["status"] = RECTIFIED
        return rows

    def write_year(self, plan: YearPlan) -> None:
        r = self.rng
        inspections, visits = self.visits_for(plan)
        inspection_ids = _insert_ids(self.session, SafetyInspection, inspections)
        self.session.execute(
            insert(SafetyInspectionProject),
            [
                {"inspection_id": inspection_ids[v.inspection], "project_id": self.projects[v.project].id}
                for v in visits
            ],
        )
        hazards = self.hazards_for(plan, visits)
        rows = []
        for h in hazards:
            visit = visits[h["visit"]]
            team = inspections[visit.inspection]["inspectors"].split("、")
            rows.append(
                {
                    "unit_id": self.unit_id,
                    "inspection_id": inspection_ids[visit.inspection],
                    "project_id": self.projects[visit.project].id,
                    "found_on": h["found_on"],
                    "description": h["description"],
                    "category": h["category"],
                    "level": h["level"],
                    "measures": h["measures"],
                    "responsible": f"施工单位项目经理{r.choice('赵钱孙周郑冯蒋沈韩')}工",
                    "deadline": h["deadline"],
                    "rectified_on": h["rectified_on"],
                    "reviewer": r.choice(team) if h["status"] == RECTIFIED else "",
                    "status": h["status"],
                }
            )
        hazard_ids = _insert_ids(self.session, SafetyHazard, rows)
        for h, hid in zip(hazards, hazard_ids, strict=True):
            h["id"] = hid
        self.write_documents(plan, visits, hazards)
        self.session.execute(
            insert(SafetyActivity),
            [
                {
                    "unit_id": self.unit_id,
                    "kind": kind,
                    "held_on": self._spread(plan.year, count, index),
                    "title": title,
                    "participants": r.randint(15, 80),
                    "note": "",
                }
                for kind, count, title in plan.activities
                for index in range(count)
            ],
        )

    def _spread(self, year: int, count: int, index: int) -> date:
        month = 1 + (index * 12) // max(count, 1)
        return self.day(year, min(month + self.rng.randint(0, 1), 12))

    def write_documents(self, plan: YearPlan, visits: list[Visit], hazards: list[dict]) -> None:
        r, year = self.rng, plan.year
        by_visit: dict[int, list[dict]] = {}
        for h in hazards:
            by_visit.setdefault(h["visit"], []).append(h)
        q1_end = date(year, 3, 31)
        with_hazards = sorted(by_visit)
        q1_visits = [i for i in with_hazards if visits[i].day <= q1_end]
        later_visits = [i for i in with_hazards if visits[i].day > q1_end]
        documents: list[tuple[dict, list[dict]]] = []
        numbers = dict.fromkeys(DOCUMENT_PREFIX, 0)

        def document(kind: str, issued: date, project: int, linked: list[dict], deadline=None, closed=None):
            numbers[kind] += 1
            if linked:
                deadline = deadline or max(h["deadline"] for h in linked)
                fixes = [h["rectified_on"] for h in linked]
                closed = max(fixes) if all(fixes) else None
                if closed is not None and closed > date.today():
                    closed = None
            documents.append(
                (
                    {
                        "unit_id": self.unit_id,
                        "kind": kind,
                        "number": f"{DOCUMENT_PREFIX[kind]}〔{year}〕{numbers[kind]:03d}号",
                        "issued_on": issued,
                        "project_id": self.projects[project].id,
                        "deadline": deadline,
                        "closed_on": closed,
                        "note": "",
                    },
                    linked,
                )
            )

        notices = plan.documents.get(RECTIFY_NOTICE, 0)
        if plan.q1_rectify_notices is not None:
            chosen = r.sample(q1_visits, plan.q1_rectify_notices) + r.sample(
                later_visits, notices - plan.q1_rectify_notices
            )
        else:
            chosen = r.sample(with_hazards, notices)
        for i in sorted(chosen, key=lambda i: visits[i].day):
            document(RECTIFY_NOTICE, visits[i].day, visits[i].project, by_visit[i])
        stop_pool = [
            i for i in later_visits if len(by_visit[i]) >= 3 or any(h["level"] == MAJOR for h in by_visit[i])
        ]
        for i in sorted(
            r.sample(stop_pool, plan.documents.get(STOP_WORK_NOTICE, 0)), key=lambda i: visits[i].day
        ):
            document(STOP_WORK_NOTICE, visits[i].day, visits[i].project, by_visit[i])
        late = [
            h
            for h in hazards
            if h["found_on"] > q1_end
            and h["rectified_on"]
            and h["rectified_on"] > h["deadline"] + timedelta(days=1)
            and h["deadline"] < date(year, 12, 31)
        ]
        for h in sorted(r.sample(late, plan.documents.get("催办通知", 0)), key=lambda h: h["deadline"]):
            issued = h["deadline"] + timedelta(days=1)
            document("催办通知", issued, visits[h["visit"]].project, [h], issued + timedelta(days=5))
        active = [
            i
            for i, p in enumerate(self.projects)
            if p.active(date(year, 6, 30)) or p.active(date(year, 11, 30))
        ]
        for kind in ("红黄牌", "不良行为记录", "移交案件线索", "考评不合格", "行政处罚"):
            for index in range(plan.documents.get(kind, 0)):
                issued = self._spread(year, plan.documents[kind], index)
                closed = issued if kind in ("红黄牌", "不良行为记录", "考评不合格") else None
                if kind in ("移交案件线索", "行政处罚"):
                    closed = min(issued + timedelta(days=r.randint(20, 60)), date(year, 12, 31))
                document(kind, issued, r.choice(active), [], None, closed)
        ids = _insert_ids(self.session, SafetyDocument, [d for d, _ in documents])
        links = [
            {"document_id": did, "hazard_id": h["id"]}
            for did, (_, linked) in zip(ids, documents, strict=True)
            for h in linked
        ]
        if links:
            self.session.execute(insert(SafetyDocumentHazard), links)

    def write_workload(self) -> None:
        q1_2023 = (date(2023, 1, 1), date(2023, 3, 31))
        q1_2022 = (date(2022, 1, 1), date(2022, 3, 31))
        y2023 = (date(2023, 1, 1), date(2023, 12, 31))
        y2022 = (date(2022, 1, 1), date(2022, 12, 31))
        values = {
            q1_2023: {
                "fire.design.accepted": "29",
                "fire.design.completed": "26",
                "fire.acceptance.accepted": "21",
                "fire.acceptance.completed": "18",
                "fire.filing.accepted": "55",
                "fire.filing.sampled": "45",
                "fire.filing.not_sampled": "10",
                "selfbuilt.patches": "587209",
                "selfbuilt.unsurveyed": "20051",
                "selfbuilt.surveying": "7335",
                "selfbuilt.surveyed": "559823",
                "selfbuilt.commercial": "14634",
                "selfbuilt.review_done": "14108",
                "selfbuilt.review_rank": "5",
                "selfbuilt.hazard_buildings": "213",
                "selfbuilt.hazard_fixed": "33",
                "selfbuilt.fix_rank": "8",
                "selfbuilt.spot_villages": "25",
                "selfbuilt.spot_buildings": "42",
                "selfbuilt.spot_problems": "18",
                "complaints.accepted": "6",
                "complaints.completed": "6",
                "info.reported": "6",
                "info.adopted": "1",
            },
            q1_2022: {
                "fire.design.accepted": "24",
                "fire.design.completed": "22",
                "fire.acceptance.accepted": "17",
                "fire.acceptance.completed": "15",
                "fire.filing.accepted": "41",
                "fire.filing.sampled": "33",
                "fire.filing.not_sampled": "8",
                "complaints.accepted": "8",
                "complaints.completed": "7",
                "info.reported": "5",
                "info.adopted": "1",
            },
            y2023: {
                "filing.count": "82",
                "filing.cost": "350773.89",
                "filing.house.count": "81",
                "filing.house.cost": "350391.39",
                "filing.house.area": "1913714.87",
                "filing.municipal.count": "1",
                "filing.municipal.cost": "382.5",
                "tender.open.count": "14",
                "tender.open.amount": "78089.7763",
                "tender.audit.rounds": "3",
                "tender.audit.notices": "28",
                "tender.audit.referrals": "9",
                "crane.hazards": "932",
                "crane.dismantled": "1",
                "crane.sealed": "9",
                "illegal.consults": "40",
                "inspect.concrete": "6",
                "dust.sprinklers": "38",
            },
            y2022: {
                "filing.count": "69",
                "filing.cost": "281432.16",
                "filing.house.count": "68",
                "filing.house.cost": "280950.66",
                "filing.house.area": "1534820.55",
                "filing.municipal.count": "1",
                "filing.municipal.cost": "481.5",
                "tender.open.count": "11",
                "tender.open.amount": "52316.4520",
                "tender.audit.rounds": "2",
                "tender.audit.notices": "19",
                "tender.audit.referrals": "5",
                "crane.hazards": "786",
                "crane.dismantled": "2",
                "crane.sealed": "6",
            },
        }
        self.session.execute(
            insert(SafetyWorkloadValue),
            [
                {
                    "unit_id": self.unit_id,
                    "key": key,
                    "period_start": start,
                    "period_end": end,
                    "value": Decimal(text),
                    "note": "",
                }
                for (start, end), items in values.items()
                for key, text in items.items()
            ],
        )


def _last_q1(visits: list[Visit], q1_end: date) -> date:
    return max(v.day for v in visits if v.day <= q1_end and v.kind == "季度考评")


def _weighted(r: random.Random, weights: dict[str, int]) -> str:
    return r.choices(list(weights), weights=list(weights.values()))[0]


def _pin_total(plans: list[ProjectPlan], attr: str, total: Decimal) -> None:
    """Scale the values so that they add up to `total` exactly (rounding lands on the largest)."""
    current = sum((getattr(p, attr) for p in plans), Decimal(0))
    for p in plans:
        scaled = (getattr(p, attr) * total / current).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        setattr(p, attr, scaled)
    largest = max(plans, key=lambda p: getattr(p, attr))
    setattr(largest, attr, getattr(largest, attr) + total - sum(getattr(p, attr) for p in plans))


def _insert_ids(session: Session, model: type, rows: list[dict]) -> list[int]:
    """Bulk insert returning the new ids in the order of `rows`."""
    if not rows:
        return []
    result = session.execute(insert(model).returning(model.id, sort_by_parameter_order=True), rows)
    return list(result.scalars())


def _plans(april_projects: list[int]) -> tuple[YearPlan, YearPlan]:
    d22 = lambda m, d: date(2022, m, d)  # noqa: E731
    d23 = lambda m, d: date(2023, m, d)  # noqa: E731
    y2022 = YearPlan(
        year=2022,
        routine={1: 52, **{m: 32 for m in range(2, 10)}, 10: 34, 11: 34, 12: 34},
        must_visit={},
        campaigns=[
            ("节假日专项", "2022年春节前后安全生产专项检查", [(d22(1, 20), 10)]),
            ("专项检查", "2022年春季开复工安全生产专项检查", [(d22(2, 22), 10)]),
            ("专项检查", "2022年全国两会期间安全生产专项检查", [(d22(3, 8), 8)]),
            ("节假日专项", "2022年五一节前安全生产专项检查", [(d22(4, 27), 10)]),
            ("专项检查", "2022年安全生产月专项检查", [(d22(6, 15), 14)]),
            ("恶劣天气专项", "2022年汛期及高温天气专项督查", [(d22(7, 6), 10)]),
            ("专项检查", "2022年扬尘防治专项督查", [(d22(8, 10), 12)]),
            ("节假日专项", "2022年国庆节前安全生产专项检查", [(d22(9, 27), 12)]),
            ("恶劣天气专项", "2022年冬季低温雨雪冰冻天气专项检查", [(d22(12, 7), 14)]),
        ],
        crane_rounds=[(d22(4, 19), 12), (d22(8, 23), 12), (d22(11, 15), 12)],
        evaluations=[(d22(3, 29), 15), (d22(6, 28), 15), (d22(9, 27), 15), (d22(12, 27), 15)],
        unannounced=[d22(5, 17), d22(7, 20), d22(10, 12), d22(11, 23)],
        hazards=1350,
        majors=15,
        open_at_end=31,
        overdue_at_end=9,
        open_stay_open=False,
        documents={
            RECTIFY_NOTICE: 180,
            STOP_WORK_NOTICE: 38,
            "催办通知": 10,
            "红黄牌": 80,
            "不良行为记录": 22,
            "移交案件线索": 12,
            "考评不合格": 5,
            "行政处罚": 2,
        },
        activities=[
            ("质量安全管理专项会议", 11, "全市质量安全管理专项会议"),
            ("打非治违会议", 3, "住建领域打非治违专项整治工作会议"),
            ("警示约谈", 9, "质量安全警示约谈会"),
            ("扬尘防治约谈", 3, "扬尘防治约谈会"),
            ("培训", 2, "建筑施工安全生产集中培训"),
            ("观摩", 1, "质量安全标准化工地观摩"),
            ("宣传", 2, "安全生产月宣传咨询日活动"),
        ],
    )
    y2023 = YearPlan(
        year=2023,
        routine={1: 30, 2: 20, 3: 47, 4: 48, 5: 48, 6: 47, 7: 47, 8: 47, 9: 47, 10: 47, 11: 47, 12: 48},
        must_visit={5: april_projects},
        campaigns=[
            ("节假日专项", "2023年春节前后安全生产专项检查", [(d23(1, 16), 12)]),
            ("专项检查", "2023年春季开复工安全生产专项检查", [(d23(2, 20), 10), (d23(2, 27), 10)]),
            ("专项检查", "2023年全国两会期间安全生产专项检查", [(d23(3, 7), 10)]),
            ("节假日专项", "2023年五一节前安全生产专项检查", [(d23(4, 26), 12)]),
            ("恶劣天气专项", "2023年汛期及恶劣天气专项督查", [(d23(5, 18), 10)]),
            ("专项检查", "2023年安全生产月专项检查", [(d23(6, 13), 12), (d23(6, 14), 12)]),
            ("专项检查", "2023年危大工程安全专项检查", [(d23(7, 12), 15)]),
            ("专项检查", "2023年蓝天保卫战扬尘防治销号督查", [(d23(8, 16), 12)]),
            ("节假日专项", "2023年国庆中秋节前安全生产专项检查", [(d23(9, 25), 12)]),
            ("专项检查", "2023年安全生产大检查打非治违专项整治", [(d23(10, 17), 10), (d23(10, 24), 10)]),
            ("恶劣天气专项", "2023年冬季低温雨雪冰冻天气专项检查", [(d23(12, 5), 10)]),
        ],
        crane_rounds=[(d23(3, 21), 15), (d23(6, 20), 15), (d23(9, 19), 15), (d23(12, 12), 15)],
        evaluations=[(d23(3, 28), 20), (d23(6, 28), 20), (d23(9, 27), 20), (d23(12, 26), 20)],
        unannounced=[d23(5, 9), d23(7, 25), d23(8, 29), d23(10, 31), d23(11, 21)],
        hazards=2080,
        majors=23,
        open_at_end=19,
        overdue_at_end=7,
        open_stay_open=True,
        q1_hazards=49,
        q1_late=4,
        q1_rectify_notices=3,
        documents={
            RECTIFY_NOTICE: 232,
            STOP_WORK_NOTICE: 45,
            "催办通知": 13,
            "红黄牌": 101,
            "不良行为记录": 29,
            "移交案件线索": 17,
            "考评不合格": 6,
            "行政处罚": 3,
        },
        activities=[
            ("质量安全管理专项会议", 13, "全市质量安全管理专项会议"),
            ("打非治违会议", 4, "住建领域安全生产打非治违专项会议"),
            ("警示约谈", 11, "质量安全警示约谈会"),
            ("扬尘防治约谈", 2, "扬尘防治约谈会"),
            ("培训", 3, "违法建设项目集中培训告知"),
            ("现场指导", 4, "打非治违专班上门现场指导"),
            ("观摩", 1, "赴湘阴质量安全标准化工地观摩"),
            ("宣传", 2, "安全生产月宣传咨询日活动"),
            ("应急演练", 2, "消防及防高处坠落应急演练"),
        ],
    )
    return y2022, y2023


def build_safety_example(session: Session, unit: Unit) -> None:
    """Add the example unit's safety records (2022 and 2023) with bulk inserts."""
    from app.services.safety.categories import seed_categories

    session.flush()
    seed_categories(session, unit.id)
    builder = _Builder(session, unit)
    april = builder.plan_projects()
    builder.size_projects()
    builder.write_projects()
    y2022, y2023 = _plans(april)
    builder.write_year(y2022)
    builder.write_year(y2023)
    builder.write_workload()
