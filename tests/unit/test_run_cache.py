"""Values shared within one run (year package, checks) and never kept outside one."""

from __future__ import annotations

import threading

from app.services.run_cache import cached, run_cache


def test_inside_a_run_a_value_is_computed_once_and_outside_every_time() -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cached("k", compute) == 1
    assert cached("k", compute) == 2
    with run_cache():
        assert cached("k", compute) == 3
        assert cached("k", compute) == 3
        with run_cache():  # nested: the outer run's values
            assert cached("k", compute) == 3
        assert cached(("other", 1), compute) == 4
    assert cached("k", compute) == 5


def test_a_run_in_another_thread_has_its_own_values() -> None:
    seen: list[int] = []
    with run_cache():
        cached("k", lambda: 1)

        def worker() -> None:
            seen.append(cached("k", lambda: 2))

        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
    assert seen == [2]


def test_the_year_package_computes_the_budget_tables_once(
    example_db, example_unit_id, monkeypatch, tmp_path
) -> None:
    from app.exports.package import export_year
    from app.services.budget import compute

    calls: list[int] = []
    real = compute.compute_tables

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(compute, "compute_tables", counting)
    result = export_year(example_db, example_unit_id, 2023, tmp_path)
    assert len(result.files) == 22
    assert len(calls) == 1
