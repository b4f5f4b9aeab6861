"""Read models shared by the web pages and the API, one module per topic.

`visibility` holds the one rule of who may read which task; `common` the paging, plans and live
lights every list uses; `lights` the live light of each current task; `tasks` the list and the
detail; `plans` the plan list and one plan's outline; `reports` one progress report; `targets`
reported values against targets; `timeline`, `approvals`, `dashboard`, `inbox`, `signing` (who has
not 签收) and `audit` one screen each. The read models are pydantic models, so the API answers them
as they are and /api/docs shows their shapes. Writes live in the services beside this package
(`ledger/tasks.py`, `ledger/reports.py`, ...), never here.
"""
