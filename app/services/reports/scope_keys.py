"""A report's scope as stored with its prose ("Q1", "inspection:3", "project:12") and shown in the
picker; below both scopes.py (the kinds of scope) and bindings.py (the figures a scope gives)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    key: str  # "" for a yearly report, "Q1", "inspection:3", "project:12"
    label: str  # "第一季度", "区党工委第二巡察组专项巡察", "质量安全监督管理专项"


def scope_id(scope: str, prefix: str) -> int:
    kind, _, number = scope.partition(":")
    if kind != prefix or not number.isdigit():
        raise ValueError(f"not a {prefix} scope: {scope!r}")
    return int(number)
