"""Models of the budget module (filled in by its issue)."""
