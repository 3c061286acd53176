"""The fixed vocabularies of safety supervision, as the clerks and the seeds write them."""

from __future__ import annotations

HOUSING = "房屋建筑"
MUNICIPAL = "市政基础设施"
PROJECT_KINDS = (HOUSING, MUNICIPAL, "工业", "装饰装修")
# How reports name the kinds ("监管房屋工程项目101个", "市政工程项目11个").
KIND_SHORT = {HOUSING: "房屋工程", MUNICIPAL: "市政工程", "工业": "工业项目", "装饰装修": "装饰装修工程"}

NOT_STARTED, BUILDING, SUSPENDED, COMPLETED, FILED = "未开工", "在建", "停工", "竣工验收", "竣工验收备案"
PROJECT_STATUSES = (NOT_STARTED, BUILDING, SUSPENDED, COMPLETED, FILED)
# Still under construction supervision ("在建房屋和市政项目74个，其中在建44、停工16、未开工14").
UNFINISHED_STATUSES = (BUILDING, SUSPENDED, NOT_STARTED)
FINISHED_STATUSES = (COMPLETED, FILED)

ROUTINE = "月例行检查"
SPECIAL = "专项检查"
CRANE = "起重机械检测"
INSPECTION_KINDS = (ROUTINE, SPECIAL, "季度考评", "节假日专项", "恶劣天气专项", CRANE, "暗访", "其他")
# Kinds whose inspections belong to a named campaign; each campaign counts once as a 专项检查.
CAMPAIGN_KINDS = (SPECIAL, "节假日专项", "恶劣天气专项")
# Kinds that must name their campaign or round (专项检查的名称, 起重机械检测的轮次).
NAMED_KINDS = (*CAMPAIGN_KINDS, CRANE)

# The seed of each unit's managed 隐患类别 list (categories.py, where the synonyms are).
HAZARD_CATEGORIES = (
    "高处坠落",
    "起重机械",
    "临时用电",
    "深基坑",
    "模板支撑",
    "脚手架",
    "施工机具",
    "消防",
    "扬尘",
    "文明施工",
    "工程质量",
    "其他",
)
ORDINARY, MAJOR = "一般", "重大"
HAZARD_LEVELS = (ORDINARY, MAJOR)
PENDING, IN_PROGRESS, RECTIFIED = "待整改", "整改中", "已整改"
HAZARD_STATUSES = (PENDING, IN_PROGRESS, RECTIFIED)
OPEN_HAZARD_STATUSES = (PENDING, IN_PROGRESS)

RECTIFY_NOTICE = "隐患整改通知书"
STOP_WORK_NOTICE = "停工整改通知书"
DOCUMENT_KINDS = (
    RECTIFY_NOTICE,
    STOP_WORK_NOTICE,
    "催办通知",
    "红黄牌",
    "不良行为记录",
    "移交案件线索",
    "考评不合格",
    "行政处罚",
)
# The counting word the reports use ("整改通知书232份", "不良行为29起").
DOCUMENT_UNITS = {
    RECTIFY_NOTICE: "份",
    STOP_WORK_NOTICE: "份",
    "催办通知": "份",
    "红黄牌": "份",
    "不良行为记录": "起",
    "移交案件线索": "起",
    "考评不合格": "份",
    "行政处罚": "起",
}
# How the reports name each count ("下发隐患整改通知书232份", "记录不良行为29起").
DOCUMENT_LABELS = {
    RECTIFY_NOTICE: "下发隐患整改通知书",
    STOP_WORK_NOTICE: "下发停工整改通知书",
    "催办通知": "下发催办通知",
    "红黄牌": "记录红黄牌",
    "不良行为记录": "记录不良行为",
    "移交案件线索": "移交案件线索",
    "考评不合格": "项目安全考评不合格",
    "行政处罚": "行政处罚",
}

ACTIVITY_KINDS = (
    "质量安全管理专项会议",
    "打非治违会议",
    "警示约谈",
    "扬尘防治约谈",
    "培训",
    "现场指导",
    "观摩",
    "宣传",
    "应急演练",
    "其他",
)

# Stable ASCII names for figure keys ("safety.documents.red_yellow").
KIND_KEYS = {HOUSING: "house", MUNICIPAL: "municipal", "工业": "industrial", "装饰装修": "decoration"}
STATUS_KEYS = {
    NOT_STARTED: "not_started",
    BUILDING: "building",
    SUSPENDED: "suspended",
    COMPLETED: "completed",
    FILED: "filed",
}
INSPECTION_KIND_KEYS = {
    ROUTINE: "routine",
    SPECIAL: "special",
    "季度考评": "quarterly",
    "节假日专项": "holiday",
    "恶劣天气专项": "weather",
    CRANE: "crane",
    "暗访": "unannounced",
    "其他": "other",
}
CATEGORY_KEYS = {
    "高处坠落": "fall",
    "起重机械": "crane",
    "临时用电": "electric",
    "深基坑": "excavation",
    "模板支撑": "formwork",
    "脚手架": "scaffold",
    "施工机具": "machinery",
    "消防": "fire",
    "扬尘": "dust",
    "文明施工": "civilised",
    "工程质量": "quality",
    "其他": "other",
}
DOCUMENT_KEYS = {
    RECTIFY_NOTICE: "rectify_notice",
    STOP_WORK_NOTICE: "stop_work",
    "催办通知": "urge",
    "红黄牌": "red_yellow",
    "不良行为记录": "bad_record",
    "移交案件线索": "referral",
    "考评不合格": "failed_evaluation",
    "行政处罚": "penalty",
}
ACTIVITY_KEYS = {
    "质量安全管理专项会议": "quality_meeting",
    "打非治违会议": "illegal_meeting",
    "警示约谈": "warning_talk",
    "扬尘防治约谈": "dust_talk",
    "培训": "training",
    "现场指导": "guidance",
    "观摩": "observation",
    "宣传": "publicity",
    "应急演练": "drill",
    "其他": "other",
}
