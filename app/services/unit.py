"""The unit profile and its years: load, validate, save, start a new year."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.contributions import Check, Figure, FigureSource, Registry
from app.db import Database
from app.errors import UserError
from app.findings import ERROR, WARNING, Finding, Target
from app.models.unit import Unit, UnitDuty, UnitYear
from app.services.parsing import COUNT_MAX, check_text
from app.services.validation import validate_phone, validate_required, validate_uscc
from app.services.versions import check_version

PAGE_KEY = "unit"
TABLE = "单位信息"

LABELS = {
    "name": "单位名称",
    "credit_code": "统一社会信用代码",
    "supervisor": "主管部门",
    "nature": "单位性质",
    "departments": "内设机构数",
    "staff_quota": "编制数",
    "staff_actual": "在职人数",
    "retired": "退休人数",
    "head": "单位负责人",
    "preparer": "填表人",
    "phone": "联系电话",
    "duties": "职能职责",
}

MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass
class Profile:
    """The unit profile as the form edits it: the unit's identity plus one year's facts."""

    name: str = ""
    credit_code: str = ""
    supervisor: str = ""
    nature: str = ""
    departments: int | None = None
    staff_quota: int | None = None
    staff_actual: int | None = None
    retired: int | None = None
    head: str = ""
    preparer: str = ""
    phone: str = ""
    duties: list[str] = field(default_factory=list)
    # (unit, unit year) as loaded; a save from an older copy is refused
    version: tuple[int, int] | None = None

    @property
    def staff_control_rate(self) -> Decimal | None:
        """控制率 = 在职人数 / 编制数, as a fraction (0.9672 for 59/61); None when not computable."""
        from app.services.calc import ratio

        return ratio(self.staff_actual, self.staff_quota)


def validate_profile(profile: Profile) -> dict[str, str]:
    """Field key → Chinese message for every field that cannot be saved as it is."""
    errors: dict[str, str] = {}
    checks = {
        "name": validate_required(profile.name, "单位名称"),
        "credit_code": validate_uscc(profile.credit_code),
        "phone": validate_phone(profile.phone),
    }
    errors.update({k: v for k, v in checks.items() if v})
    if len(profile.name.strip()) > 200:
        errors["name"] = "单位名称过长（最多200字）"
    for key in ("departments", "staff_quota", "staff_actual", "retired"):
        value = getattr(profile, key)
        if value is not None and value < 0:
            errors[key] = f"{LABELS[key]}不能为负数"
        elif value is not None and value > COUNT_MAX:
            errors[key] = f"{LABELS[key]}数值过大（最大为{COUNT_MAX}），请核对"
    for key, limit in (("supervisor", 200), ("nature", 50), ("head", 50), ("preparer", 50)):
        text_error = check_text(getattr(profile, key).strip(), LABELS[key], limit)
        if text_error:
            errors[key] = text_error
    return errors


def profile_warnings(profile: Profile) -> dict[str, str]:
    """Things worth a second look that do not stop a save."""
    warnings: dict[str, str] = {}
    if (
        profile.staff_quota
        and profile.staff_actual is not None
        and profile.staff_actual > profile.staff_quota
    ):
        warnings["staff_actual"] = f"在职人数（{profile.staff_actual}）超过编制数（{profile.staff_quota}）"
    return warnings


def first_unit(session: Session) -> Unit | None:
    return session.scalars(select(Unit).order_by(Unit.id).limit(1)).first()


def years_of(session: Session, unit_id: int) -> list[int]:
    return list(
        session.scalars(select(UnitYear.year).where(UnitYear.unit_id == unit_id).order_by(UnitYear.year))
    )


def get_unit_year(session: Session, unit_id: int, year: int) -> UnitYear | None:
    return session.scalars(
        select(UnitYear)
        .where(UnitYear.unit_id == unit_id, UnitYear.year == year)
        .options(selectinload(UnitYear.duties), selectinload(UnitYear.unit))
    ).first()


def load_profile(session: Session, unit_id: int, year: int) -> Profile:
    unit_year = get_unit_year(session, unit_id, year)
    if unit_year is None:
        raise UserError(f"没有{year}年度的单位信息")
    unit = unit_year.unit
    return Profile(
        name=unit.name,
        credit_code=unit.credit_code,
        supervisor=unit_year.supervisor,
        nature=unit_year.nature,
        departments=unit_year.departments,
        staff_quota=unit_year.staff_quota,
        staff_actual=unit_year.staff_actual,
        retired=unit_year.retired,
        head=unit_year.head,
        preparer=unit_year.preparer,
        phone=unit_year.phone,
        duties=[d.text for d in unit_year.duties],
        version=(unit.version, unit_year.version),
    )


def _apply(unit: Unit, unit_year: UnitYear, profile: Profile) -> None:
    unit.name = profile.name.strip()
    unit.credit_code = profile.credit_code.strip().upper()
    for f in fields(Profile):
        if f.name in ("name", "credit_code", "duties", "version"):
            continue
        value = getattr(profile, f.name)
        setattr(unit_year, f.name, value.strip() if isinstance(value, str) else value)
    texts = [t.strip() for t in profile.duties if t.strip()]
    unit_year.duties.clear()
    for text in texts:
        unit_year.duties.append(UnitDuty(text=text))


def save_profile(db: Database, unit_id: int, year: int, profile: Profile) -> None:
    """Write the profile in one transaction; refuses (UserError) anything validate_profile rejects."""
    errors = validate_profile(profile)
    if errors:
        first = next(iter(errors))
        raise UserError(f"{LABELS[first]}：{errors[first]}")
    with db.transaction() as session:
        unit_year = get_unit_year(session, unit_id, year)
        if unit_year is None:
            raise UserError(f"没有{year}年度的单位信息")
        unit_version, year_version = profile.version or (None, None)
        check_version(unit_year.unit, unit_version, "单位名称和统一社会信用代码", touch=False)
        check_version(unit_year, year_version, f"{year}年度的单位信息")
        _apply(unit_year.unit, unit_year, profile)


def create_unit(db: Database, name: str, year: int) -> int:
    """A new, empty unit with one year; returns its id."""
    name = name.strip()
    if not name:
        raise UserError("请填写单位名称")
    _check_year(year)
    with db.transaction() as session:
        unit = Unit(name=name, credit_code="")
        unit.years.append(UnitYear(year=year))
        session.add(unit)
        session.flush()
        from app.services.safety.categories import seed_categories

        seed_categories(session, unit.id)
        return unit.id


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise UserError(f"年度应在{MIN_YEAR}至{MAX_YEAR}之间")


def add_year(
    db: Database, unit_id: int, year: int, carry_from: int | None, registry: Registry | None = None
) -> None:
    """Add `year` to the unit. With `carry_from`, the profile is copied from that year and every
    module carries over what a new year starts from (all in the same transaction)."""
    _check_year(year)
    with db.transaction() as session:
        if get_unit_year(session, unit_id, year) is not None:
            raise UserError(f"{year}年度已存在")
        unit = session.get(Unit, unit_id)
        if unit is None:
            raise UserError("单位不存在")
        new_year = UnitYear(unit_id=unit_id, year=year)
        if carry_from is not None:
            source = get_unit_year(session, unit_id, carry_from)
            if source is None:
                raise UserError(f"没有{carry_from}年度的单位信息，无法结转")
            _apply(unit, new_year, load_profile(session, unit_id, carry_from))
        session.add(new_year)
        session.flush()
        if carry_from is not None and registry is not None:
            for hook in registry.year_carry_overs:
                hook(session, unit_id, carry_from, year)


def previous_year(years: list[int], year: int) -> int | None:
    earlier = [y for y in years if y < year]
    return max(earlier) if earlier else None


def check_profile(session: Session, unit_id: int, year: int) -> list[Finding]:
    try:
        profile = load_profile(session, unit_id, year)
    except UserError:
        return []
    findings = []
    for key, message in validate_profile(profile).items():
        findings.append(Finding(ERROR, TABLE, "", LABELS[key], message, Target(PAGE_KEY, field=key)))
    for key, message in profile_warnings(profile).items():
        findings.append(Finding(WARNING, TABLE, "", LABELS[key], message, Target(PAGE_KEY, field=key)))
    required_for_tables = ("staff_quota", "staff_actual", "preparer", "phone", "head")
    for key in required_for_tables:
        value = getattr(profile, key)
        if value is None or value == "":
            findings.append(
                Finding(
                    WARNING,
                    TABLE,
                    "",
                    LABELS[key],
                    "未填写，导出的表格中此处将为空",
                    Target(PAGE_KEY, field=key),
                )
            )
    return findings


def unit_figures(session: Session, unit_id: int, year: int) -> list[Figure]:
    """The profile facts reports quote: 单位名称, 编制数 61, 在职 59, 控制率 96.72% …"""
    from app.services.calc import format_rate

    try:
        p = load_profile(session, unit_id, year)
    except UserError:
        return []

    def count(key: str, label: str, value: int | None, unit: str) -> Figure:
        return Figure(f"unit.{key}", label, "" if value is None else str(value), unit, value)

    total = (p.staff_actual or 0) + (p.retired or 0) if p.staff_actual is not None else None
    rate = p.staff_control_rate
    return [
        Figure("unit.name", "单位名称", p.name, "", p.name),
        Figure("unit.supervisor", "主管部门", p.supervisor, "", p.supervisor),
        Figure("unit.nature", "单位性质", p.nature, "", p.nature),
        Figure("unit.year", "年度", str(year), "年", year),
        count("departments", "内设机构数", p.departments, "个"),
        count("staff_quota", "编制数", p.staff_quota, "人"),
        count("staff_actual", "在职（在编）人数", p.staff_actual, "人"),
        count("retired", "退休人数", p.retired, "人"),
        count("staff_total", "干职工总数（在编＋退休）", total, "人"),
        Figure("unit.staff_control_rate", "人员控制率（在职/编制）", format_rate(rate), "", rate),
        Figure("unit.head", "单位负责人", p.head, "", p.head),
        Figure("unit.preparer", "填表人", p.preparer, "", p.preparer),
        Figure("unit.phone", "联系电话", p.phone, "", p.phone),
    ]


def register(registry: Registry) -> None:
    registry.add_check(Check("unit.profile", "单位信息", check_profile))
    registry.add_figure_source(FigureSource("unit", "单位信息", unit_figures))
