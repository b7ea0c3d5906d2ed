import datetime

import factory
from django.utils import timezone

from concord.accounts.tests.factories import UserFactory
from concord.coordination.models import (
    ActionPlan,
    Activity,
    Decision,
    Meeting,
    Objective,
    Task,
    TaskUpdate,
)
from concord.network.tests.factories import CooperationGroupFactory, OrganisationFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.SubFactory(CooperationGroupFactory)
    title = factory.Sequence(lambda n: f"Quarterly meeting {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    place = "Prefecture, Korçë"
    agenda = "1. Referrals\n2. Prevention in schools"
    minutes = "Minutes of the meeting."
    created_by = factory.SubFactory(UserFactory)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Organise an awareness session in the vocational school."


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    title = factory.Sequence(lambda n: f"National action plan {n}")
    starts_on = datetime.date(2025, 1, 1)
    ends_on = datetime.date(2027, 12, 31)


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    plan = factory.SubFactory(ActionPlanFactory)
    code = factory.Sequence(lambda n: f"O{n}")
    title = "Improve identification of victims"
    pillar = "protection"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    objective = factory.SubFactory(ObjectiveFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    title = "Train front-line staff on indicators"


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    group = factory.SubFactory(CooperationGroupFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    assigned_organisation = factory.SubFactory(OrganisationFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    created_by = factory.SubFactory(UserFactory)


class TaskUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskUpdate

    task = factory.SubFactory(TaskFactory)
    author = factory.SubFactory(UserFactory)
    comment = "Venue booked."
