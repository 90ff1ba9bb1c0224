"""Load the province's units and the fields of work; safe to run again and again."""

import csv
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from vietnam_provinces import Province, VietNamDivisionType, Ward

from app import search
from app.documents import headers
from app.extensions import db
from app.models import COMMUNE_KINDS, LEADING_KIND, Field, Unit
from app.text import nfc

DATA_DIR = Path(__file__).parent / "data"
DIVISION_KIND = {
    VietNamDivisionType.XA: "xa",
    VietNamDivisionType.PHUONG: "phuong",
    VietNamDivisionType.DAC_KHU: "dac_khu",
}


@dataclass
class LoadReport:
    added: int = 0
    renamed: int = 0
    deactivated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return (
            f"{self.added} added, {self.renamed} renamed, "
            f"{self.deactivated} deactivated, {self.unchanged} unchanged"
        )


def province_name(code: int) -> str:
    """Official name of the province with code, e.g. 'Gia Lai'."""
    try:
        return Province.from_code(code).name
    except ValueError as error:
        raise ValueError(f"Unknown province code {code}") from error


def commune_divisions(province_code: int) -> list[Ward]:
    """The commune-level units of a province, from the vietnam-provinces package."""
    province_name(province_code)  # refuse unknown codes
    return [w for w in Ward.iter_all() if int(w.province_code) == province_code]


def load_communes(province_code: int) -> LoadReport:
    """Insert or rename the province's communes and wards; retire ones no longer listed."""
    report = LoadReport()
    existing = {
        u.code: u for u in db.session.scalars(select(Unit).where(Unit.kind.in_(COMMUNE_KINDS)))
    }
    seen = set()
    for ward in commune_divisions(province_code):
        code = str(int(ward.code))
        seen.add(code)
        unit = _upsert(existing.get(code), code, nfc(ward.name), DIVISION_KIND[ward.division_type], report)
        headers.fill_missing(unit, headers.default_values(unit, province_code))
    for code, unit in existing.items():
        if code not in seen and unit.active:
            unit.active = False
            report.deactivated += 1
    return report


def load_provincial_bodies(province_code: int) -> LoadReport:
    """Insert or rename the provincial bodies listed in the data file for the province."""
    path = DATA_DIR / f"provincial_bodies_{province_code}.csv"
    if not path.exists():
        path = DATA_DIR / "provincial_bodies.csv"
    report = LoadReport()
    existing = {u.code: u for u in db.session.scalars(select(Unit).where(Unit.kind.not_in(COMMUNE_KINDS)))}
    with path.open(encoding="utf-8") as handle:
        for order, row in enumerate(csv.DictReader(handle)):
            unit = _upsert(existing.get(row["code"]), row["code"], nfc(row["name"]), row["kind"], report)
            unit.sort_order = order
            headers.fill_missing(unit, headers.from_csv(row, province_code))
    return report


def load_fields() -> LoadReport:
    """Insert the fields of work that are missing; admins' edits to existing ones stay."""
    report = LoadReport()
    existing = {f.name for f in db.session.scalars(select(Field))}
    units = {u.code: u for u in db.session.scalars(select(Unit).where(Unit.kind.not_in(COMMUNE_KINDS)))}
    with (DATA_DIR / "fields.csv").open(encoding="utf-8") as handle:
        for order, row in enumerate(csv.DictReader(handle)):
            name = nfc(row["name"])
            if name in existing:
                report.unchanged += 1
                continue
            days = row.get("default_answer_days") or None
            db.session.add(
                Field(
                    name=name,
                    sort_order=order,
                    default_lead_unit=units.get(row["default_lead_code"] or ""),
                    default_answer_days=int(days) if days else None,
                )
            )
            report.added += 1
    return report


def _upsert(unit: Unit | None, code: str, name: str, kind: str, report: LoadReport) -> Unit:
    if unit is None:
        unit = Unit(code=code, name=name, kind=kind, active=True)
        db.session.add(unit)
        report.added += 1
    elif unit.name != name or unit.kind != kind:
        unit.name = name
        unit.kind = kind
        report.renamed += 1
    else:
        report.unchanged += 1
    return unit


def find_units(q: str = "", level: str = "", *, active_only: bool = False) -> list[Unit]:
    """Units matching a search (app.search's meaning) and a level ("commune", "province" or
    all), provincial bodies first, then communes in Vietnamese order: the admin's list (every
    unit) and the assign form's picker (active_only: units that work, so not the Tỉnh ủy or
    the UBND tỉnh, which only issue documents)."""
    query = select(Unit)
    if active_only:
        query = query.where(Unit.active.is_(True), Unit.kind != LEADING_KIND)
    if q:
        query = query.where(search.matches(q, Unit.name_folded, search.code_column(Unit.code)))
    if level == "commune":
        query = query.where(Unit.kind.in_(COMMUNE_KINDS))
    elif level == "province":
        query = query.where(Unit.kind.not_in(COMMUNE_KINDS))
    return sorted(db.session.scalars(query), key=lambda u: u.order_key)
