"""How demo data is told apart from real data, and the demo users' fixed second factor.

Everything the demo creates that has an address (users, organisations) has it at DEMO_DOMAIN, a name
under the reserved `.example` top-level domain: no real mailbox can receive mail there. The commands that
hand out sign-in codes and API tokens refuse anyone else.
"""

from __future__ import annotations

import base64
import hashlib
import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.core.management.base import CommandError

from concord.accounts.models import User

DEMO_DOMAIN = "demo.concord.example"
DEMO_EMAIL_SUFFIX = f"@{DEMO_DOMAIN}"


def is_demo_email(email: str) -> bool:
    return email.strip().lower().endswith(DEMO_EMAIL_SUFFIX)


def demo_email(handle: str) -> str:
    return f"{handle}{DEMO_EMAIL_SUFFIX}"


def demo_totp_secret(email: str) -> str:
    """The demo user's authenticator secret: derived from the address, so it is the same on every machine
    and after every reload (an authenticator app set up once keeps working). Never used for real users."""
    digest = hashlib.sha256(f"concord-demo-totp:{email.lower()}".encode()).digest()
    return base64.b32encode(digest[:20]).decode("ascii")


def get_demo_user(email: str) -> User:
    """The demo user with this address; a CommandError for anyone who is not a demo user, so that the
    demo commands can never reveal a code or a token of a real account."""
    if not is_demo_email(email):
        raise CommandError(f"{email} is not a demo user: only addresses ending in {DEMO_EMAIL_SUFFIX} are.")
    user = User.objects.filter(email=email.strip().lower()).first()
    if user is None:
        raise CommandError(f"There is no demo user {email}. Load the demo network first: manage.py seed_demo")
    return user


def current_totp_code(user: User) -> str:
    """The six-digit code the user's authenticator shows now."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        raise CommandError(f"{user.email} has no authenticator: their role does not need two-factor sign-in.")
    secret = decrypt(authenticator.data["secret"])
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))
