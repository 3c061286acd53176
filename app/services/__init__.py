"""Calculations, statistics, checks and record-keeping services, one package per module."""
