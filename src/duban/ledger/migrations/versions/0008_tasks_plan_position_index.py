"""tasks in plan order by index: the task list pages (plan_id, position) without sorting the ledger

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 05:15:00
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index("ix_tasks_plan_position", ["plan_id", "position"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_plan_position")
