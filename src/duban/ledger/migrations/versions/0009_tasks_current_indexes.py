"""current tasks by partial index: the task list and the red list count by index-only scans

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 08:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

CURRENT = sa.text("removed_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tasks_current_plan", ["plan_id"], sqlite_where=CURRENT, postgresql_where=CURRENT
        )
        batch_op.create_index(
            "ix_tasks_current_due",
            ["due_date", "status", "plan_id"],
            sqlite_where=CURRENT,
            postgresql_where=CURRENT,
        )


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_current_due")
        batch_op.drop_index("ix_tasks_current_plan")
