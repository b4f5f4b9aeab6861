"""Ledger tables (SQLAlchemy 2 typed mappings, portable types only).

Naming follows DESIGN.md's vocabulary: plan, task, quantity (a target when role is
"target"), deadline, unit, user, assignment (task_units), report, reminder, audit.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from duban.ledger.db import utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# Task lifecycle states (the transition table lives in tasks.py).
TASK_STATES = ("unassigned", "assigned", "in_progress", "closeout_requested", "returned", "closed")
ROLES = ("admin", "supervisor", "leader", "unit_member", "security_admin", "audit_admin")
UNIT_KINDS = ("office", "county", "school", "other")


class Blob(Base):
    """File content stored once by its sha256 (sources of plans, report attachments)."""

    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SourceFile(Base):
    """An imported file: name as given, content in blobs."""

    __tablename__ = "source_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(100), default="")


class Unit(Base):
    """An organisational unit: 科室, county bureau, school; a tree."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="office")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    email: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(30))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    password_changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    unit: Mapped[Unit | None] = relationship()


class Plan(Base):
    """One document of an imported file: a plan, or a summary/report of a year."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(700), index=True)  # kind|year|issuer|title: finds revisions
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(500))
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    issuer: Mapped[str | None] = mapped_column(String(300))
    doc_number: Mapped[str | None] = mapped_column(String(200))
    date: Mapped[str | None] = mapped_column(String(10))
    doc_index: Mapped[int] = mapped_column(Integer, default=0)
    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_files.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    reviews_plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))  # a summary's plan
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PlanRevision(Base):
    """Each import that created or changed a plan, with the diff applied (JSON text)."""

    __tablename__ = "plan_revisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_files.id"))
    diff: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


CURRENT = text("removed_at IS NULL")  # a task not dropped by a plan revision


class Task(Base):
    """A numbered item of a plan, and the supervision state around it."""

    __tablename__ = "tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    path: Mapped[str] = mapped_column(String(200))
    level: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(50))
    label: Mapped[str] = mapped_column(String(50), default="")
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")
    fields: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    responsible: Mapped[list[str]] = mapped_column(JSON, default=list)
    co_units_text: Mapped[list[str]] = mapped_column(JSON, default=list)
    line: Mapped[int] = mapped_column(Integer, default=0)
    # supervision
    status: Mapped[str] = mapped_column(String(30), default="unassigned")
    due_date: Mapped[date | None] = mapped_column(Date)
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    return_reason: Mapped[str] = mapped_column(Text, default="")
    extension_status: Mapped[str] = mapped_column(String(20), default="")  # requested/approved/rejected
    extension_due_date: Mapped[date | None] = mapped_column(Date)
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    contest_status: Mapped[str] = mapped_column(String(20), default="")  # pending/accepted/rejected
    contest_kind: Mapped[str] = mapped_column(String(20), default="")  # wording/not_our_duty/long_term
    contest_reason: Mapped[str] = mapped_column(Text, default="")
    long_term: Mapped[bool] = mapped_column(Boolean, default=False)
    last_percent: Mapped[float | None] = mapped_column(Float)  # from the latest report
    last_report_at: Mapped[datetime | None] = mapped_column(DateTime)
    light: Mapped[str] = mapped_column(String(10), default="")  # stored by `tick`
    removed_at: Mapped[datetime | None] = mapped_column(DateTime)  # dropped by a revision; kept
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    units: Mapped[list[TaskUnit]] = relationship(cascade="all, delete-orphan", order_by="TaskUnit.id")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_tasks_plan_path", "plan_id", "path"),
        Index("ix_tasks_plan_position", "plan_id", "position"),  # lists are in plan order: paged by index
        Index("ix_tasks_status_due", "status", "due_date"),
        # the current tasks alone (partial): the task list counts them by an index-only scan, and the
        # red list (overdue: due before today, open) counts its range of due dates the same way
        Index("ix_tasks_current_plan", "plan_id", sqlite_where=CURRENT, postgresql_where=CURRENT),
        Index(
            "ix_tasks_current_due",
            "due_date",
            "status",
            "plan_id",
            sqlite_where=CURRENT,
            postgresql_where=CURRENT,
        ),
    )

    @property
    def lead_unit_id(self) -> int | None:
        return next((u.unit_id for u in self.units if u.role == "lead"), None)


class TaskUnit(Base):
    """Assignment: the lead unit and the co-units of a task."""

    __tablename__ = "task_units"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    role: Mapped[str] = mapped_column(String(10))  # lead / co
    signed_at: Mapped[datetime | None] = mapped_column(DateTime)  # 签收: the unit took the task on
    signed_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    __table_args__ = (
        UniqueConstraint("task_id", "unit_id"),
        Index("ix_task_units_unit", "unit_id", "task_id"),
    )


class Milestone(Base):
    __tablename__ = "milestones"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    due_date: Mapped[date] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)


class Quantity(Base):
    """A stated amount: a target (role "target") or a reported actual (role "actual")."""

    __tablename__ = "quantities"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    indicator: Mapped[str] = mapped_column(Text, default="")
    comparator: Mapped[str] = mapped_column(String(10))
    value: Mapped[float | None] = mapped_column(Float)
    value_high: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(50), default="")
    role: Mapped[str] = mapped_column(String(10))
    placeholder: Mapped[bool] = mapped_column(Boolean, default=False)
    normalized_value: Mapped[float | None] = mapped_column(Float)
    normalized_unit: Mapped[str] = mapped_column(String(50), default="")
    removed_at: Mapped[datetime | None] = mapped_column(DateTime)


class Deadline(Base):
    __tablename__ = "deadlines"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    date: Mapped[date] = mapped_column(Date)
    precision: Mapped[str] = mapped_column(String(10))
    removed_at: Mapped[datetime | None] = mapped_column(DateTime)


class Period(Base):
    """A reporting period (month, quarter) with its cut-off."""

    __tablename__ = "periods"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    cutoff: Mapped[datetime] = mapped_column(DateTime)


class Report(Base):
    """最多报一次: one report per unit and period, covering all its tasks."""

    __tablename__ = "reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"), index=True)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    late: Mapped[bool] = mapped_column(Boolean, default=False)  # 补报: submitted after the cut-off
    edited_at: Mapped[datetime | None] = mapped_column(DateTime)  # last change after submission
    read_at: Mapped[datetime | None] = mapped_column(DateTime)  # a supervisor opened it: no more edits
    read_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    __table_args__ = (UniqueConstraint("unit_id", "period_id"),)

    items: Mapped[list[ReportItem]] = relationship(cascade="all, delete-orphan", order_by="ReportItem.id")


class ReportItem(Base):
    """One task's entry in a unit's report."""

    __tablename__ = "report_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"))
    work_done: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    percent: Mapped[float | None] = mapped_column(Float)
    __table_args__ = (
        UniqueConstraint("report_id", "task_id"),
        Index("ix_report_items_task", "task_id", "report_id"),
    )

    values: Mapped[list[ReportValue]] = relationship(cascade="all, delete-orphan")
    attachments: Mapped[list[Attachment]] = relationship(cascade="all, delete-orphan")


class ReportDraft(Base):
    """暂存: a unit's unfinished report for a period, the form's fields as typed (nothing is checked
    until it is submitted), resumed next time the form opens. Kept apart from `reports`, so no
    reader of reports ever counts a draft."""

    __tablename__ = "report_drafts"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"), index=True)
    fields: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # form field name -> text
    saved_by: Mapped[str] = mapped_column(String(100), default="")
    saved_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("unit_id", "period_id"),)


class ReportValue(Base):
    """The actual value reported for one target."""

    __tablename__ = "report_values"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_item_id: Mapped[int] = mapped_column(ForeignKey("report_items.id"), index=True)
    quantity_id: Mapped[int] = mapped_column(ForeignKey("quantities.id"), index=True)
    value: Mapped[float | None] = mapped_column(Float)


class Attachment(Base):
    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_item_id: Mapped[int] = mapped_column(ForeignKey("report_items.id"), index=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    original_name: Mapped[str] = mapped_column(String(500))


class Reminder(Base):
    """催办: manual or from the ladder; shown in the unit's inbox, e-mailed when SMTP is set."""

    __tablename__ = "reminders"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    kind: Mapped[str] = mapped_column(String(10))  # manual / auto
    key: Mapped[str] = mapped_column(String(100))  # auto: due date + rung, makes `tick` idempotent
    due_date: Mapped[date | None] = mapped_column(Date)
    message: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime)
    email_error: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (
        UniqueConstraint("task_id", "unit_id", "key"),
        Index("ix_reminders_unit", "unit_id", "created_at"),
    )


