"""Country outlines for the map, from Natural Earth's 1:110m countries (TopoJSON of the
world-atlas package, vendored in maps/data with its licence).

Decoded once per process at first use: arcs are simplified before rings are built from
them, so neighbours keep one shared, simplified border. Antarctica is left out; the
projection is equirectangular, which keeps the drawing small and honest enough for
shading countries by a count.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django_countries import countries

TOPOLOGY = Path(__file__).parent / "data" / "countries-110m.json"
SCALE = 2.5  # SVG units per degree
NORTH, SOUTH = 84.0, -57.0  # latitudes drawn: the inhabited world without Antarctica
WIDTH = round(360 * SCALE)
HEIGHT = round((NORTH - SOUTH) * SCALE)
TOLERANCE = 0.6  # SVG units a simplified border may stray from the original
ANTARCTICA = "010"


@dataclass(frozen=True)
class Shape:
    code: str  # ISO 3166 alpha-2, or "" for land without one (e.g. Kosovo)
    name: str
    path: str  # SVG path data


def _project(lon, lat):
    return (lon + 180) * SCALE, (NORTH - max(min(lat, NORTH), SOUTH)) * SCALE


def _decode_arcs(topology):
    scale_x, scale_y = topology["transform"]["scale"]
    move_x, move_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append(_project(x * scale_x + move_x, y * scale_y + move_y))
        arcs.append(_simplify(points, TOLERANCE))
    return arcs


def _simplify(points, tolerance):
    """Douglas–Peucker: the fewest points within ``tolerance`` of the line."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            px, py = points[index]
            if length:
                away = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            else:
                away = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            if away > distance:
                farthest, distance = index, away
        if farthest is not None:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _ring(arcs, indexes):
    points = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _unwrap(ring):
    """A ring that crosses the antimeridian (Russia, Fiji) jumps across the whole map;
    keep it continuous instead, running past the edge, where the viewBox clips it."""
    points, offset = ring[:1], 0
    for (x0, _y0), (x, y) in zip(ring, ring[1:], strict=False):
        if x - x0 > WIDTH / 2:
            offset -= WIDTH
        elif x0 - x > WIDTH / 2:
            offset += WIDTH
        points.append((x + offset, y))
    return points


def _path(rings):
    """Relative path data rounded to whole units: short, and fine at this scale."""
    parts = []
    for ring in rings:
        rounded = [(round(x), round(y)) for x, y in _unwrap(ring)]
        deduped = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
        if len(deduped) < 3:
            continue
        (x, y), rest = deduped[0], deduped[1:]
        steps = []
        for nx, ny in rest:
            steps.append(f"{nx - x} {ny - y}")
            x, y = nx, ny
        parts.append(f"M{deduped[0][0]} {deduped[0][1]}l" + " ".join(steps) + "z")
    return "".join(parts).replace(" -", "-")


@lru_cache(maxsize=1)
def country_shapes():
    """Every country's outline, keyed by alpha-2 code (unnamed land under "")."""
    topology = json.loads(TOPOLOGY.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    shapes = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        number = geometry.get("id")
        if number == ANTARCTICA or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = (
            [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        )
        rings = [_ring(arcs, ring) for polygon in polygons for ring in polygon]
        path = _path(rings)
        if not path:
            continue
        code = countries.alpha2(number) if number else ""
        shapes.append(
            Shape(code=code or "", name=geometry["properties"]["name"], path=path)
        )
    return tuple(shapes)
