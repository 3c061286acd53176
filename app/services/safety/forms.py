"""Validation results shared by the safety forms: which row, which field, what is wrong."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.errors import UserError
from app.services.parsing import check_date


@dataclass(frozen=True)
class FieldError:
    field: str  # the form's field key ("description", "deadline" …)
    message: str  # in Chinese, naming the row and the field
    row: int | None = None  # 0-based row of a list (hazard rows); None for the form itself


class FormErrors(UserError):
    """Raised by a save that was refused; carries every problem found, not just the first."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        shown = "；".join(e.message for e in errors[:5])
        more = f"；另有{len(errors) - 5}处问题" if len(errors) > 5 else ""
        super().__init__(shown + more)


def check_text(
    errors: list[FieldError],
    value: str,
    field: str,
    label: str,
    *,
    required: bool,
    limit: int,
    prefix: str = "",
    row: int | None = None,
) -> None:
    text = value.strip()
    if required and not text:
        errors.append(FieldError(field, f"{prefix}请填写{label}", row))
    elif len(text) > limit:
        errors.append(FieldError(field, f"{prefix}{label}过长（最多{limit}字）", row))


def check_choice(
    errors: list[FieldError],
    value: str,
    choices: tuple[str, ...],
    field: str,
    label: str,
    prefix: str = "",
    row: int | None = None,
) -> None:
    if value not in choices:
        errors.append(FieldError(field, f"{prefix}{label}应为{'、'.join(choices)}之一", row))


def check_in_range(
    errors: list[FieldError],
    value: date | None,
    field: str,
    label: str,
    prefix: str = "",
    row: int | None = None,
) -> None:
    """A date the services can store and count days from (1949–2100)."""
    message = check_date(value, label)
    if message:
        errors.append(FieldError(field, prefix + message, row))


def check_not_before(
    errors: list[FieldError],
    later: date | None,
    earlier: date | None,
    field: str,
    message: str,
    row: int | None = None,
) -> None:
    if later is not None and earlier is not None and later < earlier:
        errors.append(FieldError(field, message, row))
