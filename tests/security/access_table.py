"""Expected outcome of every route for every role (see test_access_matrix.py).

Columns, in order: anonymous, commune_a (outsider commune), commune_b (owner), department
(SXD: lead on the proposal, has its own assignment), department_other (SNV: uninvolved),
coordinator, leader, admin. "login": sent to the login page; "ok": past access control;
"stop": htmx told to stop polling; numbers: that status.
"""

ROLES = (
    "anonymous",
    "commune_a",
    "commune_b",
    "department",
    "department_other",
    "coordinator",
    "leader",
    "admin",
)

_TABLE = {
    "/account/api-tokens": {
        "GET": "login ok ok ok ok ok ok ok",
        "POST": "login ok ok ok ok ok ok ok",
    },
    "/account/api-tokens/<int:token_id>/revoke": {"POST": "login 404 ok 404 404 404 404 ok"},
    # The API with a cookie session: 401 for everyone (tokens only; the token matrix is
    # API_EXPECTED below, tests/security/test_api_access_matrix.py).
    "/api/v1/docs": {"GET": "ok ok ok ok ok ok ok ok"},
    "/api/v1/openapi.json": {"GET": "ok ok ok ok ok ok ok ok"},
    "/api/v1/assignments": {"GET": "401 401 401 401 401 401 401 401"},
    "/api/v1/assignments/<int:assignment_id>": {"GET": "401 401 401 401 401 401 401 401"},
    "/api/v1/assignments/<int:assignment_id>/completion": {"POST": "401 401 401 401 401 401 401 401"},
    "/api/v1/assignments/<int:assignment_id>/reports": {"POST": "401 401 401 401 401 401 401 401"},
    "/api/v1/directives": {
        "GET": "401 401 401 401 401 401 401 401",
        "POST": "401 401 401 401 401 401 401 401",
    },
    "/api/v1/directives/<int:directive_id>": {"GET": "401 401 401 401 401 401 401 401"},
    "/api/v1/directives/<int:directive_id>/assignments": {"POST": "401 401 401 401 401 401 401 401"},
    "/api/v1/fields": {"GET": "401 401 401 401 401 401 401 401"},
    "/api/v1/figures": {"GET": "401 401 401 401 401 401 401 401"},
    "/api/v1/me": {"GET": "401 401 401 401 401 401 401 401"},
    "/api/v1/meetings": {"GET": "401 401 401 401 401 401 401 401"},
    "/api/v1/meetings/<int:meeting_id>": {"GET": "401 401 401 401 401 401 401 401"},
    "/api/v1/proposals": {
        "GET": "401 401 401 401 401 401 401 401",
        "POST": "401 401 401 401 401 401 401 401",
    },
    "/api/v1/proposals/<int:proposal_id>": {"GET": "401 401 401 401 401 401 401 401"},
    "/api/v1/units": {"GET": "401 401 401 401 401 401 401 401"},
    "/api/v1/units/<int:unit_id>": {"GET": "401 401 401 401 401 401 401 401"},
    "/": {"GET": "login ok ok ok ok ok ok ok"},
    "/account/notifications": {
        "GET": "login ok ok ok ok ok ok ok",
        "POST": "login ok ok ok ok ok ok ok",
    },
    "/account/password": {
        "GET": "login ok ok ok ok ok ok ok",
        "POST": "login ok ok ok ok ok ok ok",
    },
    "/admin/audit": {"GET": "login 403 403 403 403 403 403 ok"},
    "/admin/days-off/": {
        "GET": "login 403 403 403 403 403 403 ok",
        "POST": "login 403 403 403 403 403 403 ok",
    },
    "/admin/days-off/<int:day_off_id>/delete": {"POST": "login 403 403 403 403 403 403 ok"},
    "/admin/fields": {"GET": "login 403 403 403 403 403 403 ok"},
    "/admin/fields/<int:field_id>": {
        "GET": "login 403 403 403 403 403 403 ok",
        "POST": "login 403 403 403 403 403 403 ok",
    },
    "/admin/fields/new": {
        "GET": "login 403 403 403 403 403 403 ok",
        "POST": "login 403 403 403 403 403 403 ok",
    },
    "/admin/settings": {
        "GET": "login 403 403 403 403 403 403 ok",
        "POST": "login 403 403 403 403 403 403 ok",
    },
    "/admin/units": {"GET": "login 403 403 403 403 403 403 ok"},
    "/admin/units/<int:unit_id>/edit": {
        "GET": "login 403 403 403 403 403 403 ok",
        "POST": "login 403 403 403 403 403 403 ok",
    },
    "/admin/units/<int:unit_id>/row": {"GET": "login 403 403 403 403 403 403 ok"},
    "/admin/units/new": {
        "GET": "login 403 403 403 403 403 403 ok",
        "POST": "login 403 403 403 403 403 403 ok",
    },
    "/admin/users": {"GET": "login 403 403 403 403 403 403 ok"},
    "/admin/users/<int:user_id>": {
        "GET": "login 403 403 403 403 403 403 ok",
        "POST": "login 403 403 403 403 403 403 ok",
    },
    "/admin/users/<int:user_id>/active": {"POST": "login 403 403 403 403 403 403 ok"},
    "/admin/users/<int:user_id>/reset-password": {"POST": "login 403 403 403 403 403 403 ok"},
    "/admin/users/new": {
        "GET": "login 403 403 403 403 403 403 ok",
        "POST": "login 403 403 403 403 403 403 ok",
    },
    "/assignments": {"GET": "login ok ok ok ok ok ok 403"},
    "/assignments/<int:assignment_id>": {"GET": "login 404 ok 404 404 ok ok 403"},
    "/assignments/<int:assignment_id>/<any(report,complete,extend,review,decide,stop,resume):action>[complete]": {
        "POST": "login 404 ok 404 404 403 403 403"
    },
    "/assignments/<int:assignment_id>/<any(report,complete,extend,review,decide,stop,resume):action>[decide]": {
        "POST": "login 404 403 404 404 ok 403 403"
    },
    "/assignments/<int:assignment_id>/<any(report,complete,extend,review,decide,stop,resume):action>[extend]": {
        "POST": "login 404 ok 404 404 403 403 403"
    },
    "/assignments/<int:assignment_id>/<any(report,complete,extend,review,decide,stop,resume):action>[report]": {
        "POST": "login 404 ok 404 404 403 403 403"
    },
    "/assignments/<int:assignment_id>/<any(report,complete,extend,review,decide,stop,resume):action>[resume]": {
        "POST": "login 404 403 404 404 ok 403 403"
    },
    "/assignments/<int:assignment_id>/<any(report,complete,extend,review,decide,stop,resume):action>[review]": {
        "POST": "login 404 403 404 404 ok 403 403"
    },
    "/assignments/<int:assignment_id>/<any(report,complete,extend,review,decide,stop,resume):action>[stop]": {
        "POST": "login 404 403 404 404 ok 403 403"
    },
    "/calendar/days-off": {"GET": "login ok ok ok ok ok ok ok"},
    "/delegation/assignments/<int:assignment_id>/<any(assign,reassign,unassign,submit,withdraw,approve,return):action>[approve]": {
        "POST": "login 404 403 404 404 403 403 403"
    },
    "/delegation/assignments/<int:assignment_id>/<any(assign,reassign,unassign,submit,withdraw,approve,return):action>[assign]": {
        "POST": "login 404 403 404 404 403 403 403"
    },
    "/delegation/assignments/<int:assignment_id>/<any(assign,reassign,unassign,submit,withdraw,approve,return):action>[reassign]": {
        "POST": "login 404 403 404 404 403 403 403"
    },
    "/delegation/assignments/<int:assignment_id>/<any(assign,reassign,unassign,submit,withdraw,approve,return):action>[return]": {
        "POST": "login 404 403 404 404 403 403 403"
    },
    "/delegation/assignments/<int:assignment_id>/<any(assign,reassign,unassign,submit,withdraw,approve,return):action>[submit]": {
        "POST": "login 404 403 404 404 403 403 403"
    },
    "/delegation/assignments/<int:assignment_id>/<any(assign,reassign,unassign,submit,withdraw,approve,return):action>[unassign]": {
        "POST": "login 404 403 404 404 403 403 403"
    },
    "/delegation/assignments/<int:assignment_id>/<any(assign,reassign,unassign,submit,withdraw,approve,return):action>[withdraw]": {
        "POST": "login 404 403 404 404 403 403 403"
    },
    "/delegation/proposals/<int:proposal_id>/<any(assign,reassign,unassign,submit,withdraw,approve,return):action>[approve]": {
        "POST": "login 404 404 403 404 403 403 403"
    },
    "/delegation/proposals/<int:proposal_id>/<any(assign,reassign,unassign,submit,withdraw,approve,return):action>[assign]": {
        "POST": "login 404 404 403 404 403 403 403"
    },
    "/delegation/proposals/<int:proposal_id>/<any(assign,reassign,unassign,submit,withdraw,approve,return):action>[reassign]": {
        "POST": "login 404 404 403 404 403 403 403"
    },
    "/delegation/proposals/<int:proposal_id>/<any(assign,reassign,unassign,submit,withdraw,approve,return):action>[return]": {
        "POST": "login 404 404 403 404 403 403 403"
    },
    "/delegation/proposals/<int:proposal_id>/<any(assign,reassign,unassign,submit,withdraw,approve,return):action>[submit]": {
        "POST": "login 404 404 403 404 403 403 403"
    },
    "/delegation/proposals/<int:proposal_id>/<any(assign,reassign,unassign,submit,withdraw,approve,return):action>[unassign]": {
        "POST": "login 404 404 403 404 403 403 403"
    },
    "/delegation/proposals/<int:proposal_id>/<any(assign,reassign,unassign,submit,withdraw,approve,return):action>[withdraw]": {
        "POST": "login 404 404 403 404 403 403 403"
    },
    "/my-work": {"GET": "login ok ok ok ok 403 403 403"},
    "/dashboard/": {"GET": "login 403 403 403 403 ok ok 403"},
    "/dashboard/reporting": {"GET": "login 403 403 403 403 ok ok 403"},
    "/dashboard/trends": {"GET": "login 403 403 403 403 ok ok 403"},
    "/dashboard/export.xlsx": {
        "GET": "login 403 403 403 403 ok ok 403",
        "POST": "login 403 403 403 403 ok ok 403",
    },
    "/dashboard/summary.<any(pdf,docx):fmt>[docx]": {
        "GET": "login 403 403 403 403 ok ok 403",
        "POST": "login 403 403 403 403 ok ok 403",
    },
    "/dashboard/summary.<any(pdf,docx):fmt>[pdf]": {
        "GET": "login 403 403 403 403 ok ok 403",
        "POST": "login 403 403 403 403 ok ok 403",
    },
    "/directives": {"GET": "login ok ok ok ok ok ok 403"},
    "/directives/<int:directive_id>": {"GET": "login 404 ok ok 404 ok ok 403"},
    "/directives/<int:directive_id>/assign": {
        "GET": "login 403 403 403 403 ok 403 403",
        "POST": "login 403 403 403 403 ok 403 403",
    },
    "/directives/<int:directive_id>/comments": {"POST": "login 403 403 403 403 403 ok 403"},
    "/directives/<int:directive_id>/nudge": {"POST": "login 403 403 403 403 ok 403 403"},
    "/directives/<int:directive_id>/edit": {
        "GET": "login 403 403 403 403 ok 403 403",
        "POST": "login 403 403 403 403 ok 403 403",
    },
    "/directives/deadline-preview": {"GET": "login 403 403 403 403 ok 403 403"},
    "/directives/new": {
        "GET": "login 403 403 403 403 ok 403 403",
        "POST": "login 403 403 403 403 ok 403 403",
    },
    "/files/<int:attachment_id>": {"GET": "login 404 ok ok 404 ok ok 404"},
    "/healthz": {"GET": "ok ok ok ok ok ok ok ok"},
    "/imports/<any(proposals, directives):kind>/template.xlsx[directives]": {
        "GET": "login 403 403 403 403 ok 403 403"
    },
    "/imports/<any(proposals, directives):kind>/template.xlsx[proposals]": {
        "GET": "login 403 403 403 403 ok 403 403"
    },
    "/imports/<any(proposals, directives):kind>[directives]": {
        "GET": "login 403 403 403 403 ok 403 403",
        "POST": "login 403 403 403 403 ok 403 403",
    },
    "/imports/<any(proposals, directives):kind>[proposals]": {
        "GET": "login 403 403 403 403 ok 403 403",
        "POST": "login 403 403 403 403 ok 403 403",
    },
    "/imports/batches/<token>": {"GET": "login 404 ok 404 404 404 403 403"},
    "/imports/batches/<token>/confirm": {"POST": "login 404 ok 404 404 404 403 403"},
    "/imports/batches/<token>/discard": {"POST": "login 404 ok 404 404 404 403 403"},
    # The file a confirmed import came from (commune B's progress file on its own assignment):
    # its importer, the office, the admin, and who sees every item it changed (the leader).
    "/imports/sources/<int:batch_id>": {"GET": "login 404 ok 404 404 ok ok ok"},
    "/imports/progress": {
        "GET": "login ok ok ok ok ok 403 403",
        "POST": "login ok ok ok ok ok 403 403",
    },
    "/imports/progress/download.xlsx": {"GET": "login ok ok ok ok ok 403 403"},
    "/login": {"GET": "ok ok ok ok ok ok ok ok", "POST": "ok ok ok ok ok ok ok ok"},
    "/logout": {"POST": "login login login login login login login login"},
    "/meetings": {"GET": "login ok ok ok ok ok ok 403"},
    "/meetings/<int:meeting_id>": {"GET": "login ok ok ok ok ok ok 403"},
    "/meetings/<int:meeting_id>/edit": {
        "GET": "login 403 403 403 403 ok 403 403",
        "POST": "login 403 403 403 403 ok 403 403",
    },
    "/meetings/<int:meeting_id>/notice": {
        "GET": "login 403 403 403 403 ok 403 403",
        "POST": "login 403 403 403 403 ok 403 403",
    },
    # the world's attachment is not a file of the meeting
    "/meetings/<int:meeting_id>/notice/<int:attachment_id>": {"GET": "login 403 403 403 403 404 403 403"},
    "/meetings/<int:meeting_id>/notice/issue": {"POST": "login 403 403 403 403 ok 403 403"},
    "/meetings/<int:meeting_id>/notice/row": {"POST": "login 403 403 403 403 ok 403 403"},
    "/meetings/new": {
        "GET": "login 403 403 403 403 ok 403 403",
        "POST": "login 403 403 403 403 ok 403 403",
    },
    "/notifications": {"GET": "login ok ok ok ok ok ok ok"},
    "/notifications/<int:notification_id>/open": {"POST": "login 404 ok 404 404 404 404 404"},
    "/notifications/<int:notification_id>/read": {"POST": "login 404 ok 404 404 404 404 404"},
    "/notifications/bell": {"GET": "stop ok ok ok ok ok ok ok"},
    "/notifications/read-all": {"POST": "login ok ok ok ok ok ok ok"},
    "/proposals/": {"GET": "login ok ok ok ok ok ok 403"},
    "/proposals/<int:proposal_id>": {"GET": "login 404 ok ok 404 ok ok 404"},
    "/proposals/<int:proposal_id>/<any(submit,withdraw,receive,return,classify,assign,answer,close,reopen,feedback,note):action>[answer]": {
        "POST": "login 404 403 ok 404 403 403 404"
    },
    "/proposals/<int:proposal_id>/<any(submit,withdraw,receive,return,classify,assign,answer,close,reopen,feedback,note):action>[assign]": {
        "POST": "login 404 403 403 404 ok 403 404"
    },
    "/proposals/<int:proposal_id>/<any(submit,withdraw,receive,return,classify,assign,answer,close,reopen,feedback,note):action>[classify]": {
        "POST": "login 404 403 403 404 ok 403 404"
    },
    "/proposals/<int:proposal_id>/<any(submit,withdraw,receive,return,classify,assign,answer,close,reopen,feedback,note):action>[close]": {
        "POST": "login 404 403 403 404 ok 403 404"
    },
    "/proposals/<int:proposal_id>/<any(submit,withdraw,receive,return,classify,assign,answer,close,reopen,feedback,note):action>[feedback]": {
        "POST": "login 404 ok 403 404 403 403 404"
    },
    "/proposals/<int:proposal_id>/<any(submit,withdraw,receive,return,classify,assign,answer,close,reopen,feedback,note):action>[note]": {
        "POST": "login 404 ok ok 404 ok ok 404"
    },
    "/proposals/<int:proposal_id>/<any(submit,withdraw,receive,return,classify,assign,answer,close,reopen,feedback,note):action>[receive]": {
        "POST": "login 404 403 403 404 ok 403 404"
    },
    "/proposals/<int:proposal_id>/<any(submit,withdraw,receive,return,classify,assign,answer,close,reopen,feedback,note):action>[reopen]": {
        "POST": "login 404 403 403 404 ok 403 404"
    },
    "/proposals/<int:proposal_id>/<any(submit,withdraw,receive,return,classify,assign,answer,close,reopen,feedback,note):action>[return]": {
        "POST": "login 404 403 403 404 ok 403 404"
    },
    "/proposals/<int:proposal_id>/<any(submit,withdraw,receive,return,classify,assign,answer,close,reopen,feedback,note):action>[submit]": {
        "POST": "login 404 ok 403 404 403 403 404"
    },
    "/proposals/<int:proposal_id>/<any(submit,withdraw,receive,return,classify,assign,answer,close,reopen,feedback,note):action>[withdraw]": {
        "POST": "login 404 ok 403 404 403 403 404"
    },
    "/proposals/<int:proposal_id>/nudge": {"POST": "login 403 403 403 403 ok 403 403"},
    "/proposals/<int:proposal_id>/delete": {"POST": "login 404 ok 403 404 403 403 404"},
    "/proposals/<int:proposal_id>/delete[draft]": {"POST": "login 404 ok 404 404 404 404 404"},
    "/proposals/<int:proposal_id>/edit": {
        "GET": "login 404 ok 403 404 403 403 404",
        "POST": "login 404 ok 403 404 403 403 404",
    },
    "/proposals/<int:proposal_id>/edit[draft]": {
        "GET": "login 404 ok 404 404 404 404 404",
        "POST": "login 404 ok 404 404 404 404 404",
    },
    "/proposals/<int:proposal_id>/files/<int:attachment_id>/remove": {
        "POST": "login 404 ok 403 404 403 403 404"
    },
    "/proposals/<int:proposal_id>[draft]": {"GET": "login 404 ok 404 404 404 404 404"},
    "/proposals/bulk": {"POST": "login 403 403 403 403 ok 403 403"},
    "/proposals/deadline-preview": {"GET": "login 403 403 403 403 ok 403 403"},
    "/proposals/inbox": {"GET": "login 403 403 403 403 ok 403 403"},
    "/proposals/new": {
        "GET": "login ok ok 403 403 403 403 403",
        "POST": "login ok ok 403 403 403 403 403",
    },
    # A document job and its file: only the user who asked for it (others 404).
    "/documents/jobs/<int:job_id>": {"GET": "login 404 ok 404 404 404 404 404"},
    "/documents/jobs/<int:job_id>/file": {"GET": "login 404 ok 404 404 404 404 404"},
    "/reports/": {"GET": "login ok ok ok ok ok ok 403"},
    "/reports/<any(meeting,directives,unit,weekly):name>.<any(docx,pdf):fmt>[directives,docx]": {
        "GET": "login 403 403 403 403 ok ok 403",
        "POST": "login 403 403 403 403 ok ok 403",
    },
    "/reports/<any(meeting,directives,unit,weekly):name>.<any(docx,pdf):fmt>[directives,pdf]": {
        "GET": "login 403 403 403 403 ok ok 403",
        "POST": "login 403 403 403 403 ok ok 403",
    },
    "/reports/<any(meeting,directives,unit,weekly):name>.<any(docx,pdf):fmt>[meeting,docx]": {
        "GET": "login 403 403 403 403 ok ok 403",
        "POST": "login 403 403 403 403 ok ok 403",
    },
    "/reports/<any(meeting,directives,unit,weekly):name>.<any(docx,pdf):fmt>[meeting,pdf]": {
        "GET": "login 403 403 403 403 ok ok 403",
        "POST": "login 403 403 403 403 ok ok 403",
    },
    "/reports/<any(meeting,directives,unit,weekly):name>.<any(docx,pdf):fmt>[unit,docx]": {
        "GET": "login 404 ok 404 404 ok ok 403",
        "POST": "login 404 ok 404 404 ok ok 403",
    },
    "/reports/<any(meeting,directives,unit,weekly):name>.<any(docx,pdf):fmt>[unit,pdf]": {
        "GET": "login 404 ok 404 404 ok ok 403",
        "POST": "login 404 ok 404 404 ok ok 403",
    },
    "/reports/<any(meeting,directives,unit,weekly):name>.<any(docx,pdf):fmt>[weekly,docx]": {
        "GET": "login 403 403 403 403 ok ok 403",
        "POST": "login 403 403 403 403 ok ok 403",
    },
    "/reports/<any(meeting,directives,unit,weekly):name>.<any(docx,pdf):fmt>[weekly,pdf]": {
        "GET": "login 403 403 403 403 ok ok 403",
        "POST": "login 403 403 403 403 ok ok 403",
    },
    "/reports/<any(meeting,directives,unit,weekly):name>[directives]": {
        "GET": "login 403 403 403 403 ok ok 403"
    },
    "/reports/<any(meeting,directives,unit,weekly):name>[meeting]": {
        "GET": "login 403 403 403 403 ok ok 403"
    },
    "/reports/<any(meeting,directives,unit,weekly):name>[unit]": {
        "GET": "login 404 ok 404 404 ok ok 403"
    },
    "/reports/<any(meeting,directives,unit,weekly):name>[weekly]": {
        "GET": "login 403 403 403 403 ok ok 403"
    },
    "/reports/briefing": {"GET": "login 403 403 403 403 ok ok 403"},
    "/reports/briefing.<any(docx,pdf):fmt>[docx]": {
        "GET": "login 403 403 403 403 ok ok 403",
        "POST": "login 403 403 403 403 ok ok 403",
    },
    "/reports/briefing.<any(docx,pdf):fmt>[pdf]": {
        "GET": "login 403 403 403 403 ok ok 403",
        "POST": "login 403 403 403 403 ok ok 403",
    },
    "/reports/briefing/<int:meeting_id>": {"GET": "login 403 403 403 403 ok ok 403"},
    "/reports/briefing/<int:meeting_id>.<any(docx,pdf):fmt>[docx]": {
        "GET": "login 403 403 403 403 ok ok 403",
        "POST": "login 403 403 403 403 ok ok 403",
    },
    "/reports/briefing/<int:meeting_id>.<any(docx,pdf):fmt>[pdf]": {
        "GET": "login 403 403 403 403 ok ok 403",
        "POST": "login 403 403 403 403 ok ok 403",
    },
    "/reports/export/assignments.csv": {
        "GET": "login ok ok ok ok ok ok 403",
        "POST": "login ok ok ok ok ok ok 403",
    },
    "/reports/export/assignments.xlsx": {
        "GET": "login ok ok ok ok ok ok 403",
        "POST": "login ok ok ok ok ok ok 403",
    },
    "/reports/export/proposals.csv": {
        "GET": "login ok ok ok ok ok ok 403",
        "POST": "login ok ok ok ok ok ok 403",
    },
    "/reports/export/proposals.xlsx": {
        "GET": "login ok ok ok ok ok ok 403",
        "POST": "login ok ok ok ok ok ok 403",
    },
    "/views": {"POST": "login ok ok ok ok ok ok ok"},
    "/views/<int:view_id>/delete": {"POST": "login 404 ok 404 404 404 404 404"},
}


