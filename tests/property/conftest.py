"""Loads the Hypothesis profile (see profiles.py) before the property tests are collected."""

from tests.property import profiles  # noqa: F401
