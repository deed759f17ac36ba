"""The map's numbers: events per country of the filtered timeline, and their shading."""

import math
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django_countries import countries

from crisis.models import EventCountry
from maps.geometry import country_shapes

SHADES = 5


@dataclass
class MapCountry:
    code: str
    name: str
    path: str
    count: int = 0
    shade: int = 0  # 0 for none, else 1 (fewest) to SHADES (most)
    url: str = ""


def country_counts(events):
    """``{alpha-2 code: number of events}`` of ``events``, through the country rows the
    database keeps for each event."""
    rows = (
        EventCountry.objects.filter(event_id__in=events.order_by().values("pk"))
        .values("country")
        .annotate(count=Count("event_id"))
        .order_by()
    )
    return {row["country"]: row["count"] for row in rows}


def shade_for(count, most):
    return math.ceil(SHADES * count / most) if count and most else 0


def legend(most):
    """``(shade, lowest, highest)`` for each shade used by counts up to ``most``."""
    rows = []
    for shade in range(1, SHADES + 1):
        lowest = math.floor(most * (shade - 1) / SHADES) + 1
        highest = math.floor(most * shade / SHADES)
        if lowest <= highest:
            rows.append((shade, lowest, highest))
    return rows


def map_countries(counts, params):
    """Every outline with its count, shade and a timeline link that adds its country
    to the other filters (``params``: the valid query pairs)."""
    most = max(counts.values(), default=0)
    kept = [(name, value) for name, value in params if name not in ("country", "page")]
    timeline = reverse("crisis:timeline")
    shapes = []
    for shape in country_shapes():
        count = counts.get(shape.code, 0) if shape.code else 0
        url = (
            f"{timeline}?{urlencode([*kept, ('country', shape.code)])}" if count else ""
        )
        name = countries.name(shape.code) if shape.code else shape.name
        shapes.append(
            MapCountry(shape.code, name, shape.path, count, shade_for(count, most), url)
        )
    return shapes, most
