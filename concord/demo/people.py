"""The demo's users: one or more for every role, at organisations where that role makes sense.

All share one password (CONCORD_DEMO_PASSWORD, or DEFAULT_PASSWORD). Roles that must use two-factor
sign-in get an authenticator with a fixed secret per user (see `marks.demo_totp_secret`);
`manage.py demo_code EMAIL` prints its current code.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass

from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from concord.accounts.models import ROLES_REQUIRING_TWO_FACTOR, Membership, Role, User
from concord.demo.marks import demo_email, demo_totp_secret
from concord.demo.registry import Registry
from concord.demo.specs import UserSpec

DEFAULT_PASSWORD = "concord-demo-network"  # noqa: S105  (a published demo password, by design)


def demo_password() -> str:
    return os.environ.get("CONCORD_DEMO_PASSWORD") or DEFAULT_PASSWORD


USERS: tuple[UserSpec, ...] = (
    UserSpec("network.admin", "Teuta Gjini", Role.NETWORK_ADMIN, "batn-secretariat", "en"),
    UserSpec("coordinator.al", "Besnik Shehu", Role.NATIONAL_COORDINATOR, "al-coordinator", "sq"),
    UserSpec("coordinator.xk", "Blerina Gashi", Role.NATIONAL_COORDINATOR, "xk-coordinator", "sq"),
    UserSpec("coordinator.mk", "Elena Trajkovska", Role.NATIONAL_COORDINATOR, "mk-coordinator", "mk"),
    UserSpec("org.admin", "Mirela Dervishi", Role.ORG_ADMIN, "al-new-dawn", "sq"),
    UserSpec("social.services", "Lindita Marku", Role.ORG_ADMIN, "al-korce-social", "sq"),
    UserSpec("case.manager", "Arta Kola", Role.CASE_MANAGER, "al-new-dawn", "sq"),
    UserSpec("caseworker", "Petrit Hoxha", Role.CASEWORKER, "al-police-korce", "sq"),
    UserSpec("caseworker.vlore", "Rezarta Leka", Role.CASEWORKER, "al-vlore-legal", "sq"),
    UserSpec("caseworker.xk", "Driton Morina", Role.CASEWORKER, "xk-mbrojtja", "sq"),
    UserSpec("analyst", "Klodian Duka", Role.ANALYST, "al-iom", "en"),
    UserSpec("viewer", "Genta Çela", Role.VIEWER, "al-korce-education", "sq"),
)


@dataclass
class People:
    users: dict[str, User]
    by_organisation: dict[str, list[User]]

    def __getitem__(self, handle: str) -> User:
        return self.users[handle]

    def at(self, organisation_key: str) -> list[User]:
        return self.by_organisation.get(organisation_key, [])


def load_users(registry: Registry) -> People:
    """Create the users, their memberships and, for roles that need it, their authenticator. The password
    is hashed once: Argon2 takes a third of a second per hash, by design."""
    hashed = make_password(demo_password())
    started = timezone.now() - datetime.timedelta(days=400)
    users: dict[str, User] = {}
    by_organisation: dict[str, list[User]] = {}
    memberships: list[Membership] = []
    for spec in USERS:
        user = User.objects.create(
            email=demo_email(spec.handle), full_name=spec.full_name, language=spec.language, password=hashed
        )
        memberships.append(
            Membership(
                user=user, organisation=registry[spec.organisation], role=spec.role, started_at=started
            )
        )
        if spec.role in ROLES_REQUIRING_TWO_FACTOR:
            TOTP.activate(user, demo_totp_secret(user.email))
        users[spec.handle] = user
        by_organisation.setdefault(spec.organisation, []).append(user)
    Membership.objects.bulk_create(memberships)
    return People(users, by_organisation)


@dataclass(frozen=True)
class SignIn:
    email: str
    role: str
    organisation: str
    two_factor: bool


def sign_ins() -> list[SignIn]:
    """The demo sign-ins, for the table `seed_demo` prints."""
    from concord.demo.data.organisations import ORGANISATIONS

    names = {spec.key: spec.short_name for spec in ORGANISATIONS}
    return [
        SignIn(
            email=demo_email(spec.handle),
            role=str(Role(spec.role).label),
            organisation=names[spec.organisation],
            two_factor=spec.role in ROLES_REQUIRING_TWO_FACTOR,
        )
        for spec in USERS
    ]
