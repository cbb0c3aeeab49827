"""Writes marketplace/observatory/static/observatory/municipalities.geojson: SCHEMATIC outlines of the
destination's eleven municipalities for the observatory's map (not ISTAT boundaries: this machine has no
internet, and the map only needs to say "more guests here than there").

Each area gets a hand-drawn outer outline; inside it, each municipality is the power-diagram cell of its
town hall (a Voronoi diagram weighted towards the municipality's real surface, as far as
keeping each town inside its own cell allows), so the cells tile the area
without overlapping and the large municipalities (Lucca, Capannori) get the large cells.
Run: .venv/bin/python scripts/observatory_municipalities.py
"""

from __future__ import annotations

import json
import math
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "marketplace/observatory/static/observatory/municipalities.geojson"

# code, name, area, town (lat, lon), real surface km² (ISTAT, rounded)
TOWNS = [
    ("lucca", "Lucca", "piana-di-lucca", (43.843, 10.505), 185),
    ("capannori", "Capannori", "piana-di-lucca", (43.842, 10.573), 156),
    ("altopascio", "Altopascio", "piana-di-lucca", (43.816, 10.675), 29),
    ("montecarlo", "Montecarlo", "piana-di-lucca", (43.852, 10.668), 16),
    ("villa-basilica", "Villa Basilica", "piana-di-lucca", (43.926, 10.645), 37),
    ("porcari", "Porcari", "piana-di-lucca", (43.838, 10.617), 18),
    ("bibbiena", "Bibbiena", "casentino", (43.697, 11.815), 86),
    ("poppi", "Poppi", "casentino", (43.721, 11.763), 97),
    ("pratovecchio-stia", "Pratovecchio Stia", "casentino", (43.785, 11.722), 139),
    ("chiusi-della-verna", "Chiusi della Verna", "casentino", (43.697, 11.936), 102),
    ("castel-san-niccolo", "Castel San Niccolò", "casentino", (43.744, 11.707), 83),
]

# Hand-drawn outer outlines (lon, lat), roughly where each area's municipalities lie.
OUTLINES = {
    "piana-di-lucca": [
        (10.40, 43.86),
        (10.42, 43.90),
        (10.47, 43.92),
        (10.52, 43.93),
        (10.57, 43.95),
        (10.61, 43.97),
        (10.66, 43.97),
        (10.70, 43.95),
        (10.71, 43.91),
        (10.70, 43.875),
        (10.72, 43.84),
        (10.715, 43.80),
        (10.69, 43.78),
        (10.65, 43.785),
        (10.60, 43.79),
        (10.56, 43.775),
        (10.50, 43.78),
        (10.44, 43.79),
        (10.41, 43.82),
    ],
    "casentino": [
        (11.62, 43.75),
        (11.63, 43.79),
        (11.66, 43.83),
        (11.69, 43.87),
        (11.74, 43.88),
        (11.79, 43.86),
        (11.83, 43.83),
        (11.87, 43.80),
        (11.92, 43.78),
        (11.98, 43.75),
        (12.01, 43.71),
        (11.99, 43.67),
        (11.94, 43.645),
        (11.88, 43.645),
        (11.83, 43.655),
        (11.78, 43.67),
        (11.73, 43.69),
        (11.67, 43.70),
        (11.63, 43.72),
    ],
}

KM_PER_DEG = 111.2


def to_km(lon, lat, lat0):
    return (lon * KM_PER_DEG * math.cos(math.radians(lat0)), lat * KM_PER_DEG)


def to_deg(x, y, lat0):
    return (x / (KM_PER_DEG * math.cos(math.radians(lat0))), y / KM_PER_DEG)


def clip(polygon, a, b, c):
    """The part of `polygon` where a*x + b*y <= c (Sutherland-Hodgman, one half-plane)."""
    out = []
    for i, p in enumerate(polygon):
        q = polygon[(i + 1) % len(polygon)]
        fp, fq = a * p[0] + b * p[1] - c, a * q[0] + b * q[1] - c
        if fp <= 0:
            out.append(p)
        if (fp < 0 < fq) or (fq < 0 < fp):
            t = fp / (fp - fq)
            out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return out


def surface(polygon):
    return abs(sum(p[0] * q[1] - q[0] * p[1] for p, q in zip(polygon, polygon[1:] + polygon[:1], strict=True))) / 2


def power_cells(outline, sites, weights):
    result = []
    for i in range(len(sites)):
        cell = list(outline)
        for j in range(len(sites)):
            if i == j:
                continue
            (xi, yi), (xj, yj) = sites[i], sites[j]
            # power distance: |x - si|² - wi <= |x - sj|² - wj
            a, b = 2 * (xj - xi), 2 * (yj - yi)
            c = (xj**2 + yj**2) - (xi**2 + yi**2) + weights[i] - weights[j]
            cell = clip(cell, a, b, c)
        result.append(cell)
    return result


def cells(area):
    """Weights nudged until each cell's surface is near its municipality's share of the outline (the
    usual iteration for a weighted Voronoi "cartogram"; 200 rounds are plenty for five or six cells)."""
    towns = [t for t in TOWNS if t[2] == area]
    lat0 = sum(t[3][0] for t in towns) / len(towns)
    outline = [to_km(lon, lat, lat0) for lon, lat in OUTLINES[area]]
    sites = [to_km(t[3][1], t[3][0], lat0) for t in towns]
    total = surface(outline)
    targets = [total * t[4] / sum(t[4] for t in towns) for t in towns]
    weights = [0.0] * len(towns)
    for _ in range(300):
        found = power_cells(outline, sites, weights)
        for i, cell in enumerate(found):
            weights[i] += 0.1 * (targets[i] - (surface(cell) if len(cell) > 2 else 0))
        # Keep every town inside its own cell: w_j - w_i stays under a third of their squared distance.
        for _ in range(20):
            for i, si in enumerate(sites):
                for j, sj in enumerate(sites):
                    limit = ((si[0] - sj[0]) ** 2 + (si[1] - sj[1]) ** 2) / 3
                    excess = weights[j] - weights[i] - limit
                    if excess > 0:
                        weights[j] -= excess / 2
                        weights[i] += excess / 2
    return [(town, cell, lat0) for town, cell in zip(towns, power_cells(outline, sites, weights), strict=True)]


def main():
    features = []
    for area in OUTLINES:
        for (code, name, area_code, (lat, lon), km2), cell, lat0 in cells(area):
            ring = [to_deg(x, y, lat0) for x, y in cell]
            ring = [(round(x, 4), round(y, 4)) for x, y in ring]
            ring.append(ring[0])
            print(f"{code:20} schematic {surface(cell):6.1f} km² (real {km2})")  # noqa: T201
            features.append(
                {
                    "type": "Feature",
                    "properties": {"code": code, "name": name, "area": area_code, "town": [lon, lat]},
                    "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in ring]]},
                }
            )
    data = {
        "type": "FeatureCollection",
        "_comment": "SCHEMATIC outlines drawn around each town (scripts/observatory_municipalities.py), "
        "not ISTAT boundaries: they tile each area without overlapping and are only meant to shade "
        "the map by guests. Replace with ISTAT's generalised boundaries when available.",
        "areas": {"piana-di-lucca": "Piana di Lucca", "casentino": "Casentino"},
        "features": features,
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
