"""The shapes of the demo's data (concord/demo/data/): plain, frozen records the loaders turn into rows."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OrgSpec:
    key: str  # also the local part of the organisation's demo address
    name: str
    short_name: str
    org_type: str
    sector: str
    country: str
    region: str | None
    municipality: str | None = None
    services: tuple[tuple[str, int | None], ...] = ()  # (kind, capacity)
    # Regions served beyond the organisation's own; "*" means every region of its country.
    covers: tuple[str, ...] = ()
    extra_languages: tuple[str, ...] = ()
    description: str = ""
    name_sq: str = ""
    is_active: bool = True
    website: bool = False


@dataclass(frozen=True)
class GroupSpec:
    key: str
    name: str
    level: str
    country: str | None
    region: str | None
    chair: str
    members: tuple[str, ...]
    former_members: tuple[str, ...] = ()
    name_sq: str = ""


@dataclass(frozen=True)
class UserSpec:
    handle: str  # the local part of the user's demo address
    full_name: str
    role: str
    organisation: str
    language: str = ""


@dataclass(frozen=True)
class TaskSpec:
    title: str
    organisation: str
    due: int  # days from the day the demo is loaded
    status: str
    completed: int | None = None  # days from the day the demo is loaded, for done tasks
    person: str | None = None  # a demo user's handle
    activity: str | None = None  # an action-plan activity code, for plan tasks


@dataclass(frozen=True)
class DecisionSpec:
    text: str
    task: TaskSpec | None = None


@dataclass(frozen=True)
class MeetingSpec:
    group: str
    title: str
    day: int  # days from the day the demo is loaded; future meetings have an agenda only
    place: str
    agenda: tuple[str, ...]
    minutes: str = ""
    decisions: tuple[DecisionSpec, ...] = ()
