"""Example 信访 and 巡察整改 records for the example unit.

信访 2023 reproduces seed 003: "全年共办理建筑领域投诉、信访、交办284件（12345信箱239件、舆情11件、
信访26件、市长信箱8件）", every item answered; "省委巡视期间……办理施工扰民、工程款结算、交房问题等各类交办件
25件": the 25 are items within the 284 (they reached the unit through 12345 or the 信访 channels) marked
with the 交办来源 "巡视交办", so they are counted apart without being counted twice. The "信访" 26 are
来信 5, 来访 13, 网上信访 5 and 信访局转办 3, all counted under the 统计口径 "信访".
2022 has 236 items (seed 003: "有关房屋质量安全的信访量上升"), so 同比 reads "同比上升20.3%".

The 巡察 follows seed 001: 2022年11月28日至12月30日, feedback 2023年1月20日, 3 方面 and 12 problems with
the seed's measures (place names adapted to the example unit), in mixed states.

Every petitioner, phone and ID number is fictitious and generated here (ID numbers carry a valid
check character); the random generator is seeded, so the data is the same on every run.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.example_data.unit import EXAMPLE_HEAD
from app.models.registers import (
    CHOICE_CATEGORY,
    CHOICE_CHANNEL,
    PETITION_CLOSED,
    PROBLEM_DONE,
    PROBLEM_IN_PROGRESS,
    PROBLEM_LONG_TERM,
    Inspection,
    InspectionAspect,
    Petition,
    PetitionChoice,
    RectificationMeasure,
    RectificationProblem,
)
from app.models.unit import Unit
from app.services.privacy import id_check_char
from app.services.registers.petitions import DEFAULT_CATEGORIES, handling_due

# The unit's channel list, in the order its reports name them (12345 first: the most used).
CHANNELS: tuple[tuple[str, str], ...] = (
    ("12345热线/信箱", "12345信箱"),
    ("舆情", "舆情"),
    ("来信", "信访"),
    ("来访", "信访"),
    ("网上信访", "信访"),
    ("信访局转办", "信访"),
    ("市长信箱", "市长信箱"),
    ("上级交办", "上级交办"),
    ("巡视巡察交办", "巡视巡察交办"),
)

# (channel, count) per year; the 信访 group is split into its four channels.
CHANNEL_COUNTS = {
    2023: {
        "12345热线/信箱": 239,
        "舆情": 11,
        "来信": 5,
        "来访": 13,
        "网上信访": 5,
        "信访局转办": 3,
        "市长信箱": 8,
    },
    2022: {
        "12345热线/信箱": 198,
        "舆情": 9,
        "来信": 5,
        "来访": 11,
        "网上信访": 4,
        "信访局转办": 2,
        "市长信箱": 7,
    },
}
CATEGORY_COUNTS = {
    2023: {
        "房屋质量": 86,
        "交房问题": 52,
        "施工扰民": 61,
        "农民工工资": 38,
        "工程款结算": 21,
        "拆迁补偿": 6,
        "其他": 20,
    },
    2022: {
        "房屋质量": 64,
        "交房问题": 38,
        "施工扰民": 55,
        "农民工工资": 35,
        "工程款结算": 18,
        "拆迁补偿": 8,
        "其他": 18,
    },
}
# 来访: people per visit. Fewer than 5 is a 个访 (some of them 重复访), 5 or more a 集体访.
VISIT_PEOPLE = {
    2023: [1, 2, 1, 3, 1, 1, 2, 1, 1, 6, 12, 8, 23],
    2022: [1, 1, 2, 1, 1, 3, 1, 5, 9, 15, 7],
}
REPEAT_VISITS = {2023: 3, 2022: 2}
# Items closed after their 办理期限 (按期办结率 2023: 281/284), and items closed within a 30-day extension.
LATE = {2023: 3, 2022: 2}
EXTENDED = {2023: 4, 2022: 3}
# 省委巡视 (seed 003): 25 交办件 in 2023, received while the 巡视组 was in the county.
INSPECTION_ASSIGNED = 25
INSPECTION_WINDOW = (date(2023, 5, 8), date(2023, 6, 30))
INSPECTION_KINDS = ("施工扰民", "工程款结算", "交房问题")

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
_GIVEN = "建国卫东志刚海燕秀英桂兰明华立新小芳春梅国强文杰丽娟红霞伟军爱华德胜玉兰淑珍永红家豪子涵思远雨桐"
_ESTATES = (
    "汨江花园",
    "书香名邸",
    "罗城华府",
    "江南枫景",
    "屈子雅苑",
    "新市世纪城",
    "白水湾小区",
    "归义新村",
)
_PROJECTS = (
    "城南安置房",
    "高泉路改造",
    "汨罗江大道提质",
    "第二中学新校区",
    "罗城华府二期",
    "龙舟文化广场",
    "人民医院住院楼",
)
_DEFECTS = ("卫生间渗水", "外墙开裂", "屋面漏水", "楼板开裂", "窗台渗水", "地下室积水")
_DEPARTMENTS = ("质量安全监督站", "建筑市场管理股", "招投标管理股", "造价管理站", "竣工验收备案股", "办公室")
_LEADERS = (EXAMPLE_HEAD, "李卫东", "陈志刚", "刘海燕")
_REFERRED_BY = {
    "12345热线/信箱": "汨罗市12345政务服务便民热线",
    "舆情": "市委网信办",
    "信访局转办": "汨罗市信访局",
    "市长信箱": "汨罗市人民政府办公室",
}


def _summary(rng: random.Random, category: str) -> tuple[str, str]:
    """(内容摘要, 办理结果) for a category, with fictitious projects and estates."""
    estate = rng.choice(_ESTATES)
    project = rng.choice(_PROJECTS)
    if category == "农民工工资":
        n = rng.randint(3, 40)
        return (
            f"反映{project}项目部拖欠{n}名农民工工资，请求协调支付",
            "已联合市劳动监察大队约谈施工总承包单位，督促通过农民工工资专用账户足额支付，已答复信访人",
        )
    if category == "工程款结算":
        return (
            f"反映{project}工程竣工后建设单位未按合同结算工程款，请求督促结算",
            "已约谈建设单位，督促其按合同约定完成结算审核并支付工程款，已答复信访人",
        )
    if category == "房屋质量":
        return (
            f"反映{estate}{rng.randint(1, 18)}栋{rng.randint(1, 30)}{rng.randint(1, 4):02d}室"
            f"{rng.choice(_DEFECTS)}，请求督促开发企业维修",
            "已组织建设、施工、监理单位现场核查，督促开发企业落实保修责任并完成维修，已回访信访人",
        )
    if category == "交房问题":
        return (
            f"反映{estate}未按购房合同约定时间交房，请求督促开发企业尽快交付",
            "已督促开发企业倒排工期、加快配套设施建设，并向业主说明交付时间，已答复信访人",
        )
    if category == "施工扰民":
        return (
            f"反映{project}工地夜间施工噪音、扬尘扰民，请求依法查处",
            "已现场检查并下达整改通知，督促施工单位落实夜间施工审批和扬尘防治措施，已答复信访人",
        )
    if category == "拆迁补偿":
        return (
            f"对{project}项目房屋征收补偿标准有异议，请求复核",
            "已会同征收部门解释补偿政策和标准，告知依法申请复核的途径，已答复信访人",
        )
    return (
        rng.choice(
            (
                "咨询建筑业企业资质办理有关政策",
                "反映小区电梯维保不到位",
                "咨询商品房预售资金监管有关规定",
                "反映施工车辆占道影响通行",
            )
        ),
        "已按有关政策规定作出解释说明，已答复信访人",
    )


def _person(rng: random.Random) -> tuple[str, str, str]:
    name = rng.choice(_SURNAMES) + "".join(rng.sample(_GIVEN, rng.choice((1, 2))))
    phone = rng.choice(("138", "139", "135", "137", "150", "151", "158", "186", "187", "177")) + "".join(
        str(rng.randint(0, 9)) for _ in range(8)
    )
    birth = date(1955, 1, 1) + timedelta(days=rng.randint(0, 365 * 45))
    first17 = f"430681{birth:%Y%m%d}{rng.randint(0, 999):03d}"
    return name, phone, first17 + id_check_char(first17)


def _spread(rng: random.Random, year: int, n: int) -> list[date]:
    start = date(year, 1, 1)
    days = 366 if year % 4 == 0 else 365
    return sorted(start + timedelta(days=rng.randint(0, days - 1)) for _ in range(n))


def _petitions_of(unit_id: int, year: int, rng: random.Random) -> list[dict]:
    channels = [c for c, n in CHANNEL_COUNTS[year].items() for _ in range(n)]
    categories = [c for c, n in CATEGORY_COUNTS[year].items() for _ in range(n)]
    assert len(channels) == len(categories)
    rng.shuffle(categories)
    items = [
        {"channel": ch, "category": cat, "assignment": "", "referred_by": ""}
        for ch, cat in zip(channels, categories, strict=True)
    ]
    received = _spread(rng, year, len(items))
    order = list(range(len(items)))
    rng.shuffle(order)
    for index, day in zip(order, received, strict=True):
        items[index]["received_on"] = day
    if year == 2023:
        candidates = [
            i
            for i, item in enumerate(items)
            if item["category"] in INSPECTION_KINDS
            and item["channel"] in ("12345热线/信箱", "信访局转办", "来信")
        ]
        first, last = INSPECTION_WINDOW
        for i in rng.sample(candidates, INSPECTION_ASSIGNED):
            items[i]["assignment"] = "巡视交办"
            items[i]["referred_by"] = "省委巡视组"
            items[i]["received_on"] = first + timedelta(days=rng.randint(0, (last - first).days))
    visits = [i for i, item in enumerate(items) if item["channel"] == "来访"]
    for i, people in zip(visits, VISIT_PEOPLE[year], strict=True):
        items[i]["people"] = people
    singles = [i for i in visits if items[i]["people"] < 5]
    for i in singles[: REPEAT_VISITS[year]]:
        items[i]["repeat"] = True
    items.sort(key=lambda item: item["received_on"])
    late = set(rng.sample(range(len(items)), LATE[year]))
    extended = set(rng.sample([i for i in range(len(items)) if i not in late], EXTENDED[year]))

    rows = []
    for seq, item in enumerate(items, start=1):
        channel = item["channel"]
        received_on = item["received_on"]
        accepted_on = received_on + timedelta(days=0 if channel == "12345热线/信箱" else rng.randint(1, 6))
        extension = 30 if seq - 1 in extended else 0
        if seq - 1 in late:
            closed_on = accepted_on + timedelta(days=rng.randint(62, 70))
        elif extension:
            closed_on = accepted_on + timedelta(days=rng.randint(70, 88))
        else:
            closed_on = accepted_on + timedelta(days=rng.randint(2, 45))
        summary, result = _summary(rng, item["category"])
        if channel == "舆情":
            name, phone, id_number = "", "", ""
        else:
            name, phone, id_number = _person(rng)
            if channel in ("12345热线/信箱", "市长信箱", "来信"):
                id_number = ""
        people = item.get("people", 1)
        if people >= 5:
            name = f"{name}等{people}人"
        satisfaction = rng.choices(("满意", "基本满意", "不满意", "未评价"), weights=(80, 14, 2, 4))[0]
        rows.append(
            {
                "unit_id": unit_id,
                "number": f"XF{year}-{seq:04d}",
                "received_on": received_on,
                "channel": channel,
                "referred_by": item["referred_by"] or _REFERRED_BY.get(channel, ""),
                "assignment": item["assignment"],
                "petitioner": name,
                "phone": phone,
                "id_number": id_number,
                "people": people,
                "repeat": item.get("repeat", False),
                "category": item["category"],
                "summary": summary,
                "department": rng.choice(_DEPARTMENTS),
                "leader": rng.choice(_LEADERS),
                "accepted_on": accepted_on,
                "notified_on": accepted_on,
                "required_by": None,
                "extension_days": extension,
                "extension_reason": "涉及多个部门和参建单位，需进一步调查核实，已告知信访人"
                if extension
                else "",
                "due_on": handling_due(accepted_on, extension),
                "next_due": None,
                "closed_on": closed_on,
                "result": result,
                "satisfaction": satisfaction,
                "status": PETITION_CLOSED,
                "note": "",
            }
        )
    return rows


# -- 巡察整改 (seed 001) ---------------------------------------------------------------------------

INSPECTION = {
    "name": "工程建设和房地产领域专项巡察",
    "team": "市委第二巡察组",
    "start_on": date(2022, 11, 28),
    "end_on": date(2022, 12, 30),
    "feedback_on": date(2023, 1, 20),
    "note": "按照市委巡察工作统一部署开展；2023年1月20日反馈巡察意见。",
}
ASPECTS = (
    "学习贯彻落实党中央、省委、市委工程建设和房地产领域决策部署，切实履行领导责任方面",
    "履行工程建设监管职责方面",
    "防范化解风险、维护群众切身利益方面",
)
# (方面, 问题, 措施, 责任领导, 牵头单位, 责任科室, 整改时限, 状态, 完成日期, 销号日期, 佐证)
PROBLEMS: tuple[tuple, ...] = (
    (
        0,
        "学习贯彻落实工程建设和房地产领域重要指示批示精神力度有待加强",
        (
            "以“高质量推进工程建设”“稳地价、稳房价、稳预期”精神为指导，主办全市安全生产网格化暨防汛安全生产管理现场会，"
            "提升安全生产网格化和春季行动工作成效",
            "以“保投资、保重点、保民生、保品质”为原则，统筹推进基础设施建设和社会民生发展三年行动方案",
            "扛起“保交楼、稳民生”责任，成立保交楼工作专班，指导、督促企业制定“一楼一策”，倒排工期",
            "推进房屋建筑和市政基础设施工程领域治理拖欠工程款和农民工工资工作，联合人社局制发"
            "《工程建设项目保障农民工工资支付告知书》，从源头上遏制拖欠农民工工资问题",
        ),
        EXAMPLE_HEAD,
        "办公室",
        "质量安全监督站",
        date(2023, 3, 31),
        PROBLEM_DONE,
        date(2023, 3, 28),
        date(2023, 4, 15),
        "现场会通知及会议纪要；保交楼工作专班文件；《工程建设项目保障农民工工资支付告知书》",
    ),
    (
        0,
        "住宅工程质量和施工现场文明管理有待加强",
        (
            "制定《2023年房屋建筑工程质量安全文明施工工作要点》，督促建设单位在住宅工程交付前举办业主开放日活动，"
            "全面开展住宅工程质量信息公示",
            "开展质量安全文明第三方评估，建立线上通报讲评模式，聚焦关键环节和突出问题",
            "加强市场行为监督管理，建立每年2轮次市场行为全覆盖检查的工作机制",
        ),
        "李卫东",
        "质量安全监督站",
        "质量安全监督站",
        date(2023, 6, 30),
        PROBLEM_DONE,
        date(2023, 5, 30),
        date(2023, 6, 20),
        "工作要点文件；第三方评估报告；两轮市场行为检查通报",
    ),
    (
        0,
        "参建单位精细化建设水平有待提高，统筹各建设平台力量不够",
        (
            "调整重组内设股室，加强内部横向沟通交流，增强对内协调和对外统筹能力",
            "牵头编制《城市道路精细化规划设计导则》等文件，为道路精细建设提供指导",
            "统筹行业执法，开展6轮次全市城建领域质量安全文明综合考评，对各建设平台奖优惩怠",
        ),
        "陈志刚",
        "建筑市场管理股",
        "建筑市场管理股",
        date(2023, 6, 30),
        PROBLEM_DONE,
        date(2023, 6, 28),
        date(2023, 7, 10),
        "股室调整文件；设计导则；综合考评通报（6期）",
    ),
    (
        0,
        "制度建设不够健全，长效管理机制有待完善",
        (
            "出台《基础设施建设和社会民生发展三年行动方案》等文件，建立健全长效管理机制",
            "优化市政项目验收接管移交机制，修订《市政道路工程竣工验收与移交管理办法（试行）》",
        ),
        "刘海燕",
        "办公室",
        "竣工验收备案股",
        date(2023, 6, 30),
        PROBLEM_LONG_TERM,
        date(2023, 6, 30),
        None,
        "三年行动方案；修订后的竣工验收与移交管理办法",
    ),
    (
        1,
        "重点项目推进协调不力，“围而不建”现象仍有发生",
        (
            "积极组织项目推进，牵头组织全市城建例会，针对重点项目建设方案进行研究，协调各相关部门",
            "加强部门协同，共同推进管线改迁，及时调处化解有关问题和矛盾，督促建设单位如期完成施工节点目标",
            "制定保民生、促发展、加快城建项目高质量建设的行动方案，排查“打围未开工”“围而缓建”“打围停工”"
            "“收尾缓慢”的项目，由行业主管部门拿出整改时间计划表",
        ),
        "陈志刚",
        "建筑市场管理股",
        "质量安全监督站",
        date(2023, 10, 31),
        PROBLEM_IN_PROGRESS,
        None,
        None,
        "截至8月已排查“打围未开工”等项目一批，整改时间计划表收集中",
    ),
    (
        1,
        "设计变更审批把关不严",
        (
            "加强对项目监督人员的政策宣贯，在监督服务中跟进设计变更审批，发现未完善审批手续的项目及时与审批部门联动",
            "对设计变更不严谨的项目向建设单位二次督办，要求及时对接审批部门，完善规范设计变更行为",
        ),
        "陈志刚",
        "质量安全监督站",
        "质量安全监督站",
        date(2023, 4, 30),
        PROBLEM_DONE,
        date(2023, 4, 20),
        date(2023, 5, 10),
        "二次督办通知书；审批部门确认意见",
    ),
    (
        1,
        "工程竣工结算管理不规范，“结算难”问题较突出",
        (
            "督促建设单位尽快完成结算相关流程，加强工程竣工结算管理，积极协调解决“结算难”问题",
            "加强对工程项目监管人员法律法规知识的培训，提高依法行政能力",
            "加强日常监管，压实建设平台项目实施主体责任，严格按基本建设程序办事，同步规划设计水电气、绿化等配套工程",
        ),
        "陈志刚",
        "造价管理站",
        "造价管理站",
        date(2023, 12, 31),
        PROBLEM_IN_PROGRESS,
        None,
        None,
        "已完成结算的项目清单；培训签到表",
    ),
    (
        1,
        "监督执法行为不够规范，执法文书管理不严",
        (
            "制定《市政工程市场行为专项检查要点》，规范监督行为",
            "针对安全、质量、市场行为、文明监督工作开展监督人员专项业务培训",
            "开展监督执法文书全面自查与整改，落实专人管理和发放，定期检查抽查",
            "严格执法，对履责不到位、整改不及时及其他违法行为的责任主体从严查处",
        ),
        "李卫东",
        "质量安全监督站",
        "质量安全监督站",
        date(2023, 5, 31),
        PROBLEM_DONE,
        date(2023, 5, 15),
        date(2023, 6, 20),
        "专项检查要点；培训记录；执法文书自查报告",
    ),
    (
        1,
        "工程质量安全监管力度不够",
        (
            "加大监督检查力度，严格落实工程质量终身责任制",
            "充分发挥专业机构技术支撑作用，优化监管力量配置",
            "提升技防水平，通过建设工地安全文明可视化监管平台赋能施工过程管理",
            "深入开展市场行为专项整治，对在建房建市政项目全覆盖监督检查",
            "加大程序管理力度，对未办理审批手续开工建设的项目及时移交相关部门查处",
        ),
        "李卫东",
        "质量安全监督站",
        "质量安全监督站",
        date(2023, 6, 30),
        PROBLEM_LONG_TERM,
        date(2023, 6, 30),
        None,
        "监督检查台账；可视化监管平台运行记录；移交查处函件",
    ),
    (
        2,
        "容缺审批材料补齐不及时",
        (
            "督办建设单位及时补充容缺材料，推动相关项目取得审批进展",
            "要求建设单位全面梳理容缺办理前期手续的项目，及时对接审批部门，按规定补齐容缺审批材料",
        ),
        "刘海燕",
        "建筑市场管理股",
        "竣工验收备案股",
        date(2023, 6, 30),
        PROBLEM_IN_PROGRESS,
        None,
        None,
        "容缺办理项目梳理清单（尚有2个项目未补齐）",
    ),
    (
        2,
        "信访矛盾化解不够及时，拖欠农民工工资问题时有发生",
        (
            "成立信访工作专班，针对矛盾突出的信访件或重复件，按照“一案一策”、领导包案化解的原则制定化解方案",
            "督促项目各参建单位开设农民工工资专用账户，签订三方管理协议，做好农民工工资花名册，确保专款专用",
            "形成信访工作专人专责、业务股室把关、单位统筹的工作机制，规范信访工作处理流程",
        ),
        EXAMPLE_HEAD,
        "办公室",
        "办公室",
        date(2023, 4, 30),
        PROBLEM_LONG_TERM,
        date(2023, 4, 30),
        None,
        "信访工作专班文件；农民工工资专用账户开设情况表",
    ),
    (
        2,
        "安全生产主体责任落实不到位",
        (
            "转变监管模式，制定房屋建筑工程领域安全生产十项制度，指导企业建立网格化责任体系和日报体系",
            "落实差异化监管，持续开展在建工程质量、安全和建筑起重设备第三方技术评估，对安全问题突出项目全市通报",
            "依托实时视频监控和线上巡检，及时识别并督促整改在建工地安全、文明施工违法违规行为",
        ),
        "李卫东",
        "质量安全监督站",
        "质量安全监督站",
        date(2023, 6, 30),
        PROBLEM_DONE,
        date(2023, 6, 25),
        None,
        "安全生产十项制度；第三方技术评估报告；通报文件",
    ),
)


def build_registers(session: Session, unit: Unit) -> None:
    """Add the example unit's 信访 (2022, 2023) and its 巡察 with 12 problems."""
    session.execute(
        insert(PetitionChoice),
        [
            {"unit_id": unit.id, "kind": CHOICE_CHANNEL, "position": i, "name": name, "stat_group": group}
            for i, (name, group) in enumerate(CHANNELS)
        ]
        + [
            {"unit_id": unit.id, "kind": CHOICE_CATEGORY, "position": i, "name": name, "stat_group": ""}
            for i, name in enumerate(DEFAULT_CATEGORIES)
        ],
    )
    rng = random.Random(20230101)
    rows = _petitions_of(unit.id, 2022, rng) + _petitions_of(unit.id, 2023, rng)
    session.execute(insert(Petition), rows)

    inspection = Inspection(unit_id=unit.id, **INSPECTION)
    inspection.aspects.extend(InspectionAspect(title=title) for title in ASPECTS)
    session.add(inspection)
    session.flush()
    for number, problem in enumerate(PROBLEMS, start=1):
        aspect, text, measures, leader, lead_unit, department, due, status, done, closed, evidence = problem
        row = RectificationProblem(
            inspection_id=inspection.id,
            aspect_id=inspection.aspects[aspect].id,
            number=number,
            description=text,
            leader=leader,
            lead_unit=lead_unit,
            department=department,
            due_on=due,
            status=status,
            completed_on=done,
            closed_on=closed,
            evidence=evidence,
        )
        row.measures.extend(RectificationMeasure(text=m) for m in measures)
        session.add(row)
    session.flush()
