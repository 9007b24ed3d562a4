"""Comparing two evaluation years of a store (issue 16.2, 复评): per parcel what changed, and a
summary by town and class.

Per parcel code of either year:
- ``change``: new / removed / split / merged (by code lineage: a year-B parcel names the year-A
  codes it came from in a ``prev_codes`` field, comma separated) / kept;
- ``direction``: up / down / same / - (A better than B better than C better than D; T and missing
  are not compared), on the final class (a review wins over the computed one);
- ``list_change`` on the low-efficiency list (low_eff tag, or final class D): entered / left (出库) /
  stayed / stayed after improvement (the register of year A had it 已完成 and it is still on the
  list: 提升后仍被认定为低效, seed 002) / - ;
- ``register_a``: the parcel's disposal register status in year A (已完成: fixed under D; a
  parcel that is then off the list "left" (出库) after its improvement);
- the reasons and the 亩均税收 of both years: the rule or value that made the difference.
"""
import json

from ...i18n import tr
from .errors import StoreError

ORDER = {"A": 4, "B": 3, "C": 2, "D": 1}
FIELDS = ("parcel_code", "town", "change", "prev_codes", "grade_a", "grade_b", "direction", "on_list_a", "on_list_b",
          "list_change", "register_a", "reason_a", "reason_b", "tax_per_mu_a", "tax_per_mu_b")


def _final(row):
    value = row.get("grade_final") or row.get("grade")
    return str(value).strip().upper() if value not in (None, "") else None


def _truthy(value):
    if value in (None, "", 0, "0", "false", "False", "否", "NULL"):
        return False
    return True


def on_list(row):
    return _truthy(row.get("low_eff")) or _final(row) == "D"


def _rows(store, year):
    cols = store.existing_columns("graded")
    keep = [c for c in ("parcel_code", "town", "grade", "grade_final", "low_eff", "grade_reason", "tax_per_mu",
                        "prev_codes") if c in cols]
    return {r["parcel_code"]: r for r in store.rows("SELECT {} FROM {} WHERE year = {} ORDER BY fid".format(
        ", ".join(store.q(c) for c in keep), store.t("graded"), store.ph), (int(year),)) if r.get("parcel_code")}


def compare(store, year_a, year_b):
    """(rows, summary): one dict per parcel code (FIELDS) and counts by change, direction, list
    change, and by town and class of year B."""
    if int(year_a) >= int(year_b):
        raise StoreError(tr("Compare an earlier year with a later one (got {} and {}).").format(year_a, year_b))
    years = store.years()
    for y in (year_a, year_b):
        if int(y) not in years:
            raise StoreError(tr("{} holds no evaluation year {} (years: {}).").format(
                store.describe(), y, ", ".join(str(v) for v in years) or "-"))
    a, b = _rows(store, year_a), _rows(store, year_b)
    if not a or not b:
        raise StoreError(tr("Year {} has no graded parcels in the store: grade it with STORE first.").format(
            year_a if not a else year_b))
    status_a = {r["parcel_code"]: r["status"] for r in store.rows(
        "SELECT parcel_code, status FROM {} WHERE year = {} ORDER BY fid".format(store.t("register"), store.ph),
        (int(year_a),))}
    improved = {c for c, s in status_a.items() if s in ("已完成", "已出库")}
    # lineage: year-B parcels naming their year-A parents
    parents = {}
    for code, row in b.items():
        prev = [c.strip() for c in str(row.get("prev_codes") or "").replace("，", ",").split(",") if c.strip()]
        if prev and prev != [code]:
            parents[code] = prev
    children = {}
    for code, prev in parents.items():
        for p in prev:
            children.setdefault(p, []).append(code)
    out = []
    for code in sorted(set(a) | set(b)):
        ra, rb = a.get(code), b.get(code)
        prev = parents.get(code, [])
        if rb is not None and len(prev) > 1:
            change = "merged"
        elif rb is not None and prev and len(children.get(prev[0], [])) > 1:
            change = "split"
        elif rb is not None and prev:
            change = "kept"          # renamed: one parent, one child
        elif ra is None:
            change = "new"
        elif rb is None:
            change = "split" if len(children.get(code, [])) > 1 else "merged" if code in children else "removed"
        else:
            change = "kept"
        if ra is None and prev:
            ra_for_grade = next((a[p] for p in prev if p in a), None)
        else:
            ra_for_grade = ra
        ga = _final(ra_for_grade) if ra_for_grade else None
        gb = _final(rb) if rb else None
        if ga in ORDER and gb in ORDER:
            direction = "up" if ORDER[gb] > ORDER[ga] else "down" if ORDER[gb] < ORDER[ga] else "same"
        else:
            direction = "-"
        la = on_list(ra_for_grade) if ra_for_grade else False
        lb = on_list(rb) if rb else False
        if la and lb:
            list_change = "stayed after improvement" if (code in improved or any(p in improved for p in prev)) \
                else "stayed"
        elif la and not lb:
            list_change = "left" if rb is not None else "-"
        elif lb and not la:
            list_change = "entered"
        else:
            list_change = "-"
        out.append({"parcel_code": code, "town": (rb or ra or {}).get("town"), "change": change,
                    "prev_codes": ",".join(prev) or None, "grade_a": ga, "grade_b": gb, "direction": direction,
                    "on_list_a": int(la), "on_list_b": int(lb), "list_change": list_change,
                    "register_a": status_a.get(code) or next((status_a[p] for p in prev if p in status_a), None),
                    "reason_a": (ra_for_grade or {}).get("grade_reason"), "reason_b": (rb or {}).get("grade_reason"),
                    "tax_per_mu_a": (ra_for_grade or {}).get("tax_per_mu"),
                    "tax_per_mu_b": (rb or {}).get("tax_per_mu")})
    summary = {"years": [int(year_a), int(year_b)], "parcels_a": len(a), "parcels_b": len(b),
               "change": _count(out, "change"), "direction": _count(out, "direction"),
               "list_change": _count(out, "list_change"),
               "list_a": sum(r["on_list_a"] for r in out if r["parcel_code"] in a),
               "list_b": sum(r["on_list_b"] for r in out if r["parcel_code"] in b), "by_town": {},
               # parcels fixed under D (register 已完成/已出库 in year A): left the list or stayed on it
               "fixed": _count([r for r in out if r["register_a"] in ("已完成", "已出库") and r["grade_b"]],
                               "list_change")}
    for r in out:
        if r["grade_b"] is None:
            continue
        town = summary["by_town"].setdefault(r["town"] or "-", {})
        town[r["grade_b"]] = town.get(r["grade_b"], 0) + 1
    return out, summary


def _count(rows, key):
    counts = {}
    for r in rows:
        counts[r[key]] = counts.get(r[key], 0) + 1
    return dict(sorted(counts.items()))


def summary_json(summary):
    return json.dumps(summary, ensure_ascii=False, sort_keys=True)
