"""信访事项登记台账 → Petition records, stored as save_petition stores a typed item: the same
validation (validate_petition: phone and ID numbers, dates, states), the 条例 deadlines computed
by the service's helpers (办理期限 due_on, next_due), numbers of the service's XF2024-0001 form
for rows without one.

- A blank 状态 is derived: 已办结 with a 办结日期, 办理中 with a 受理日期, else 待受理. A ledger
  without a 受理日期 column takes an item in hand or closed as accepted on its 收到日期 (noted).
- An imported 办结/受理/告知 date later than its deadline is kept and noted on the row.
- 渠道 and 事项类别 are the unit's lists (PetitionChoice): a spelling is matched by synonym, by
  containment or by a shared hotline number (12345 ↔ 12345热线/信箱), else added to the list
  (a row problem under strict_values). A blank 渠道 comes from the value map for "" or from the
  sheet title / file name ("2024年12345热线交办件台账.xlsx").
- Duplicates: the 信访编号 (unique per unit), else (收到日期, 信访人, 内容摘要): a numbered row
  whose number is unknown may be an item typed (and numbered XF…) before.
  Updating one refreshes every imported field and the deadlines.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from app.errors import UserError
from app.importers.ledgers.kinds.choices import VALUE_FIELDS, value_choices
from app.importers.ledgers.model import (
    Counts,
    FieldSpec,
    ImportOptions,
    ParsedRow,
    SourceRow,
    plain_date,
)
from app.importers.ledgers.values import (
    PETITION_STATUS,
    read_count,
    read_date,
    read_status,
    read_text,
    read_yes_no,
)
from app.models.base import station_name
from app.models.registers import (
    ASSIGNMENT_SOURCES,
    CHOICE_CATEGORY,
    CHOICE_CHANNEL,
    PETITION_CLOSED,
    PETITION_HANDLING,
    PETITION_PENDING,
    PETITION_REJECTED,
    PETITION_TRANSFERRED,
    SATISFACTION_LEVELS,
    Petition,
    PetitionChoice,
)
from app.services.parsing import ParseError
from app.services.registers.petitions import (
    ACCEPT_DAYS,
    PetitionData,
    acceptance_due,
    choices,
    handling_due,
    next_due,
    next_number,
    validate_petition,
)

UNCOMPUTED = "公式未计算，请在 WPS 中打开并保存后再导入"
RECORD_LABEL = "信访事项"
CHANNEL_LIST = "信访渠道"
CATEGORY_LIST = "事项类别"
LONG_TEXT = 5000

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "number",
        "信访编号",
        (
            "信访编号",
            "编号",
            "登记编号",
            "信访件编号",
            "件号",
            "案件编号",
            "工单编号",
            "工单号",
            "来件编号",
            "信访件号",
        ),
    ),
    FieldSpec(
        "received_on",
        "收到日期",
        (
            "收到日期",
            "登记日期",
            "来信来访日期",
            "来访日期",
            "来信日期",
            "信访日期",
            "收件日期",
            "接收日期",
            "收文日期",
            "交办日期",
            "转办日期",
            "登记时间",
            "来访时间",
            "收到时间",
        ),
        required=True,
    ),
    FieldSpec(
        "channel",
        "信访渠道",
        (
            "信访渠道",
            "渠道",
            "来源",
            "信访来源",
            "信访形式",
            "信访方式",
            "方式",
            "来源渠道",
            "信访途径",
            "反映渠道",
        ),
    ),
    FieldSpec(
        "referred_by", "转办单位", ("转办单位", "交办单位", "转交单位", "来文单位", "交办部门", "转办部门")
    ),
    FieldSpec("assignment", "交办来源", ("交办来源", "交办类型", "交办类别")),
    FieldSpec(
        "petitioner",
        "信访人",
        (
            "信访人",
            "姓名",
            "反映人",
            "来访人",
            "来信人",
            "信访人姓名",
            "投诉人",
            "诉求人",
            "当事人",
            "反映人姓名",
        ),
    ),
    FieldSpec(
        "phone", "联系电话", ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "电话号码")
    ),
    FieldSpec("id_number", "身份证号", ("身份证号", "身份证号码", "身份证", "公民身份号码", "证件号码")),
    FieldSpec("people", "人数", ("人数", "来访人数", "信访人数", "人次")),
    FieldSpec("repeat", "重复访", ("是否重复访", "重复访", "重复", "是否重复", "重复信访", "是否重复信访")),
    FieldSpec(
        "category",
        "事项类别",
        (
            "事项类别",
            "问题类别",
            "反映类型",
            "问题类型",
            "信访类别",
            "类别",
            "事项分类",
            "诉求类型",
            "信访事项类别",
        ),
    ),
    FieldSpec(
        "summary",
        "内容摘要",
        (
            "内容摘要",
            "反映问题",
            "诉求",
            "主要内容",
            "信访内容",
            "反映内容",
            "主要诉求",
            "诉求内容",
            "问题摘要",
            "信访事项",
            "信访问题",
            "反映事项",
            "事由",
        ),
    ),
    FieldSpec(
        "department",
        "承办科室",
        ("承办科室", "承办单位", "责任科室", "承办股室", "责任单位", "办理科室", "承办部门", "责任股室"),
    ),
    FieldSpec("leader", "包案领导", ("包案领导", "责任领导", "分管领导", "包案责任人")),
    FieldSpec("accepted_on", "受理日期", ("受理日期", "受理时间")),
    FieldSpec("notified_on", "告知日期", ("告知日期", "告知时间", "受理告知日期", "书面告知日期")),
    FieldSpec(
        "required_by", "交办时限", ("交办时限", "交办期限", "要求办结时间", "要求办结日期", "反馈时限")
    ),
    FieldSpec("extension_days", "延期天数", ("延期天数", "延期", "延长天数", "延期时间")),
    FieldSpec("extension_reason", "延期理由", ("延期理由", "延期原因")),
    FieldSpec(
        "closed_on", "办结日期", ("办结日期", "办结时间", "结案日期", "结案时间", "答复日期", "回复日期")
    ),
    FieldSpec(
        "result",
        "办理结果",
        (
            "办理结果",
            "答复意见",
            "处理结果",
            "处理情况",
            "答复情况",
            "回复内容",
            "处理意见",
            "办理结果及答复",
        ),
    ),
    FieldSpec(
        "satisfaction", "群众满意度", ("群众满意度", "满意度", "满意情况", "回访满意度", "是否满意", "评价")
    ),
    FieldSpec("status", "办理状态", ("办理状态", "办理情况", "状态", "办结情况", "是否办结", "办理进度")),
    FieldSpec("note", "备注", ("备注", "说明")),
)
LABELS = {spec.key: spec.label for spec in FIELDS}

_TEXTS = {  # key → the column's length (PostgreSQL refuses a longer value)
    "number": 40,
    "referred_by": 100,
    "petitioner": 100,
    "phone": 40,
    "id_number": 40,  # validate_petition says "应为18位" for any other length
    "department": 100,
    "leader": 50,
    "summary": LONG_TEXT,
    "result": LONG_TEXT,
    "note": LONG_TEXT,
    "extension_reason": LONG_TEXT,
}
_DATES = ("received_on", "accepted_on", "notified_on", "required_by", "closed_on")
# Shown in the preview whether mapped or not: what the import derives or gives.
_ALWAYS_SHOWN = ("number", "channel", "category", "status", "accepted_on", "due_on")
_DATA_FIELDS = tuple(f.name for f in fields(PetitionData) if f.name not in ("id", "version"))
_STORED = (*_DATA_FIELDS, "due_on", "next_due")

SATISFACTION_SPELLINGS: dict[str, tuple[str, ...]] = {
    "满意": ("满意", "非常满意", "很满意", "十分满意", "群众满意"),
    "基本满意": ("基本满意", "比较满意", "较满意", "一般", "还行"),
    "不满意": ("不满意", "很不满意", "非常不满意", "不太满意"),
    "未评价": ("未评价", "未评", "未回访", "不评价", "拒绝评价", "未表态", "无法联系", "联系不上", "无评价"),
}
assert set(SATISFACTION_SPELLINGS) == set(SATISFACTION_LEVELS)
ASSIGNMENT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "巡视交办": ("巡视交办", "巡视", "巡视组交办", "省委巡视", "中央巡视"),
    "巡察交办": ("巡察交办", "巡察", "巡察组交办", "市委巡察"),
    "上级交办": ("上级交办", "上级", "上级转办", "省厅交办", "上级部门交办"),
}
assert set(ASSIGNMENT_SPELLINGS) == set(ASSIGNMENT_SOURCES)
# A 办理情况 text longer than this that is no status word is what was done (办理结果).
_STATUS_WORD = 8
_NO_ASSIGNMENT = ("无", "否", "/", "-", "—")
_REPEAT_YES = frozenset(("重复访", "重复信访", "重复件", "重信", "重访", "多次"))
_REPEAT_NO = frozenset(("首次", "初次", "初访", "初信", "首访", "新件"))

# The default lists' entries (petitions.DEFAULT_CHANNELS / DEFAULT_CATEGORIES) as ledgers spell
# them; used when the unit's list has the entry under that name.
CHANNEL_SPELLINGS: dict[str, tuple[str, ...]] = {
    "来信": ("信件", "来函", "群众来信", "写信", "邮寄", "书信"),
    "来访": ("走访", "上访", "接访", "群众来访", "到访", "当面反映", "现场来访", "个访", "集体访", "面访"),
    "网上信访": ("网信", "网上投诉", "网上", "网络信访", "信访信息系统", "国家信访信息系统", "网上来信"),
    "12345热线/信箱": ("12345", "12345热线", "12345政务服务热线", "政务服务热线", "便民热线", "市民热线"),
    "市长信箱": ("书记信箱", "书记市长信箱", "领导信箱", "市长热线"),
    "舆情": ("网络舆情", "网络问政", "问政", "媒体", "舆情信息"),
    "信访局转办": ("信访局", "信访局交办", "信访局转", "市信访局", "县信访局", "信访联席办"),
    "上级交办": ("上级", "上级转办", "省厅交办", "上级部门交办"),
    "巡视巡察交办": ("巡察交办", "巡视交办", "巡察", "巡视", "巡视巡察"),
}
CATEGORY_SPELLINGS: dict[str, tuple[str, ...]] = {
    "农民工工资": (
        "欠薪",
        "拖欠工资",
        "讨薪",
        "工资",
        "农民工欠薪",
        "拖欠农民工工资",
        "劳资纠纷",
        "工资拖欠",
    ),
    "工程款结算": ("工程款", "拖欠工程款", "结算", "工程款纠纷", "工程款拖欠"),
    "房屋质量": ("质量", "质量问题", "工程质量", "房屋质量问题", "漏水", "渗漏", "开裂"),
    "交房问题": ("交房", "延期交房", "逾期交房", "交付", "延期交付", "逾期交付"),
    "施工扰民": ("扰民", "噪音扰民", "噪声扰民", "噪音", "噪声", "夜间施工", "扬尘"),
    "拆迁补偿": ("拆迁", "征收补偿", "征收", "征拆", "拆迁安置", "房屋征收"),
    "其他": ("其它", "其他问题"),
}
_HOTLINE = re.compile(r"\d{4,}", re.ASCII)


def _key(text: str) -> str:
    """A list entry folded for matching: NFKC, lower case, spaces and punctuation dropped."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PZCS")


