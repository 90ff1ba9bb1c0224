"""Five years of a province at scale: users, meetings, proposals, directives, assignments,
progress reports and their timelines, written with bulk inserts.

Scale 1 is SPEC §12's Gia Lai: ~1,000 users, ~300 meetings, ~20,000 proposals, ~3,000
directives with ~60,000 assignments (many of them broadcasts to all 135 communes),
~200,000 progress reports, ~50,000 attachment records. Scale N multiplies every count but
the users; the units stay the province's (135 communes and wards, ~25 provincial bodies)
with their staff, so at scale N each unit is N times busier.

Distributions are skewed on purpose (a few communes, fields and departments far busier
than the rest, Zipf-like), every proposal state, answer outcome, assignment state and
five-way status class is present, and each row's timeline matches its state: a closed
proposal was created, submitted, received, assigned, answered and closed, in that order,
before today. The same seed and the same `today` give the same rows.

Attachments are records only: no file is written, so downloading one answers 404.
No audit events are generated.
"""

from __future__ import annotations

import bisect
import math
import time as clock
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from random import Random

from sqlalchemy import func, select, text
from werkzeug.security import generate_password_hash

from app.benchdata import texts
from app.benchdata.writer import Writer
from app.directives import workflow as dw
from app.extensions import db
from app.models import COMMUNE_KINDS, LEADING_KIND, Field, Unit
from app.proposals import workflow as pw
from app.text import fold

BENCH_PASSWORD = "Bench-GiaoBan-2025"  # noqa: S105 — benchmark databases only, printed by the command
# The accounts bench/run.py logs in as (username -> role); units are chosen by the generator.
BENCH_ACCOUNTS = {
    "bench.commune": "commune",
    "bench.department": "department",
    "bench.coordinator": "coordinator",
    "bench.leader": "leader",
}

YEARS = 5
PER_SCALE = {
    "users": 1000,
    "meetings": 300,
    "proposals": 20000,
    "directives": 3000,
    "reports": 200000,
}
BROADCAST_SHARE = 0.115  # of directives, to all communes: ~345 × 135 ≈ 47,000 assignments
ALL_BODIES_SHARE = 0.03
ONGOING_SHARE = 0.12
LONG_TIMELINE_SHARE = 0.002  # proposals with 30-120 extra events (the "long timeline" page)
VIETNAM_OFFSET = timedelta(hours=7)  # Asia/Ho_Chi_Minh, no daylight saving

COLUMNS: dict[str, tuple[str, ...]] = {
    "users": (
        "id", "username", "full_name", "full_name_folded", "email", "role", "unit_id", "active",
        "password_hash", "must_change_password", "is_demo", "created_at", "last_login_at",
        "email_preference", "version",
    ),
    "meetings": (
        "id", "title", "title_folded", "held_on", "kind", "chair_name", "chair_title", "issuing_unit_id",
        "participants", "summary", "created_by_id", "created_at", "version",
    ),
    "proposals": (
        "id", "commune_unit_id", "author_id", "title", "title_folded", "content", "field_id",
        "requested_amount", "location", "meeting_id", "state", "received_at", "return_reason",
        "lead_unit_id", "answer_deadline", "assigned_at", "answered_at", "answered_on", "answered_by_id",
        "answer_outcome", "answer_planned_on", "answer_text", "feedback", "feedback_text", "feedback_at",
        "closed_at", "search_folded", "idempotency_key", "created_at", "submitted_at", "sent_at", "updated_at",
        "version",
    ),
    "proposal_support_units": ("proposal_id", "unit_id"),
    "proposal_events": (
        "id", "proposal_id", "created_at", "actor_id", "actor_unit_id", "kind", "action", "from_state",
        "to_state", "note",
    ),
    "directives": (
        "id", "meeting_id", "issued_by_name", "issued_by_title", "title", "content", "search_folded",
        "field_id", "deadline", "is_ongoing", "reporting_period", "created_by_id", "created_at",
        "updated_at", "version",
    ),
    "assignments": (
        "id", "directive_id", "unit_id", "role", "state", "original_deadline", "extended_deadline",
        "completion_requested_on", "completed_on", "state_reason", "assigned_by_id", "created_at",
        "updated_at", "version", "last_report_at",
    ),
    "extension_requests": (
        "id", "assignment_id", "previous_deadline", "requested_deadline", "reason", "state",
        "requested_by_id", "requested_at", "decided_by_id", "decided_at", "decision_note",
    ),
    "progress_reports": ("id", "assignment_id", "text", "percent", "author_id", "created_at"),
    "assignment_events": (
        "id", "assignment_id", "actor_id", "created_at", "kind", "from_state", "to_state", "note",
        "report_id", "extension_id",
    ),
    "directive_events": ("id", "directive_id", "actor_id", "created_at", "kind", "note", "changes"),
    "attachments": (
        "id", "owner_type", "original_name", "stored_name", "content_type", "size", "uploaded_by_id",
        "created_at", "owner_id",
    ),
}
_ID_TABLES = [name for name, cols in COLUMNS.items() if cols[0] == "id"]


class BenchDataError(RuntimeError):
    """The database cannot take benchmark data (not set up, or not empty)."""


# --- small helpers --------------------------------------------------------------------------


class Zipf:
    """Pick items with weight 1/rank**s: the first few far more often than the rest."""

    def __init__(self, items: list, s: float):
        self.items = items
        total = 0.0
        self.cumulative = []
        for rank in range(len(items)):
            total += 1.0 / (rank + 1) ** s
            self.cumulative.append(total)
        self.total = total

    def pick(self, rng: Random):
        return self.items[bisect.bisect_left(self.cumulative, rng.random() * self.total)]


