"""Assessment rules (考核细则) from the `[assessment]` section of the configuration file.

Same file as the ledger's configuration (`DUBAN_CONFIG`, else `duban.toml` in the data
directory); every key has a default, so the section and the file are optional. Example:

    [assessment]
    closed_on_time = 10      # each task due in the period and closed by its due date
    closed_late = 5          # closed, but after its due date
    overdue_open = -5        # due in the period and still open at its end
    report_on_time = 10      # the unit's report for the period, by the cut-off
    report_late = 5          # the report, after the cut-off
    report_missing = -5      # no report although the unit had tasks to report on
    target_met = 3           # each target whose latest reported figure meets it
    target_not_met = 0       # reported, not met
    extension_approved = -2  # each task of the period whose deadline was extended
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from duban.ledger.db import data_dir


@dataclass(frozen=True)
class AssessmentConfig:
    # Points are added per event; a unit's rate is its total over the most it could have
    # scored, so units with many tasks and units with few compare fairly.
    closed_on_time: float = 10.0
    closed_late: float = 5.0  # late work still counts, at half
    overdue_open: float = -5.0
    report_on_time: float = 10.0
    report_late: float = 5.0
    report_missing: float = -5.0
    target_met: float = 3.0
    target_not_met: float = 0.0
    extension_approved: float = -2.0  # an approved extension costs a little: planning slipped


def load_assessment_config(path: str | Path | None = None) -> AssessmentConfig:
    """The `[assessment]` section; defaults when the file or the section is absent."""
    if path is None:
        env = os.environ.get("DUBAN_CONFIG")
        path = Path(env) if env else data_dir() / "duban.toml"
    path = Path(path)
    if not path.exists():
        return AssessmentConfig()
    section = tomllib.loads(path.read_text(encoding="utf-8")).get("assessment", {})
    known = {f.name for f in fields(AssessmentConfig)}
    for key, value in section.items():
        if key not in known:
            raise ValueError(f"考核配置项未知：{key}")
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ValueError(f"考核配置项 {key} 应为数字")
    return AssessmentConfig(**{k: float(v) for k, v in section.items()})