@dataclass
class _PickList:
    """A unit's 渠道 or 事项类别 list, and the entries this import adds to it."""

    kind: str
    label: str
    names: list[str]
    stored: bool  # the unit has its own rows (else choices() gave the defaults)
    spellings: dict[str, tuple[str, ...]]
    added: dict[str, str] = field(default_factory=dict)  # key → new name, in order of first use
    _index: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        keys = {_key(name): name for name in self.names}
        for name in self.names:
            self._index.setdefault(_key(name), name)
        for canonical, spellings in self.spellings.items():
            target = keys.get(_key(canonical))
            if target is not None:
                for spelling in spellings:
                    self._index.setdefault(_key(spelling), target)

    def find(self, text: str) -> str | None:
        """The entry `text` means (exact, folded, by synonym, by containment or a shared hotline
        number when only one entry qualifies), else None."""
        if text in self.names:
            return text
        key = _key(text)
        if not key:
            return None
        found = self._index.get(key)
        if found is not None:
            return found
        if len(key) >= 2:
            near = {name for name in self.names if key in _key(name) or _key(name) in key}
            if len(near) == 1:
                return near.pop()
        numbers = set(_HOTLINE.findall(key))
        if numbers:
            near = {name for name in self.names if numbers & set(_HOTLINE.findall(_key(name)))}
            if len(near) == 1:
                return near.pop()
        return None

    def resolve(self, text: str, strict: bool) -> str:
        """The entry for `text`, or a new entry (remembered in `added`); ParseError under strict."""
        found = self.find(text)
        if found is not None:
            return found
        key = _key(text)
        if key in self.added:
            return self.added[key]
        if strict:
            raise ParseError(f"{self.label}“{text}”不在列表中（可选：{'、'.join(self.names)}）")
        self.added[key] = text
        return text

    def in_text(self, text: str) -> str | None:
        """The one entry a title or file name names ("2024年12345热线交办件台账"), else None."""
        key = _key(text)
        hits: set[str] = set()
        for spelling, name in self._index.items():
            if len(spelling) >= 2 and spelling in key:
                hits.add(name)
        return hits.pop() if len(hits) == 1 else None


