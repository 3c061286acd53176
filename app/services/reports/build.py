"""From a report's definition, the user's prose and the figures to the blocks of a Word document.

`open_report` gathers one report instance (unit, year, report, scope); `build_blocks` turns it into
`docx_writer` blocks and lists what is wrong with it (unknown placeholders, empty sections …);
`render_report` writes the .docx, refusing a report with unknown placeholders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import UserError
from app.findings import ERROR, WARNING, Level
from app.models.unit import Unit
from app.services.reports.figures import FigureGroup, FigureSet, fill, source_groups, unbalanced_brackets
from app.services.reports.outline import (
    GeneratedSection,
    OutlineNode,
    ReportDef,
    ReportEnv,
    build_outline,
    draft_text,
)
from app.services.reports.prose import (
    ReportSettings,
    SectionText,
    document_date,
    load_sections,
    load_settings,
)
from app.services.reports.scopes import Scope

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.contributions import Registry
    from app.exports.docx_writer import Block

# A paragraph that starts with an outline number the app would produce itself.
TYPED_NUMBER = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*、|[（(]\s*[一二三四五六七八九十]+\s*[）)])")


@dataclass
class ReportInstance:
    report: ReportDef
    scope: Scope | None
    unit_id: int
    year: int
    unit_name: str
    figures: FigureSet
    rows: dict[str, SectionText]
    settings: ReportSettings
    outline: list[OutlineNode]

    @property
    def scope_key(self) -> str:
        return self.scope.key if self.scope else ""

    @property
    def variant(self) -> str:
        variants = self.report.variants
        if self.settings.variant in variants:
            return self.settings.variant
        return variants[0] if variants else ""

    def env(self, session: Session) -> ReportEnv:
        return ReportEnv(
            session, self.unit_id, self.unit_name, self.year, self.scope, self.variant, self.figures
        )

    @property
    def display_title(self) -> str:
        return f"{self.report.title}（{self.scope.label}）" if self.scope else self.report.title


def report_figures(
    session: Session,
    registry: Registry,
    unit_id: int,
    year: int,
    report: ReportDef,
    scope: Scope | None,
    groups: list[FigureGroup] | None = None,
) -> FigureSet:
    """Every figure the report may quote: all FigureSources for the unit and year (`groups`, when
    the caller has them already), then the scope's."""
    if groups is None:
        groups = source_groups(session, registry, unit_id, year)
    groups = list(groups)
    if report.scope_kind is not None and report.scope_kind.replaces:
        groups = [g for g in groups if g.key not in report.scope_kind.replaces]
    if report.scope_kind is not None and scope is not None:
        scoped = tuple(report.scope_kind.figures(session, unit_id, year, scope.key))
        if scoped:
            groups.append(FigureGroup("scope", report.scope_kind.figures_title, scoped))
    return FigureSet(groups)


def resolve_scope(
    session: Session, report: ReportDef, unit_id: int, year: int, scope_key: str
) -> Scope | None:
    if report.scope_kind is None:
        return None
    for option in report.scope_kind.options(session, unit_id, year):
        if option.key == scope_key:
            return option
    raise UserError(f"“{report.title}”的{report.scope_kind.title}“{scope_key}”不存在")


def open_report(
    session: Session,
    registry: Registry,
    unit_id: int,
    year: int,
    report: ReportDef,
    scope_key: str = "",
    groups: list[FigureGroup] | None = None,
) -> ReportInstance:
    """One report instance. `groups`: the FigureSources' figures for the unit and year, when the
    caller opens several reports at once (they are the same for all of them)."""
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise UserError("单位不存在")
    scope = resolve_scope(session, report, unit_id, year, scope_key)
    figures = report_figures(session, registry, unit_id, year, report, scope, groups)
    rows = load_sections(session, unit_id, year, report.key, scope_key)
    settings = load_settings(session, unit_id, year, report.key, scope_key)

    def generated(section) -> list[GeneratedSection]:
        return section.generated(session, unit_id, year, scope_key) if section.generated else []

    outline = build_outline(report, rows, generated)
    return ReportInstance(report, scope, unit_id, year, unit.name, figures, rows, settings, outline)


def section_text(node: OutlineNode, figures: FigureSet) -> tuple[str, str]:
    """(where it comes from, the text): "stored" (the user's), "draft", or "empty"."""
    if node.stored:
        return ("stored" if node.text.strip() else "empty"), node.text
    drafted = draft_text(node.section, figures)
    return ("draft", drafted) if drafted else ("empty", "")


