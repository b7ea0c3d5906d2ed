import factory
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from concord.accounts.models import (
    ROLES_REQUIRING_TWO_FACTOR,
    Invitation,
    Membership,
    Role,
    User,
    invitation_token_digest,
    new_invitation_token,
)
from concord.network.tests.factories import OrganisationFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    """A membership. Roles that require two-factor get a TOTP authenticator, as they would have after
    their first sign-in; its secret is kept on the user as `totp_secret` so browser tests can sign in."""

    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.CASEWORKER

    @factory.post_generation
    def two_factor(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        wanted = extracted if extracted is not None else self.role in ROLES_REQUIRING_TWO_FACTOR
        if create and wanted:
            give_totp(self.user)


def give_totp(user: User) -> str:
    from allauth.mfa.models import Authenticator

    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        return user.totp_secret  # type: ignore[attr-defined, no-any-return]
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    user.totp_secret = secret  # type: ignore[attr-defined]
    return secret


class InvitationFactory(factory.django.DjangoModelFactory):
    """An invitation. Pass `token=` to know the link's secret (only its digest is stored)."""

    class Meta:
        model = Invitation

    class Params:
        token = factory.LazyFunction(new_invitation_token)

    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Invitee {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.CASEWORKER
    token_digest = factory.LazyAttribute(lambda o: invitation_token_digest(o.token))
    invited_by = factory.SubFactory(UserFactory)