def _title_channel(text: str) -> bool:
    """Whether a title names a channel by one of the default lists' spellings (needs() has no list)."""
    static = _PickList(CHOICE_CHANNEL, CHANNEL_LIST, list(CHANNEL_SPELLINGS), False, CHANNEL_SPELLINGS)
    return static.in_text(text) is not None


def _content_key(received_on: date | None, petitioner: str, summary: str) -> tuple[str, str, str]:
    return (received_on.isoformat() if received_on else "", _key(petitioner), _key(summary)[:300])


@dataclass
class PetitionContext:
    unit_id: int
    file_name: str
    channels: _PickList
    categories: _PickList
    by_number: dict[str, int]
    by_content: dict[tuple[str, str, str], int]
    title_channels: dict[str, str | None] = field(default_factory=dict)  # title → entry it names
    merged: dict[tuple[str, int], PetitionData] = field(default_factory=dict)  # (sheet, row) → update
    before: dict[int, dict[str, Any]] = field(default_factory=dict)  # petition id → stored columns


def _pick_list(session: Session, unit_id: int, kind: str) -> _PickList:
    names = [c.name for c in choices(session, unit_id, kind)]
    stored = bool(
        session.scalar(
            select(func.count())
            .select_from(PetitionChoice)
            .where(PetitionChoice.unit_id == unit_id, PetitionChoice.kind == kind)
        )
    )
    if kind == CHOICE_CHANNEL:
        return _PickList(kind, CHANNEL_LIST, names, stored, CHANNEL_SPELLINGS)
    return _PickList(kind, CATEGORY_LIST, names, stored, CATEGORY_SPELLINGS)


