"""The services' validate_* functions, fed any date and number: they never raise, and what they let
through can be saved and counted from (deadline arithmetic, the Money and Integer columns)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from app.services.parsing import COUNT_MAX, DATE_MAX, DATE_MIN
from app.services.registers.petitions import PetitionData, next_due, pending_deadlines, validate_petition
from app.services.registers.rectification import ProblemData, validate_problem
from app.services.safety.inspections import HazardDraft, validate_hazard
from app.services.safety.projects import ProjectForm, validate_project
from app.services.unit import Profile, validate_profile
from tests.property.profiles import examples
from tests.property.strategies import any_date

EXAMPLES = 300
decimals = st.one_of(st.none(), st.decimals(allow_nan=True, allow_infinity=True))
counts = st.one_of(st.none(), st.integers(min_value=-(10**30), max_value=10**30))


def _in_range(*days: date | None) -> bool:
    return all(d is None or DATE_MIN <= d <= DATE_MAX for d in days)


@examples(EXAMPLES)
@given(any_date, any_date, any_date, any_date, any_date, st.sampled_from(["待受理", "办理中", "已办结"]))
def test_petition_dates(received, accepted, notified, required, closed, status) -> None:
    data = PetitionData(
        number="X-1",
        received_on=received,
        channel="来信",
        category="其他",
        accepted_on=accepted,
        notified_on=notified,
        required_by=required,
        closed_on=closed,
        result="已答复",
        status=status,
    )
    errors = validate_petition(data)
    if not errors:
        assert _in_range(received, accepted, notified, required, closed)
        next_due(data)
        pending_deadlines(data)
    elif not _in_range(received, accepted, notified, required, closed):
        assert any("1949年至2100年" in message for message in errors.values())


@examples(EXAMPLES)
@given(any_date, any_date, any_date, st.sampled_from(["待整改", "整改中", "已整改"]))
def test_hazard_dates(found, deadline, rectified, status) -> None:
    found = found or date(2024, 1, 1)
    hazard = HazardDraft(1, "脚手架未设剪刀撑", "脚手架", deadline, status=status, rectified_on=rectified)
    errors = validate_hazard(hazard, found, [1], 0, date(2024, 6, 1))
    if not errors:
        assert _in_range(deadline, rectified)


@examples(EXAMPLES)
@given(any_date, any_date, any_date, st.integers(min_value=-(10**30), max_value=10**30))
def test_rectification_problem(due, completed, closed, number) -> None:
    data = ProblemData(
        number=number, description="问题", due_on=due, completed_on=completed, closed_on=closed
    )
    if not validate_problem(data):
        assert _in_range(due, completed, closed) and 1 <= number <= COUNT_MAX


@examples(EXAMPLES)
@given(decimals, decimals)
def test_project_amounts(area, cost) -> None:
    if not validate_project(ProjectForm(name="甲项目", area=area, cost=cost)):
        for value in (area, cost):
            assert value is None or (value.is_finite() and 0 <= value < Decimal("1e8"))


@examples(EXAMPLES)
@given(counts, counts, counts, counts)
def test_profile_counts(departments, quota, actual, retired) -> None:
    profile = Profile(
        name="单位", departments=departments, staff_quota=quota, staff_actual=actual, retired=retired
    )
    if not validate_profile(profile):
        assert all(v is None or 0 <= v <= COUNT_MAX for v in (departments, quota, actual, retired))
