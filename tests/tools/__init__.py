"""Helpers the tests run or import: the Qt plugin tour (plugin_tour.py), the Wine ICU stub source."""
