"""Today's date for what the documents write as "today" (the export date as 成文日期/填报日期).

`ZJTB_TODAY=2024-01-20` fixes it, for tests and for scripts that must reproduce an export exactly.
"""

from __future__ import annotations

import os
from datetime import date


def today() -> date:
    fixed = os.environ.get("ZJTB_TODAY", "").strip()
    if fixed:
        try:
            return date.fromisoformat(fixed)
        except ValueError:
            pass
    return date.today()
