"""What the wizard's value step offers per kind: the fields whose words it lists (a status, a
category, a channel …) and the values each may be read as — the fixed vocabularies and the unit's
own pick-lists."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.models.registers import (
    ASSIGNMENT_SOURCES,
    CHOICE_CATEGORY,
    CHOICE_CHANNEL,
    PETITION_STATES,
    PROBLEM_STATES,
    SATISFACTION_LEVELS,
)
from app.services.safety.constants import (
    DOCUMENT_KINDS,
    HAZARD_LEVELS,
    HAZARD_STATUSES,
    INSPECTION_KINDS,
    PROJECT_KINDS,
    PROJECT_STATUSES,
)

VALUE_FIELDS = {
    "projects": ("kind", "status"),
    "hazards": ("kind", "inspectors", "category", "level", "status"),
    "documents": ("kind",),
    "petitions": ("channel", "assignment", "repeat", "category", "satisfaction", "status"),
    "rectification": ("status",),
}


def value_choices(kind: str, session: Session, unit_id: int) -> dict[str, list[str]]:
    if kind == "projects":
        return {"kind": list(PROJECT_KINDS), "status": list(PROJECT_STATUSES)}
    if kind == "hazards":
        from app.services.safety.categories import categories

        return {  # the inspectors: the hazards kind adds the names its inspections use
            "kind": list(INSPECTION_KINDS),
            "category": [item.name for item in categories(session, unit_id)],
            "level": list(HAZARD_LEVELS),
            "status": list(HAZARD_STATUSES),
        }
    if kind == "documents":
        return {"kind": list(DOCUMENT_KINDS)}
    if kind == "petitions":
        from app.services.registers.petitions import choices

        return {
            "channel": [c.name for c in choices(session, unit_id, CHOICE_CHANNEL)],
            "category": [c.name for c in choices(session, unit_id, CHOICE_CATEGORY)],
            "assignment": list(ASSIGNMENT_SOURCES),
            "repeat": ["是", "否"],
            "satisfaction": list(SATISFACTION_LEVELS),
            "status": list(PETITION_STATES),
        }
    if kind == "rectification":
        return {"status": list(PROBLEM_STATES)}
    return {}
