"""Notifications: the bell, e-mail and the daily reminders."""
