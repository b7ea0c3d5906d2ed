"""Who belongs to which organisation, with which role: inviting, joining, changing roles, leaving.

Every function checks that the acting person administers the organisation concerned (network
administrators administer every organisation) and writes an audit event about that organisation, so the
organisation's own administrators see it in their audit log.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from concord.accounts.models import (
    Invitation,
    Membership,
    Role,
    User,
    invitation_token_digest,
    new_invitation_token,
)
from concord.accounts.querysets import is_network_admin, org_admin_organisation_ids
from concord.audit.models import AuditEvent
from concord.network.models import Organisation

# Roles with reach beyond one organisation: only network administrators hand them out.
NETWORK_LEVEL_ROLES = frozenset({Role.NETWORK_ADMIN, Role.NATIONAL_COORDINATOR})


def administers(user: User, organisation: Organisation) -> bool:
    return is_network_admin(user) or organisation.pk in org_admin_organisation_ids(user)


def grantable_roles(user: User) -> list[Role]:
    """The roles the user may give: every role for network administrators, the organisation-level ones
    for organisation administrators."""
    if is_network_admin(user):
        return list(Role)
    return [role for role in Role if role not in NETWORK_LEVEL_ROLES]


def _check_may_grant(by: User, organisation: Organisation, role: str) -> None:
    if not administers(by, organisation):
        raise PermissionDenied
    if role not in grantable_roles(by):
        raise PermissionDenied


@transaction.atomic
def invite_member(
    *, organisation: Organisation, email: str, full_name: str, role: str, by: User
) -> Invitation:
    """Invite a person to join the organisation with a role, and e-mail them the link.

    The e-mail names only the organisation: whoever reads it on the way learns nothing else."""
    _check_may_grant(by, organisation, role)
    email = email.strip().lower()
    if Membership.objects.filter(
        organisation=organisation, user__email__iexact=email, is_active=True
    ).exists():
        raise ValidationError({"email": _("This person is already a member of the organisation.")})
    if Invitation.objects.open().filter(organisation=organisation, email__iexact=email).exists():
        raise ValidationError(
            {"email": _("This person already has an open invitation. Revoke it first to send a new one.")}
        )
    token = new_invitation_token()
    invitation = Invitation.objects.create(
        email=email,
        full_name=full_name.strip(),
        organisation=organisation,
        role=role,
        token_digest=invitation_token_digest(token),
        invited_by=by,
    )
    AuditEvent.record(
        action="accounts.member_invited",
        actor=by,
        target=invitation,
        organisation=organisation,
        detail={"role": role},
    )
    # Links in e-mails use the configured public address, never the request's Host header (which a
    # sender could forge), and work the same from a page, the API, a command or a background task.
    link = settings.CONCORD_BASE_URL.rstrip("/") + reverse("accounts:invitation-accept", args=[token])
    transaction.on_commit(lambda: _send_invitation(invitation, link))
    return invitation


def _send_invitation(invitation: Invitation, link: str) -> None:
    context = {
        "organisation": invitation.organisation.name,
        "link": link,
        "expires_at": invitation.expires_at,
    }
    send_mail(
        subject=render_to_string("accounts/email/invitation_subject.txt", context).strip(),
        message=render_to_string("accounts/email/invitation_message.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )


def find_open_invitation(token: str) -> Invitation | None:
    """The open invitation a link's secret belongs to; expired, revoked and used ones are not found."""
    return (
        Invitation.objects.open()
        .select_related("organisation")
        .filter(token_digest=invitation_token_digest(token))
        .first()
    )