class AuditRecord(Base):
    """Append-only; each record stores the hash of the one before it (see audit.py)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[str] = mapped_column(String(50))
    before: Mapped[str] = mapped_column(Text)  # canonical JSON text, hashed as stored
    after: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)


class AuditHead(Base):
    """One row: the last sequence number and hash. Locking it serializes audit writers."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64), default="")


class LedgerVersion(Base):
    """One row: a random token that every committed change of ledger data replaces (version.py)."""

    __tablename__ = "ledger_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


class LoginThrottle(Base):
    """Failed sign-ins per account name or client address, and the lock they earned (lockout.py)."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(120), primary_key=True)  # "account:<name>" / "address:<ip>"
    failures: Mapped[int] = mapped_column(Integer, default=0)
    level: Mapped[int] = mapped_column(Integer, default=0)  # locks so far: the next one lasts twice as long
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_failure_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class LoginSession(Base):
    """A signed-in browser or API client; the cookie holds a random token, the table its sha256."""

    __tablename__ = "login_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    provider: Mapped[str] = mapped_column(String(30), default="password")  # password / cas / oauth2 ...
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    end_reason: Mapped[str] = mapped_column(String(20), default="")  # logout / idle / expired
    client: Mapped[str] = mapped_column(String(300), default="")  # address and user agent


class ImportDraft(Base):
    """An uploaded plan file, parsed and waiting for a person to review and correct it before import."""

    __tablename__ = "import_drafts"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)  # Plan JSON (SCHEMA.md), as corrected so far
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft / imported / discarded
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


# ---------------------------------------------------------------- assess: indicator registry, reconciliation
class Indicator(Base):
    """A canonical indicator (学前三年毛入园率): what targets and actuals of many documents are about."""

    __tablename__ = "indicators"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    unit: Mapped[str] = mapped_column(String(50), default="")  # the usual normalised unit, "" when free
    category: Mapped[str] = mapped_column(String(50), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    aliases: Mapped[list[IndicatorAlias]] = relationship(
        cascade="all, delete-orphan", order_by="IndicatorAlias.id"
    )


class IndicatorAlias(Base):
    """Another way documents write an indicator; stored in normalised form, unique across the registry."""

    __tablename__ = "indicator_aliases"
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    alias: Mapped[str] = mapped_column(String(200), unique=True)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ReconcileCorrection(Base):
    """A person's answer for one target against one source: the chosen actual, or "not mentioned".

    source is "summary:<plan id>" or "reports"; a later reconciliation run applies it over the
    automatic match.
    """

    __tablename__ = "reconcile_corrections"
    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("quantities.id"))
    source: Mapped[str] = mapped_column(String(30))
    actual_id: Mapped[int | None] = mapped_column(ForeignKey("quantities.id"))
    state: Mapped[str] = mapped_column(String(20))  # actual / not_mentioned
    note: Mapped[str] = mapped_column(Text, default="")
    corrected_by: Mapped[str] = mapped_column(String(100))
    corrected_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("target_id", "source"),)


class UnitAlias(Base):
    """A unit as plans write it (别名), mapped once on the decomposition page and matched from then on."""

    __tablename__ = "unit_aliases"
    id: Mapped[int] = mapped_column(primary_key=True)
    alias: Mapped[str] = mapped_column(String(200), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Instruction(Base):
    """领导批示: a leader's instruction on a task, or on one unit's report of it."""

    __tablename__ = "instructions"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class LightChange(Base):
    """A task's light as `tick` stored it when it changed, with the rule that gave it: its light history."""

    __tablename__ = "light_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    light: Mapped[str] = mapped_column(String(10))
    rule: Mapped[str] = mapped_column(String(30), default="")
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Delivery(Base):
    """One reminder pushed to one notifier channel: at most once per channel, retried, its failures shown."""

    __tablename__ = "deliveries"
    id: Mapped[int] = mapped_column(primary_key=True)
    reminder_id: Mapped[int] = mapped_column(ForeignKey("reminders.id"), index=True)
    channel: Mapped[str] = mapped_column(String(30))  # webhook / wecom / dingtalk
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending / sent / failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)  # next try (also a claim's lease)
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    __table_args__ = (
        UniqueConstraint("reminder_id", "channel"),
        Index("ix_deliveries_status", "status", "next_at"),
    )


# Whoever can write these tables has the version rule with them (its session events): imported last,
# as it needs LedgerVersion above.
from duban.ledger import version as _version  # noqa: E402, F401
