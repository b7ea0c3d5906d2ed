"""People who use Concord and their place in the network: users, memberships with a role, invitations."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.accounts.querysets import MembershipQuerySet, is_network_admin, org_admin_organisation_ids

if TYPE_CHECKING:
    from concord.network.models import Organisation


class Role(models.TextChoices):
    NETWORK_ADMIN = "network_admin", _("Network administrator")
    NATIONAL_COORDINATOR = "national_coordinator", _("National coordinator")
    ORG_ADMIN = "org_admin", _("Organisation administrator")
    CASE_MANAGER = "case_manager", _("Case manager")
    CASEWORKER = "caseworker", _("Caseworker")
    ANALYST = "analyst", _("Analyst")
    VIEWER = "viewer", _("Viewer")


# Roles that will see personal data: two-factor sign-in is required for them (DESIGN.md 3).
ROLES_REQUIRING_TWO_FACTOR = frozenset(
    {Role.NETWORK_ADMIN, Role.NATIONAL_COORDINATOR, Role.ORG_ADMIN, Role.CASE_MANAGER, Role.CASEWORKER}
)
# Roles that may edit their organisation's registry entry and invite people.
ROLES_ADMINISTERING_ORGANISATION = frozenset({Role.NETWORK_ADMIN, Role.ORG_ADMIN})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in. Identified by e-mail; what they may do comes from their memberships."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    language = models.CharField(_("preferred language"), max_length=10, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()  # type: ignore[assignment, misc]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def active_memberships(self) -> models.QuerySet[Membership]:
        return self.memberships.filter(is_active=True).select_related("organisation")

    def active_membership(self) -> Membership | None:
        """The membership the user works under. Most people have exactly one; if several, the oldest."""
        if not self.is_authenticated or not self.is_active:
            return None
        # Cached for the request, including "none" (users without a membership are asked on every page).
        if not hasattr(self, "_active_membership_cache"):
            self._active_membership_cache = self.active_memberships().order_by("started_at", "pk").first()
        return self._active_membership_cache

    def membership_roles(self) -> tuple[tuple[int, str, str], ...]:
        """(organisation id, role, organisation's country) of each active membership, read once per user
        object, which is once per request: every permission check of a page asks this."""
        if not self.is_authenticated or not self.is_active:
            return ()
        cached: tuple[tuple[int, str, str], ...] | None = getattr(self, "_membership_roles_cache", None)
        if cached is None:
            cached = tuple(
                self.active_memberships().values_list("organisation_id", "role", "organisation__country_id")
            )
            self._membership_roles_cache = cached
        return cached

    def forget_memberships(self) -> None:
        """Drop the per-request caches after this user's memberships changed."""
        for name in ("_membership_roles_cache", "_active_membership_cache", "_case_roles_cache"):
            self.__dict__.pop(name, None)

    def organisation_ids(self) -> set[int]:
        """Organisations the user currently acts for."""
        return {organisation_id for organisation_id, _role, _country in self.membership_roles()}

    def has_role(self, *roles: str) -> bool:
        return any(role in roles for _org, role, _country in self.membership_roles())

    @property
    def is_network_admin(self) -> bool:
        return self.has_role(Role.NETWORK_ADMIN)

    def coordinated_country_codes(self) -> set[str]:
        """Countries for which the user is a national coordinator (the country of that organisation)."""
        return {
            country for _org, role, country in self.membership_roles() if role == Role.NATIONAL_COORDINATOR
        }

    def requires_two_factor(self) -> bool:
        return self.has_role(*ROLES_REQUIRING_TWO_FACTOR)

    def has_two_factor(self) -> bool:
        """Whether the user has an authenticator app (recovery codes exist only alongside one)."""
        from allauth.mfa.models import Authenticator

        return Authenticator.objects.filter(user_id=self.pk, type=Authenticator.Type.TOTP).exists()

    def lacks_required_two_factor(self) -> bool:
        """A role that sees personal data, but no authenticator yet: nothing but its setup is allowed."""
        # Most people have an authenticator, so that one query usually settles it.
        return not self.has_two_factor() and self.requires_two_factor()


class Membership(models.Model):
    """A user's place in one organisation, with one role. Ended, never deleted, so history stays."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(is_active=True),
                name="one_active_membership_per_org",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"


INVITATION_VALIDITY = timedelta(days=14)


def new_invitation_token() -> str:
    """The secret in an invitation link. Only its digest is stored (see `Invitation.token_digest`)."""
    return secrets.token_urlsafe(32)


def _invitation_token() -> str:  # referenced by migration 0001
    return new_invitation_token()


def invitation_token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _invitation_expiry() -> Any:
    return timezone.now() + INVITATION_VALIDITY


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> InvitationQuerySet:
        """Invitations that can still be accepted: neither accepted, revoked nor expired."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())

    def visible_to(self, user: User) -> InvitationQuerySet:
        """Invitations of the organisations the user administers (every organisation for network
        administrators); nothing for anyone else."""
        if is_network_admin(user):
            return self
        return self.filter(organisation_id__in=org_admin_organisation_ids(user))


class Invitation(models.Model):
    """An organisation administrator's invitation for a person to join with a role."""

    email = models.EmailField(_("e-mail address"))
    full_name = models.CharField(_("full name"), max_length=200)
    organisation: models.ForeignKey[Organisation, Organisation] = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    # A SHA-256 digest of the link's secret: someone who reads the database (a backup, a replica) cannot
    # accept an invitation in another person's name. The secret itself is only ever in the e-mail.
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    def status_display(self) -> str:
        if self.accepted_at is not None:
            return str(_("Accepted"))
        if self.revoked_at is not None:
            return str(_("Revoked"))
        if self.expires_at <= timezone.now():
            return str(_("Expired"))
        return str(_("Open"))
