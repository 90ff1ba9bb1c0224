"""Write app/data/legacy_units_<code>.csv: a province's pre-2025 district and commune names.

Imports refuse names of units abolished on 01/07/2025 and say which unit took them over.
The old names and the old-to-new mapping come from the `vietnamadminunits` package (MIT),
which is not a dependency of the site: install it in a scratch virtualenv and run

    python tools/make_legacy_units.py 52 > app/data/legacy_units_52.csv

Columns: level (commune or district), old_name, old_district, old_province, new_names (the
current units that took the old one over, "|"-separated; empty for districts).
"""

import csv
import importlib.util
import json
import sqlite3
import sys
from pathlib import Path


def main(province_code: str) -> None:
    # Only its data files are read: importing it would pull in shapely and friends.
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or spec.origin is None:
        raise SystemExit("install vietnamadminunits first (pip install vietnamadminunits)")
    root = Path(spec.origin).parent / "data"
    mapping = json.loads((root / "converter_2025.json").read_text(encoding="utf-8"))
    db = sqlite3.connect(root / "dataset.db")
    new_rows = db.execute(
        "SELECT provinceKey, wardKey, ward FROM admin_units WHERE provinceCode = ?", (province_code,)
    ).fetchall()
    if not new_rows:
        raise SystemExit(f"no province with code {province_code}")
    province_key = new_rows[0][0]
    new_name = {key: name for _p, key, name in new_rows}
    old_provinces = mapping["DICT_PROVINCE"][province_key]
    undivided = mapping["DICT_PROVINCE_WARD_NO_DIVIDED"][province_key]
    divided = mapping["DICT_PROVINCE_WARD_DIVIDED"].get(province_key, {})
    successors: dict[str, list[str]] = {}
    for new_key, old_keys in undivided.items():
        for old_key in old_keys:
            successors.setdefault(old_key, []).append(new_key)
    for old_key, options in divided.items():
        for option in options:
            successors.setdefault(old_key, []).append(option["newWardKey"])

    marks = ",".join("?" * len(old_provinces))
    sql = (
        "SELECT DISTINCT province, district, ward, provinceKey, districtKey, wardKey "  # noqa: S608 — only "?" marks
        f"FROM admin_units_legacy WHERE provinceKey IN ({marks}) ORDER BY province, district, ward"
    )
    old_rows = db.execute(sql, old_provinces).fetchall()
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["level", "old_name", "old_district", "old_province", "new_names"])
    districts = set()
    for province, district, ward, p_key, d_key, w_key in old_rows:
        if (province, district) not in districts:
            districts.add((province, district))
            out.writerow(["district", district, "", province, ""])
        names = sorted({new_name[k] for k in successors.get(f"{p_key}_{d_key}_{w_key}", []) if k in new_name})
        out.writerow(["commune", ward, district, province, "|".join(names)])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "52")
