"""Values computed once per long read-only run (the year package, the checks) and shared by
everything in it: the budget tables, a period's safety statistics and the report figures are
each asked for by several exporters and checks of one run.

Outside `run_cache()` nothing is kept, so pages always read the database afresh. Cached values
are shared: callers must not change them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_cache: ContextVar[dict[Hashable, object] | None] = ContextVar("zjtb_run_cache", default=None)


@contextmanager
def run_cache() -> Iterator[None]:
    """Keep computed values until the block ends (a nested block shares the outer one's)."""
    if _cache.get() is not None:
        yield
        return
    token = _cache.set({})
    try:
        yield
    finally:
        _cache.reset(token)


def active() -> bool:
    """Whether a `run_cache()` block is running (a caller may then read more at once, to share)."""
    return _cache.get() is not None


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or inside `run_cache()` the value already computed under `key`."""
    cache = _cache.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]  # type: ignore[return-value]
