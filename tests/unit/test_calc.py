from __future__ import annotations

from decimal import Decimal

from app.services.calc import format_money, format_rate, format_score, money, ratio, to_decimal


def test_staff_control_rate_of_seed_003() -> None:
    rate = ratio(59, 61)
    assert rate == Decimal("0.9672")
    assert format_rate(rate) == "96.72%"


def test_ratio_of_nothing_is_none() -> None:
    assert ratio(5, 0) is None
    assert ratio(None, 61) is None
    assert format_rate(None, "—") == "—"


def test_money_formatting() -> None:
    assert format_money(Decimal("951.9")) == "951.90"
    assert money(Decimal("359.735")) == Decimal("359.74")
    assert format_money(Decimal("78089.7763")) == "78089.78"


def test_scores_written_as_in_the_seed() -> None:
    assert format_score(Decimal("99.50")) == "99.5"
    assert format_score(Decimal("10.00")) == "10"
    assert format_score(Decimal("0.5")) == "0.5"


def test_to_decimal_reads_what_clerks_type() -> None:
    assert to_decimal("1,234.50") == Decimal("1234.50")
    assert to_decimal(" 5万元 ") == Decimal("5")
    assert to_decimal(951.9) == Decimal("951.9")
    assert to_decimal("abc") is None
    assert to_decimal("") is None
