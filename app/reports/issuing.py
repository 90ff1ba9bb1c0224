"""In whose name a printed report is issued, who signs it, and who drafted it.

A unit drafts in its own name, and in the name of the body it serves (units.doc_drafts_for):
the Văn phòng UBND tỉnh for the UBND tỉnh ("TM. ỦY BAN NHÂN DÂN"), the Văn phòng Tỉnh ủy for
the Tỉnh ủy ("T/M BAN THƯỜNG VỤ"). The coordinator picks one of those when printing, and may
change the signer's title lines and write the signer's name.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app.documents.headers import UnitHeader, header_of
from app.extensions import db
from app.models import Unit

MAX_SIGNER_TITLE = 200
MAX_SIGNER_NAME = 120


@dataclass(frozen=True)
class Issuing:
    issuer: Unit  # the body the report is issued in the name of
    drafter: Unit  # the unit that drafted it: its symbol ends "Lưu: VT, …."
    signer_title: str = ""  # lines separated by "\n"; "" = the issuer's default
    signer_name: str = ""

    @property
    def header(self) -> UnitHeader:
        return header_of(self.issuer, current_app.config["PROVINCE_CODE"])

    @property
    def drafter_header(self) -> UnitHeader:
        return header_of(self.drafter, current_app.config["PROVINCE_CODE"])

    @property
    def signer_lines(self) -> str:
        lines = [line.strip() for line in self.signer_title.splitlines() if line.strip()]
        return "\n".join(lines) if lines else "\n".join(self.header.signer)


def bodies_for(unit: Unit, *also: Unit | None) -> list[Unit]:
    """The bodies a report drafted in unit may be issued in the name of: the unit itself, the
    body it drafts for, and for a meeting's report the meeting's issuing body (also)."""
    out: list[Unit] = []
    for candidate in (unit, *also):
        if candidate is None:
            continue
        for body in (candidate, _drafts_for(candidate)):
            if body is not None and body.active and body not in out:
                out.append(body)
    return out


def _drafts_for(unit: Unit) -> Unit | None:
    code = (unit.doc_drafts_for or "").strip()
    if not code:
        return None
    return db.session.scalar(select(Unit).where(Unit.code == code))


def default_issuer(choices: list[Unit], preferred: Unit | None = None) -> Unit:
    """The meeting's issuing body for a meeting's reports, else the drafting unit itself; the
    coordinator picks another (the Tỉnh ủy, the UBND tỉnh) when printing."""
    if preferred is not None and preferred in choices:
        return preferred
    return choices[0]
