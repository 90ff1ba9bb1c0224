"""Notifications: the bell, e-mail and the daily reminders.

What features call (docs/notifications.md has examples):

    from app.notifications import notify, users_of_unit, coordinators
"""

from app.notifications.services import (
    coordinators,
    mark_object_read,
    notify,
    path_for,
    users_of_unit,
    users_with_role,
)

__all__ = [
    "coordinators",
    "mark_object_read",
    "notify",
    "path_for",
    "users_of_unit",
    "users_with_role",
]
