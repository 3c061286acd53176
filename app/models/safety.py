"""Models of the safety module (filled in by its issue)."""
