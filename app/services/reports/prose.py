"""Storing the reports' prose and settings: load, save in one transaction, carry into a new year."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app import clock
from app.db import Database
from app.errors import EditConflictError, UserError
from app.models.reports import ReportSection, ReportSetting
from app.models.unit import UnitYear
from app.services.versions import check_version, conflict_message

CUSTOM_PREFIX = "custom:"
MAX_TITLE = 200


@dataclass
class SectionText:
    key: str
    text: str = ""
    title: str = ""  # the user's title ("" = the outline's); required for an added subsection
    run_in: bool | None = None
    hidden: bool = False
    parent_key: str = ""  # set for a subsection the user added
    position: int = 0
    carried_from: int | None = None  # copied from that year and not yet saved by the user
    version: int | None = None  # of the stored row as loaded; None: not stored when loaded

    @property
    def is_custom(self) -> bool:
        return self.key.startswith(CUSTOM_PREFIX)


@dataclass
class ReportSettings:
    """A report's title, addressee and 落款; None means the report's default."""

    title: str | None = None  # lines separated by "\n"
    addressee: str | None = None
    signer: str | None = None  # "" = no 落款 at all
    sign_date: date | None = None  # None: the export date (or blank, with date_blank)
    date_blank: bool = False  # 留空（手写）: the date is written by hand on the printout
    seal: bool | None = None
    append_tables: bool = False
    variant: str = ""
    version: int | None = None  # of the stored row as loaded; None: not stored when loaded


def document_date(settings: ReportSettings) -> date | None:
    """The 成文日期 written: the one set, else the export date, unless left blank (None)."""
    if settings.sign_date is not None:
        return settings.sign_date
    return None if settings.date_blank else clock.today()


@dataclass
class ReportEdits:
    """What the reports page saves for one report and scope."""

    sections: dict[str, SectionText] = field(default_factory=dict)  # new or changed
    deleted: set[str] = field(default_factory=set)  # added subsections the user removed
    settings: ReportSettings | None = None  # None: unchanged

    def is_empty(self) -> bool:
        return not self.sections and not self.deleted and self.settings is None


def new_custom_key() -> str:
    return f"{CUSTOM_PREFIX}{uuid.uuid4().hex[:10]}"


def unit_year_id(session: Session, unit_id: int, year: int) -> int | None:
    from app.services.run_cache import cached

    return cached(
        ("reports.unit_year_id", unit_id, year),
        lambda: session.scalar(select(UnitYear.id).where(UnitYear.unit_id == unit_id, UnitYear.year == year)),
    )


def _require_unit_year(session: Session, unit_id: int, year: int) -> int:
    found = unit_year_id(session, unit_id, year)
    if found is None:
        raise UserError(f"没有{year}年度的单位信息")
    return found


def _to_text(row: ReportSection) -> SectionText:
    return SectionText(
        key=row.section_key,
        text=row.text,
        title=row.title,
        run_in=row.run_in,
        hidden=row.hidden,
        parent_key=row.parent_key,
        position=row.position,
        carried_from=row.carried_from,
        version=row.version,
    )


def load_sections(
    session: Session, unit_id: int, year: int, report_key: str, scope: str
) -> dict[str, SectionText]:
    uy = unit_year_id(session, unit_id, year)
    if uy is None:
        return {}
    rows = session.scalars(
        select(ReportSection).where(
            ReportSection.unit_year_id == uy,
            ReportSection.report_key == report_key,
            ReportSection.scope == scope,
        )
    )
    return {row.section_key: _to_text(row) for row in rows}


def load_settings(session: Session, unit_id: int, year: int, report_key: str, scope: str) -> ReportSettings:
    uy = unit_year_id(session, unit_id, year)
    row = (
        None
        if uy is None
        else session.scalar(
            select(ReportSetting).where(
                ReportSetting.unit_year_id == uy,
                ReportSetting.report_key == report_key,
                ReportSetting.scope == scope,
            )
        )
    )
    if row is None:
        return ReportSettings()
    return ReportSettings(
        title=row.title,
        addressee=row.addressee,
        signer=row.signer,
        sign_date=row.sign_date,
        date_blank=row.date_blank,
        seal=row.seal,
        append_tables=row.append_tables,
        variant=row.variant,
        version=row.version,
    )


def year_sections(session: Session, unit_id: int, year: int) -> dict[tuple[str, str], dict[str, SectionText]]:
    """All prose of the year, by (report_key, scope)."""
    uy = unit_year_id(session, unit_id, year)
    found: dict[tuple[str, str], dict[str, SectionText]] = {}
    if uy is None:
        return found
    for row in session.scalars(select(ReportSection).where(ReportSection.unit_year_id == uy)):
        found.setdefault((row.report_key, row.scope), {})[row.section_key] = _to_text(row)
    return found


def scopes_with_prose(session: Session, unit_id: int, year: int, report_key: str) -> set[str]:
    uy = unit_year_id(session, unit_id, year)
    if uy is None:
        return set()
    return set(
        session.scalars(
            select(ReportSection.scope)
            .where(ReportSection.unit_year_id == uy, ReportSection.report_key == report_key)
            .distinct()
        )
    )


def validate_edits(edits: ReportEdits) -> list[str]:
    """Chinese messages for what cannot be saved."""
    problems = []
    for section in edits.sections.values():
        if section.is_custom and not section.title.strip():
            problems.append("添加的小节必须填写标题")
        if len(section.title) > MAX_TITLE:
            problems.append(f"标题“{section.title[:20]}…”过长（最多{MAX_TITLE}字）")
    settings = edits.settings
    if settings is not None:
        for label, value in (("主送机关", settings.addressee), ("落款单位", settings.signer)):
            if value is not None and len(value) > MAX_TITLE:
                problems.append(f"{label}过长（最多{MAX_TITLE}字）")
    return problems


def save_report(
    db: Database, unit_id: int, year: int, report_key: str, scope: str, edits: ReportEdits
) -> None:
    """Write one report's edits in one transaction. Saving a section confirms it (a text carried over
    from last year is then the user's own)."""
    problems = validate_edits(edits)
    if problems:
        raise UserError("；".join(dict.fromkeys(problems)))
    with db.transaction() as session:
        uy = _require_unit_year(session, unit_id, year)
        where = (
            ReportSection.unit_year_id == uy,
            ReportSection.report_key == report_key,
            ReportSection.scope == scope,
        )
        if edits.deleted:
            session.execute(delete(ReportSection).where(*where, ReportSection.section_key.in_(edits.deleted)))
        existing = {row.section_key: row for row in session.scalars(select(ReportSection).where(*where))}
        for key, section in edits.sections.items():
            row = existing.get(key)
            if row is not None:
                _check_stored(row, section.version, f"“{section.title or row.title or '该小节'}”的文字")
            if row is None:
                row = ReportSection(unit_year_id=uy, report_key=report_key, scope=scope, section_key=key)
                session.add(row)
            row.text = section.text
            row.title = section.title.strip()
            row.run_in = section.run_in
            row.hidden = section.hidden
            row.parent_key = section.parent_key
            row.position = section.position
            row.carried_from = None
        if edits.settings is not None:
            setting = session.scalar(
                select(ReportSetting).where(
                    ReportSetting.unit_year_id == uy,
                    ReportSetting.report_key == report_key,
                    ReportSetting.scope == scope,
                )
            )
            if setting is not None:
                _check_stored(setting, edits.settings.version, "报告的标题、主送机关和落款")
            if setting is None:
                setting = ReportSetting(unit_year_id=uy, report_key=report_key, scope=scope)
                session.add(setting)
            for f in fields(ReportSettings):
                if f.name == "version":
                    continue
                value = getattr(edits.settings, f.name)
                setattr(setting, f.name, value.strip() if isinstance(value, str) else value)


def _check_stored(row: ReportSection | ReportSetting, loaded: int | None, what: str) -> None:
    """A stored row the page did not know of (None) was written elsewhere since: a conflict too."""
    if loaded is None:
        raise EditConflictError(conflict_message(what, row))
    check_version(row, loaded, what)


def carried_placeholders(text: str, from_year: int, to_year: int) -> str:
    """Placeholders that name last year's figure by its year (“【公开招标项目（2023年）】”, as the
    safety figures are labelled) name the new year's instead; the rest of the text is untouched."""
    from app.services.reports.figures import PLACEHOLDER

    old, new = f"{from_year}年", f"{to_year}年"
    return PLACEHOLDER.sub(lambda m: m.group(0).replace(old, new), text)
