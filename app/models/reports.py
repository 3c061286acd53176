"""Models of the reports module (filled in by its issue)."""
