"""Exporters: Excel tables (xlsxwriter) and Word reports (python-docx), and the year package."""