def _office_time(day: date, rng: Random) -> datetime:
    """A moment in office hours (07:30-17:00 in the province) on day, in UTC."""
    minute = rng.randint(7 * 60 + 30, 17 * 60)
    local = datetime(day.year, day.month, day.day, minute // 60, minute % 60, rng.randint(0, 59), tzinfo=UTC)
    return local - VIETNAM_OFFSET


def _local_day(moment: datetime) -> date:
    return (moment + VIETNAM_OFFSET).date()


def _poisson(rng: Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


# Within one day: reports first, then extension business, then completion, then endings.
_EVENT_ORDER = {
    "report": 1, "extension_requested": 2, "extension_approved": 3, "extension_refused": 3,
    "completion_requested": 4, "sent_back": 5, "confirmed": 6, "extension_withdrawn": 7,
    "suspended": 8, "cancelled": 8,
}


def _ddmmyyyy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass
class People:
    """The accounts the generator writes as, by unit and role."""

    by_unit: dict[int, list[int]] = field(default_factory=dict)
    coordinators: list[int] = field(default_factory=list)
    leaders: list[int] = field(default_factory=list)

    def of_unit(self, unit_id: int, rng: Random) -> int | None:
        members = self.by_unit.get(unit_id)
        return rng.choice(members) if members else None


@dataclass
class DirectivePlan:
    id: int
    day: date
    created_at: datetime
    meeting_id: int | None
    field_id: int | None
    field_name: str
    deadline: date | None
    reporting_period: str | None
    batches: list[tuple[str, list[int]]]  # (role, unit ids)
    issuer: tuple[str, str]


# --- the generator --------------------------------------------------------------------------


class Generator:
    def __init__(self, scale: float, seed: int, today: date, log: Callable[[str], None]):
        self.scale = scale
        self.rng = Random(seed)  # noqa: S311 — reproducible fake data, not secrets
        self.today = today
        self.now = datetime(today.year, today.month, today.day, 3, tzinfo=UTC)  # 10:00 in the province
        self.start = today - timedelta(days=365 * YEARS)
        self.span = (today - self.start).days
        self.out: Writer | None = None  # set by generate() once its transaction is open
        self.log = log
        self.people = People()
        self.user_unit: dict[int, int] = {}
        self.next_id: dict[str, int] = {}
        self.stored_names = 0

    def count(self, key: str) -> int:
        return max(1, round(PER_SCALE[key] * self.scale))

    def new_id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def random_day(self, skew: float = 0.75) -> date:
        """A day in the five years, more recent ones a little more likely (activity grows)."""
        return self.start + timedelta(days=int(self.span * (self.rng.random() ** skew)))

    # --- reference data -------------------------------------------------------------------

    def load_reference(self) -> None:
        units = list(db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.id)))
        self.communes = [u for u in units if u.kind in COMMUNE_KINDS]
        self.bodies = [u for u in units if u.kind not in (*COMMUNE_KINDS, LEADING_KIND)]
        if len(self.communes) < 2 or len(self.bodies) < 3:
            raise BenchDataError("Run `flask setup` first: the province's units are missing.")
        self.unit_name = {u.id: u.name for u in units}
        by_code = {u.code: u for u in self.bodies}
        self.offices = [u for u in (by_code.get("TU-VP"), by_code.get("UB-VP")) if u] or self.bodies[:2]
        self.party_office = self.offices[0]
        self.departments = [u for u in self.bodies if u not in self.offices]
        fields = list(db.session.scalars(select(Field).where(Field.active.is_(True)).order_by(Field.sort_order, Field.id)))
        if not fields:
            raise BenchDataError("Run `flask setup` first: the fields are missing.")
        self.fields = fields
        self.field_lead = {f.id: f.default_lead_unit_id for f in fields}
        self.field_days = {f.id: f.default_answer_days or 30 for f in fields}
        rng = self.rng
        # Who is busy: a shuffled Zipf order over communes; fields in the article's order.
        busy_communes = self.communes[:]
        rng.shuffle(busy_communes)
        self.commune_pick = Zipf(busy_communes, 0.9)
        self.busiest_commune = busy_communes[0]
        self.field_pick = Zipf(fields, 1.0)
        busy_departments = self.departments[:]
        rng.shuffle(busy_departments)
        self.department_pick = Zipf(busy_departments, 1.1)
        # How reliably each unit reports and finishes on time (a few hardly ever do).
        self.diligence = {
            u.id: (rng.uniform(0.02, 0.15) if rng.random() < 0.1 else rng.uniform(0.45, 1.0)) for u in units
        }
        for table in _ID_TABLES:
            model_table = db.metadata.tables[table]
            self.next_id[table] = (db.session.scalar(select(func.max(model_table.c.id))) or 0) + 1

    # --- users ----------------------------------------------------------------------------

    def users(self) -> None:
        # Staff do not grow with the data: the units are the province's at every scale, and a
        # commune keeps its handful of accounts however busy it gets (at scale 25, 25 times
        # the accounts made every proposal notify 1,000 coordinators and a broadcast 17,000).
        rng, total = self.rng, max(1, round(PER_SCALE["users"] * min(self.scale, 1.0)))
        password_hash = generate_password_hash(BENCH_PASSWORD, method=self._hash_method())
        created = datetime.combine(self.start, datetime.min.time(), tzinfo=UTC)

        def add(username: str, role: str, unit: Unit, name: str | None = None) -> int:
            user_id = self.new_id("users")
            full_name = name or texts.person_name(rng)
            self.out.add("users", (
                user_id, username, full_name, fold(full_name), f"{username}@example.invalid", role, unit.id,
                True, password_hash, False, False, created, None, "none", 1,
            ))
            self.user_unit[user_id] = unit.id
            if role in ("commune", "department"):
                self.people.by_unit.setdefault(unit.id, []).append(user_id)
            elif role == "coordinator":
                self.people.coordinators.append(user_id)
            elif role == "leader":
                self.people.leaders.append(user_id)
            return user_id

        add("bench.commune", "commune", self.busiest_commune, "Rơ Châm Hiền")
        bench_department = next((u for u in self.departments if u.code == "SXD"), self.department_pick.items[0])
        add("bench.department", "department", bench_department, "Trần Văn Minh")
        add("bench.coordinator", "coordinator", self.party_office, "Phạm Quốc Khánh")
        add("bench.leader", "leader", self.party_office, "Lê Minh Quang")
        # Communes: two accounts each at least, busy ones more; departments likewise.
        commune_total = round(total * 0.66)
        for index, unit in enumerate(self.commune_pick.items):
            share = (1 / (index + 1) ** 0.9) / self.commune_pick.total
            for n in range(max(2, round(commune_total * share))):
                add(f"bd.{unit.code}.{n + 1}".lower(), "commune", unit)
        department_total = round(total * 0.26)
        for index, unit in enumerate(self.department_pick.items):
            share = (1 / (index + 1) ** 1.1) / self.department_pick.total
            for n in range(max(2, round(department_total * share))):
                add(f"bd.{unit.code}.{n + 1}".lower(), "department", unit)
        for n in range(max(2, round(total * 0.04))):
            add(f"bd.vp.{n + 1}", "coordinator", self.offices[n % len(self.offices)])
        for n in range(max(2, round(total * 0.02))):
            add(f"bd.ld.{n + 1}", "leader", self.offices[n % len(self.offices)])
        for n in range(2):
            add(f"bd.qt.{n + 1}", "admin", self.offices[-1])
        self.out.flush()

    def _hash_method(self) -> str:
        from flask import current_app

        return current_app.config["PASSWORD_HASH_METHOD"]

    # --- meetings -------------------------------------------------------------------------

    def meetings(self) -> None:
        rng = self.rng
        days = sorted(self.random_day(0.9) for _ in range(self.count("meetings")))
        self.meeting_days: list[date] = []
        self.meeting_ids: list[int] = []
        self.meeting_chair: dict[int, tuple[str, str]] = {}
        for day in days:
            meeting_id = self.new_id("meetings")
            template = rng.choice(texts.MEETING_TITLES)
            title = template.format(
                month=day.month, year=day.year, quarter=(day.month - 1) // 3 + 1,
                commune=self.commune_pick.pick(rng).name, topic=rng.choice(texts.MEETING_TOPICS),
            )
            chair = texts.LEADERS[0] if "Tỉnh ủy" in title else rng.choice(texts.LEADERS)
            issuing = self.party_office if "Tỉnh ủy" in title else self.offices[-1]
            kind = "giao_ban" if "giao ban" in title else ("lam_viec" if "làm việc" in title else "chuyen_de")
            creator = rng.choice(self.people.coordinators)
            self.out.add("meetings", (
                meeting_id, title, fold(title), day, kind, chair[0], chair[1], issuing.id,
                f"Đồng chí {chair[0]} - {chair[1]}, chủ trì; đại diện lãnh đạo các sở, ban, ngành của tỉnh.",
                texts.MEETING_SUMMARY, creator, _office_time(day, rng), 1,
            ))
            self.meeting_days.append(day)
            self.meeting_ids.append(meeting_id)
            self.meeting_chair[meeting_id] = chair
            for _ in range(rng.choice((0, 1, 1, 2))):
                self.attachment("meeting", meeting_id, creator, _office_time(day, rng))
        self.out.flush()

    def meeting_before(self, day: date, within_days: int = 45) -> int | None:
        index = bisect.bisect_right(self.meeting_days, day) - 1
        if index < 0 or (day - self.meeting_days[index]).days > within_days:
            return None
        return self.meeting_ids[index]

    def attachment(self, owner_type: str, owner_id: int, user_id: int | None, at: datetime) -> None:
        name, content_type = self.rng.choice(texts.ATTACHMENT_NAMES)
        self.stored_names += 1
        stored = f"bench{self.stored_names:012d}{self.rng.getrandbits(64):016x}"
        self.out.add("attachments", (
            self.new_id("attachments"), owner_type, name, stored, content_type,
            self.rng.randint(40_000, 4_000_000), user_id, at, owner_id,
        ))

    # --- proposals ------------------------------------------------------------------------

    def _final_state(self, age_days: int) -> str:
        r = self.rng.random()
        if age_days > 180:
            table = ((0.78, pw.CLOSED), (0.86, pw.ANSWERED), (0.90, pw.WITHDRAWN), (0.96, pw.ASSIGNED),
                     (0.98, pw.RETURNED), (0.99, pw.SUBMITTED), (1.0, pw.DRAFT))
        elif age_days > 60:
            table = ((0.45, pw.CLOSED), (0.65, pw.ANSWERED), (0.90, pw.ASSIGNED), (0.93, pw.WITHDRAWN),
                     (0.96, pw.RETURNED), (0.98, pw.SUBMITTED), (1.0, pw.DRAFT))
        else:
            table = ((0.35, pw.ASSIGNED), (0.55, pw.SUBMITTED), (0.67, pw.ANSWERED), (0.75, pw.CLOSED),
                     (0.81, pw.RETURNED), (0.96, pw.DRAFT), (1.0, pw.WITHDRAWN))
        return next(state for limit, state in table if r <= limit)

    def proposals(self) -> None:
        total = self.count("proposals")
        for n in range(total):
            self._proposal()
            if n % 5000 == 4999:
                self.log(f"  proposals: {n + 1:,}/{total:,}")
        self.out.flush()

    def _proposal(self) -> None:
        rng = self.rng
        pid = self.new_id("proposals")
        commune = self.commune_pick.pick(rng)
        author = self.people.of_unit(commune.id, rng)
        field_ = self.field_pick.pick(rng)
        day0 = self.random_day()
        created = _office_time(day0, rng)
        if created >= self.now:
            created = self.now - timedelta(hours=rng.uniform(2, 48))
        state = self._final_state((self.today - day0).days)
        title, content, location = texts.proposal_text(rng, field_.name, commune.name)
        amount = None
        if field_.name != "Khác" and rng.random() < 0.7:
            amount = int(math.exp(rng.uniform(math.log(2e8), math.log(5e10))) // 1_000_000 * 1_000_000)
        meeting_id = self.meeting_before(day0) if rng.random() < 0.6 else None

        lead = self.field_lead.get(field_.id)
        if lead is None or rng.random() < 0.15:
            lead = self.department_pick.pick(rng).id
        supports: list[int] = []
        for _ in range(1 if rng.random() < 0.25 else (2 if rng.random() < 0.13 else 0)):
            candidate = self.department_pick.pick(rng).id
            if candidate != lead and candidate not in supports:
                supports.append(candidate)

        coordinator = lambda: rng.choice(self.people.coordinators)  # noqa: E731
        lead_user = lambda: self.people.of_unit(lead, rng) or coordinator()  # noqa: E731
        # steps: (action, actor, from, to, note, hours after the previous step)
        steps: list[list] = [["create", author, None, pw.DRAFT, "", 0.0]]

        def step(action, actor, to_state, note="", hours=24.0):
            previous = steps[-1][3]
            steps.append([action, actor, previous, to_state, note, hours])

        def gap(low, high):
            return rng.uniform(low, high)

        if state == pw.DRAFT:
            for _ in range(rng.choice((0, 0, 1, 2))):
                step("edit", author, pw.DRAFT, hours=gap(1, 72))
        else:
            step("submit", author, pw.SUBMITTED, hours=gap(0.5, 72))
            if state == pw.WITHDRAWN:
                if rng.random() < 0.5:
                    step("receive", coordinator(), pw.SUBMITTED, hours=gap(2, 96))
                step("withdraw", author, pw.WITHDRAWN, rng.choice(texts.WITHDRAW_NOTES), hours=gap(24, 240))
            elif state == pw.RETURNED:
                step("receive", coordinator(), pw.SUBMITTED, hours=gap(2, 96))
                step("return", coordinator(), pw.RETURNED, rng.choice(texts.RETURN_REASONS), hours=gap(1, 72))
            elif state == pw.SUBMITTED:
                if rng.random() < 0.5:
                    step("receive", coordinator(), pw.SUBMITTED, hours=gap(2, 96))
            else:
                if rng.random() < 0.08:
                    step("receive", coordinator(), pw.SUBMITTED, hours=gap(2, 96))
                    step("return", coordinator(), pw.RETURNED, rng.choice(texts.RETURN_REASONS), hours=gap(1, 48))
                    step("edit", author, pw.RETURNED, hours=gap(24, 240))
                    step("submit", author, pw.SUBMITTED, hours=gap(0.5, 24))
                if rng.random() < 0.9:
                    step("receive", coordinator(), pw.SUBMITTED, hours=gap(2, 96))
                step("assign", coordinator(), pw.ASSIGNED, "", hours=gap(2, 120))
                self._conversation(step, supports, author, coordinator, lead_user, rng)
                if state in (pw.ANSWERED, pw.CLOSED):
                    self._answer_steps(step, author, coordinator, lead_user, field_.id, lead, state, rng)
            if rng.random() < LONG_TIMELINE_SHARE and state in (pw.ASSIGNED, pw.ANSWERED, pw.CLOSED):
                self._long_timeline(step, supports, author, coordinator, lead_user, state, rng)

        # Lay the steps out in time and squeeze them in before now when they overrun it.
        hours = [s[5] for s in steps]
        room = (self.now - created).total_seconds() / 3600 - 0.5
        spent = sum(hours)
        factor = room / spent if spent > room and spent > 0 else 1.0
        moments, at = [], created
        for h in hours:
            at = at + timedelta(hours=h * factor)
            moments.append(at)

        p = {
            "received_at": None, "return_reason": None, "lead": None, "deadline": None, "assigned_at": None,
            "answered_at": None, "answered_by": None, "outcome": None, "planned": None, "answer_text": None,
            "feedback": None, "feedback_text": None, "feedback_at": None, "closed_at": None, "submitted_at": None,
        }
        answer_days = self.field_days.get(field_.id, 30)
        event_rows = []
        for (action, actor, from_state, to_state, note, _h), at in zip(steps, moments, strict=True):
            actor_unit = self.user_unit.get(actor)
            if action == "submit":
                p["submitted_at"], p["received_at"], p["return_reason"] = at, None, None
            elif action == "receive":
                p["received_at"] = at
            elif action == "return":
                p["return_reason"] = note
            elif action in ("assign", "reassign"):
                p["lead"] = lead
                p["deadline"] = _local_day(at) + timedelta(days=answer_days)
                if action == "assign" and p["assigned_at"] is None:
                    p["assigned_at"] = at
                note = f"Chủ trì: {self.unit_name[lead]}"
                if supports:
                    note += "; Phối hợp: " + ", ".join(self.unit_name[u] for u in supports)
                note += f"; Hạn trả lời: {_ddmmyyyy(p['deadline'])}."
            elif action == "answer":
                outcome, answer_text, planned_days = note
                p["answered_at"], p["answered_by"], p["outcome"], p["answer_text"] = at, actor, outcome, answer_text
                p["planned"] = _local_day(at) + timedelta(days=planned_days) if outcome == pw.IN_PROGRESS else None
                label = {pw.RESOLVED: "Đã giải quyết", pw.IN_PROGRESS: "Đang giải quyết",
                         pw.EXPLAINED: "Giải trình, cung cấp thông tin"}[outcome]
                if p["planned"]:
                    label += f" (dự kiến {_ddmmyyyy(p['planned'])})"
                note = f"{label}: {answer_text}"
                p["feedback"] = p["feedback_text"] = p["feedback_at"] = p["closed_at"] = None
            elif action == "feedback":
                value, feedback_text = note
                p["feedback"], p["feedback_text"], p["feedback_at"] = value, feedback_text, at
                label = "Đồng ý" if value == pw.AGREE else "Chưa đồng ý"
                note = f"{label}: {feedback_text}" if feedback_text else label
            elif action == "close":
                p["closed_at"] = at
            elif action == "reopen":
                for key in ("answered_at", "answered_by", "outcome", "planned", "answer_text", "feedback",
                            "feedback_text", "feedback_at", "closed_at"):
                    p[key] = None
            kind = pw.RULES[action].kind if action in pw.RULES else "transition"
            event_rows.append((
                self.new_id("proposal_events"), pid, at, actor, actor_unit, kind, action, from_state, to_state, note,
            ))
        last = moments[-1]
        answered_on = _local_day(p["answered_at"]) if p["answered_at"] else None
        search = fold(" ".join((title, content, location, commune.name)))
        self.out.add("proposals", (
            pid, commune.id, author, title, fold(title), content, field_.id, amount, location, meeting_id, state,
            p["received_at"], p["return_reason"] if state == pw.RETURNED else None, p["lead"], p["deadline"],
            p["assigned_at"], p["answered_at"], answered_on, p["answered_by"], p["outcome"], p["planned"],
            p["answer_text"], p["feedback"], p["feedback_text"], p["feedback_at"], p["closed_at"], search, None,
            created, p["submitted_at"], p["submitted_at"] or created, last, len(steps),
        ))
        for row in event_rows:  # after their proposal: a flush in between must not break the foreign key
            self.out.add("proposal_events", row)
        if p["lead"] is not None:
            for unit_id in supports:
                self.out.add("proposal_support_units", (pid, unit_id))
        for _ in range(rng.choice((0, 0, 1, 1, 1, 2, 3))):
            self.attachment("proposal", pid, author, created)
        if p["answered_at"] is not None and rng.random() < 0.2:
            self.attachment("proposal_answer", pid, p["answered_by"], p["answered_at"])

    def _conversation(self, step, supports, author, coordinator, lead_user, rng) -> None:
        for unit_id in supports:
            if rng.random() < 0.7:
                opinion_author = self.people.of_unit(unit_id, rng)
                if opinion_author:
                    note = rng.choice(texts.OPINIONS).format(unit=self.unit_name[unit_id])
                    step("opinion", opinion_author, pw.ASSIGNED, note, hours=rng.uniform(24, 400))
        if rng.random() < 0.25:
            who = rng.choice((author, coordinator(), lead_user()))
            step("comment", who, pw.ASSIGNED, rng.choice(texts.COMMENTS), hours=rng.uniform(12, 300))
        if rng.random() < 0.05:
            step("leader_comment", rng.choice(self.people.leaders), pw.ASSIGNED, rng.choice(texts.LEADER_COMMENTS),
                 hours=rng.uniform(12, 300))
        if rng.random() < 0.04:
            step("reassign", coordinator(), pw.ASSIGNED, "", hours=rng.uniform(24, 200))

    def _answer_steps(self, step, author, coordinator, lead_user, field_id, lead, state, rng) -> None:
        days = self.field_days.get(field_id, 30)
        on_time = rng.random() < 0.72
        hours = rng.uniform(24, days * 24) if on_time else (days + rng.uniform(1, 60)) * 24
        outcome = rng.choices((pw.RESOLVED, pw.IN_PROGRESS, pw.EXPLAINED), (0.5, 0.3, 0.2))[0]
        answer_text = rng.choice(texts.ANSWERS[outcome]).format(unit=self.unit_name[lead])
        step("answer", lead_user(), pw.ANSWERED, (outcome, answer_text, rng.randint(30, 240)), hours=hours)
        if rng.random() < 0.55:
            value = pw.AGREE if rng.random() < 0.8 else pw.DISAGREE
            step("feedback", author, pw.ANSWERED, (value, rng.choice(texts.FEEDBACK_TEXTS[value])),
                 hours=rng.uniform(2, 240))
        if state == pw.CLOSED:
            step("close", coordinator(), pw.CLOSED, "", hours=rng.uniform(2, 240))

    def _long_timeline(self, step, supports, author, coordinator, lead_user, state, rng) -> None:
        """A proposal discussed for months: many comments, opinions and leader's comments, reopened."""
        current = steps_state = state
        for _ in range(rng.randint(30, 120)):
            kind = rng.random()
            if kind < 0.5:
                who = rng.choice((author, coordinator(), lead_user()))
                step("comment", who, current, rng.choice(texts.COMMENTS), hours=rng.uniform(2, 72))
            elif kind < 0.8:
                step("leader_comment", rng.choice(self.people.leaders), current, rng.choice(texts.LEADER_COMMENTS),
                     hours=rng.uniform(2, 72))
            elif current in (pw.ANSWERED, pw.CLOSED) and kind < 0.9:
                step("reopen", coordinator(), pw.ASSIGNED, rng.choice(texts.REOPEN_REASONS), hours=rng.uniform(2, 72))
                current = pw.ASSIGNED
            elif current == pw.ASSIGNED:
                outcome = rng.choice(pw.OUTCOMES)
                answer_text = rng.choice(texts.ANSWERS[outcome]).format(unit="Đơn vị chủ trì")
                step("answer", lead_user(), pw.ANSWERED, (outcome, answer_text, rng.randint(30, 240)),
                     hours=rng.uniform(2, 72))
                current = pw.ANSWERED
        # End in the state the proposal was meant to be in.
        if steps_state == pw.ASSIGNED and current != pw.ASSIGNED:
            step("reopen", coordinator(), pw.ASSIGNED, rng.choice(texts.REOPEN_REASONS), hours=rng.uniform(2, 72))
        elif steps_state in (pw.ANSWERED, pw.CLOSED):
            if current == pw.ASSIGNED:
                outcome = rng.choice(pw.OUTCOMES)
                answer_text = rng.choice(texts.ANSWERS[outcome]).format(unit="Đơn vị chủ trì")
                step("answer", lead_user(), pw.ANSWERED, (outcome, answer_text, rng.randint(30, 240)),
                     hours=rng.uniform(2, 72))
                current = pw.ANSWERED
            if steps_state == pw.CLOSED and current == pw.ANSWERED:
                step("close", coordinator(), pw.CLOSED, "", hours=rng.uniform(2, 72))
            elif steps_state == pw.ANSWERED and current == pw.CLOSED:
                step("reopen", coordinator(), pw.ASSIGNED, rng.choice(texts.REOPEN_REASONS), hours=rng.uniform(2, 72))
                outcome = rng.choice(pw.OUTCOMES)
                answer_text = rng.choice(texts.ANSWERS[outcome]).format(unit="Đơn vị chủ trì")
                step("answer", lead_user(), pw.ANSWERED, (outcome, answer_text, rng.randint(30, 240)),
                     hours=rng.uniform(2, 72))

    # --- directives -----------------------------------------------------------------------

    def plan_directives(self) -> list[DirectivePlan]:
        rng = self.rng
        commune_ids = [u.id for u in self.communes]
        body_ids = [u.id for u in self.bodies if u not in self.offices]
        directive_fields = [f for f in self.fields if f.name in texts.DIRECTIVE_TOPICS] or self.fields
        field_pick = Zipf(directive_fields, 0.8)
        plans = []
        for _ in range(self.count("directives")):
            day = self.random_day(0.85)
            meeting_id = self.meeting_before(day, 30) if rng.random() < 0.7 else None
            created_at = _office_time(day, rng)
            if created_at >= self.now:
                created_at = self.now - timedelta(hours=rng.uniform(2, 24))
                day = _local_day(created_at)
            field_ = field_pick.pick(rng)
            ongoing = rng.random() < ONGOING_SHARE
            deadline = None if ongoing else day + timedelta(days=rng.choice((15, 30, 30, 45, 60, 90, 120)))
            period = rng.choice(("weekly", "monthly", "monthly", "quarterly")) if ongoing else None
            r = rng.random()
            if r < BROADCAST_SHARE:
                batches = [(dw.LEAD, commune_ids)]
                if rng.random() < 0.3:
                    batches.append((dw.SUPPORT, sorted({self.department_pick.pick(rng).id for _ in range(2)})))
            elif r < BROADCAST_SHARE + ALL_BODIES_SHARE:
                batches = [(dw.LEAD, body_ids)]
            else:
                size = min(40, 1 + int(rng.paretovariate(1.3)))
                picked: list[int] = []
                for _ in range(size):
                    unit = (self.department_pick if rng.random() < 0.6 else self.commune_pick).pick(rng)
                    if unit.id not in picked:
                        picked.append(unit.id)
                # The first picked unit leads; each other one leads too or supports, at even odds.
                support = [u for u in picked[1:] if rng.random() < 0.5]
                batches = [(dw.LEAD, [picked[0], *(u for u in picked[1:] if u not in support)])]
                if support:
                    batches.append((dw.SUPPORT, support))
            issuer = self.meeting_chair.get(meeting_id) if meeting_id else None
            plans.append(DirectivePlan(
                id=self.new_id("directives"), day=day, created_at=created_at, meeting_id=meeting_id,
                field_id=field_.id, field_name=field_.name, deadline=deadline, reporting_period=period,
                batches=batches, issuer=issuer or rng.choice(texts.LEADERS),
            ))
        return plans

    def directives(self) -> None:
        plans = self.plan_directives()
        # How often units report, so that the total comes out near the target.
        weight = 0.0
        for plan in plans:
            end = min(self.today, plan.deadline + timedelta(days=15)) if plan.deadline else self.today
            days = max(0, (end - plan.day).days)
            for _role, unit_ids in plan.batches:
                weight += days * sum(self.diligence[u] for u in unit_ids)
        # The estimate above stops at the deadline; open overdue assignments keep reporting until
        # today, which adds about a third (measured at scale 1), hence the correction.
        self.report_rate = 0.77 * self.count("reports") / weight if weight else 0.0
        for n, plan in enumerate(plans):
            self._directive(plan)
            if n % 500 == 499:
                self.log(f"  directives: {n + 1:,}/{len(plans):,}")
        self.out.flush()

    def _directive(self, plan: DirectivePlan) -> None:
        rng = self.rng
        coordinator = rng.choice(self.people.coordinators)
        title, content = texts.directive_text(rng, plan.field_name, plan.day)
        issuer_name, issuer_title = plan.issuer
        search = fold(" ".join((title, content, issuer_name)))
        updated = plan.created_at
        self.out.add("directives", (
            plan.id, plan.meeting_id, issuer_name, issuer_title, title, content, search, plan.field_id,
            plan.deadline, plan.deadline is None, plan.reporting_period, coordinator, plan.created_at, updated, 1,
        ))
        self.out.add("directive_events", (
            self.new_id("directive_events"), plan.id, coordinator, plan.created_at, "created", None, None,
        ))
        if rng.random() < 0.3:
            self.attachment("directive", plan.id, coordinator, plan.created_at)
        assigned_at = min(plan.created_at + timedelta(hours=rng.uniform(0.1, 30)), self.now - timedelta(hours=1))
        for role, unit_ids in plan.batches:
            self.out.add("directive_events", (
                self.new_id("directive_events"), plan.id, coordinator, assigned_at, "assigned", None,
                {"role": role, "created": len(unit_ids), "skipped": 0},
            ))
            for unit_id in unit_ids:
                self._assignment(plan, unit_id, role, assigned_at, coordinator)
        if rng.random() < 0.06:
            at = min(assigned_at + timedelta(days=rng.uniform(1, 60)), self.now - timedelta(minutes=30))
            self.out.add("directive_events", (
                self.new_id("directive_events"), plan.id, rng.choice(self.people.leaders), at, "comment",
                rng.choice(texts.DIRECTIVE_COMMENTS), None,
            ))

    def _assignment(self, plan: DirectivePlan, unit_id: int, role: str, assigned_at: datetime, coordinator: int) -> None:
        rng, today = self.rng, self.today
        aid = self.new_id("assignments")
        author = self.people.of_unit(unit_id, rng)
        diligence = self.diligence[unit_id]
        start = _local_day(assigned_at)
        deadline = plan.deadline
        state, extended, requested_on, completed_on, reason = dw.IN_PROGRESS, None, None, None, None
        end_day = today  # the last day the unit worked on it (reports stop there)
        events: list[tuple] = []  # (day, actor, kind, from, to, note, extension_id)
        extension = None

        if deadline is None:
            r = rng.random()
            if r < 0.03:
                state, reason = dw.SUSPENDED, rng.choice(texts.STOP_REASONS)
            elif r < 0.05:
                state, reason = dw.CANCELLED, rng.choice(texts.STOP_REASONS)
            if reason:
                end_day = self._day_between(start, today)
                events.append((end_day, coordinator, "suspended" if state == dw.SUSPENDED else "cancelled",
                               dw.IN_PROGRESS, state, reason, None))
        else:
            past = (today - deadline).days
            r = rng.random()
            if r < 0.015 and past > 0:
                state, reason = dw.CANCELLED, rng.choice(texts.STOP_REASONS)
            elif r < 0.03:
                state, reason = dw.SUSPENDED, rng.choice(texts.STOP_REASONS)
            else:
                if past > 30:
                    done_p, awaiting_p = 0.9, 0.02
                elif past >= 0:
                    done_p, awaiting_p = 0.6, 0.1
                else:
                    done_p, awaiting_p = 0.15, 0.08
                r = rng.random()
                if r < done_p:
                    state = dw.DONE
                elif r < done_p + awaiting_p:
                    state = dw.AWAITING_CONFIRMATION
            if reason:
                end_day = self._day_between(start, min(today, deadline + timedelta(days=30)))
                events.append((end_day, coordinator, "suspended" if state == dw.SUSPENDED else "cancelled",
                               dw.IN_PROGRESS, state, reason, None))
            # An extension request now and then, decided consistently with the outcome.
            if state != dw.SUSPENDED and rng.random() < 0.06 and deadline > start:
                asked = self._day_between(start, min(deadline, today))
                wanted = deadline + timedelta(days=rng.randint(15, 45))
                if state == dw.IN_PROGRESS and rng.random() < 0.3 and wanted > today:
                    decision = dw.EXT_PENDING
                elif state in (dw.DONE, dw.CANCELLED) and rng.random() < 0.15:
                    decision = dw.EXT_WITHDRAWN
                else:
                    decision = dw.EXT_APPROVED if rng.random() < 0.65 else dw.EXT_REFUSED
                extension = (asked, wanted, decision)
                if decision == dw.EXT_APPROVED:
                    extended = wanted
            in_force = extended or deadline
            if state in (dw.DONE, dw.AWAITING_CONFIRMATION):
                on_time = rng.random() < 0.55 + 0.4 * diligence
                latest = today - timedelta(days=1)
                if on_time or in_force >= latest:
                    requested_on = self._day_between(start, min(in_force, latest))
                else:
                    requested_on = self._day_between(in_force + timedelta(days=1), min(in_force + timedelta(days=90), latest))
                if state == dw.AWAITING_CONFIRMATION:
                    requested_on = max(requested_on, today - timedelta(days=rng.randint(0, 20)), start)
                end_day = requested_on
                if state == dw.DONE and rng.random() < 0.05:
                    # Sent back once before it was accepted.
                    first = self._day_between(start, requested_on)
                    events.append((first, author, "completion_requested", dw.IN_PROGRESS, dw.AWAITING_CONFIRMATION, None, None))
                    events.append((first, coordinator, "sent_back", dw.AWAITING_CONFIRMATION, dw.IN_PROGRESS,
                                   "Đề nghị bổ sung báo cáo kết quả.", None))
                events.append((requested_on, author, "completion_requested", dw.IN_PROGRESS, dw.AWAITING_CONFIRMATION, None, None))
                if state == dw.DONE:
                    completed_on = requested_on
                    confirmed = min(requested_on + timedelta(days=rng.randint(0, 7)), today)
                    events.append((confirmed, coordinator, "confirmed", dw.AWAITING_CONFIRMATION, dw.DONE, None, None))

        if extension is not None:
            asked, wanted, decision = extension
            extension_id = self.new_id("extension_requests")
            events.append((asked, author, "extension_requested", None, None, None, extension_id))
            if decision in (dw.EXT_APPROVED, dw.EXT_REFUSED):
                decided = min(asked + timedelta(days=rng.randint(0, 5)), today)
                events.append((decided, coordinator, f"extension_{decision}", None, None, None, extension_id))
            elif decision == dw.EXT_WITHDRAWN:
                ended = [e[0] for e in events if e[2] in ("confirmed", "cancelled")]
                events.append((max(ended[-1] if ended else asked, asked), coordinator, "extension_withdrawn",
                               None, None, None, extension_id))

        # Progress reports while the unit worked on it; careless units hardly ever report.
        window = max(0, (end_day - start).days)
        count = min(80, _poisson(rng, self.report_rate * window * diligence)) if window else 0
        report_days = sorted(self._day_between(start, end_day) for _ in range(count))
        report_texts = {}
        for index, day in enumerate(report_days):
            percent = min(100, round(100 * (index + 1) / (count + 1)) + rng.randint(-5, 5))
            if state == dw.DONE and index == count - 1:
                percent = 100
            report_id = self.new_id("progress_reports")
            report_texts[report_id] = (texts.report_text(rng), max(1, percent))
            events.append((day, author, "report", None, None, f"{max(1, percent)}%", ("report", report_id)))

        # One timeline: by day, then in the order things happen within a day, each after the last.
        events.sort(key=lambda e: (e[0], _EVENT_ORDER.get(e[2], 5)))
        moments, previous = [], assigned_at
        for event in events:
            at = _office_time(event[0], rng)
            if at <= previous:
                at = previous + timedelta(minutes=rng.randint(1, 90))
            if at >= self.now:
                at = previous + timedelta(seconds=1)
            moments.append(at)
            previous = at

        # The latest report's moment, written with the task: the reports below go newest first,
        # so that the database's trigger (migration 0029_last_report) finds it right and writes nothing.
        reported = [at for event, at in zip(events, moments, strict=True) if isinstance(event[6], tuple)]
        self.out.add("assignments", (
            aid, plan.id, unit_id, role, state, deadline, extended, requested_on, completed_on, reason,
            coordinator, assigned_at, previous, 1 + len(events), reported[-1] if reported else None,
        ))
        # Children after their assignment, for the foreign keys.
        if extension is not None:
            asked_at = next(m for e, m in zip(events, moments, strict=True) if e[2] == "extension_requested")
            decided_at = next((m for e, m in zip(events, moments, strict=True)
                               if e[2].startswith("extension_") and e[2] != "extension_requested"), None)
            self.out.add("extension_requests", (
                extension_id, aid, deadline, wanted, rng.choice(texts.EXTENSION_REASONS), decision, author, asked_at,
                None if decision == dw.EXT_PENDING else coordinator, decided_at, None,
            ))
        for event, at in reversed(list(zip(events, moments, strict=True))):
            link = event[6]
            if isinstance(link, tuple):
                text_, percent = report_texts[link[1]]
                self.out.add("progress_reports", (link[1], aid, text_, percent, author, at))
                if rng.random() < 0.1:
                    self.attachment("progress_report", link[1], author, at)
        self.out.add("assignment_events", (
            self.new_id("assignment_events"), aid, coordinator, assigned_at, "assigned", None, dw.IN_PROGRESS,
            "Chủ trì" if role == dw.LEAD else "Phối hợp", None, None,
        ))
        for (_day, actor, kind, from_state, to_state, note, link), at in zip(events, moments, strict=True):
            report_id = link[1] if isinstance(link, tuple) else None
            ext_id = link if isinstance(link, int) else None
            self.out.add("assignment_events", (
                self.new_id("assignment_events"), aid, actor, at, kind, from_state, to_state, note, report_id, ext_id,
            ))

    def _day_between(self, first: date, last: date) -> date:
        if last <= first:
            return first
        return first + timedelta(days=self.rng.randint(0, (last - first).days))


def generate(scale: float, seed: int, today: date, log: Callable[[str], None] = print) -> dict[str, int]:
    """Fill the current app's (set-up, empty) database; returns rows written per table."""
    if scale <= 0:
        raise BenchDataError("--scale must be positive.")
    for table in ("proposals", "directives", "meetings"):
        if db.session.scalar(select(func.count()).select_from(db.metadata.tables[table])):
            raise BenchDataError(f"The database already holds {table}; bench-data fills an empty one.")
    started = clock.perf_counter()
    generator = Generator(scale, seed, today, log)
    generator.load_reference()
    db.session.remove()  # the writer's transaction below must be the only one holding the database
    with db.engine.begin() as connection:
        writer = generator.out = Writer(connection, COLUMNS)
        phases = [("users", generator.users), ("meetings", generator.meetings),
                  ("proposals", generator.proposals), ("directives", generator.directives)]
        for name, phase in phases:
            phase_start = clock.perf_counter()
            phase()
            log(f"{name}: done in {clock.perf_counter() - phase_start:.1f} s")
        writer.flush()
        if connection.dialect.name == "postgresql":
            for table in _ID_TABLES:
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 — fixed table names
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                ))
    db.session.remove()
    analyse_start = clock.perf_counter()
    if db.engine.dialect.name == "postgresql":
        # What autovacuum would have done by now: statistics, and the visibility map without
        # which PostgreSQL will not answer counts from an index alone.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
        log(f"VACUUM ANALYZE: {clock.perf_counter() - analyse_start:.1f} s")
    else:
        with db.engine.begin() as connection:  # committed: SQLite keeps its statistics in sqlite_stat1
            connection.exec_driver_sql("ANALYZE")
        log(f"ANALYZE: {clock.perf_counter() - analyse_start:.1f} s")
    counts = dict(writer.counts)
    counts["seconds"] = round(clock.perf_counter() - started, 1)
    return counts
