"""The API's shapes (marshmallow): what each endpoint reads from the request and answers.

flask-smorest turns these into the OpenAPI document and validates requests against them,
so the document and the checks are one thing.
"""

from flask_babel import lazy_gettext as _l
from marshmallow import RAISE, Schema, ValidationError, fields, validate

from app.api.models import SCOPES
from app.directives import status
from app.directives import workflow as directive_workflow
from app.proposals import workflow as proposal_workflow
from app.text import clean

ID = {"validate": validate.Range(min=1, max=2**31 - 1)}
TEXT_SHORT = validate.Length(min=1, max=300)


class Text(fields.String):
    """Text as the site's forms read it (app.text.clean), trimmed; a NUL byte or a lone
    surrogate (which PostgreSQL cannot store) is refused with a message."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in value:
            raise ValidationError(str(_l("Nội dung không được chứa ký tự NUL.")))
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError(str(_l("Nội dung có ký tự không hợp lệ."))) from None
        return clean(value).strip()


class Strict(Schema):
    class Meta:
        unknown = RAISE
        ordered = True


class Query(Schema):
    """A query string. No length limits in the document: the site cleans every query-string
    value of control characters before anything reads it (app.urls), so a limit there would
    judge a value other than the one sent; the views bound lengths themselves (SEARCH_MAX)."""

    class Meta:
        unknown = RAISE  # a misspelt filter is an error, not a silently wider list
        ordered = True


# --- shared pieces ----------------------------------------------------------------------------


class UnitRef(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class UnitOut(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    is_commune = fields.Boolean(required=True)
    active = fields.Boolean(required=True)


class FieldOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    active = fields.Boolean(required=True)


class MeetingOut(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    held_on = fields.Date(required=True)
    kind = fields.String(required=True)
    chair_name = fields.String(required=True)
    chair_title = fields.String(required=True)
    summary = fields.String(required=True)
    version = fields.Integer(required=True)


class PageMeta(Schema):
    total = fields.Integer(required=True, metadata={"description": "Rows matching, counted up to a cap"})
    total_capped = fields.Boolean(required=True, metadata={"description": "True: more rows than total"})
    next_cursor = fields.String(allow_none=True, required=True,
                                metadata={"description": "Pass as ?after= for the next page; null on the last"})


class PageQuery(Query):
    after = fields.String(metadata={"description": "next_cursor of the previous page; another value is a 422"})
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=100))


class Counts(Schema):
    """The five status classes (and the two counted apart) with both rates."""

    done_on_time = fields.Integer(required=True)
    done_late = fields.Integer(required=True)
    open_on_time = fields.Integer(required=True)
    open_overdue = fields.Integer(required=True)
    ongoing = fields.Integer(required=True)
    suspended = fields.Integer(required=True)
    cancelled = fields.Integer(required=True)
    total = fields.Integer(required=True)
    completion_rate = fields.Float(allow_none=True, required=True, metadata={
        "description": "done / (done + open_overdue), 0..1; null when nothing is due"})
    on_time_rate = fields.Float(allow_none=True, required=True, metadata={
        "description": "done_on_time / done, 0..1; null when nothing is done"})


# --- meetings, units, fields ------------------------------------------------------------------


class MeetingQuery(PageQuery):
    q = fields.String(metadata={"description": "words to find (at most 200 characters)"})


class MeetingPage(PageMeta):
    items = fields.List(fields.Nested(MeetingOut), required=True)


class UnitQuery(Query):
    q = fields.String(metadata={"description": "words to find (at most 200 characters)"})
    level = fields.String(validate=validate.OneOf(["commune", "province"]))


# --- proposals --------------------------------------------------------------------------------


class ProposalOut(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    content = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf(proposal_workflow.STATES))
    state_label = fields.String(required=True)
    commune = fields.Nested(UnitRef, required=True)
    field = fields.Nested(FieldOut, required=True)
    meeting_id = fields.Integer(allow_none=True, required=True)
    requested_amount = fields.Integer(allow_none=True, required=True, metadata={"description": "whole đồng"})
    location = fields.String(required=True)
    lead_unit = fields.Nested(UnitRef, allow_none=True, required=True)
    support_units = fields.List(fields.Nested(UnitRef), required=True)
    answer_deadline = fields.Date(allow_none=True, required=True)
    answered_on = fields.Date(allow_none=True, required=True)
    answer_outcome = fields.String(allow_none=True, required=True)
    answer_text = fields.String(allow_none=True, required=True)
    sent_at = fields.DateTime(allow_none=True, required=True)
    version = fields.Integer(required=True)


class ProposalQuery(PageQuery):
    q = fields.String(metadata={"description": "words to find (at most 200 characters)"})
    state = fields.String(validate=validate.OneOf(proposal_workflow.STATES))
    field_id = fields.Integer(**ID)
    commune_id = fields.Integer(**ID)
    department_id = fields.Integer(**ID, metadata={"description": "lead or support unit"})
    lead_id = fields.Integer(**ID)
    meeting_id = fields.Integer(**ID)
    timeliness = fields.String(validate=validate.OneOf(["answered_on_time", "answered_late", "pending_on_time",
                                                        "pending_overdue"]))
    date_from = fields.Date(metadata={"description": "sent on or after"})
    date_to = fields.Date(metadata={"description": "sent on or before"})


class ProposalPage(PageMeta):
    items = fields.List(fields.Nested(ProposalOut), required=True)


class ProposalIn(Strict):
    title = Text(required=True, validate=TEXT_SHORT)
    content = Text(required=True, validate=validate.Length(min=1, max=20000))
    field_id = fields.Integer(required=True, **ID)
    requested_amount = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=10**15))
    location = Text(validate=validate.Length(max=200))
    meeting_id = fields.Integer(allow_none=True, **ID)
    submit = fields.Boolean(load_default=True, metadata={
        "description": "true (default): sent to the province at once; false: kept as the commune's draft"})


# --- directives and assignments --------------------------------------------------------------


class DirectiveOut(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    content = fields.String(required=True)
    meeting_id = fields.Integer(allow_none=True, required=True)
    field_id = fields.Integer(allow_none=True, required=True)
    issued_by_name = fields.String(required=True)
    issued_by_title = fields.String(required=True)
    deadline = fields.Date(allow_none=True, required=True)
    is_ongoing = fields.Boolean(required=True)
    reporting_period = fields.String(allow_none=True, required=True)
    created_at = fields.DateTime(required=True)
    version = fields.Integer(required=True)
    rollup = fields.Nested(Counts, required=True, metadata={
        "description": "its assignments by status class, as many as this token may see"})


class DirectiveQuery(PageQuery):
    q = fields.String(metadata={"description": "words to find (at most 200 characters)"})
    field_id = fields.Integer(**ID)
    meeting_id = fields.Integer(**ID)
    unit_id = fields.Integer(**ID)
    status = fields.String(validate=validate.OneOf(status.ALL_KEYS))
    deadline_from = fields.Date()
    deadline_to = fields.Date()


class DirectivePage(PageMeta):
    items = fields.List(fields.Nested(DirectiveOut), required=True)


class StatusOut(Schema):
    key = fields.String(required=True, validate=validate.OneOf(status.ALL_KEYS))
    label = fields.String(required=True)
    days_overdue = fields.Integer(required=True)
    days_left = fields.Integer(allow_none=True, required=True)
    due_soon = fields.Boolean(required=True)


class AssignmentOut(Schema):
    id = fields.Integer(required=True)
    directive_id = fields.Integer(required=True)
    directive_title = fields.String(required=True)
    unit = fields.Nested(UnitRef, required=True)
    role = fields.String(required=True, validate=validate.OneOf(directive_workflow.ROLES))
    state = fields.String(required=True)
    state_label = fields.String(required=True)
    original_deadline = fields.Date(allow_none=True, required=True)
    extended_deadline = fields.Date(allow_none=True, required=True)
    deadline = fields.Date(allow_none=True, required=True)
    completion_requested_on = fields.Date(allow_none=True, required=True)
    completed_on = fields.Date(allow_none=True, required=True)
    status = fields.Nested(StatusOut, required=True)
    version = fields.Integer(required=True)


class AssignmentQuery(PageQuery):
    q = fields.String(metadata={"description": "words to find (at most 200 characters)"})
    status = fields.String(load_default="all", validate=validate.OneOf(
        ("all", "open", "awaiting", "extension", *status.ALL_KEYS)))
    unit_id = fields.Integer(**ID)
    field_id = fields.Integer(**ID)
    date_from = fields.Date()
    date_to = fields.Date()


class AssignmentPage(PageMeta):
    items = fields.List(fields.Nested(AssignmentOut), required=True)


class AssignIn(Strict):
    role = fields.String(load_default=directive_workflow.LEAD, validate=validate.OneOf(directive_workflow.ROLES))
    scope = fields.String(required=True, validate=validate.OneOf(["all_communes", "all_bodies", "picked"]),
                          metadata={"description": "all_communes: every active commune in one call"})
    unit_ids = fields.List(fields.Integer(**ID), validate=validate.Length(max=2000),
                           metadata={"description": "with scope=picked"})


class AssignOut(Schema):
    directive_id = fields.Integer(required=True)
    created = fields.Integer(required=True)
    skipped = fields.Integer(required=True, metadata={"description": "units that already had it"})


class DirectiveIn(Strict):
    title = Text(required=True, validate=TEXT_SHORT)
    content = Text(required=True, validate=validate.Length(min=1, max=20000))
    meeting_id = fields.Integer(allow_none=True, **ID)
    field_id = fields.Integer(allow_none=True, **ID)
    issued_by_name = Text(required=True, validate=validate.Length(min=1, max=120))
    issued_by_title = Text(load_default="", validate=validate.Length(max=200))
    deadline = fields.Date(allow_none=True)
    is_ongoing = fields.Boolean(load_default=False)
    reporting_period = Text(allow_none=True, validate=validate.OneOf(status.REPORTING_PERIODS))
    assign = fields.Nested(AssignIn, metadata={"description": "assign it in the same call"})


class DirectiveCreated(Schema):
    directive = fields.Nested(DirectiveOut, required=True)
    assigned = fields.Nested(AssignOut, allow_none=True, required=True)


class ReportIn(Strict):
    text = Text(required=True, validate=validate.Length(min=1, max=10000))
    percent = fields.Integer(required=True, validate=validate.Range(min=0, max=100))


class ReportOut(Schema):
    id = fields.Integer(required=True)
    assignment_id = fields.Integer(required=True)
    text = fields.String(required=True)
    percent = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)


class CompletionIn(Strict):
    note = Text(load_default=None, allow_none=True, validate=validate.Length(max=5000))


# --- figures ----------------------------------------------------------------------------------


class FiguresQuery(Query):
    period = fields.String(validate=validate.OneOf(["week", "month", "quarter", "custom"]),
                           metadata={"description": "default: this month; custom needs date_from and date_to"})
    date_from = fields.Date()
    date_to = fields.Date()
    field_id = fields.Integer(**ID)
    unit_id = fields.Integer(**ID)


class UnitCounts(Schema):
    unit = fields.Nested(UnitRef, required=True)
    counts = fields.Nested(Counts, required=True)


class ProposalFigures(Schema):
    total = fields.Integer(required=True)
    by_state = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    timeliness = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class FiguresOut(Schema):
    period_from = fields.Date(required=True)
    period_to = fields.Date(required=True)
    as_of = fields.Date(required=True)
    assignments = fields.Nested(Counts, required=True)
    units = fields.List(fields.Nested(UnitCounts), required=True,
                        metadata={"description": "per unit: provincial bodies, then communes, each most overdue first "
                                         "(the dashboard's order)"})
    proposals = fields.Nested(ProposalFigures, required=True)


# --- tokens -----------------------------------------------------------------------------------


class TokenOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    scope = fields.String(required=True, validate=validate.OneOf(SCOPES))
    user_id = fields.Integer(required=True)
    role = fields.String(required=True)
    unit_id = fields.Integer(required=True)
    expires_on = fields.Date(required=True)
