"""Make the bundled country shapes (data/geo/countries.geojson) the map draws, offline: every country of the world.

Run from the repository root::

    python scripts/make_countries.py                     # runs `npm pack world-atlas@2.0.2` in a temporary folder
    python scripts/make_countries.py --atlas /tmp/world-atlas-2.0.2.tgz     # or a packed copy
    python scripts/make_countries.py --atlas /tmp/wa/package/countries-50m.json   # or the file itself

The source is Natural Earth's 1:50m "admin 0 countries" (public domain, naturalearthdata.com), in the copy the npm
package `world-atlas` 2.0.2 ships as TopoJSON (`countries-50m.json`, quantised). The script decodes the TopoJSON
(no dependency beyond the standard library and pycountry), keeps every shape that has an ISO 3166-1 code, simplifies
each ring (Douglas-Peucker, TOLERANCE degrees; a ring that would vanish, a micro-state's, is kept as it is), rounds
coordinates to 3 decimals and writes one GeoJSON FeatureCollection, sorted by country code, so running it twice gives
the same file (about 1.5 MB).

Each feature's properties:
    code    ISO 3166-1 alpha-2, as the spreadsheet's countries are cleaned to ("XK" for Kosovo)
    name    English common name (monitoring.sheet.parse.country_name)

Which countries are a project's programme area is configuration (`project.area` in indicators.yaml), not a flag in
this file. Shapes without an ISO code (Somaliland, Northern Cyprus, Siachen Glacier, the Indian Ocean Territories)
are left out. Kosovo: Natural Earth draws it as its own shape (no ISO code in this file) and Serbia's shape without
it; the file keeps that: Serbia is "RS", Kosovo "XK", so data recorded for RS colours Serbia's shape only.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import pycountry  # noqa: E402

from monitoring.sheet.parse import country_name  # noqa: E402

ATLAS = "world-atlas@2.0.2"
MEMBER = "package/countries-50m.json"
OUT = REPO_ROOT / "data" / "geo" / "countries.geojson"
TOLERANCE = 0.01  # degrees; about 1 km, well under a pixel at the zoom of a programme area
NO_ISO_CODE = {"Kosovo": "XK"}  # Natural Earth has no ISO code where ISO has none

Point = tuple[float, float]


def read_atlas(path: Path | None) -> dict[str, Any]:
    """countries-50m.json, from the given file or packed package, else from `npm pack` in a temporary folder."""
    if path is not None and path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        if path is None:
            subprocess.run(["npm", "pack", "--silent", ATLAS], cwd=tmp, check=True, capture_output=True)
            path = next(Path(tmp).glob("world-atlas-*.tgz"))
        with tarfile.open(path) as archive:
            member = archive.extractfile(MEMBER)
            if member is None:
                raise SystemExit(f"{path} has no {MEMBER}")
            return json.loads(member.read().decode("utf-8"))


def decoded_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """The topology's arcs in degrees (they are quantised and delta-encoded)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_of(indexes: Sequence[int], arcs: list[list[Point]]) -> list[Point]:
    """A ring from its arcs: ~i is arc i reversed; each arc after the first repeats the point it starts from."""
    ring: list[Point] = []
    for i in indexes:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def alpha_2(numeric: str | None, name: str) -> str | None:
    if name in NO_ISO_CODE:
        return NO_ISO_CODE[name]
    country = pycountry.countries.get(numeric=numeric) if numeric else None
    return country.alpha_2 if country else None


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker on an open line (iterative, so long rings do not recurse deeply)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        worst, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            dist = abs(dy * (px - ax) - dx * (py - ay)) / norm if norm else ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            if dist > worst:
                worst, index = dist, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _rounded(line: Sequence[Point]) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in line:
        point = [round(x, 3), round(y, 3)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def tidy(ring: list[Point], keep_small: bool) -> list[list[float]] | None:
    """Simplified, rounded and closed; a ring that simplification would leave with nothing to draw is kept as it
    is when `keep_small` (a country's only or largest ring: Monaco stays on the map); else None."""
    line = _rounded(simplify(ring, TOLERANCE))
    if len(line) < 4 and keep_small:
        line = _rounded(ring)
    if len(line) < 4:
        return None
    line[-1] = line[0]
    return line


def _area(ring: Sequence[Point]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring))) / 2


def features(topology: dict[str, Any]) -> list[dict[str, Any]]:
    """One MultiPolygon feature per ISO country (the shapes of a code drawn as several, merged), sorted by code."""
    arcs = decoded_arcs(topology)
    polygons: dict[str, list[list[list[Point]]]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = alpha_2(geometry.get("id"), geometry["properties"]["name"])
        if code is None or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        shapes = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        polygons.setdefault(code, []).extend([ring_of(r, arcs) for r in rings] for rings in shapes)
    out = []
    for code, shapes in sorted(polygons.items()):
        largest = max(_area(rings[0]) for rings in shapes)
        kept = []
        for outer_ring, *holes in shapes:
            outer = tidy(outer_ring, keep_small=_area(outer_ring) == largest)
            if outer is not None:
                kept.append([outer, *(h for h in (tidy(ring, keep_small=False) for ring in holes) if h is not None)])
        out.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": country_name(code)},
                "geometry": {"type": "MultiPolygon", "coordinates": kept},
            }
        )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--atlas", type=Path, help=f"{ATLAS}'s .tgz or its countries-50m.json (default: npm pack)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    found = features(read_atlas(args.atlas))
    collection = {
        "type": "FeatureCollection",
        "source": f"Natural Earth 1:50m admin 0 countries (public domain), via the npm package {ATLAS} "
        "(countries-50m.json); simplified and rounded by scripts/make_countries.py",
        "features": found,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    points = sum(len(r) for f in found for poly in f["geometry"]["coordinates"] for r in poly)
    print(f"wrote {args.out}: {len(found)} countries, {points} points, {args.out.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
