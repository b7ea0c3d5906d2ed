"""The network map's drawing: positions, colours and titles for a server-rendered SVG.

Layout: organisations are grouped by country, each country a ring of its organisations ordered by
region and name, the rings laid out left to right in rows. Chosen over a force-directed layout
(networkx's spring_layout) because it needs no new dependency (networkx + numpy would outweigh the
rest of the page stack), costs O(n) for a network of 2,000 organisations where a spring layout costs
O(n^2) per iteration, is deterministic without a seed, and puts organisations where people look for
them (by country and region) rather than where the forces happen to settle. Ties across countries
and regions stand out as long lines, which is what a coordinator wants to see.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from concord.network.models import Organisation, Sector
from concord.network.selectors import Tie, TieKind

# Okabe-Ito's colour-blind-safe palette, extended with four further distinct colours.
SECTOR_COLOURS: dict[str, str] = {
    Sector.LAW_ENFORCEMENT: "#0072B2",
    Sector.LOCAL_GOVERNMENT: "#56B4E9",
    Sector.SOCIAL_SERVICES: "#009E73",
    Sector.NGO: "#E69F00",
    Sector.SHELTER: "#D55E00",
    Sector.HEALTH: "#CC79A7",
    Sector.LEGAL: "#F0E442",
    Sector.EDUCATION: "#8C564B",
    Sector.EMPLOYMENT: "#7F7F7F",
    Sector.INTERNATIONAL: "#17BECF",
    Sector.MEDIA: "#BCBD22",
    Sector.BUSINESS: "#000000",
}
GROUP_TIE_COLOUR = "#6c757d"
TASK_TIE_COLOUR = "#0d6efd"

NODE_RADIUS = 7
NODE_SPACING = 36  # along a ring's circumference
LABEL_ROOM = 150  # beside a ring, for the names
TITLE_ROOM = 40  # above a ring, for the country's name
MAX_ROW_WIDTH = 1600
MAX_LABELS = 150  # beyond this, names only on hover and in the table below
LABEL_LENGTH = 28


@dataclass(frozen=True)
class Node:
    organisation: Organisation
    x: int
    y: int
    colour: str
    label: str
    label_x: int
    label_y: int
    label_anchor: str
    title: str


@dataclass(frozen=True)
class Edge:
    x1: int
    y1: int
    x2: int
    y2: int
    width: float
    colour: str
    dashed: bool
    title: str


@dataclass(frozen=True)
class Caption:
    text: str
    x: int
    y: int


@dataclass(frozen=True)
class TieRow:
    first: Organisation
    second: Organisation
    kind: str
    is_task: bool
    group_name: str
    count: int


@dataclass(frozen=True)
class Graph:
    width: int
    height: int
    nodes: list[Node]
    edges: list[Edge]
    captions: list[Caption]
    rows: list[TieRow]
    show_labels: bool

    def legend(self) -> list[tuple[str, str]]:
        """(colour, sector name) for the sectors drawn."""
        drawn = {node.organisation.sector for node in self.nodes}
        return [(SECTOR_COLOURS[value], str(label)) for value, label in Sector.choices if value in drawn]


def _short(organisation: Organisation) -> str:
    name = organisation.short_name or organisation.name
    return name if len(name) <= LABEL_LENGTH else name[: LABEL_LENGTH - 1] + "…"


def _sort_key(organisation: Organisation) -> tuple[str, str, str, int]:
    region = organisation.region.name if organisation.region else ""
    return (organisation.country.name, region, organisation.name, organisation.pk)


@dataclass(frozen=True)
class _Placement:
    x: float
    y: float
    label_x: float
    label_y: float
    label_anchor: str


def _placement(cx: float, cy: float, radius: float, angle: float) -> _Placement:
    """A node on its ring, with its name outside the ring: to the right on the right half, to the left
    on the left half, above or below at the top and bottom."""
    x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
    gap = NODE_RADIUS + 4
    cos, sin = math.cos(angle), math.sin(angle)
    if radius == 0 or cos > 0.2:
        return _Placement(x, y, x + gap, y + 4, "start")
    if cos < -0.2:
        return _Placement(x, y, x - gap, y + 4, "end")
    return _Placement(x, y, x, y - gap if sin < 0 else y + gap + 8, "middle")


def _place(organisations: Sequence[Organisation]) -> tuple[dict[int, _Placement], list[Caption], int, int]:
    """Positions by country ring; returns them with the countries' captions and the drawing's size."""
    placements: dict[int, _Placement] = {}
    captions: list[Caption] = []
    x = y = row_height = width = 0.0
    ordered = sorted(organisations, key=_sort_key)
    for country_name, members in groupby(ordered, key=lambda o: o.country.name):
        ring = list(members)
        radius = 0.0 if len(ring) == 1 else max(40.0, len(ring) * NODE_SPACING / (2 * math.pi))
        box_width = 2 * radius + 2 * LABEL_ROOM
        box_height = 2 * radius + TITLE_ROOM + 40
        if x > 0 and x + box_width > MAX_ROW_WIDTH:
            x, y, row_height = 0.0, y + row_height, 0.0
        cx, cy = x + box_width / 2, y + TITLE_ROOM + radius + 10
        captions.append(Caption(text=str(country_name), x=round(cx), y=round(y + 20)))
        for index, organisation in enumerate(ring):
            angle = -math.pi / 2 + 2 * math.pi * index / len(ring)
            placements[organisation.pk] = _placement(cx, cy, radius, angle)
        x += box_width
        width = max(width, x)
        row_height = max(row_height, box_height)
    return placements, captions, math.ceil(width), math.ceil(y + row_height)


def _reason(tie: Tie) -> str:
    if tie.kind == TieKind.TASK:
        return ngettext("%(count)d task from %(group)s", "%(count)d tasks from %(group)s", tie.count) % {
            "count": tie.count,
            "group": tie.group.name,
        }
    return _("both in %(group)s") % {"group": tie.group.name}


def draw(organisations: Sequence[Organisation], ties: Sequence[Tie]) -> Graph:
    """Lay out the organisations and their ties. Several ties between the same two organisations are
    drawn as one line, thicker for each, and listed in its title."""
    positions, captions, width, height = _place(organisations)
    by_id = {organisation.pk: organisation for organisation in organisations}
    nodes = []
    for organisation in organisations:
        at = positions[organisation.pk]
        place = ", ".join(str(part) for part in (organisation.region, organisation.country) if part)
        nodes.append(
            Node(
                organisation=organisation,
                x=round(at.x),
                y=round(at.y),
                colour=SECTOR_COLOURS.get(organisation.sector, "#000000"),
                label=_short(organisation),
                label_x=round(at.label_x),
                label_y=round(at.label_y),
                label_anchor=at.label_anchor,
                title=f"{organisation.name} · {organisation.get_sector_display()} · {place}",
            )
        )

    by_pair: dict[tuple[int, int], list[Tie]] = defaultdict(list)
    for tie in ties:
        if tie.first_id in positions and tie.second_id in positions:
            by_pair[(tie.first_id, tie.second_id)].append(tie)
    edges = []
    for (first, second), reasons in sorted(by_pair.items()):
        start, end = positions[first], positions[second]
        weight = sum(tie.count for tie in reasons)
        only_tasks = all(tie.kind == TieKind.TASK for tie in reasons)
        edges.append(
            Edge(
                x1=round(start.x),
                y1=round(start.y),
                x2=round(end.x),
                y2=round(end.y),
                width=round(1 + 0.75 * min(weight, 6), 2),
                colour=TASK_TIE_COLOUR if only_tasks else GROUP_TIE_COLOUR,
                dashed=only_tasks,
                title=_("%(first)s and %(second)s: %(reasons)s")
                % {
                    "first": by_id[first].name,
                    "second": by_id[second].name,
                    "reasons": "; ".join(map(_reason, reasons)),
                },
            )
        )

    rows = sorted(
        (
            TieRow(
                first=by_id[tie.first_id],
                second=by_id[tie.second_id],
                kind=str(tie.kind.label),
                is_task=tie.kind == TieKind.TASK,
                group_name=tie.group.name,
                count=tie.count,
            )
            for pair in by_pair.values()
            for tie in pair
        ),
        key=lambda row: (row.first.name, row.second.name, row.kind, row.group_name),
    )
    return Graph(
        width=max(width, 200),
        height=max(height, 100),
        nodes=nodes,
        edges=edges,
        captions=captions,
        rows=rows,
        show_labels=len(nodes) <= MAX_LABELS,
    )
