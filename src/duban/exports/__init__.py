"""Exports: the ledger as files bureaus use (xlsx, official docx, csv, json).

Each export is a function `(session, ...) -> bytes`, free of web and CLI concerns, with a
companion that suggests a file name:

- decomposition_xlsx / decomposition_docx (plan_id)  -> decomposition_filename(plan, ext)
- bulletin_docx (period_name, now, cfg, issuer)      -> bulletin_filename(period)
- ledger_csv_zip / ledger_json                       -> ledger_filename(ext)
- summary_draft_docx (plan_id)                       -> summary_filename(plan)
- reconcile_xlsx (plan_id, summary_id)               -> reconcile_filename(plan)

`files.export_file(kind, ...)` picks one of these by name and returns the file with its name and type
(the web pages and the API download through it).
"""

from duban.exports.bulletin import bulletin_docx, bulletin_figures, bulletin_filename
from duban.exports.decomposition import decomposition_filename, decomposition_rows
from duban.exports.decomposition_docx import decomposition_docx
from duban.exports.decomposition_xlsx import decomposition_xlsx
from duban.exports.ledger_dump import ledger_csv_zip, ledger_filename, ledger_json
from duban.exports.reconcile_xlsx import reconcile_filename, reconcile_source, reconcile_xlsx
from duban.exports.summary_draft import summary_draft_docx, summary_filename, summary_results

__all__ = [
    "bulletin_docx",
    "bulletin_figures",
    "bulletin_filename",
    "decomposition_docx",
    "decomposition_filename",
    "decomposition_rows",
    "decomposition_xlsx",
    "ledger_csv_zip",
    "ledger_filename",
    "ledger_json",
    "reconcile_filename",
    "reconcile_source",
    "reconcile_xlsx",
    "summary_draft_docx",
    "summary_filename",
    "summary_results",
]