@transaction.atomic
def accept_invitation(*, invitation: Invitation, full_name: str, password: str) -> User:
    """The invited person sets their password and joins. Someone who already has an account (they
    belong to another organisation, or belonged here before) keeps it, reactivated, with the new
    password: the link proves they hold the mailbox, as a password-reset link would."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open():
        raise PermissionDenied
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        user = User(email=invitation.email, full_name=full_name.strip() or invitation.full_name)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    if user.pk is None:
        user.save()
    else:
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
    if Membership.objects.filter(user=user, organisation=invitation.organisation, is_active=True).exists():
        raise ValidationError(_("You are already a member of this organisation."))
    membership = Membership.objects.create(
        user=user,
        organisation=invitation.organisation,
        role=invitation.role,
        invited_by=invitation.invited_by,
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    AuditEvent.record(
        action="accounts.invitation_accepted",
        actor=user,
        target=membership,
        organisation=invitation.organisation,
        detail={"invitation": invitation.pk, "role": invitation.role},
    )
    return user


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, by: User) -> Invitation:
    """Withdraw an invitation that has not been accepted yet; its link stops working."""
    if not administers(by, invitation.organisation):
        raise PermissionDenied
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise ValidationError(_("This invitation was already accepted or revoked."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    AuditEvent.record(
        action="accounts.invitation_revoked",
        actor=by,
        target=invitation,
        organisation=invitation.organisation,
    )
    return invitation


def _check_may_manage(membership: Membership, by: User) -> None:
    if not administers(by, membership.organisation):
        raise PermissionDenied
    # An organisation administrator cannot touch a network-level role they could not have granted.
    if membership.role not in grantable_roles(by):
        raise PermissionDenied
    if membership.user_id == by.pk:
        raise ValidationError(_("You cannot change your own membership. Ask another administrator."))


@transaction.atomic
def change_role(*, membership: Membership, role: str, by: User) -> Membership:
    """Give an active member another role within the same organisation."""
    membership = Membership.objects.select_for_update().select_related("organisation").get(pk=membership.pk)
    _check_may_manage(membership, by)
    _check_may_grant(by, membership.organisation, role)
    if not membership.is_active:
        raise ValidationError(_("This membership has ended."))
    old_role = membership.role
    if old_role == role:
        return membership
    membership.role = role
    membership.save(update_fields=["role"])
    membership.user.forget_memberships()
    AuditEvent.record(
        action="accounts.role_changed",
        actor=by,
        target=membership,
        organisation=membership.organisation,
        detail={"old_role": old_role, "new_role": role},
    )
    return membership


@transaction.atomic
def end_membership(*, membership: Membership, by: User) -> Membership:
    """End a membership, keeping it as history. Someone left with no active membership loses access at
    once: their account is deactivated, their sessions are ended and their API token is deleted."""
    membership = (
        Membership.objects.select_for_update().select_related("organisation", "user").get(pk=membership.pk)
    )
    _check_may_manage(membership, by)
    if not membership.is_active:
        raise ValidationError(_("This membership has already ended."))
    membership.is_active = False
    membership.ended_at = timezone.now()
    membership.save(update_fields=["is_active", "ended_at"])
    membership.user.forget_memberships()
    user = membership.user
    still_member = Membership.objects.filter(user=user, is_active=True).exists()
    if not still_member:
        user.is_active = False
        user.save(update_fields=["is_active"])
        Token.objects.filter(user=user).delete()
        ended_sessions = end_sessions(user=user)
    else:
        ended_sessions = 0
    AuditEvent.record(
        action="accounts.membership_ended",
        actor=by,
        target=membership,
        organisation=membership.organisation,
        detail={
            "role": membership.role,
            "account_deactivated": not still_member,
            "sessions_ended": ended_sessions,
        },
    )
    return membership


def end_sessions(*, user: User) -> int:
    """Sign the user out everywhere (every session allauth recorded at sign-in)."""
    from allauth.usersessions.models import UserSession

    sessions = list(UserSession.objects.filter(user=user))
    for session in sessions:
        session.end()
    return len(sessions)


@transaction.atomic
def create_api_token(*, user: User) -> Token:
    """A new API token for the user, replacing any previous one. The key is shown once."""
    had_token = Token.objects.filter(user=user).delete()[0] > 0
    token = Token.objects.create(user=user)
    AuditEvent.record(
        action="accounts.api_token_created", actor=user, target=user, detail={"replaced": had_token}
    )
    return token


@transaction.atomic
def revoke_api_token(*, user: User) -> None:
    """Delete the user's API token; requests carrying it are refused from now on."""
    if Token.objects.filter(user=user).delete()[0] == 0:
        return
    AuditEvent.record(action="accounts.api_token_revoked", actor=user, target=user)
