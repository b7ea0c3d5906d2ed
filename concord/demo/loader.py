"""Loading and wiping the demo network, in one transaction each.

The demo is loaded only into a database that holds no real data, and wiped only from one that holds
nothing but the demo: real users and organisations must never be mixed with fictional ones, or deleted
to make room for them. Users and organisations are demo data when their address is at DEMO_DOMAIN.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import Model, ProtectedError, RestrictedError
from rest_framework.authtoken.models import Token

from concord.accounts.models import Invitation, Membership, User
from concord.audit.models import AuditEvent
from concord.cases.models import Case, Notification, Referral, ReferralEvent, Screening
from concord.coordination.models import ActionPlan, Decision, Meeting, Task, TaskUpdate
from concord.demo.cases import load_cases
from concord.demo.jurisdictions import load_jurisdictions
from concord.demo.marks import DEMO_EMAIL_SUFFIX
from concord.demo.people import load_users
from concord.demo.registry import load_contacts, load_groups, load_organisations
from concord.demo.work import WorkLoader
from concord.network.models import (
    ContactPerson,
    CooperationGroup,
    GroupMembership,
    Municipality,
    Organisation,
    Region,
)

# The demo is the same on every machine: every random choice comes from this seed.
DEMO_SEED = 20250601


# What --reset deletes, in an order that respects the protected foreign keys.
WIPED_BEFORE_THE_AUDIT_LOG: tuple[type[Model], ...] = (
    Notification,
    ReferralEvent,
    Referral,  # before the consents it names
    Screening,
    Case,  # with everything recorded about the person
    TaskUpdate,
    Task,
    Decision,
    Meeting,
    ActionPlan,  # with its objectives and activities
    GroupMembership,
    CooperationGroup,
    ContactPerson,
    Invitation,
    Membership,
)
WIPED_AFTER_THE_AUDIT_LOG: tuple[type[Model], ...] = (
    Authenticator,
    Token,
    Session,
    User,
    Organisation,  # with its services
)


class DemoRefusedError(Exception):
    """The database holds data the demo must not touch."""


@dataclass(frozen=True)
class NonDemoData:
    users: int
    organisations: int

    def __bool__(self) -> bool:
        return bool(self.users or self.organisations)

    def __str__(self) -> str:
        return (
            f"{self.users} user(s) and {self.organisations} organisation(s) whose address is not at "
            f"{DEMO_EMAIL_SUFFIX}"
        )


def non_demo_data() -> NonDemoData:
    return NonDemoData(
        users=User.objects.exclude(email__iendswith=DEMO_EMAIL_SUFFIX).count(),
        organisations=Organisation.objects.exclude(email__iendswith=DEMO_EMAIL_SUFFIX).count(),
    )


def demo_is_loaded() -> bool:
    return (
        User.objects.filter(email__iendswith=DEMO_EMAIL_SUFFIX).exists()
        or Organisation.objects.filter(email__iendswith=DEMO_EMAIL_SUFFIX).exists()
    )


@transaction.atomic
def load_demo_network(*, seed: int = DEMO_SEED) -> dict[str, int]:
    """Load the demo network into a database without real data; return what was created, by kind."""
    others = non_demo_data()
    if others:
        raise DemoRefusedError(
            f"The database holds real data ({others}). "
            "The demo network is only loaded into an empty database."
        )
    if demo_is_loaded():
        raise DemoRefusedError("The demo network is already loaded.")
    rng = random.Random(seed)  # noqa: S311  (demo data, not secrets: reproducible on purpose)
    places = load_jurisdictions()
    registry = load_organisations(places)
    people = load_users(registry)
    load_contacts(registry, rng, consent_by=people["network.admin"])
    load_groups(registry, places, rng)
    WorkLoader(registry, people, places.countries, rng).load()
    load_cases(registry, people, seed=seed)
    counts = demo_counts()
    AuditEvent.record(action="demo.loaded", detail={"seed": seed, **counts})
    return counts


@transaction.atomic
def wipe_demo_network() -> None:
    """Delete the demo network: its organisations, people and all their work, the audit log and the
    records' history. Only in a database that holds nothing else; countries and regions stay."""
    others = non_demo_data()
    if others:
        raise DemoRefusedError(
            f"Refusing to reset: the database also holds real data ({others}). "
            "--reset only wipes a database that holds nothing but the demo network."
        )
    try:
        # The records' history first: it refers to the rows below without database constraints.
        for label in ("network", "coordination", "cases"):
            for model in apps.get_app_config(label).get_models():
                if model.__name__.startswith("Historical"):
                    model._default_manager.all().delete()
        for model in WIPED_BEFORE_THE_AUDIT_LOG:
            model._default_manager.all().delete()
        # The audit log is append-only and its queryset refuses to delete. Its events refer to the demo
        # users and organisations, so a database holding nothing but the demo (checked above) starts
        # the log afresh: the plain QuerySet.delete is called on purpose, here and nowhere else.
        models.QuerySet.delete(AuditEvent.objects.all())
        for model in WIPED_AFTER_THE_AUDIT_LOG:
            model._default_manager.all().delete()
    except ProtectedError as error:
        raise DemoRefusedError(_still_referred(error.protected_objects)) from error
    except RestrictedError as error:
        raise DemoRefusedError(_still_referred(error.restricted_objects)) from error


def _still_referred(objects: Iterable[Model]) -> str:
    kinds = sorted({str(obj._meta.verbose_name_plural) for obj in objects})
    return f"Refusing to reset: other records still refer to the demo network ({', '.join(kinds)})."


def demo_counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "municipalities": Municipality.objects.count(),
        "organisations": Organisation.objects.count(),
        "contact people": ContactPerson.objects.count(),
        "cooperation groups": CooperationGroup.objects.count(),
        "meetings": Meeting.objects.count(),
        "decisions": Decision.objects.count(),
        "tasks": Task.objects.count(),
        "overdue tasks": Task.objects.overdue().count(),
        "action plans": ActionPlan.objects.count(),
        "users": User.objects.count(),
        "cases": Case.objects.count(),
        "referrals": Referral.objects.count(),
        "overdue referrals": Referral.objects.overdue().count(),
    }
