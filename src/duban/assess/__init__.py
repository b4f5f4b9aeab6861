"""Read the ledger: attainment of targets, reconciliation, indicators, scoring, comparison."""
