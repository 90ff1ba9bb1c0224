"""Meetings (hội nghị): the briefings that raise proposals and issue directives."""
