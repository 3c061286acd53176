"""Importing the ledgers units keep in WPS/Excel (工程项目, 隐患, 执法文书, 信访, 整改) into real records.

files.py     any .xlsx/.xls/.csv into RawSheets, within the limits (never a traceback)
values.py    dates, numbers with units, status words, names, measures as clerks write them
headers.py   finding the header rows and mapping each column to a field, with a confidence
model.py     the shapes every part shares (sheets, fields, rows, problems, options)
kinds/       one module per ledger kind: its fields, how a row is read and how rows are written
batches.py   every import is a batch that can be undone; remembered column mappings
plan.py      the pipeline: read → detect → map → parse → duplicates (plan), then apply
"""
