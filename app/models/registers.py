"""Models of the registers module (filled in by its issue)."""
