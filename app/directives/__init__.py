"""Directives (chỉ đạo): assigned to many units at once and followed until done."""