# The API through tokens (test_api_access_matrix.py): the same columns, "anonymous" meaning no
# token; each role's token has the widest scope its role allows (read for leaders and admins).
_API_TABLE = {
    "/api/v1/assignments": {"GET": "401 ok ok ok ok ok ok 403"},
    "/api/v1/assignments/<int:assignment_id>": {"GET": "401 404 ok 404 404 ok ok 403"},
    "/api/v1/assignments/<int:assignment_id>/completion": {"POST": "401 404 ok 404 404 403 403 403"},
    "/api/v1/assignments/<int:assignment_id>/reports": {"POST": "401 404 ok 404 404 403 403 403"},
    "/api/v1/directives": {
        "GET": "401 ok ok ok ok ok ok 403",
        "POST": "401 403 403 403 403 ok 403 403",
    },
    "/api/v1/directives/<int:directive_id>": {"GET": "401 404 ok ok 404 ok ok 403"},
    "/api/v1/directives/<int:directive_id>/assignments": {"POST": "401 403 403 403 403 ok 403 403"},
    "/api/v1/fields": {"GET": "401 ok ok ok ok ok ok ok"},
    "/api/v1/figures": {"GET": "401 ok ok ok ok ok ok 403"},
    "/api/v1/me": {"GET": "401 ok ok ok ok ok ok ok"},
    "/api/v1/meetings": {"GET": "401 ok ok ok ok ok ok 403"},
    "/api/v1/meetings/<int:meeting_id>": {"GET": "401 ok ok ok ok ok ok 403"},
    "/api/v1/proposals": {
        "GET": "401 ok ok ok ok ok ok 403",
        "POST": "401 ok ok 403 403 403 403 403",
    },
    "/api/v1/proposals/<int:proposal_id>": {"GET": "401 404 ok ok 404 ok ok 404"},
    "/api/v1/units": {"GET": "401 ok ok ok ok ok ok ok"},
    "/api/v1/units/<int:unit_id>": {"GET": "401 ok ok ok ok ok ok ok"},
}


def _expand(table):
    out: dict[str, dict[str, dict[str, str]]] = {}
    for key, methods in table.items():
        for method, row in methods.items():
            values = row.split()
            assert len(values) == len(ROLES), key
            out.setdefault(key, {})[method] = dict(zip(ROLES, values, strict=True))
    return out


EXPECTED = _expand(_TABLE)
API_EXPECTED = _expand(_API_TABLE)
