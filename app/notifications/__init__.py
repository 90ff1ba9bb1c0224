"""Notifications: the bell, e-mail and the daily reminders.

What features call (docs/notifications.md has examples):

    from app.notifications import notify, users_of_unit, coordinators, register_reminder_source
"""

from app.notifications.reminders import Reminder, due_soon_until, register_reminder_source
from app.notifications.services import (
    Delivery,
    coordinators,
    mark_object_read,
    notify,
    notify_many,
    path_for,
    users_of_unit,
    users_with_role,
)

__all__ = [
    "Delivery",
    "Reminder",
    "coordinators",
    "due_soon_until",
    "mark_object_read",
    "notify",
    "notify_many",
    "path_for",
    "register_reminder_source",
    "users_of_unit",
    "users_with_role",
]
