"""Moved: the read models are in `duban.ledger.read` (one module per topic).

This re-export lives for one land only, so branches written against the old module still merge;
import from `duban.ledger.read.<topic>` instead. It will be removed in the next land.
"""

from duban.ledger.read.approvals import approval_extras, approval_queue  # noqa: F401
from duban.ledger.read.audit import (  # noqa: F401
    AUDIT_NAMES,
    AuditFilter,
    action_name,
    audit_choices,
    audit_log,
    require_auditor,
)
from duban.ledger.read.common import (  # noqa: F401
    DEFAULT_PER_PAGE,
    MAX_PER_PAGE,
    NOT_OVERDUE,
    Page,
    business_plans,
    default_plan,
    leaf_filter,
    live_lights,
    unit_names,
)
from duban.ledger.read.dashboard import Tally, dashboard  # noqa: F401
from duban.ledger.read.targets import plan_attainment, reported_values  # noqa: F401
from duban.ledger.read.tasks import TaskFilter, TaskRow, allowed_actions, list_tasks, task_detail  # noqa: F401
from duban.ledger.read.timeline import Event, timeline  # noqa: F401
from duban.ledger.read.visibility import (  # noqa: F401
    BUSINESS_ROLES,
    OVERVIEW_ROLES,
    can_read_task,
    readable_task,
    require_business_reader,
    require_overview,
    visible_task_filter,
)
