"""The ledger kinds, by the key the command line names them with."""

from __future__ import annotations

from importlib import import_module

from app.errors import UserError
from app.importers.ledgers.model import LedgerKind

# key → module under kinds/ (each defines KIND); "budget" is the 自评表 importer, apart.
KIND_MODULES = {
    "projects": "projects",
    "hazards": "hazards",
    "documents": "documents",
    "petitions": "petitions",
    "rectification": "rectification",
}
KIND_LABELS = {
    "projects": "工程项目清单",
    "hazards": "隐患排查整改台账",
    "documents": "执法文书登记",
    "petitions": "信访事项登记台账",
    "rectification": "巡察整改台账",
    "budget": "预算绩效自评表",
}


def ledger_kind(key: str) -> LedgerKind:
    module = KIND_MODULES.get(key)
    if module is None:
        known = "、".join(KIND_MODULES)
        raise UserError(f"未知的台账类型“{key}”（可用：{known}）")
    return import_module(f"app.importers.ledgers.kinds.{module}").KIND
