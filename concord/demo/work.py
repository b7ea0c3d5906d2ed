"""Writes the groups' work (meetings, decisions, tasks and their progress notes) and the national action
plans, from concord/demo/data/meetings.py and plans.py."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from concord.accounts.models import User
from concord.coordination.models import ActionPlan, Activity, Decision, Meeting, Objective, Task, TaskUpdate
from concord.demo.data.groups import WESTERN_BALKANS
from concord.demo.data.meetings import DONE, DROPPED, IN_PROGRESS, MEETINGS, OPEN, RECORDED_BY
from concord.demo.data.plans import (
    DONE_COMMENTS,
    DROPPED_COMMENTS,
    OBJECTIVES,
    PLANS,
    REMINDER_COMMENTS,
    STARTED_COMMENTS,
)
from concord.demo.people import People
from concord.demo.registry import Registry
from concord.demo.specs import MeetingSpec, TaskSpec
from concord.network.models import Country


class WorkLoader:
    """Writes meetings, decisions, tasks and plans. Holds what every part needs: the registry, the
    people, today's date and the seeded random generator."""

    def __init__(
        self, registry: Registry, people: People, countries: dict[str, Country], rng: random.Random
    ) -> None:
        self.registry = registry
        self.countries = countries
        self.people = people
        self.rng = rng
        self.today = timezone.localdate()

    def day(self, offset: int) -> datetime.date:
        return self.today + datetime.timedelta(days=offset)

    def moment(self, offset: int, hour: int = 10) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.day(offset), datetime.time(hour, 0)))

    def load(self) -> None:
        for spec in MEETINGS:
            self.load_meeting(spec)
        for country, (title, group_key, tasks) in PLANS.items():
            self.load_plan(country, title, group_key, tasks)

    def load_meeting(self, spec: MeetingSpec) -> None:
        group = self.registry.groups[spec.group]
        recorder = self.people[RECORDED_BY[spec.group]]
        held = spec.day < 0
        meeting = Meeting.objects.create(
            group=group,
            title=spec.title,
            starts_at=self.moment(spec.day),
            place=spec.place,
            agenda="\n".join(f"{number}. {item}" for number, item in enumerate(spec.agenda, start=1)),
            minutes=spec.minutes if held else "",
            created_by=recorder,
            created_at=self.moment(min(spec.day, 0) - 14),
        )
        if not held:
            return
        members = sorted(group.current_member_ids())
        attending = {group.chair_id} | set(self.rng.sample(members, k=max(1, round(len(members) * 0.75))))
        meeting.attending_organisations.set(sorted(pk for pk in attending if pk is not None))
        meeting.attending_people.set(
            [
                user
                for key, users in self.people.by_organisation.items()
                if self.registry[key].pk in attending
                for user in users
            ]
        )
        for number, decision_spec in enumerate(spec.decisions, start=1):
            decision = Decision.objects.create(
                meeting=meeting, number=number, text=decision_spec.text, created_at=meeting.starts_at
            )
            if decision_spec.task is not None:
                self.load_task(decision_spec.task, group_key=spec.group, created=spec.day, decision=decision)

    def load_plan(self, country: str, title: str, group_key: str, tasks: tuple[TaskSpec, ...]) -> None:
        first_year = self.today.year - 1
        plan = ActionPlan.objects.create(
            title=f"{title} {first_year}-{first_year + 2}",
            country=self.countries[country],
            group=self.registry.groups[group_key] if group_key != WESTERN_BALKANS else None,
            starts_on=datetime.date(first_year, 1, 1),
            ends_on=datetime.date(first_year + 2, 12, 31),
            description="Adopted by the government; followed up by the national coordinator with the "
            "cooperation groups. Objectives follow the four pillars: partnership, protection, "
            "prosecution and prevention.",
        )
        activities: dict[str, Activity] = {}
        for code, pillar, objective_title, activity_specs in OBJECTIVES:
            objective = Objective.objects.create(plan=plan, code=code, title=objective_title, pillar=pillar)
            for activity_code, activity_title in activity_specs:
                activities[activity_code] = Activity.objects.create(
                    objective=objective, code=activity_code, title=activity_title
                )
        for spec in tasks:
            assert spec.activity is not None
            self.load_task(spec, group_key=group_key, created=-150, activity=activities[spec.activity])

    def author_for(self, organisation_key: str, group_key: str) -> User:
        """Progress notes are written by someone at the organisation responsible when the demo has such
        a person, otherwise by whoever records the group's work."""
        staff = self.people.at(organisation_key)
        return staff[0] if staff else self.people[RECORDED_BY[group_key]]

    def load_task(
        self,
        spec: TaskSpec,
        *,
        group_key: str,
        created: int,
        decision: Decision | None = None,
        activity: Activity | None = None,
    ) -> Task:
        organisation = self.registry[spec.organisation]
        task = Task.objects.create(
            group=self.registry.groups[group_key],
            title=spec.title,
            description=decision.text if decision else (activity.title if activity else ""),
            assigned_organisation=organisation,
            assigned_person=self.people[spec.person] if spec.person else None,
            decision=decision,
            activity=activity,
            due_on=self.day(spec.due),
            status=spec.status,
            completed_on=self.day(spec.completed) if spec.completed is not None else None,
            created_by=self.people[RECORDED_BY[group_key]],
            created_at=self.moment(created, hour=16),
        )
        self.load_updates(task, spec, group_key=group_key, created=created)
        return task

    def load_updates(self, task: Task, spec: TaskSpec, *, group_key: str, created: int) -> None:
        """The progress notes that lead to the task's status, spread between its creation and now."""
        author = self.author_for(spec.organisation, group_key)
        started = created + max(1, (min(spec.due, spec.completed or 0, 0) - created) // 3)
        updates: list[TaskUpdate] = []
        if spec.status in {IN_PROGRESS, DONE}:
            updates.append(
                TaskUpdate(
                    task=task,
                    author=author,
                    at=self.moment(min(started, -1)),
                    comment=self.rng.choice(STARTED_COMMENTS),
                    old_status=OPEN,
                    new_status=IN_PROGRESS,
                )
            )
        if spec.status == DONE and spec.completed is not None:
            updates.append(
                TaskUpdate(
                    task=task,
                    author=author,
                    at=self.moment(spec.completed, hour=15),
                    comment=self.rng.choice(DONE_COMMENTS),
                    old_status=IN_PROGRESS,
                    new_status=DONE,
                )
            )
        if spec.status == DROPPED:
            updates.append(
                TaskUpdate(
                    task=task,
                    author=self.people[RECORDED_BY[group_key]],
                    at=self.moment(min(spec.due, -1)),
                    comment=self.rng.choice(DROPPED_COMMENTS),
                    old_status=OPEN,
                    new_status=DROPPED,
                )
            )
        if task.is_overdue():
            updates.append(
                TaskUpdate(
                    task=task,
                    author=self.people[RECORDED_BY[group_key]],
                    at=self.moment(-2, hour=9),
                    comment=self.rng.choice(REMINDER_COMMENTS),
                )
            )
        TaskUpdate.objects.bulk_create(updates)
