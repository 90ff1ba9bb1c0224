"""Print how well the conclusion-notice parser reads the three fixture notices.

Each notice in tests/conclusions/fixtures/ (and in its heldout/ folder: a notice written after
the rules were, to show what they do on text they were not shaped by) has an answer key (<name>.expected.json) written by
hand: per item its number, lead and support units (unit codes; "@communes", "@bodies" for the
groups; "xa:Name" for a commune) and its deadline ("dd/mm/yyyy", "ongoing:<period>",
"days:<n>:<calendar|working>" or null). For each notice the script prints, with no database:

- items: the items split out whose numbers match the key, of the key's items;
- units: the items whose lead AND support sets both equal the key's, of the items;
- deadlines: the items whose deadline equals the key's, of the items;
- fields: the items whose field is the key's ("Khác", the catch-all, where the parser proposes
  none and the clerk would choose it), of the items;

and each miss, so a rule change can be judged by what it gains and loses.

    .venv/bin/python bench/notice_accuracy.py
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.conclusions import parser  # noqa: E402
from app.conclusions.catalogue import from_reference_data  # noqa: E402

FIXTURES = ROOT / "tests" / "conclusions" / "fixtures"
# The parser needs "today" only to flag past deadlines; the figures do not depend on it.
TODAY = date(2025, 10, 1)


def unit_keys(ids, catalogue) -> set[str]:
    """The key's spelling of a set of unit ids: groups collapse when the whole group is there."""
    ids = set(ids)
    keys = set()
    for group, members in (("@communes", catalogue.commune_ids), ("@bodies", catalogue.body_ids)):
        if members and set(members) <= ids:
            keys.add(group)
            ids -= set(members)
    for unit_id in ids:
        unit = catalogue.by_id[unit_id]
        keys.add(f"{unit.kind}:{unit.name.split(' ', 1)[1]}" if unit.is_commune else unit.code)
    return keys





def deadline_key(draft) -> str | None:
    found = draft.deadline
    if found is None:
        return None
    if found.kind == "date":
        return found.day.strftime("%d/%m/%Y")
    if found.kind == "ongoing":
        return f"ongoing:{found.reporting_period}"
    return f"days:{found.days}:{'working' if found.working else 'calendar'}"


def score(path: Path, catalogue) -> dict:
    text = path.read_text(encoding="utf-8")
    key = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))["items"]
    parsed = parser.parse(text, catalogue, today=TODAY)
    by_number = {d.number: d for d in parsed.drafts}
    result = {"items": 0, "units": 0, "deadlines": 0, "fields": 0, "total": len(key), "extra": [], "misses": []}
    field_names = {f.id: f.name for f in catalogue.fields}
    result["extra"] = [d.number for d in parsed.drafts if d.number not in {k["number"] for k in key}]
    for item in key:
        draft = by_number.get(item["number"])
        if draft is None:
            result["misses"].append(f"{item['number']}: not split out")
            continue
        result["items"] += 1
        if item.get("include", True) is False:
            ok = not draft.include
            result["units"] += ok
            result["deadlines"] += ok
            result["fields"] += ok
            if not ok:
                result["misses"].append(f"{item['number']}: should be left out")
            continue
        got_lead, got_support = unit_keys(draft.lead_ids, catalogue), unit_keys(draft.support_ids, catalogue)
        want_lead, want_support = set(item["lead"]), set(item["support"])
        if (got_lead, got_support) == (want_lead, want_support):
            result["units"] += 1
        else:
            result["misses"].append(
                f"{item['number']}: units lead {sorted(got_lead)} support {sorted(got_support)}, "
                f"expected lead {sorted(want_lead)} support {sorted(want_support)}"
            )
        got_field = field_names.get(draft.field_id, "Khác")
        if got_field == item.get("field"):
            result["fields"] += 1
        else:
            result["misses"].append(f"{item['number']}: field {got_field!r}, expected {item.get('field')!r}")
        got = deadline_key(draft)
        if got == item["deadline"]:
            result["deadlines"] += 1
        else:
            result["misses"].append(f"{item['number']}: deadline {got}, expected {item['deadline']}")
    return result


def main() -> int:
    catalogue = from_reference_data(52)
    for title, folder in (
        ("The three fixture notices (written with the rules):", FIXTURES),
        ("Held out (written after the rules, never tuned on):", FIXTURES / "heldout"),
    ):
        print(title)
        report(sorted(folder.glob("*.txt")), catalogue)
        print()
    return 0


def report(paths: list[Path], catalogue) -> None:
    totals = {"items": 0, "units": 0, "deadlines": 0, "fields": 0, "total": 0}
    print(f"{'notice':40} {'items':>9} {'units':>9} {'deadlines':>10} {'fields':>9}")
    for path in paths:
        name = path.stem
        result = score(path, catalogue)
        for k in totals:
            totals[k] += result[k]
        n = result["total"]
        print(f"{name:40} {result['items']:>4}/{n:<4} {result['units']:>4}/{n:<4} {result['deadlines']:>5}/{n:<4}"
              f" {result['fields']:>4}/{n:<4}")
        for miss in result["misses"]:
            print(f"    miss  {miss}")
        for extra in result["extra"]:
            print(f"    extra {extra}: split out, not in the key")
    n = totals["total"]
    print(f"{'all':40} {totals['items']:>4}/{n:<4} {totals['units']:>4}/{n:<4} {totals['deadlines']:>5}/{n:<4}"
          f" {totals['fields']:>4}/{n:<4}")


if __name__ == "__main__":
    sys.exit(main())
