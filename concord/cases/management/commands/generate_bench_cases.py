"""manage.py generate_bench_cases: fill an empty database with a large, fictional case load for load tests.

    manage.py generate_bench_cases --cases 100000 --organisations 2000 --users 5000

Only for a throwaway benchmark database (bench/cases_load.py creates one): it refuses a database that
already holds users or cases, and everything it creates has its address at BENCH_DOMAIN. Rows are
written with bulk_create in batches, without history rows or audit events (the pages under test do not
read them). The case load is shaped like a network's:

- organisations in the six demo countries, of the types that handle cases; organisation 1 is large
  (3% of all cases, at least 100), the others share the rest unevenly;
- every organisation has a case manager and a caseworker, the remaining users get random roles;
- about 70% of cases have an assigned caseworker, about 30% were referred once (every state, consents,
  a few overrides), half have a trafficking event and half a note;
- two sign-ins for the benchmark: BENCH_MANAGER (case manager of the large organisation) and
  BENCH_CASEWORKER (caseworker there, assigned to exactly 50 of its cases), password BENCH_PASSWORD,
  with a two-factor authenticator (the demo's fixed secret, see concord/demo/marks.py).

Identity fields hold real Fernet tokens under the configured keys, so that reading a case decrypts as it
would in production. For speed each distinct value is encrypted once and its token reused by every row
that holds it (the tokens are then not unique per row, as they would be in real data; that changes
nothing for reading, which is what the benchmark measures).
"""

from __future__ import annotations

import datetime
import random
import time
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction
from django.db.models import Value
from django.utils import timezone

from concord.accounts.models import Membership, Role, User
from concord.cases.models import (
    IDENTITY_FIELDS,
    Case,
    CaseAssignment,
    CaseNote,
    Consent,
    Referral,
    ReferralState,
    TraffickingEvent,
)
from concord.cases.models.case import CODE_ALPHABET
from concord.common.encryption import blind_index, encrypt
from concord.demo.jurisdictions import load_jurisdictions
from concord.demo.marks import demo_totp_secret
from concord.network.models import Organisation, OrgType, Sector

BENCH_DOMAIN = "bench.concord.example"
BENCH_MANAGER = f"bench.manager@{BENCH_DOMAIN}"
BENCH_CASEWORKER = f"bench.caseworker@{BENCH_DOMAIN}"
BENCH_PASSWORD = "concord-bench-only"  # noqa: S105  (a throwaway benchmark database)
BENCH_CASEWORKER_CASES = 50
COUNTRIES = ("AL", "XK", "MK", "ME", "RS", "BA")
ORG_KINDS = (
    (OrgType.NGO, Sector.SHELTER),
    (OrgType.NGO, Sector.NGO),
    (OrgType.LAW_ENFORCEMENT, Sector.LAW_ENFORCEMENT),
    (OrgType.LOCAL_GOVERNMENT, Sector.SOCIAL_SERVICES),
    (OrgType.LEGAL, Sector.LEGAL),
    (OrgType.INTERNATIONAL, Sector.INTERNATIONAL),
)
OTHER_ROLES = (Role.CASE_MANAGER, Role.CASEWORKER, Role.CASEWORKER, Role.ORG_ADMIN, Role.VIEWER, Role.ANALYST)
FIRST_NAMES = (
    "Elira",
    "Besa",
    "Arta",
    "Dafina",
    "Jehona",
    "Marija",
    "Ivana",
    "Vesna",
    "Agon",
    "Ilir",
    "Marko",
)
SURNAMES = ("Gashi", "Hoxha", "Krasniqi", "Shala", "Petrović", "Nikolić", "Stojanovska", "Begović", "Rama")
STATES = list(ReferralState.values)
STATE_WEIGHTS = (5, 10, 12, 6, 25, 30, 6, 6)