def _shown_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _status_for(data: PetitionData, given: str | None) -> str:
    if given:
        return given
    if data.closed_on is not None:
        return PETITION_CLOSED
    if data.accepted_on is not None:
        return PETITION_HANDLING
    return PETITION_PENDING


LATE_ACCEPTED = "超期受理告知"
LATE_CLOSED = "超期办结"


def _late(data: PetitionData) -> list[tuple[str, str]]:
    """(flag, note) for each imported date later than the 条例 deadline it should have met: the
    row is kept, the note says so and the summary counts it."""
    late = []
    notice = acceptance_due(data.received_on)
    limit = f"{ACCEPT_DAYS}日受理告知期限{plain_date(notice)}" if notice else ""
    accepted = data.accepted_on is not None and notice is not None and data.accepted_on > notice
    notified = data.notified_on is not None and notice is not None and data.notified_on > notice
    if accepted and notified and data.accepted_on == data.notified_on:
        late.append((LATE_ACCEPTED, f"受理、告知日期{plain_date(data.accepted_on)}晚于{limit}"))
    else:
        if accepted:
            late.append((LATE_ACCEPTED, f"受理日期{plain_date(data.accepted_on)}晚于{limit}"))
        if notified:
            late.append((LATE_ACCEPTED, f"告知日期{plain_date(data.notified_on)}晚于{limit}"))
    if data.status == PETITION_CLOSED and data.closed_on is not None:
        due = handling_due(data.accepted_on, data.extension_days, data.required_by)
        if due is not None and data.closed_on > due:
            late.append((LATE_CLOSED, f"办结日期{plain_date(data.closed_on)}晚于办理期限{plain_date(due)}"))
    return late


def late_counts(rows: list[ParsedRow]) -> dict[str, int]:
    """How many rows were accepted (or notified) and closed after their deadlines."""
    counts: dict[str, int] = {}
    for row in rows:
        for flag in dict.fromkeys(row.values.get("late", ())):
            counts[flag] = counts.get(flag, 0) + 1
    return counts


