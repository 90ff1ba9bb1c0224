"""Printed reports (print page, Word, PDF) and the Excel exports of lists."""