def paragraphs(text: str) -> list[str]:
    """Non-empty lines, without the indent a pasted paragraph brings (the style indents)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [line.strip(" \t\u3000") for line in lines if line.strip(" \t\u3000")]


@dataclass(frozen=True)
class Issue:
    level: Level
    node: OutlineNode | None
    subject: str  # the placeholder as written, or ""
    message: str

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


@dataclass
class BuiltReport:
    blocks: list[Block] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]


def _visible_children(node: OutlineNode) -> list[OutlineNode]:
    return [c for c in node.children if not c.hidden]


def build_blocks(instance: ReportInstance, session: Session) -> BuiltReport:
    from app.exports import docx_writer as w

    report, settings, figures = instance.report, instance.settings, instance.figures
    env = instance.env(session)
    built = BuiltReport()
    blocks = built.blocks

    def filled(text: str, node: OutlineNode | None) -> str:
        result = fill(text, figures)
        for problem in result.problems:
            built.issues.append(Issue(ERROR, node, f"【{problem.name}】", problem.problem))
        for figure in dict.fromkeys(result.empty):
            built.issues.append(
                Issue(
                    WARNING, node, f"【{figure.label}】", "当前没有数值，导出时此处留空“＿＿＿＿”，请补录数据"
                )
            )
        return result.text

    sign_date = w.cn_date(document_date(settings))
    if report.cover_lines is not None:
        blocks.append(w.Cover(report.cover_lines(env), f"部门名称：{instance.unit_name}（盖章）", sign_date))
    if settings.title and settings.title.strip():
        title_lines = tuple(paragraphs(filled(settings.title, None)))
    else:
        title_lines = report.title_lines(env)
    blocks.append(w.Title(title_lines))
    addressee = settings.addressee if settings.addressee is not None else report.addressee(env)
    if addressee.strip():
        blocks.append(w.Addressee(addressee))

    def emit(node: OutlineNode) -> None:
        if node.hidden:
            return
        if node.kind == "generated":
            text = node.text
        else:
            origin, raw = section_text(node, figures)
            _check_prose(built, node, origin, raw)
            text = filled(raw, node)
        paras = paragraphs(text)
        if not node.heading:
            blocks.extend(w.Paragraph(p) for p in paras)
        elif node.ordinal:
            blocks.append(w.Ordinal(node.number, node.title, paras[0] if paras else ""))
            blocks.extend(w.Paragraph(p) for p in paras[1:])
        elif node.run_in and paras:
            blocks.append(w.Heading(node.depth, node.number, node.title, run_in=paras[0]))
            blocks.extend(w.Paragraph(p) for p in paras[1:])
        else:
            blocks.append(w.Heading(node.depth, node.number, node.title))
            blocks.extend(w.Paragraph(p) for p in paras)
        for child in node.children:
            emit(child)

    for node in instance.outline:
        emit(node)

    if report.annexes is not None:
        names = report.annexes(env)
        if names:
            blocks.append(w.BlankLine())
            blocks.append(w.AnnexNote(tuple(names)))
    signer = settings.signer if settings.signer is not None else instance.unit_name
    if report.signature and signer.strip():
        seal = settings.seal if settings.seal is not None else report.seal
        blocks.append(w.BlankLine())
        blocks.append(w.Signature(signer.strip(), sign_date, seal))
    if settings.append_tables and report.appended_tables is not None:
        annexes = report.appended_tables(env)
        if not annexes:
            built.issues.append(
                Issue(
                    WARNING, None, "", "已选择附上自评表，但本年度还没有可附的自评表（预算绩效数据尚未录入）"
                )
            )
        blocks.extend(annexes)
    return built


def _check_prose(built: BuiltReport, node: OutlineNode, origin: str, raw: str) -> None:
    if origin == "empty" and not _visible_children(node):
        built.issues.append(Issue(WARNING, node, "", "尚未填写"))
    if node.stored and node.carried_from is not None:
        built.issues.append(
            Issue(
                WARNING,
                node,
                "",
                f"此段文字从{node.carried_from}年度结转而来，尚未核对修改（保存后不再提示）",
            )
        )
    for paragraph in paragraphs(raw):
        match = TYPED_NUMBER.match(paragraph)
        if match:
            built.issues.append(
                Issue(
                    WARNING,
                    node,
                    match.group(0).strip(),
                    "段首有手写的章节编号：编号由程序自动生成，小标题请用“添加小节”",
                )
            )
            break
    if unbalanced_brackets(raw):
        built.issues.append(Issue(WARNING, node, "", "有未配对的“【”或“】”，数据占位符应写成【名称】"))


def describe_errors(instance: ReportInstance, errors: list[Issue]) -> str:
    lines = [f"报告“{instance.display_title}”中有无法识别的数据占位符，未导出："]
    for issue in errors:
        where = issue.node.path if issue.node else "标题"
        lines.append(f"· {where}：{issue.subject}{issue.message}")
    lines.append("请在“报告导出”页修改这些段落（可用“插入数据”重新选择）后再导出。")
    return "\n".join(lines)


def render_report(
    instance: ReportInstance, session: Session, path: Path, notes: list[str] | None = None
) -> Path:
    """Write the report's .docx to `path`. Raises UserError naming every unknown placeholder.

    Uses the user's template when there is a usable one; a template that fails while writing is
    reported in `notes` and the built-in template is used instead."""
    from app.exports.docx_template import builtin_template_path, choose_template
    from app.exports.docx_writer import write_docx

    built = build_blocks(instance, session)
    if built.errors:
        raise UserError(describe_errors(instance, built.errors))
    choice = choose_template(instance.report.template_name)
    if choice.problem and notes is not None:
        notes.append(choice.problem)
    try:
        write_docx(built.blocks, path, choice.path)
    except Exception as exc:
        if choice.is_builtin:
            raise
        if notes is not None:
            notes.append(
                f"模板“{choice.path.name}”在生成“{instance.display_title}”时出错（{exc}），已改用内置模板"
            )
        path.unlink(missing_ok=True)
        write_docx(built.blocks, path, builtin_template_path())
    return path
