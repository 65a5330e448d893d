"""Make the bundled country shapes (data/geo/countries.geojson) the map draws, offline.

Run from the repository root::

    pip install pyshp                      # only this script needs it; the app does not
    python scripts/make_countries.py       # downloads the geopandas 0.14.4 wheel with pip, reads it
    python scripts/make_countries.py --wheel /tmp/gpd/geopandas-0.14.4-py3-none-any.whl

The source is Natural Earth's 1:110m "admin 0 countries" (public domain, naturalearthdata.com), in
the copy that the geopandas 0.14 wheel ships as `geopandas/datasets/naturalearth_lowres`. The
script reads that shapefile straight out of the wheel with pyshp (no geopandas, no unzip), keeps
Europe and its neighbours (everything inside WINDOW, clipped to it), simplifies each ring
(Douglas-Peucker, TOLERANCE degrees), rounds coordinates to 3 decimals and writes one GeoJSON
FeatureCollection, sorted by country code, so running it twice gives the same file.

Each feature's properties:
    code    ISO 3166-1 alpha-2, as the spreadsheet's countries are cleaned to ("XK" for Kosovo)
    name    English common name (monitoring.parse.country_name)
    danube  true for the countries of the Interreg Danube Region Programme 2021-2027 area
            (Germany and Ukraine take part with some regions only; the whole country is drawn)

Kosovo: Natural Earth draws Kosovo as its own shape (ISO code "-99" in this file), and Serbia's
shape without it. The file keeps that: Serbia is "RS", Kosovo "XK", so data recorded for RS
colours Serbia's shape only.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import pycountry  # noqa: E402
import shapefile  # noqa: E402  (pyshp)

from monitoring.parse import country_name  # noqa: E402

GEOPANDAS = "geopandas==0.14.4"
MEMBER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
OUT = REPO_ROOT / "data" / "geo" / "countries.geojson"
WINDOW = (-25.0, 33.0, 46.0, 72.0)  # lon min, lat min, lon max, lat max: Europe, Anatolia and the Maghreb's coast
TOLERANCE = 0.03  # degrees; about 2 km, less than a pixel at the zoom the map opens with
DANUBE_REGION = ("AT", "BA", "BG", "CZ", "DE", "HR", "HU", "MD", "ME", "RO", "RS", "SI", "SK", "UA")
NO_ISO_CODE = {"Kosovo": "XK"}  # Natural Earth writes -99 where ISO has no code

Point = tuple[float, float]


def download_wheel(folder: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", GEOPANDAS, "-d", str(folder)], check=True
    )
    return next(folder.glob("geopandas-*.whl"))


def read_shapes(wheel: Path) -> shapefile.Reader:
    with zipfile.ZipFile(wheel) as z:
        parts = {ext: io.BytesIO(z.read(f"{MEMBER}.{ext}")) for ext in ("shp", "shx", "dbf")}
        encoding = z.read(f"{MEMBER}.cpg").decode("ascii").strip()  # the .dbf's text encoding: ISO-8859-1
    return shapefile.Reader(shp=parts["shp"], shx=parts["shx"], dbf=parts["dbf"], encoding=encoding)


def alpha_2(iso_a3: str, name: str) -> str | None:
    if name in NO_ISO_CODE:
        return NO_ISO_CODE[name]
    country = pycountry.countries.get(alpha_3=iso_a3)
    return country.alpha_2 if country else None


def clip(ring: Sequence[Point], window: tuple[float, float, float, float]) -> list[Point]:
    """Sutherland-Hodgman: the part of a ring inside an axis-aligned rectangle."""
    x0, y0, x1, y1 = window
    edges = [
        (lambda p: p[0] >= x0, lambda a, b: (x0, a[1] + (b[1] - a[1]) * (x0 - a[0]) / (b[0] - a[0]))),
        (lambda p: p[0] <= x1, lambda a, b: (x1, a[1] + (b[1] - a[1]) * (x1 - a[0]) / (b[0] - a[0]))),
        (lambda p: p[1] >= y0, lambda a, b: (a[0] + (b[0] - a[0]) * (y0 - a[1]) / (b[1] - a[1]), y0)),
        (lambda p: p[1] <= y1, lambda a, b: (a[0] + (b[0] - a[0]) * (y1 - a[1]) / (b[1] - a[1]), y1)),
    ]
    points = list(ring)
    for inside, cross in edges:
        if not points:
            break
        kept: list[Point] = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if inside(current):
                if not inside(previous):
                    kept.append(cross(previous, current))
                kept.append(current)
            elif inside(previous):
                kept.append(cross(previous, current))
        points = kept
    return points


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


def tidy(ring: Sequence[Point]) -> list[list[float]] | None:
    """Clipped, simplified, rounded and closed; None when too little is left to draw."""
    clipped = clip(ring[:-1] if ring and ring[0] == ring[-1] else ring, WINDOW)
    if len(clipped) < 3:
        return None
    line = simplify([*clipped, clipped[0]], TOLERANCE)
    rounded: list[list[float]] = []
    for x, y in line:
        point = [round(x, 3), round(y, 3)]
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    if len(rounded) < 4:
        return None
    rounded[-1] = rounded[0]
    return rounded


def features(reader: shapefile.Reader) -> list[dict]:
    out = []
    for record, shape in zip(reader.records(), reader.shapes(), strict=True):
        code = alpha_2(record["iso_a3"], record["name"])
        if code is None:
            continue
        geo = shape.__geo_interface__
        polygons = [geo["coordinates"]] if geo["type"] == "Polygon" else geo["coordinates"]
        kept = []
        for rings in polygons:
            outer, *holes = (tidy(r) for r in rings)
            if outer is not None:
                kept.append([outer, *(h for h in holes if h is not None)])
        if kept:
            out.append(
                {
                    "type": "Feature",
                    "properties": {"code": code, "name": country_name(code), "danube": code in DANUBE_REGION},
                    "geometry": {"type": "MultiPolygon", "coordinates": kept},
                }
            )
    return sorted(out, key=lambda f: f["properties"]["code"])


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wheel", type=Path, help=f"a downloaded {GEOPANDAS} wheel (default: pip downloads it)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or download_wheel(Path(tmp))
        found = features(read_shapes(wheel))
    collection = {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:110m admin 0 countries (public domain), via the geopandas 0.14.4 wheel; "
        "clipped, simplified and rounded by scripts/make_countries.py",
        "features": found,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    points = sum(len(r) for f in found for poly in f["geometry"]["coordinates"] for r in poly)
    print(f"wrote {args.out}: {len(found)} countries, {points} points, {args.out.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
