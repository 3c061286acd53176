"""No Chinese (non-ASCII) text goes through strftime or a format spec anywhere in the program.

On Windows CPython passes a strftime format to the C runtime in the ANSI code page: on an
English-locale PC `f"{day:%Y年%m月%d日}"` raises UnicodeEncodeError (it crashed `export` there).
Dates as Chinese text are built from the numbers (app/dates.py). This scans the sources for
every way such a format can reach strftime:
  strftime   `d.strftime(fmt)`, `time.strftime(fmt)`, `datetime.strftime(d, fmt)`, `strftime(fmt)`
             with non-ASCII text, or with a format that is not plainly ASCII (a variable)
  format()   `format(d, spec)` / `d.__format__(spec)` with a non-ASCII spec
  f-string   `f"{d:%Y年}"`: a non-ASCII constant in a replacement field's format spec
  str.format `"{:%Y年}".format(d)`, `str.format("{:%Y年}", d)`, `.format_map`
  datefmt    `logging.Formatter(datefmt="%Y年")` (logging formats times with time.strftime)
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _non_ascii(text: str) -> bool:
    return not text.isascii()


def _field_specs(template: str) -> list[str]:
    """The format specs of a str.format template, nested fields included."""
    specs: list[str] = []
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:  # not a valid template: str.format would fail anyway
        return specs
    for _literal, field, spec, _conversion in parsed:
        if field is not None and spec:
            specs.append(spec)
            specs.extend(_field_specs(spec))
    return specs


class _Scanner(ast.NodeVisitor):
    def __init__(self, tree: ast.Module) -> None:
        self.problems: list[tuple[int, str]] = []
        # Names assigned anywhere in the file, and whether every value given to them is an ASCII
        # string constant (`STAMP = "%Y%m%d"` then `d.strftime(STAMP)` is fine).
        self._ascii_names: dict[str, bool] = {}
        for node in ast.walk(tree):
            targets: list[ast.expr] = []
            value: ast.expr | None = None
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                targets, value = [node.target], node.value
            text = self._str_constant(value)
            plain = text is not None and text.isascii()
            for target in targets:
                if isinstance(target, ast.Name):
                    self._ascii_names[target.id] = self._ascii_names.get(target.id, True) and plain

    @staticmethod
    def _str_constant(node: ast.expr | None) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        return None

    def _constant_texts(self, node: ast.expr) -> list[str]:
        """The literal text pieces of an expression built from strings."""
        text = self._str_constant(node)
        if text is not None:
            return [text]
        if isinstance(node, ast.JoinedStr):
            return [t for part in node.values for t in self._constant_texts(part)]
        if isinstance(node, ast.FormattedValue):  # `{'年'}` puts its text in the result too
            spec = self._constant_texts(node.format_spec) if node.format_spec else []
            return self._constant_texts(node.value) + spec
        if isinstance(node, ast.BinOp):
            return self._constant_texts(node.left) + self._constant_texts(node.right)
        if isinstance(node, ast.IfExp):
            return self._constant_texts(node.body) + self._constant_texts(node.orelse)
        return []

    def _plainly_ascii(self, node: ast.expr) -> bool:
        """A strftime format that can only be ASCII: ASCII constants, names bound only to
        them, and sums or choices of those."""
        text = self._str_constant(node)
        if text is not None:
            return text.isascii()
        if isinstance(node, ast.Name):
            return self._ascii_names.get(node.id, False)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self._plainly_ascii(node.left) and self._plainly_ascii(node.right)
        if isinstance(node, ast.IfExp):
            return self._plainly_ascii(node.body) and self._plainly_ascii(node.orelse)
        return False

    def _report(self, node: ast.AST, message: str) -> None:
        self.problems.append((getattr(node, "lineno", 0), message))

    def _strftime_format(self, call: ast.Call) -> ast.expr | None:
        for keyword in call.keywords:
            if keyword.arg == "format":
                return keyword.value
        func = call.func
        args = call.args
        if not args:
            return None
        if isinstance(func, ast.Name):  # from time import strftime
            return args[0]
        assert isinstance(func, ast.Attribute)
        receiver = func.value
        if isinstance(receiver, ast.Name) and receiver.id == "time":
            return args[0]  # time.strftime(fmt[, t])
        if len(args) >= 2:
            return args[1]  # datetime.strftime(d, fmt), date.strftime(d, fmt)
        return args[0]  # d.strftime(fmt)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name == "strftime":
            fmt = self._strftime_format(node)
            if fmt is not None:
                if any(_non_ascii(t) for t in self._constant_texts(fmt)):
                    self._report(node, "strftime 的格式含非 ASCII 文字")
                elif not self._plainly_ascii(fmt):
                    self._report(node, "strftime 的格式不是明确的 ASCII 常量")
        elif name == "format" and isinstance(func, ast.Name) and len(node.args) >= 2:
            if any(_non_ascii(t) for t in self._constant_texts(node.args[1])):
                self._report(node, "format() 的格式说明含非 ASCII 文字")
        elif name == "__format__" and node.args:
            if any(_non_ascii(t) for t in self._constant_texts(node.args[0])):
                self._report(node, "__format__ 的格式说明含非 ASCII 文字")
        elif name in ("format", "format_map") and isinstance(func, ast.Attribute):
            template = self._str_constant(func.value)
            if template is None and isinstance(func.value, ast.Name) and func.value.id == "str" and node.args:
                template = self._str_constant(node.args[0])  # str.format("{:%Y年}", d)
            if template is not None and any(_non_ascii(spec) for spec in _field_specs(template)):
                self._report(node, "str.format 的格式说明含非 ASCII 文字")
        for keyword in node.keywords:
            if keyword.arg == "datefmt" and any(_non_ascii(t) for t in self._constant_texts(keyword.value)):
                self._report(keyword.value, "datefmt（经 time.strftime）含非 ASCII 文字")
        self.generic_visit(node)

    def visit_FormattedValue(self, node: ast.FormattedValue) -> None:
        if node.format_spec is not None and any(
            _non_ascii(t) for t in self._constant_texts(node.format_spec)
        ):
            self._report(node, "f-string 的格式说明含非 ASCII 文字")
        self.generic_visit(node)


def scan(source: str, filename: str = "<sample>") -> list[str]:
    """`file:line: problem` for every non-ASCII date format in `source`."""
    tree = ast.parse(source, filename=filename)
    scanner = _Scanner(tree)
    scanner.visit(tree)
    return [f"{filename}:{line}: {message}" for line, message in sorted(scanner.problems)]


def _program_sources() -> list[Path]:
    files = [ROOT / "main.py"]
    for folder in ("app", "ui"):
        files.extend(sorted((ROOT / folder).rglob("*.py")))
    return files


# Each line is one bad form; the scanner must report every one of them, by line.
PLANTED = """\
import time
from datetime import date, datetime
from time import strftime

