"""The units a deadline period counts in. The lowest layer: models and the deadline rules
(app.deadlines) both read these, so neither has to import the other."""

from flask_babel import lazy_gettext as _l

CALENDAR = "calendar"
WORKING = "working"
UNITS = (CALENDAR, WORKING)
UNIT_LABELS = {CALENDAR: _l("ngày"), WORKING: _l("ngày làm việc")}
