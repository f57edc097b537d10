"""CSV of reports (``misuse ingest reports``): one report per row, columns as the API fields."""

from __future__ import annotations

from ingest.formats import register
from ingest.formats.csv import CsvSchema, csv_reader
from ingest.reports import REPORT_FIELDS

REPORT_SCHEMA = CsvSchema(
    fields=REPORT_FIELDS,
    required=("category", "output", "explanation", "accuracy_confirmed"),
)

read_report_csv = register("report-csv")(csv_reader(REPORT_SCHEMA))
