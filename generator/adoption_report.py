"""Adoption figures for other tools: JSON (``catalog.json``'s ``adoption``), CSV and text.

``pavedroad adoption`` prints :func:`adoption_text` or :func:`adoption_json`; the
site publishes the same JSON in ``catalog.json`` and :func:`adoption_csv` as
``adoption.csv``. Plain functions of an :class:`~generator.adoption.Adoption`.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.adoption import Adoption, Share
    from generator.catalog import Catalog
    from generator.refs import EntityRef

__all__ = ["CSV_COLUMNS", "adoption_csv", "adoption_json", "adoption_text"]

CSV_COLUMNS = ("ref", "owner", "system", "status", "golden_path", "from_template",
               "off_road_reason", "approved_by", "until", "expired")
"""``adoption.csv``'s columns: one row per component."""


def _share(share: Share) -> dict:
    return {"on": share.on, "total": share.total, "share": share.fraction}


def _ref(ref: EntityRef | None) -> str:
    return str(ref) if ref is not None else ""


def adoption_json(adoption: Adoption, catalog: Catalog) -> dict:
    """The figures as JSON-ready data: shares, new components, exceptions, silent ones."""
    def title(ref: EntityRef) -> str:
        entity = catalog.get(ref)
        return entity.title if entity is not None else ref.name

    standings = adoption.standings
    return {
        "date": adoption.date.isoformat(),
        "overall": _share(adoption.overall),
        "teams": [{"ref": str(r), **_share(s)} for r, s in adoption.teams.items()],
        "systems": [{"ref": str(r), **_share(s)} for r, s in adoption.systems.items()],
        "paths": [{"ref": str(r), "title": title(r), **_share(s)}
                  for r, s in adoption.paths.items()],
        "new": None if adoption.new is None else {
            "since": adoption.since, "from_template": adoption.new.on,
            "total": adoption.new.total, "share": adoption.new.fraction},
        "exceptions": [{
            "ref": str(row.ref), "owner": _ref(row.owner), "reason": row.off_road.reason,
            "approved_by": row.off_road.approver_text, "until": row.off_road.until_text,
            "since": row.since, "age_days": row.age_days, "expired": row.expired}
            for row in adoption.exceptions],
        "silent": [{"ref": str(r), "owner": _ref(standings[r].owner)}
                   for r in adoption.silent],
    }


def adoption_csv(adoption: Adoption) -> str:
    """One row per component (:data:`CSV_COLUMNS`), in ref order; ``\\r\\n`` line ends."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for s in adoption.standings.values():
        road = s.off_road
        writer.writerow([
            str(s.ref), _ref(s.owner), _ref(s.system), s.status, _ref(s.path),
            "yes" if s.from_template else "no", road.reason if road else "",
            road.approver_text if road else "", road.until_text if road else "",
            "yes" if road and road.until is not None and road.until < adoption.date else "no"])
    return out.getvalue()


def adoption_text(adoption: Adoption) -> str:
    """The figures for a terminal."""
    lines = [f"Adoption on {adoption.date.isoformat()}",
             f"  on a golden path: {adoption.overall.text} components",
             f"  off-road exceptions: {len(adoption.exceptions):,}, "
             f"silent (no path, no exception): {len(adoption.silent):,}"]
    if adoption.new is not None:
        lines.append(f"  new since {adoption.since}: {adoption.new.text} started from a "
                     "template")
    for heading, shares in (("teams", adoption.teams), ("systems", adoption.systems),
                            ("golden paths", adoption.paths)):
        if shares:
            lines.append(f"By {heading}:")
            lines.extend(f"  {ref}: {share.text}" for ref, share in shares.items())
    if adoption.exceptions:
        lines.append("Exceptions:")
        for row in adoption.exceptions:
            road = row.off_road
            extra = "".join([f", approved by {road.approver_text}" if road.approver_text else "",
                             f", until {road.until_text}" if road.until_text else "",
                             " (expired)" if row.expired else ""])
            lines.append(f"  {row.ref} ({_ref(row.owner) or 'no owner'}): {road.reason}"
                         f"{extra}; {row.age_days} days")
    if adoption.silent:
        lines.append("Silent:")
        lines.extend(f"  {ref}" for ref in adoption.silent)
    return "\n".join(lines) + "\n"