day = date(2024, 1, 2)
fmt = "%Y年"
a = day.strftime("%Y年%m月%d日")
b = time.strftime("%Y年")
c = datetime.strftime(datetime.now(), "%m月")
d = strftime("%d日")
e = day.strftime(fmt)
f = day.strftime(some_format())
g = format(day, "%Y年%m月")
h = f"统计期间：{day:%Y年%m月%d日}"
i = "{:%Y年}".format(day)
j = "{0:%m月%d日}".format_map({"0": day})
k = str.format("{d:%Y年}", d=day)
m = day.__format__("%Y年")
n = f"{day:{'%Y' + '年'}}"
o = datetime.strftime(day, format="%Y年")
logging.Formatter(datefmt="%Y年%m月%d日 %H:%M")
"""
PLANTED_LINES = list(range(7, 22))

# Chinese built from the numbers, ASCII formats, Chinese text outside the format specs.
CLEAN = """\
import time
from datetime import date, datetime

STAMP = "%Y%m%d-%H%M%S"
ISO = "%Y-%m-%d"
day = date(2024, 1, 2)
a = f"{day.year}年{day.month}月{day.day}日"
b = day.strftime("%Y-%m-%d")
c = datetime.now().strftime(STAMP)
d = time.strftime(ISO + " %H:%M")
e = f"导出日期：{day:%Y-%m-%d}，共{3:,}项，比率{0.5:.2%}"
f = format(day, "%Y-%m-%d") + format(1234.5, ",.2f")
g = "{}年{}月".format(day.year, day.month)
h = "{:%Y-%m-%d}（星期{}）".format(day, "一")
i = datetime.strftime(day, "%H:%M")
j = f"{'年'}{day:{'%Y'}}"
"""


def test_the_scanner_reports_every_planted_bad_format() -> None:
    problems = scan(PLANTED)
    reported = sorted({int(p.split(":")[1]) for p in problems})
    assert reported == PLANTED_LINES, "\n".join(problems)
    assert any("不是明确的 ASCII 常量" in p for p in problems if ":12:" in p)  # strftime(variable)


def test_the_scanner_leaves_clean_code_alone() -> None:
    assert scan(CLEAN) == []


def test_no_source_file_passes_chinese_through_strftime_or_a_format_spec() -> None:
    problems = []
    for path in _program_sources():
        problems.extend(scan(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))))
    assert problems == [], "\n".join(problems)


def test_dates_as_chinese_text_need_no_strftime() -> None:
    from datetime import date

    from app.dates import cn_date

    assert cn_date(date(2024, 1, 2)) == "2024年1月2日"
    assert cn_date(date(2023, 12, 31)) == "2023年12月31日"
