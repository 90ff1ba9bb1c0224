"""What a document job can build: each kind names a function that checks the request and
returns the document's name, type and builder.

The features register their kinds (app/reports/documents.py); the same functions serve the
request that starts a job (which only checks: a 403, 404 or 400 comes at once) and the job's
process (which builds), so a document is made one way only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

# progress(percent, step): the builder says how far it is, in words the user reads.
Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class Prepared:
    """A document the user may have: its file name, its MIME type and how to build it:
    build(progress, out) writes the document into out, the job's file (binary)."""

    file_name: str
    mime: str
    build: Callable[[Progress, BinaryIO], None]


_KINDS: dict[str, Callable[..., Prepared]] = {}


def register(kind: str, prepare: Callable[..., Prepared]) -> None:
    _KINDS[kind] = prepare


def prepare(kind: str, parameters: dict) -> Prepared:
    """The document of kind for the current request and user (aborts 403/404/400 as its view)."""
    return _KINDS[kind](**parameters)
