"""Widgets, Qt models, dialogs. Calls app/; holds no business rules."""
