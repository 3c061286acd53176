"""The fixed vocabularies of safety supervision as county ledgers spell them (工程类别, 项目状态,
文书类型), read into the canonical names of app.services.safety.constants. These are not user
lists: a spelling that none of the tables knows is a row problem naming the allowed values."""

from __future__ import annotations

from typing import Any

from app.importers.ledgers.model import ImportOptions
from app.importers.ledgers.values import read_status, read_text
from app.services.parsing import ParseError
from app.services.safety.constants import (
    BUILDING,
    COMPLETED,
    DOCUMENT_KINDS,
    FILED,
    HOUSING,
    MUNICIPAL,
    NOT_STARTED,
    PROJECT_KINDS,
    PROJECT_STATUSES,
    RECTIFY_NOTICE,
    STOP_WORK_NOTICE,
    SUSPENDED,
)

PROJECT_KIND_SPELLINGS: dict[str, tuple[str, ...]] = {
    HOUSING: (
        "房建",
        "房屋",
        "房屋建筑工程",
        "房屋工程",
        "房建工程",
        "建筑工程",
        "民用建筑",
        "住宅",
        "公共建筑",
        "公建",
    ),
    MUNICIPAL: (
        "市政",
        "市政工程",
        "市政基础设施工程",
        "市政公用",
        "市政公用工程",
        "市政道路",
        "道路工程",
        "桥梁工程",
        "基础设施",
    ),
    "工业": ("工业建筑", "工业厂房", "厂房", "工业项目", "工业工程"),
    "装饰装修": ("装修", "装饰", "装饰装修工程", "装修工程", "装饰工程", "室内装修"),
}
# Checked in this order when no spelling matches whole: the text contains the word.
PROJECT_KIND_WORDS = (
    ("市政", MUNICIPAL),
    ("装修", "装饰装修"),
    ("装饰", "装饰装修"),
    ("厂房", "工业"),
    ("房建", HOUSING),
)

PROJECT_STATUS_SPELLINGS: dict[str, tuple[str, ...]] = {
    NOT_STARTED: (
        "未开工",
        "未动工",
        "尚未开工",
        "待开工",
        "拟建",
        "拟开工",
        "前期",
        "前期阶段",
        "未施工",
        "筹建",
    ),
    BUILDING: (
        "在建",
        "施工中",
        "正在施工",
        "在施",
        "建设中",
        "在建中",
        "已开工",
        "开工",
        "复工",
        "已复工",
        "主体施工",
        "基础施工",
        "装饰装修阶段",
        "主体封顶",
        "未竣工",
        "续建",
    ),
    SUSPENDED: ("停工", "已停工", "暂停施工", "暂停", "停建", "缓建", "停工中", "停工整改"),
    COMPLETED: (
        "竣工验收",
        "竣工",
        "已竣工",
        "已竣工验收",
        "竣工验收合格",
        "完工",
        "已完工",
        "已验收",
        "验收合格",
        "交付使用",
        "已交付",
    ),
    FILED: (
        "竣工验收备案",
        "竣工备案",
        "已备案",
        "备案",
        "已竣工备案",
        "已竣工验收备案",
        "验收备案",
        "已办理备案",
    ),
}
# 形象进度 written as a stage ("主体施工至5层", "基础施工阶段"): the text contains the word.
PROJECT_STATUS_WORDS = (
    ("未开工", NOT_STARTED),
    ("停工", SUSPENDED),
    ("暂停", SUSPENDED),
    ("备案", FILED),
    ("竣工", COMPLETED),
    ("验收", COMPLETED),
    ("施工", BUILDING),
    ("主体", BUILDING),
    ("基础", BUILDING),
    ("封顶", BUILDING),
    ("在建", BUILDING),
)

DOCUMENT_KIND_SPELLINGS: dict[str, tuple[str, ...]] = {
    RECTIFY_NOTICE: (
        "整改通知书",
        "隐患整改通知",
        "整改通知",
        "整改通知单",
        "限期整改通知书",
        "责令整改通知书",
        "安全隐患整改通知书",
        "隐患整改通知单",
        "整改单",
        "责令限期整改通知书",
    ),
    STOP_WORK_NOTICE: (
        "停工通知书",
        "停工令",
        "停工整改通知",
        "停工通知",
        "局部停工通知书",
        "责令停工通知书",
        "暂停施工通知书",
        "停工整改令",
        "局部停工整改通知书",
    ),
    "催办通知": ("催办", "催办单", "催办函", "催办通知书", "催办通知单"),
    "红黄牌": ("红牌", "黄牌", "红黄牌警示", "黄牌警示", "红牌警示", "黄牌警告", "红牌警告", "红黄牌通报"),
    "不良行为记录": ("不良行为", "不良记录", "不良行为认定", "不良行为记录表", "记录不良行为"),
    "移交案件线索": ("移交线索", "案件线索移交", "移送案件线索", "移交执法", "移交案件", "线索移交"),
    "考评不合格": ("安全考评不合格", "考评不合格通知", "考评不合格通知书", "安全生产考评不合格"),
    "行政处罚": ("处罚", "行政处罚决定书", "处罚决定书", "行政处罚决定", "罚款"),
}
DOCUMENT_KIND_WORDS = (
    ("停工", STOP_WORK_NOTICE),
    ("整改", RECTIFY_NOTICE),
    ("催办", "催办通知"),
    ("红牌", "红黄牌"),
    ("黄牌", "红黄牌"),
    ("不良", "不良行为记录"),
    ("线索", "移交案件线索"),
    ("考评", "考评不合格"),
    ("处罚", "行政处罚"),
)

assert set(PROJECT_KIND_SPELLINGS) == set(PROJECT_KINDS)
assert set(PROJECT_STATUS_SPELLINGS) == set(PROJECT_STATUSES)
assert set(DOCUMENT_KIND_SPELLINGS) == set(DOCUMENT_KINDS)


def read_fixed(
    value: Any,
    label: str,
    spellings: dict[str, tuple[str, ...]],
    words: tuple[tuple[str, str], ...],
    mapped: dict[str, str],
) -> str | None:
    """The canonical name `value` means: the user's value map (`mapped`: raw text → name) first,
    then the spellings, then the first of `words` the text contains; blank → None, else
    ParseError naming the allowed values."""
    text = read_text(value, label, 10_000)
    if not text:
        return None
    if text in mapped:
        return mapped[text]
    allowed = "、".join(spellings)
    try:
        return read_status(text, label, spellings)
    except ParseError:
        pass
    for word, canonical in words:
        if word in text:
            return canonical
    shown = text if len(text) <= 20 else text[:20] + "…"
    raise ParseError(f"{label}“{shown}”无法识别（可填：{allowed}）")


def value_map(options: ImportOptions, key: str) -> dict[str, str]:
    return options.value_maps.get(key, {})
