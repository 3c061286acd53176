"""Every value parser, fed hostile text and numbers: it returns a value within its limits or refuses
with a Chinese message (ParseError, a UserError); nothing else escapes, and what it accepts can be
stored and computed with (money(), the Money column) without raising."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given

from app.errors import UserError
from app.importers.budget_xlsx_read import COUNT, MONEY, SCORE, read_number
from app.models.base import Money
from app.services import parsing
from app.services.calc import format_money, money, ratio, to_decimal
from app.services.parsing import COUNT_MAX, DATE_MAX, DATE_MIN, MONEY_MAX, ParseError
from app.services.privacy import validate_id_number
from app.services.validation import parse_count as form_count
from tests.property.profiles import BATCH, VALUE_EXAMPLES, examples
from tests.property.strategies import batch, hostile_date, hostile_value

MONEY_COLUMN = Money()
BIGINT = 2**63


def _refused_or(parse, value, label: str):
    try:
        return parse(value, label)
    except ParseError as exc:
        assert isinstance(exc, UserError)
        assert str(exc).startswith(label), str(exc)
        return None


def _storable_money(value: Decimal) -> None:
    assert value == money(value)
    assert abs(MONEY_COLUMN.process_bind_param(value, None)) < BIGINT  # type: ignore[arg-type]
    format_money(value)
    ratio(value, Decimal("0.01"))


def _check_money(value: object) -> None:
    result = _refused_or(parsing.parse_money, value, "全年执行数")
    if result is not None:
        assert isinstance(result, Decimal) and result.is_finite()
        assert Decimal(0) <= result <= MONEY_MAX
        _storable_money(result)


def _check_score(value: object) -> None:
    result = _refused_or(parsing.parse_score, value, "分值")
    if result is not None:
        assert Decimal(0) <= result <= Decimal(100) and result == result.quantize(Decimal("0.01"))


def _check_count(value: object) -> None:
    result = _refused_or(parsing.parse_count, value, "编制数")
    if result is not None:
        assert type(result) is int and 0 <= result <= COUNT_MAX
    text = "" if value is None else str(value)
    count, message = form_count(text, "编制数")
    if message is None:
        assert count is None or 0 <= count <= COUNT_MAX
    else:
        assert count is None and message.startswith("编制数")


def _check_to_decimal(value: object) -> None:
    result = to_decimal(value)
    if result is not None:
        assert result.is_finite()
        money(result)
        format_money(result)


def _check_import_cell(value: object) -> None:
    for kind, top in ((MONEY, MONEY_MAX), (SCORE, Decimal(100)), (COUNT, COUNT_MAX)):
        result = _refused_or(lambda v, label, k=kind: read_number(v, label, k), value, "执行数")
        if result is not None:
            assert 0 <= result <= top


def _check_id_number(value: object) -> None:
    text = str(value)
    head = text[:17].ljust(17, "1")
    for candidate in (text, head + "X", head + text[-1:]):
        if validate_id_number(candidate) is None and candidate.strip():
            number = candidate.strip().upper()
            assert len(number) == 18 and number.isascii()


NUMBER_PARSERS = (
    _check_money,
    _check_score,
    _check_count,
    _check_to_decimal,
    _check_import_cell,
    _check_id_number,
)


@examples(VALUE_EXAMPLES)
@given(batch(hostile_value, BATCH))
def test_number_parsers(values: list[object]) -> None:
    """Each value goes to every parser: each of them meets VALUE_EXAMPLES × BATCH values."""
    for value in values:
        for check in NUMBER_PARSERS:
            check(value)


@examples(VALUE_EXAMPLES)
@given(batch(hostile_date, BATCH))
def test_parse_date(values: list[object]) -> None:
    for value in values:
        result = _refused_or(parsing.parse_date, value, "收到日期")
        if result is not None:
            assert type(result) is date and DATE_MIN <= result <= DATE_MAX