class PetitionsKind:
    key = "petitions"
    label = "信访事项登记台账"
    record_label = RECORD_LABEL
    fields = FIELDS
    value_fields = VALUE_FIELDS["petitions"]

    def value_choices(self, session: Any, unit_id: int) -> dict[str, list[str]]:
        return value_choices("petitions", session, unit_id)

    # What the app's own register (and many others) show beside the dates: computed here, never read.
    computed_headers = (
        "办理期限",
        "受理期限",
        "告知期限",
        "受理告知期限",
        "逾期天数",
        "剩余天数",
        "是否超期",
    )

    # -- planning ---------------------------------------------------------------------------------

    def needs(self, mapped: set[str], options: ImportOptions, title: str, file_name: str) -> list[str]:
        lacking = []
        channel_default = options.value_maps.get("channel", {}).get("")
        if (
            "channel" not in mapped
            and not channel_default
            and not _title_channel(f"{title} {Path(file_name).stem}")
        ):
            lacking.append(
                "文件中没有“信访渠道”列，标题和文件名也未指明渠道：请指定渠道所在的列，"
                "或为空白的渠道指定一个渠道（取值对应中“信访渠道”的空白值）"
            )
        if "category" not in mapped and not options.value_maps.get("category", {}).get(""):
            lacking.append(
                "文件中没有“事项类别”列：请指定事项类别所在的列，或为空白的事项类别指定一个类别（如“其他”）"
            )
        return lacking

    def prepare(
        self, session: Session, unit_id: int, options: ImportOptions, file_name: str
    ) -> PetitionContext:
        by_number: dict[str, int] = {}
        by_content: dict[tuple[str, str, str], int] = {}
        rows = session.execute(
            select(
                Petition.id, Petition.number, Petition.received_on, Petition.petitioner, Petition.summary
            ).where(Petition.unit_id == unit_id)
        )
        for petition_id, number, received_on, petitioner, summary in rows:
            by_number[number] = petition_id
            by_content.setdefault(_content_key(received_on, petitioner, summary), petition_id)
        return PetitionContext(
            unit_id,
            file_name,
            _pick_list(session, unit_id, CHOICE_CHANNEL),
            _pick_list(session, unit_id, CHOICE_CATEGORY),
            by_number,
            by_content,
        )

    def parse(self, row: SourceRow, ctx: PetitionContext, options: ImportOptions) -> ParsedRow:
        parsed = ParsedRow(row)
        failed: set[str] = set()

        def fail(key: str, message: str) -> None:
            failed.add(key)
            parsed.problems.append(row.problem(key, message))

        def raw(key: str) -> Any:
            if key in row.uncomputed:
                fail(key, UNCOMPUTED)
                return None
            value = row.cells.get(key)
            return None if isinstance(value, str) and not value.strip() else value

        def mapped_value(key: str, value: Any) -> Any:
            """The user's value map for this field (raw text → value), else the value itself."""
            table = options.value_maps.get(key)
            if table and value is not None:
                return table.get(read_text(value, LABELS[key], LONG_TEXT), value)
            return value

        year = row.title_year or options.year
        data = PetitionData()
        cells = row.cells
        for key, limit in _TEXTS.items():
            if key not in cells:
                continue
            try:
                setattr(data, key, read_text(raw(key), LABELS[key], limit))
            except ParseError as exc:
                fail(key, str(exc))
        data.phone = data.phone.replace(" ", "")
        data.id_number = data.id_number.replace(" ", "").upper()
        masked = [LABELS[key] for key in ("phone", "id_number") if "*" in getattr(data, key)]
        if masked:  # a register exported with personal data hidden ("150****0401")
            for key in ("phone", "id_number"):
                if "*" in getattr(data, key):
                    setattr(data, key, "")
            parsed.notes.append(f"{'、'.join(masked)}在台账中已隐去，未导入")
        for key in _DATES:
            if key not in cells:
                continue
            try:
                setattr(data, key, read_date(raw(key), LABELS[key], default_year=year))
            except ParseError as exc:
                fail(key, str(exc))
        try:
            people = raw("people")
            if isinstance(people, str) and "\n" in people.strip():
                # "1\n重复访", "6\n集体访": the count, then what the register says of it
                people, *remarks = people.strip().splitlines()
                if any("重复" in remark for remark in remarks) and "repeat" not in cells:
                    data.repeat = True
            people = read_count(people, LABELS["people"])
            data.people = 1 if people is None else people
        except ParseError as exc:
            fail("people", str(exc))
        try:
            days = raw("extension_days")
            if isinstance(days, str):
                days = days.strip().removesuffix("天").removesuffix("日").removesuffix("个工作")
            data.extension_days = read_count(days, LABELS["extension_days"]) or 0
        except ParseError as exc:
            fail("extension_days", str(exc))
        if "repeat" in cells:
            try:
                data.repeat = bool(self._repeat(mapped_value("repeat", raw("repeat"))))
            except ParseError as exc:
                fail("repeat", str(exc))
        try:
            data.assignment, referred = self._assignment_parts(
                mapped_value("assignment", raw("assignment")), combined="referred_by" not in row.columns
            )
            if referred:
                data.referred_by = referred
        except ParseError as exc:
            fail("assignment", str(exc))
        try:
            value = mapped_value("satisfaction", raw("satisfaction"))
            data.satisfaction = read_status(value, LABELS["satisfaction"], SATISFACTION_SPELLINGS) or ""
        except ParseError as exc:
            fail("satisfaction", str(exc))
        given: str | None = None
        try:
            given = self._status(mapped_value("status", raw("status")))
        except ParseError as exc:
            text = str(raw("status")).strip()
            if _STATUS_WORD < len(text) <= LONG_TEXT and not data.result:
                data.result = text  # a 办理情况 column that tells what was done: the reply
            else:
                fail("status", str(exc))
        try:
            data.channel = self._channel(raw("channel"), row, ctx, options)
        except ParseError as exc:
            fail("channel", str(exc))
        try:
            data.category = self._choice(raw("category"), "category", ctx.categories, options)
        except ParseError as exc:
            fail("category", str(exc))

        data.status = _status_for(data, given)
        if (
            data.status in (PETITION_HANDLING, PETITION_CLOSED)
            and data.accepted_on is None
            and "accepted_on" not in row.columns
            and data.received_on is not None
        ):
            data.accepted_on = data.received_on
            parsed.notes.append("台账无受理日期，按收到日期计")
        for key in ("received_on", "channel", "category"):
            if key not in failed and not getattr(data, key):
                fail(key, f"缺少{LABELS[key]}")
        numbered = bool(data.number)
        data.number = data.number or "XF0000-0000"  # a blank number is given in find_duplicates
        for key, message in validate_petition(data).items():
            if key not in failed:
                fail(key, message)
        data.number = data.number if numbered else ""
        parsed.values = {name: getattr(data, name) for name in _DATA_FIELDS}
        parsed.values["due_on"] = handling_due(data.accepted_on, data.extension_days, data.required_by)
        parsed.values["next_due"] = next_due(data)
        parsed.shown = {key: _shown_value(parsed.values[key]) for key in (*cells, *_ALWAYS_SHOWN)}
        if parsed.ok:
            late = _late(data)
            parsed.values["late"] = tuple(flag for flag, _ in late)
            parsed.notes += [note for _, note in late]
        return parsed

    @staticmethod
    def _repeat(value: Any) -> bool | None:
        if isinstance(value, str):
            word = _key(value)
            if word in _REPEAT_YES:
                return True
            if word in _REPEAT_NO:
                return False
        return read_yes_no(value, LABELS["repeat"])

    @classmethod
    def _assignment_parts(cls, value: Any, *, combined: bool) -> tuple[str, str]:
        """(交办来源, 转办单位) of a cell. A "转办单位/交办来源" column (the file has no 转办单位 of
        its own: `combined`) holds either, or both: "省委巡视组；巡视交办"."""
        if value is None or not combined:
            return cls._assignment(value), ""
        parts = [
            part.strip() for part in re.split(r"[；;\n]", read_text(value, LABELS["assignment"], LONG_TEXT))
        ]
        assignment, others = "", []
        for part in filter(None, parts):
            if part in _NO_ASSIGNMENT:
                continue
            try:
                found = cls._assignment(part)
            except ParseError:
                found = ""
            if found and not assignment:
                assignment = found
            elif not found:
                others.append(part)
        return assignment, "；".join(others)[: _TEXTS.get("referred_by", 100)]

    @staticmethod
    def _assignment(value: Any) -> str:
        if value is None:
            return ""
        text = read_text(value, LABELS["assignment"], LONG_TEXT)
        if not text or text in _NO_ASSIGNMENT:
            return ""
        try:
            return read_status(text, LABELS["assignment"], ASSIGNMENT_SPELLINGS) or ""
        except ParseError:
            raise ParseError(
                f"交办来源“{text[:20]}”无法识别（可填：{'、'.join(ASSIGNMENT_SOURCES)}）"
            ) from None

    @staticmethod
    def _status(value: Any) -> str | None:
        try:
            return read_status(value, LABELS["status"], PETITION_STATUS)
        except ParseError:
            try:  # a 是否办结 column
                done = read_yes_no(value, LABELS["status"])
            except ParseError:
                done = None
            if done:
                return PETITION_CLOSED
            if done is False:
                return None  # derived from the dates: 办理中 or 待受理
            raise

    def _choice(self, value: Any, key: str, picks: _PickList, options: ImportOptions) -> str:
        table = options.value_maps.get(key, {})
        text = read_text(value, LABELS[key], 40) if value is not None else ""
        if text in table:
            text = table[text]
        elif not text and table.get(""):
            text = table[""]
        return picks.resolve(text, options.strict_values) if text else ""

    def _channel(self, value: Any, row: SourceRow, ctx: PetitionContext, options: ImportOptions) -> str:
        found = self._choice(value, "channel", ctx.channels, options)
        if found:
            return found
        where = f"{row.title} {Path(ctx.file_name).stem}"
        if where not in ctx.title_channels:
            ctx.title_channels[where] = ctx.channels.in_text(where)
        return ctx.title_channels[where] or ""

    def find_duplicates(self, session: Session, ctx: PetitionContext, rows: list[ParsedRow]) -> None:
        """Also checks the file against itself (a 信访编号 twice, the same item twice) and gives the
        rows without a number (and without a record already present) the next free numbers."""
        seen_numbers: dict[str, ParsedRow] = {}
        seen_content: dict[tuple[str, str, str], ParsedRow] = {}
        claimed: set[int] = set()  # records a row already repeats
        for row in rows:
            values = row.values
            number = values["number"]
            if number:
                first = seen_numbers.setdefault(number, row)
                if first is not row:
                    row.problems.append(
                        row.source.problem("number", f"信访编号“{number}”与{_where(first, row)}重复")
                    )
                    continue
                found = ctx.by_number.get(number)
                if found is None:  # numbered here, typed without (or with another) number there
                    key = _content_key(values["received_on"], values["petitioner"], values["summary"])
                    found = ctx.by_content.get(key)
                    found = None if found in claimed else found
                row.duplicate_of = found
            else:
                key = _content_key(values["received_on"], values["petitioner"], values["summary"])
                first = seen_content.setdefault(key, row)
                if first is not row:
                    row.problems.append(
                        row.source.problem(
                            None, f"与{_where(first, row)}重复（收到日期、信访人、内容摘要相同）"
                        )
                    )
                    continue
                found = ctx.by_content.get(key)
                row.duplicate_of = None if found in claimed else found
            if row.duplicate_of is not None:
                claimed.add(row.duplicate_of)
        self._load_before(session, ctx, [row.duplicate_of for row in rows if row.duplicate_of is not None])
        used = set(ctx.by_number) | set(seen_numbers)
        counters: dict[int, int] = {}
        for row in rows:
            if not row.ok:
                continue
            if row.duplicate_of is not None:
                self._merge(ctx, row)
            elif not row.values["number"]:
                year = row.values["received_on"].year
                if year not in counters:
                    counters[year] = int(next_number(session, ctx.unit_id, year).rsplit("-", 1)[1])
                while f"XF{year}-{counters[year]:04d}" in used:
                    counters[year] += 1
                number = f"XF{year}-{counters[year]:04d}"
                used.add(number)
                row.values["number"] = number
                row.shown["number"] = f"{number}（自动编号）"

    @staticmethod
    def _load_before(session: Session, ctx: PetitionContext, ids: list[int]) -> None:
        table = Petition.__table__
        columns = [table.c.id, table.c.version, *(table.c[name] for name in _STORED)]
        for start in range(0, len(ids), 900):
            for record in session.execute(select(*columns).where(table.c.id.in_(ids[start : start + 900]))):
                ctx.before[record.id] = dict(record._mapping)

    @staticmethod
    def _merge(ctx: PetitionContext, row: ParsedRow) -> None:
        """The record an update would store: the stored one with the file's fields over it, the
        status derived again when the file has none, then checked as save_petition checks it."""
        stored = ctx.before[row.duplicate_of]
        imported = set(row.source.columns) & set(_DATA_FIELDS)
        merged = PetitionData(**{name: stored[name] for name in _DATA_FIELDS})
        for name in imported:
            setattr(merged, name, row.values[name])
        merged.number = stored["number"]
        if "status" in imported:
            merged.status = row.values["status"]
        elif merged.status not in (PETITION_REJECTED, PETITION_TRANSFERRED):
            merged.status = _status_for(merged, None)
        if merged.status in (PETITION_HANDLING, PETITION_CLOSED) and merged.accepted_on is None:
            merged.accepted_on = row.values["accepted_on"] or merged.received_on
        errors = validate_petition(merged)
        if errors:
            message = next(iter(errors.values()))
            row.notes.append(f"若更新已有的{RECORD_LABEL}“{merged.number}”：{message}，无法更新")
            return
        ctx.merged[(row.source.sheet, row.source.row)] = merged
        row.values["late"] = tuple(flag for flag, _ in _late(merged))
        row.values["number"] = merged.number
        row.shown["number"] = merged.number

    def pending_additions(self, ctx: PetitionContext, rows: list[ParsedRow]) -> dict[str, list[str]]:
        return self._additions(ctx, rows)

    @staticmethod
    def _additions(ctx: PetitionContext, rows: list[ParsedRow]) -> dict[str, list[str]]:
        additions: dict[str, list[str]] = {}
        for picks, key in ((ctx.channels, "channel"), (ctx.categories, "category")):
            wanted = {row.values[key] for row in rows}
            names = [name for name in picks.added.values() if name in wanted]
            if names:
                additions[picks.label] = names
        return additions

    # -- writing ----------------------------------------------------------------------------------

    def write(
        self,
        session: Session,
        unit_id: int,
        ctx: PetitionContext,
        rows: list[ParsedRow],
        on_duplicate: str,
        recorder: Any,
    ) -> Counts:
        counts = Counts()
        now = datetime.now().replace(microsecond=0)
        station = station_name()
        new_rows = [row for row in rows if row.duplicate_of is None]
        duplicates = [row for row in rows if row.duplicate_of is not None]
        written = new_rows + (duplicates if on_duplicate == "update" else [])
        for label, names in self._additions(ctx, written).items():
            picks = ctx.channels if label == CHANNEL_LIST else ctx.categories
            self._add_choices(session, unit_id, picks, names, recorder)
            counts.added_values[label] = names
        counts.flagged = late_counts(written)
        if new_rows:
            stamp = {"unit_id": unit_id, "version": 1, "changed_by": station, "changed_at": now}
            records = [{**stamp, **{name: row.values[name] for name in _STORED}} for row in new_rows]
            # A plain executemany, then the ids by number (unique per unit): an INSERT … RETURNING
            # of 10,000 rows costs seconds in SQLAlchemy's row splicing.
            session.execute(insert(Petition.__table__), records)
            ids = _ids_by_number(session, unit_id, [record["number"] for record in records])
            recorder.created("petition", ids)
            counts.add("created", RECORD_LABEL, len(ids))
        if on_duplicate != "update":
            if duplicates:
                counts.add("skipped", RECORD_LABEL, len(duplicates))
            return counts
        table = Petition.__table__
        params = []
        for row in duplicates:
            merged = ctx.merged.get((row.source.sheet, row.source.row))
            if merged is None:
                failed = next((n for n in row.notes if n.startswith("若更新")), "")
                raise UserError(f"{row.source.sheet} 第{row.source.row}行：{failed}")
            stored = ctx.before[row.duplicate_of]
            values = {name: getattr(merged, name) for name in _DATA_FIELDS}
            values["due_on"] = handling_due(merged.accepted_on, merged.extension_days, merged.required_by)
            values["next_due"] = next_due(merged)
            stamp = {"changed_by": station, "changed_at": now, "updated_at": now}
            params.append({"_id": row.duplicate_of, "_version": stored["version"], **values, **stamp})
            recorder.updated("petition", row.duplicate_of, {name: stored[name] for name in _STORED})
        # One statement for every row (the SET columns come from the parameters' keys), checked
        # against the version each record had when this transaction read it.
        statement = (
            update(table)
            .where(table.c.id == bindparam("_id"), table.c.version == bindparam("_version"))
            .values(version=table.c.version + 1)
        )
        changed = session.execute(statement, params).rowcount if params else 0
        if changed != len(params) and session.get_bind().dialect.supports_sane_multi_rowcount:
            raise UserError(f"有{RECORD_LABEL}刚刚在别处被修改，本次未导入。请重新导入。")
        if params:
            counts.add("updated", RECORD_LABEL, len(params))
        return counts

    @staticmethod
    def _add_choices(
        session: Session, unit_id: int, picks: _PickList, names: list[str], recorder: Any
    ) -> None:
        """Append `names` to the unit's list; a unit still on the built-in list gets it stored
        first (else the list would shrink to the new entries)."""
        entries = [] if picks.stored else [(c.name, c.group) for c in choices(session, unit_id, picks.kind)]
        entries += [(name, "") for name in names]
        start = session.scalar(
            select(func.coalesce(func.max(PetitionChoice.position) + 1, 0)).where(
                PetitionChoice.unit_id == unit_id, PetitionChoice.kind == picks.kind
            )
        )
        records = [
            {"unit_id": unit_id, "kind": picks.kind, "position": start + i, "name": name, "stat_group": group}
            for i, (name, group) in enumerate(entries)
        ]
        ids = session.scalars(
            insert(PetitionChoice).returning(PetitionChoice.id, sort_by_parameter_order=True), records
        ).all()
        recorder.created("petition_choice", ids)
        picks.stored = True


def _ids_by_number(session: Session, unit_id: int, numbers: list[str]) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(numbers), 900):  # SQLite allows 999 parameters in a statement
        chunk = numbers[start : start + 900]
        ids += session.scalars(
            select(Petition.id).where(Petition.unit_id == unit_id, Petition.number.in_(chunk))
        ).all()
    return ids


def _where(first: ParsedRow, row: ParsedRow) -> str:
    if first.source.sheet == row.source.sheet:
        return f"第{first.source.row}行"
    return f"{first.source.sheet} 第{first.source.row}行"


KIND = PetitionsKind()