class TokenPool:
    """Fernet tokens for a few hundred distinct values, each encrypted once."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.tokens: dict[str, Value] = {}

    def __call__(self, value: str) -> Value:
        token = self.tokens.get(value)
        if token is None:
            # A Value is written as it is: bulk_create does not encrypt it a second time.
            token = self.tokens[value] = Value(encrypt(value), output_field=models.TextField())
        return token


class Command(BaseCommand):
    help = "Fill an empty benchmark database with fictional organisations, users and cases (bench/)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--organisations", type=int, default=2_000)
        parser.add_argument("--users", type=int, default=5_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch-size", type=int, default=2_000)

    def handle(self, *args: Any, **options: Any) -> None:
        cases, organisations, users = options["cases"], options["organisations"], options["users"]
        if organisations < 2 or users < 2 * organisations or cases < BENCH_CASEWORKER_CASES * 2:
            raise CommandError("Needs at least 2 organisations, 2 users per organisation and 100 cases.")
        if User.objects.exists() or Case.objects.exists():
            raise CommandError("The database already holds users or cases: use a fresh benchmark database.")
        self.rng = random.Random(options["seed"])  # noqa: S311  (fictional data, reproducible)
        self.batch = options["batch_size"]
        self.tokens = TokenPool(self.rng)
        self.now = timezone.now()
        started = time.monotonic()
        with transaction.atomic():
            self.step("organisations", lambda: self.organisations(organisations))
            self.step("users and memberships", lambda: self.users(users))
            self.step("cases", lambda: self.cases(cases))
            self.step("assignments", self.assignments)
            self.step("referrals and consents", self.referrals)
            self.step("events and notes", self.events_and_notes)
        if connection.vendor == "postgresql":
            self.step("analyze", self.analyze)
        self.stdout.write(self.style.SUCCESS(f"Generated in {time.monotonic() - started:.1f} s."))
        self.stdout.write(
            f"Case manager of the large organisation: {BENCH_MANAGER} (password {BENCH_PASSWORD})"
        )
        self.stdout.write(f"Caseworker with {BENCH_CASEWORKER_CASES} cases: {BENCH_CASEWORKER}")

    def analyze(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def step(self, what: str, run: Any) -> None:
        started = time.monotonic()
        count = run()
        self.stdout.write(f"  {what}: {count or ''} in {time.monotonic() - started:.1f} s")

    def create(self, model: type[models.Model], rows: list[Any]) -> list[Any]:
        if connection.vendor == "postgresql" and model in (Case, CaseAssignment, TraffickingEvent, CaseNote):
            return self.copy(model, rows)
        return model._default_manager.bulk_create(rows, batch_size=self.batch)

    def copy(self, model: type[models.Model], rows: list[Any]) -> list[Any]:
        """PostgreSQL's COPY, several times faster than bulk_create for the large tables. Each field's
        database value is worked out once per distinct value; cases get their primary keys back by code."""
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        prepared: dict[tuple[str, Any], Any] = {}

        def database_value(field: models.Field, row: Any) -> Any:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                return self.now
            value = getattr(row, field.attname)
            if isinstance(value, Value):
                return value.value  # a token, written as it is
            key = (field.name, repr(value) if isinstance(value, list | dict) else value)
            if key not in prepared:
                prepared[key] = field.get_db_prep_save(value, connection)
            return prepared[key]

        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row([database_value(field, row) for field in fields])
        if model is Case:
            ids = dict(Case.objects.values_list("code", "pk"))
            for row in rows:
                row.pk = ids[row.code]
        return rows

    def organisations(self, count: int) -> int:
        countries = load_jurisdictions().countries
        rows = []
        for number in range(1, count + 1):
            org_type, sector = ORG_KINDS[0] if number == 1 else self.rng.choice(ORG_KINDS)
            country = COUNTRIES[0] if number == 1 else self.rng.choice(COUNTRIES)
            rows.append(
                Organisation(
                    name=f"Bench organisation {number}",
                    name_en=f"Bench organisation {number}",
                    short_name=f"Bench {number}",
                    org_type=org_type,
                    sector=sector,
                    country=countries[country],
                    email=f"org{number}@{BENCH_DOMAIN}",
                    languages=["en"],
                )
            )
        self.orgs = self.create(Organisation, rows)
        return len(self.orgs)

    def users(self, count: int) -> int:
        hashed = make_password(BENCH_PASSWORD)  # once: Argon2 is slow by design
        started = self.now - datetime.timedelta(days=400)
        # Every organisation: a case manager and a caseworker; the rest spread with random roles.
        plan: list[tuple[Organisation, str]] = []
        for organisation in self.orgs:
            plan += [(organisation, Role.CASE_MANAGER), (organisation, Role.CASEWORKER)]
        large = self.orgs[0]
        plan += [(large, Role.CASEWORKER)] * 8  # the large organisation has a team
        while len(plan) < count:
            plan.append((self.rng.choice(self.orgs), self.rng.choice(OTHER_ROLES)))
        plan = plan[:count]
        emails = [f"user{number}@{BENCH_DOMAIN}" for number in range(1, len(plan) + 1)]
        emails[0], emails[1] = BENCH_MANAGER, BENCH_CASEWORKER  # the large organisation's first two
        users = self.create(
            User,
            [
                User(email=email, full_name=f"Bench user {number}", password=hashed)
                for number, email in enumerate(emails, start=1)
            ],
        )
        self.create(
            Membership,
            [
                Membership(user=user, organisation=organisation, role=role, started_at=started)
                for user, (organisation, role) in zip(users, plan, strict=True)
            ],
        )
        for user in users[:2]:  # the two sign-ins the benchmark uses; the others never sign in
            TOTP.activate(user, demo_totp_secret(user.email))
        self.managers: dict[int, User] = {}
        self.workers: dict[int, list[User]] = {}
        for user, (organisation, role) in zip(users, plan, strict=True):
            if role == Role.CASE_MANAGER:
                self.managers.setdefault(organisation.pk, user)
            elif role == Role.CASEWORKER:
                self.workers.setdefault(organisation.pk, []).append(user)
        self.bench_worker = users[1]
        return len(users)

    def cases(self, count: int) -> int:
        rng = self.rng
        large = self.orgs[0]
        # Uneven shares: a few organisations hold many cases, most hold a few.
        weights = [1.0 / (rank**0.8) for rank in range(1, len(self.orgs))]
        # The large organisation: 3% of the cases, and enough for the bench caseworker's 50.
        share = max(count * 3 // 100, min(count // 2, 2 * BENCH_CASEWORKER_CASES))
        owners = [large] * share + rng.choices(self.orgs[1:], weights, k=count - share)
        rng.shuffle(owners)
        codes: set[str] = set()
        identity_numbers = [f"I{rng.randrange(10**7, 10**8)}A" for _ in range(500)]
        bidx = {number: blind_index(number, purpose="identity_number") for number in identity_numbers}
        # Blank identity fields are tokens too (of the empty string): one encryption for all of them.
        blank = dict.fromkeys(IDENTITY_FIELDS, self.tokens(""))
        rows = []
        for owner in owners:
            while True:
                body = "".join(rng.choice(CODE_ALPHABET) for _ in range(8))
                code = f"C-{body[:4]}-{body[4:]}"
                if code not in codes:
                    codes.add(code)
                    break
            age = rng.randint(13, 50)
            identified = self.now.date() - datetime.timedelta(days=rng.randint(1, 1500))
            number = rng.choice(identity_numbers)
            manager = self.managers[owner.pk]
            identity = {
                **blank,
                "first_name": self.tokens(rng.choice(FIRST_NAMES)),
                "second_name": self.tokens(rng.choice(SURNAMES)),
                "birth_date": self.tokens(
                    f"{identified.year - age}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
                ),
                "identity_number": self.tokens(number),
                "mobile_phone": self.tokens(f"+355 69 000 {rng.randrange(1000, 1100)}"),
            }
            rows.append(
                Case(
                    **identity,
                    code=code,
                    owner=owner,
                    case_owner=manager,
                    status=rng.choices(["Active", "FollowUp", "Closed", "ClosedReferred"], [60, 15, 22, 3])[
                        0
                    ],
                    identity_number_bidx=bidx[number],
                    sex=rng.choice(["Female", "Female", "Male"]),
                    age_at_identification=age,
                    identified_on=identified,
                    citizenship=[owner.country_id],
                    country_of_exploitation=rng.choice(["AL", "IT", "DE", "GR", "XK"]),
                    types_of_exploitation=[
                        rng.choice(["SexualExploitation", "ForcedLabour", "ForcedBegging"])
                    ],
                    risk_level=rng.choice(["low", "medium", "high"]),
                    risk_summary="Recruiter still in contact with the family.",
                    created_at=timezone.make_aware(datetime.datetime.combine(identified, datetime.time(10))),
                    created_by=manager,
                )
            )
        self.case_rows = self.create(Case, rows)
        return len(self.case_rows)

    def assignments(self) -> int:
        rng = self.rng
        large = self.orgs[0]
        rows = []
        bench_cases = 0
        for case in self.case_rows:
            workers = self.workers.get(case.owner_id, [])
            if case.owner_id == large.pk and bench_cases < BENCH_CASEWORKER_CASES:
                worker = self.bench_worker
                bench_cases += 1
            elif workers and rng.random() < 0.7:
                worker = rng.choice([w for w in workers if w is not self.bench_worker] or workers)
                if worker is self.bench_worker:
                    continue
            else:
                continue
            rows.append(
                CaseAssignment(
                    case=case,
                    user=worker,
                    organisation_id=case.owner_id,
                    assigned_by=self.managers[case.owner_id],
                    assigned_at=case.created_at,
                )
            )
        return len(self.create(CaseAssignment, rows))

    def referrals(self) -> int:
        rng = self.rng
        chosen = [case for case in self.case_rows if rng.random() < 0.3]
        consents, referrals = [], []
        for case in chosen:
            to = rng.choice(self.orgs)
            if to.pk == case.owner_id:
                continue
            state = rng.choices(STATES, STATE_WEIGHTS)[0]
            override = rng.random() < 0.03
            consent = None
            if not override:
                consent = Consent(
                    case=case,
                    purpose=Consent.Purpose.REFERRAL,
                    recipient=to,
                    method=Consent.Method.WRITTEN,
                    given_on=case.identified_on,
                    recorded_by=case.created_by,
                    organisation_id=case.owner_id,
                    recorded_at=case.created_at,
                    witness=self.tokens(""),
                )
                consents.append(consent)
            sent = case.created_at + datetime.timedelta(days=1)
            referrals.append(
                Referral(
                    case=case,
                    from_organisation_id=case.owner_id,
                    to_organisation=to,
                    services=[rng.choice(["shelter", "psychosocial", "legal_aid", "return"])],
                    urgency=rng.choice(["routine", "routine", "urgent", "emergency"]),
                    consent=consent,
                    consent_override_reason="Child at immediate risk." if override else "",
                    is_transnational=case.owner.country_id != to.country_id,
                    state=state,
                    state_changed_at=sent,
                    sent_at=None if state == "draft" else sent,
                    accepted_at=sent
                    if state in ("accepted", "in_progress", "completed", "given_up")
                    else None,
                    due_at=sent + datetime.timedelta(days=5)
                    if state in ("draft", "sent", "accepted")
                    else None,
                    share_events=rng.random() < 0.5,
                    share_notes=rng.random() < 0.3,
                    created_by=case.created_by,
                    created_at=case.created_at,
                )
            )
        self.create(Consent, consents)
        return len(self.create(Referral, referrals))

    def events_and_notes(self) -> int:
        rng = self.rng
        events, notes = [], []
        for case in self.case_rows:
            if rng.random() < 0.5:
                events.append(
                    TraffickingEvent(
                        case=case,
                        event_type="Recruitment",
                        date=case.identified_on - datetime.timedelta(days=200),
                        country=case.owner.country_id,
                        description=self.tokens("Offered a job abroad by an acquaintance."),
                        recorded_by=case.created_by,
                        recorded_at=case.created_at,
                    )
                )
            if rng.random() < 0.5:
                notes.append(
                    CaseNote(
                        case=case,
                        organisation_id=case.owner_id,
                        author=case.created_by,
                        text=self.tokens("Met at the shelter; next appointment in two weeks."),
                        created_at=case.created_at,
                    )
                )
        return len(self.create(TraffickingEvent, events)) + len(self.create(CaseNote, notes))
