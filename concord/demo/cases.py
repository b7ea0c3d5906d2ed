"""The demo's protection work: about three hundred cases at the organisations that handle cases
(shelters, NGOs, police, social services, legal clinics, IOM), with their referrals in every state,
consents, screenings, trafficking events, support plans, services, notes, legal proceedings and
caseworker assignments.

Every person is fictional: names are random pairs from short lists of common Balkan first names and
surnames, identity numbers and phone numbers are made up (phones in the 000 block, like the registry's).
Everything comes from one seeded generator and dates are relative to the day the demo is loaded, so two
loads on the same day give the same cases. Rows are written with bulk_create (the history of each record
gets its "created" row with the record's own date), one query per model and batch.

Organisations that own or receive cases but have no demo sign-in get a case manager of their own
(`staff.<organisation>@demo.concord.example`, same password and fixed authenticator as the other demo
users) so that every case has a responsible person and every answer to a referral someone who gave it.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, TypeVar

from allauth.mfa.totp.internal.auth import TOTP
from django.db.models import Model
from django.utils import timezone

from concord.accounts.models import Membership, Role, User
from concord.cases import vocabulary as v
from concord.cases.models import (
    Case,
    CaseAssignment,
    CaseNote,
    Consent,
    LegalProceeding,
    Notification,
    Referral,
    ReferralEvent,
    ReferralState,
    Screening,
    ScreeningTool,
    ServiceDelivery,
    SupportPlan,
    TraffickingEvent,
)
from concord.cases.models.case import CODE_ALPHABET
from concord.cases.models.referral import DEADLINES
from concord.cases.scoring import assess
from concord.cases.services.screening import load_screening_tools
from concord.common.encryption import blind_index
from concord.demo.marks import demo_email, demo_totp_secret
from concord.demo.people import People
from concord.demo.registry import Registry

M = TypeVar("M", bound=Model)

# --- Who handles cases, and how many each owns ---------------------------------------------------------

# Organisation key -> number of cases it owns (about 300 in all). The organisations of the demo
# sign-ins own the most, so that their lists are full.
CASE_OWNERS: dict[str, int] = {
    "al-new-dawn": 40,
    "al-police-korce": 30,
    "al-vlore-legal": 18,
    "xk-mbrojtja": 26,
    "al-reception-centre": 21,
    "al-police-tirane": 12,
    "al-police-vlore": 10,
    "al-border-kapshtice": 6,
    "al-korce-social": 12,
    "al-tirane-social": 10,
    "al-vlore-social": 5,
    "al-pogradec-social": 4,
    "al-ura-centre": 8,
    "al-safe-line": 8,
    "al-tirane-legal": 8,
    "al-gjirokaster-women": 4,
    "al-iom": 8,
    "xk-police": 10,
    "xk-prizren-social": 5,
    "xk-iom": 4,
    "mk-svetlina": 14,
    "mk-police": 8,
    "mk-tetovo-social": 4,
    "mk-iom": 4,
    "me-safe-harbour": 8,
    "rs-novi-put": 8,
    "ba-zora": 8,
}

# Where each service is referred to, by country; the first organisations are the likelier ones.
REFERRED_TO: dict[str, dict[str, tuple[str, ...]]] = {
    "shelter": {
        "AL": ("al-new-dawn", "al-reception-centre"),
        "XK": ("xk-mbrojtja",),
        "MK": ("mk-svetlina",),
        "ME": ("me-safe-harbour",),
        "BA": ("ba-zora",),
    },
    "psychosocial": {
        "AL": ("al-ura-centre", "al-korce-social", "al-new-dawn", "al-tirane-social"),
        "XK": ("xk-mbrojtja", "xk-prizren-social"),
        "MK": ("mk-svetlina", "mk-tetovo-social"),
        "RS": ("rs-novi-put",),
        "BA": ("ba-zora",),
    },
    "legal_aid": {
        "AL": ("al-vlore-legal", "al-tirane-legal"),
        "XK": ("xk-mbrojtja",),
        "MK": ("mk-svetlina",),
        "RS": ("rs-novi-put",),
        "ME": ("me-safe-harbour",),
    },
    "medical": {
        "AL": ("al-reception-centre", "al-korce-health"),
        "XK": ("xk-iom",),
        "MK": ("mk-svetlina",),
        "BA": ("ba-zora",),
    },
    "reintegration": {
        "AL": ("al-new-dawn", "al-ura-centre", "al-korce-social", "al-iom"),
        "XK": ("xk-mbrojtja", "xk-iom"),
        "MK": ("mk-iom",),
        "RS": ("rs-novi-put",),
        "BA": ("ba-zora",),
    },
    "return": {
        "AL": ("al-iom",),
        "XK": ("xk-iom", "xk-mbrojtja"),
        "MK": ("mk-iom", "mk-svetlina"),
        "RS": ("rs-novi-put",),
        "BA": ("ba-zora",),
        "ME": ("me-safe-harbour",),
    },
    "police_interview": {
        "AL": ("al-police-korce", "al-police-tirane", "al-police-vlore"),
        "XK": ("xk-police",),
        "MK": ("mk-police",),
    },
    "interpretation": {"AL": ("al-safe-line", "al-tirane-legal")},
    "employment": {"AL": ("al-korce-employment",)},
    "education": {"AL": ("al-korce-education", "al-new-dawn")},
}
# Demo sign-ins' organisations are picked more often when they offer the service.
FAVOURED = {"al-new-dawn": 4, "al-police-korce": 4, "al-vlore-legal": 4, "xk-mbrojtja": 4}

POLICE = {"AL": "al-police-korce", "XK": "xk-police", "MK": "mk-police"}
COORDINATORS = {
    "AL": "al-coordinator",
    "XK": "xk-coordinator",
    "MK": "mk-coordinator",
    "ME": "me-coordinator",
    "RS": "rs-coordinator",
    "BA": "ba-coordinator",
}
SHELTER_TYPES = {"shelter"}

# --- Fictional people ----------------------------------------------------------------------------------

FEMALE_NAMES = [
    "Ajkuna",
    "Albana",
    "Anila",
    "Arbana",
    "Besa",
    "Blerta",
    "Dafina",
    "Dea",
    "Elira",
    "Enkela",
    "Erisa",
    "Fjona",
    "Gentiana",
    "Jehona",
    "Kaltrina",
    "Klea",
    "Lule",
    "Marigona",
    "Mimoza",
    "Rina",
    "Sara",
    "Vjosa",
    "Ana",
    "Biljana",
    "Dragana",
    "Ivana",
    "Jasmina",
    "Katerina",
    "Marija",
    "Milena",
    "Nevena",
    "Sanja",
    "Snežana",
    "Tamara",
    "Vesna",
    "Amra",
    "Lejla",
    "Selma",
]
MALE_NAMES = [
    "Agon",
    "Alban",
    "Ardit",
    "Arian",
    "Bekim",
    "Dardan",
    "Elion",
    "Endrit",
    "Fatos",
    "Gent",
    "Ilir",
    "Kushtrim",
    "Luan",
    "Valon",
    "Bojan",
    "Dejan",
    "Goran",
    "Marko",
    "Nikola",
    "Stefan",
    "Vladimir",
    "Adnan",
    "Emir",
    "Haris",
]
SURNAMES = [
    "Abazi",
    "Berisha",
    "Bytyçi",
    "Çela",
    "Dema",
    "Gashi",
    "Hoxha",
    "Kastrati",
    "Krasniqi",
    "Lika",
    "Mema",
    "Muça",
    "Nikolla",
    "Prenga",
    "Rama",
    "Shala",
    "Spahiu",
    "Tahiri",
    "Zeqiri",
    "Ademi",
    "Angelovski",
    "Dimitrovska",
    "Jovanović",
    "Kostić",
    "Nikolić",
    "Petrović",
    "Stojanovska",
    "Trajkovski",
    "Hadžić",
    "Mehmedović",
    "Begović",
    "Popović",
]
STAFF_FIRST = [
    "Alketa",
    "Brunilda",
    "Edlira",
    "Entela",
    "Gerta",
    "Ledia",
    "Majlinda",
    "Orjeta",
    "Suela",
    "Anduel",
    "Arben",
    "Ervin",
    "Gazmend",
    "Olsi",
    "Jelena",
    "Maja",
    "Aleksandar",
    "Dragan",
]
CITIES = {
    "AL": ["Korçë", "Tiranë", "Vlorë", "Elbasan", "Durrës", "Pogradec", "Fier", "Berat", "Shkodër"],
    "XK": ["Prishtinë", "Prizren", "Ferizaj", "Gjilan", "Mitrovicë", "Pejë"],
    "MK": ["Skopje", "Tetovo", "Bitola", "Kumanovo", "Ohrid"],
    "ME": ["Bar", "Podgorica", "Ulcinj"],
    "RS": ["Belgrade", "Novi Sad", "Niš", "Preševo"],
    "BA": ["Banja Luka", "Sarajevo", "Tuzla"],
    "IT": ["Milan", "Bari", "Rome"],
    "DE": ["Munich", "Stuttgart"],
    "GR": ["Athens", "Thessaloniki"],
    "TR": ["Istanbul", "Antalya"],
    "GB": ["London", "Birmingham"],
    "FR": ["Lyon", "Paris"],
    "SY": ["Aleppo"],
    "AF": ["Herat"],
    "BD": ["Dhaka"],
    "NP": ["Kathmandu"],
    "MA": ["Casablanca"],
}
LANGUAGE_OF = {
    "AL": "sq",
    "XK": "sq",
    "MK": "mk",
    "ME": "sr",
    "RS": "sr",
    "BA": "bs",
    "SY": "ar",
    "AF": "prs",
    "BD": "bn",
    "NP": "ne",
    "MA": "ar",
}
FOREIGN_ORIGINS = ["SY", "AF", "BD", "NP", "MA"]
EXPLOITED_ABROAD = ["IT", "DE", "GR", "TR", "GB", "FR"]
SOCIAL_APPS = ["Facebook", "Instagram", "WhatsApp", "TikTok", "Viber", "Telegram"]

RISK_SUMMARIES = [
    "Recruiter still in contact with the family; the person fears reprisals against a younger sibling.",
    "Debt claimed by the exploiters is not settled; threats received by phone in the last month.",
    "Exploiter released on bail and lives in the same town.",
    "No immediate threat known; the person is anxious about going out alone.",
    "Person has a serious untreated health condition; needs medical follow-up within the week.",
    "Child without a guardian in the country; risk of going missing from the reception centre.",
    "Family took part in the recruitment; return home is not safe at present.",
    "Pregnant; exploiters know the town where she was found.",
]
EVENT_TEXT = {
    "Recruitment": [
        "Offered a job as a waitress abroad by an acquaintance.",
        "Answered an online advertisement for seasonal farm work.",
        "Promised marriage by a man met on social media.",
        "Offered work in construction with free travel and lodging.",
        "Taken by a relative who promised schooling in the city.",
    ],
    "Transit": [
        "Travelled by bus with a group of five, documents kept by the driver.",
        "Crossed the border on foot at night with a smuggler.",
        "Flown to the destination; the return ticket was taken on arrival.",
    ],
    "Exploitation": [
        "Made to work in bars and clubs; earnings taken every night.",
        "Worked twelve hours a day on a farm without pay; passport withheld.",
        "Made to beg at crossroads; beaten when the daily sum was not reached.",
        "Kept in a flat and advertised online; not allowed to leave alone.",
        "Domestic work for a family, locked in, no days off.",
    ],
}
NOTES = [
    "Met at the shelter; calmer than last week, asked about school enrolment.",
    "Phone call with the family: they do not know her whereabouts and should not be told.",
    "Accompanied to the health centre; next appointment in two weeks.",
    "Case conference held with the police and social services; actions agreed in the support plan.",
    "Interpreter present for the whole interview; the person confirmed the account given at identification.",
    "Asked for help with a job application; referred to the employment office.",
    "Missed today's counselling session; caseworker will call tomorrow.",
    "Reflection period explained again; the person has not decided about cooperating with the police.",
]
PLAN_TEXT = {
    "SocialCare": (
        "Safe accommodation and daily needs met.",
        "Shelter placement, weekly key-worker meeting.",
    ),
    "Health": ("Physical and mental health restored.", "Health check, counselling twice a week."),
    "Legal": ("Rights explained; represented in proceedings.", "Lawyer assigned, preparation for hearing."),
    "Education": ("Back in education.", "Enrolment at the local school, tutoring in the afternoon."),
    "Livelihood": ("Stable income.", "Vocational course, then job placement with a partner business."),
    "SexualExploitationRehabilitation": ("Recovery from trauma.", "Specialised counselling, peer group."),
    "LabourExploitationRehabilitation": ("Recovery and fair work.", "Counselling, labour rights session."),
    "Financial": ("Debts cleared, small savings.", "Emergency grant, budgeting support."),
    "RightsBasedTraining": ("Knows their rights.", "Two sessions on labour and residence rights."),
}
OVERRIDE_REASONS = [
    "Child at immediate risk: best-interests decision by the Centre for Social Work, no guardian reachable.",
    "Life-threatening situation: referral to the police without consent under the national SOP.",
]
DECLINE_REASONS = [
    "No place free in the shelter this month.",
    "The service asked for is outside our mandate.",
    "The person lives outside the area we cover.",
]
END_REASONS = [
    "The person moved to another town.",
    "The person no longer wants this service.",
    "Lost contact with the person after two weeks.",
]
OFFENCES = [
    "Art. 110/a Criminal Code (trafficking in adults)",
    "Art. 128/b Criminal Code (trafficking in children)",
    "Art. 171 Criminal Code (trafficking in persons)",
    "Art. 418-a Criminal Code (trafficking in persons)",
]

ALL_STATES = list(ReferralState.values)
# How often each state occurs among the referrals (the first eight referrals take one state each).
STATE_WEIGHTS = {
    "draft": 8,
    "sent": 14,
    "accepted": 12,
    "declined": 8,
    "in_progress": 22,
    "completed": 22,
    "revoked": 6,
    "given_up": 5,
}
# Answered, started or finished referrals the receiver wrote something for.
WORKED_STATES = {"accepted", "in_progress", "completed", "given_up"}


@dataclass
class Drafts:
    """Unsaved rows, by model, written in one bulk_create each at the end."""

    rows: dict[type[Model], list[Model]] = field(default_factory=lambda: defaultdict(list))

    def add(self, row: M) -> M:
        self.rows[type(row)].append(row)
        return row


class CaseLoader:
    def __init__(self, registry: Registry, people: People, rng: random.Random) -> None:
        self.registry = registry
        self.people = people
        self.rng = rng
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.codes: set[str] = set()
        self.managers: dict[str, User] = {}
        self.workers: dict[str, list[User]] = {}
        self.staged = Drafts()
        self.referred: dict[str, set[str]] = defaultdict(set)

    # --- helpers ---------------------------------------------------------------------------------------

    def at(self, day: datetime.date, hour: int = 10) -> datetime.datetime:
        minute = self.rng.randrange(60)
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
        return min(moment, self.now)

    def code(self) -> str:
        while True:
            body = "".join(self.rng.choice(CODE_ALPHABET) for _ in range(8))
            code = f"C-{body[:4]}-{body[4:]}"
            if code not in self.codes:
                self.codes.add(code)
                return code

    def country(self, key: str) -> str:
        return str(self.registry[key].country_id)

    def manager(self, key: str) -> User:
        return self.managers[key]

    # --- people ----------------------------------------------------------------------------------------

    def load_staff(self) -> None:
        """A case manager for every organisation handling cases without one among the demo sign-ins."""
        keys = set(CASE_OWNERS) | {
            key for pools in REFERRED_TO.values() for options in pools.values() for key in options
        }
        for user in self.people.users.values():
            membership = user.memberships.get()
            key = next(
                k for k, o in self.registry.organisations.items() if o.pk == membership.organisation_id
            )
            if membership.role == Role.CASE_MANAGER:
                self.managers[key] = user
            elif membership.role == Role.CASEWORKER:
                self.workers.setdefault(key, []).append(user)
        hashed = self.people["case.manager"].password
        started = self.now - datetime.timedelta(days=400)
        memberships = []
        for key in sorted(keys - set(self.managers)):
            name = f"{self.rng.choice(STAFF_FIRST)} {self.rng.choice(SURNAMES)}"
            user = User.objects.create(
                email=demo_email(f"staff.{key}"), full_name=name, password=hashed, language=""
            )
            TOTP.activate(user, demo_totp_secret(user.email))
            memberships.append(
                Membership(
                    user=user, organisation=self.registry[key], role=Role.CASE_MANAGER, started_at=started
                )
            )
            self.managers[key] = user
        Membership.objects.bulk_create(memberships)

    # --- cases -----------------------------------------------------------------------------------------

    def load(self) -> dict[str, int]:
        self.load_staff()
        tool = screening_tool()
        owners = [key for key, count in CASE_OWNERS.items() for _ in range(count)]
        cases = [self.new_case(key) for key in owners]
        Case.objects.bulk_create(cases)
        self.history(Case, cases, "created_at", "created_by")
        referral_number = 0
        for case, key in zip(cases, owners, strict=True):
            self.case_records(case, key)
            if self.rng.random() < 0.45:
                for _ in range(self.rng.choice([1, 1, 1, 2])):
                    state = ALL_STATES[referral_number] if referral_number < len(ALL_STATES) else None
                    if self.referral(case, key, state):
                        referral_number += 1
            if self.rng.random() < 0.3:
                self.screening(tool, case, key)
        for _ in range(20):  # screenings that did not (yet) become a case
            self.screening(tool, None, self.rng.choice(owners))
        self.write()
        return {"cases": len(cases), "referrals": referral_number}

    def new_case(self, key: str) -> Case:
        rng = self.rng
        country = self.country(key)
        child = rng.random() < 0.22
        age = rng.randint(13, 17) if child else min(rng.randint(18, 30) + rng.choice([0, 0, 5, 15]), 58)
        identified_on = self.today - datetime.timedelta(days=int(rng.triangular(3, 900, 60)))
        born = years_before(identified_on, age + 1) + datetime.timedelta(days=rng.randrange(1, 365))
        female = rng.random() < 0.78
        origin = country
        roll = rng.random()
        if roll < 0.12:
            origin = rng.choice(FOREIGN_ORIGINS)
        elif roll < 0.25:
            origin = rng.choice([c for c in ("AL", "XK", "MK", "RS", "ME", "BA") if c != country])
        exploited = country if rng.random() < 0.45 else rng.choice(EXPLOITED_ABROAD)
        kinds = self.exploitation(female, child)
        status = rng.choices(["Active", "FollowUp", "Closed", "ClosedReferred"], [74, 16, 8, 2])[0]
        case_manager = self.manager(key)
        author = rng.choice([case_manager, *self.workers.get(key, [])])
        first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
        number = f"{rng.choice('ABIJK')}{rng.randrange(10**7, 10**8)}{rng.choice('ABCDEFGH')}"
        organisation = self.registry[key]
        case = Case(
            code=self.code(),
            owner=organisation,
            case_owner=case_manager,
            status=status,
            region_id=organisation.region_id,
            first_name=first,
            second_name=rng.choice(SURNAMES),
            birth_date=born.isoformat(),
            identity_number=number if rng.random() < 0.7 else "",
            identity_number_bidx="",
            mobile_phone=f"+{rng.choice(['355 69', '383 44', '389 70'])} 000 {rng.randrange(1000, 9999)}",
            mailing_city=rng.choice(CITIES.get(origin, CITIES["AL"])),
            mailing_country=origin,
            guardian_name=f"{rng.choice(STAFF_FIRST)} {rng.choice(SURNAMES)}" if child else "",
            guardian_contact="Centre for Social Work, on-call line" if child else "",
            best_interests_decision="Placement in a specialised shelter for children." if child else "",
            sex="Female" if female else "Male",
            gender=v.Gender.FEMININE if female else v.Gender.MASCULINE,
            marital_status="" if child else rng.choice(["Single", "Single", "Married", "Divorced"]),
            number_of_children=0 if child else rng.choice([0, 0, 1, 2]),
            primary_language=LANGUAGE_OF.get(origin, "sq"),
            secondary_language="en" if origin in FOREIGN_ORIGINS else "",
            education=rng.choice(
                ["PrimaryEducation", "LowerSecondaryEducation", "UpperSecondaryEducation"]
                + ([] if child else ["PostSecondaryNonTertiaryEducation", "BachelorsOrEquivalentLevel"])
            ),
            citizenship=[origin],
            age_at_identification=age,
            identified_on=identified_on,
            country_of_exploitation=exploited,
            migration_status=self.migration_status(origin, country, child),
            relationship_to_trafficker=rng.choice(["Familial", "Acquainted", "Acquainted", "Unaquainted"]),
            age_when_trafficked=max(age - rng.choice([0, 0, 1, 2]), 12),
            recruitment_websites_and_apps=rng.sample(SOCIAL_APPS, k=rng.choice([0, 0, 1, 2])),
            methods_of_recruitment=rng.sample(
                [
                    "ThroughFriendsOrSocialEvents",
                    "ThroughFamilyOrFamilyEvents",
                    "ThroughOnlineSocialNetworks",
                    "ThroughAnOnlineAdvertisement",
                    "AtWork",
                ],
                k=rng.choice([1, 1, 2]),
            ),
            methods_of_control=rng.sample(list(v.MethodOfControl.values[:-1]), k=rng.randint(1, 4)),
            types_of_exploitation=kinds,
            forced_labour_industry=(
                rng.choice(
                    [
                        "A_AgricultureForestryAndFishing",
                        "F_Construction",
                        "I_AccommodationAndFoodServiceActivities",
                        "T_ActivitiesOfHouseholdsAsEmployers",
                    ]
                )
                if "ForcedLabour" in kinds
                else ""
            ),
            types_of_sex_exploitation=(
                rng.sample(["Prostitution", "PrivateSexualServices", "RemoteInteractiveServices"], k=1)
                if "SexualExploitation" in kinds
                else []
            ),
            risk_level=rng.choices(["low", "medium", "high"], [3, 5, 2])[0],
            risk_summary=rng.choice(RISK_SUMMARIES),
            created_at=self.at(identified_on, 9),
            created_by=author,
        )
        if case.identity_number:
            case.identity_number_bidx = blind_index(case.identity_number, purpose="identity_number")
        if origin != country:
            case.reflection_period_starts_on = identified_on
            case.reflection_period_ends_on = identified_on + datetime.timedelta(days=90)
        if rng.random() < 0.45:
            case.trafficking_status = v.TraffickingStatus.ACTUAL
            decider = POLICE.get(country) or COORDINATORS[country]
            case.trafficking_status_decided_by = self.registry[decider]
            case.trafficking_status_deciding_org_type = (
                v.DecidingOrganisation.POLICE
                if decider in POLICE.values()
                else v.DecidingOrganisation.NON_POLICE_GOVERNMENT
            )
            case.trafficking_status_decided_on = min(
                identified_on + datetime.timedelta(days=rng.randint(3, 40)), self.today
            )
        if status in ("Closed", "ClosedReferred"):
            case.closed_on = min(identified_on + datetime.timedelta(days=rng.randint(30, 400)), self.today)
            case.closure_reason = (
                "transferred"
                if status == "ClosedReferred"
                else rng.choice(
                    ["support_completed", "support_completed", "returned", "lost_contact", "declined_support"]
                )
            )
            case.closure_details = "Closed after the last case conference."
        return case

    def exploitation(self, female: bool, child: bool) -> list[str]:
        rng = self.rng
        if child:
            options = ["SexualExploitation", "ForcedBegging", "ChildLabour", "ForcedMarriage"]
        elif female:
            options = ["SexualExploitation"] * 4 + ["ForcedLabour", "ForcedMarriage", "Servitude"]
        else:
            options = ["ForcedLabour"] * 4 + ["ForcedBegging", "SexualExploitation"]
        kinds = {rng.choice(options)}
        if rng.random() < 0.15:
            kinds.add(rng.choice(options))
        return sorted(kinds)

    def migration_status(self, origin: str, country: str, child: bool) -> str:
        if origin == country:
            return self.rng.choice(["x_National"] * 5 + ["Returnee"])
        if child and self.rng.random() < 0.6:
            return "SeparatedOrUnaccompaniedChild"
        if origin in FOREIGN_ORIGINS:
            return self.rng.choice(["IrregularMigrant", "AsylumSeeker", "AsylumSeeker", "Refugee"])
        return self.rng.choice(["LabourMigrant", "VisitorTouristMigrant", "IrregularMigrant"])

    # --- records hanging from a case ---------------------------------------------------------------------

    def case_records(self, case: Case, key: str) -> None:
        rng = self.rng
        add = self.staged.add
        organisation = case.owner
        manager = self.manager(key)
        workers = self.workers.get(key, [])
        start = case.identified_on
        assert start is not None
        days = (self.today - start).days
        writer = rng.choice([manager, *workers])

        def later(low: int = 0, high: int | None = None) -> datetime.date:
            span = days if high is None else min(high, days)
            return start + datetime.timedelta(days=rng.randint(min(low, span), span))

        # A demo caseworker works on most of their organisation's cases; some assignments ended.
        for worker in workers:
            if rng.random() < 0.8:
                ended = rng.random() < 0.1
                add(
                    CaseAssignment(
                        case=case,
                        user=worker,
                        organisation=organisation,
                        assigned_by=manager,
                        assigned_at=self.at(later(0, 3), 11),
                        ended_at=self.at(later(5), 16) if ended else None,
                    )
                )
        method = Consent.Method.GUARDIAN if case.is_child else Consent.Method.WRITTEN
        add(
            Consent(
                case=case,
                purpose=Consent.Purpose.ASSISTANCE,
                method=method,
                given_on=start,
                recorded_by=writer,
                organisation=organisation,
                recorded_at=self.at(start, 12),
            )
        )
        if rng.random() < 0.5:
            add(
                Consent(
                    case=case,
                    purpose=Consent.Purpose.STATISTICS,
                    method=method,
                    given_on=start,
                    recorded_by=writer,
                    organisation=organisation,
                    recorded_at=self.at(start, 12),
                )
            )
        origin = case.citizenship[0]
        route = [("Recruitment", origin), ("Transit", None), ("Exploitation", case.country_of_exploitation)]
        trafficked = start - datetime.timedelta(days=rng.randint(60, 700))
        for number, (kind, where) in enumerate(route):
            if kind == "Transit" and (origin == case.country_of_exploitation or rng.random() < 0.5):
                continue
            where = where or rng.choice(["MK", "GR", "RS", "ME"])
            add(
                TraffickingEvent(
                    case=case,
                    event_type=kind,
                    date=trafficked + datetime.timedelta(days=number * 20),
                    country=where,
                    city=rng.choice(CITIES.get(where, ["Other"])),
                    description=rng.choice(EVENT_TEXT[kind]),
                    recorded_by=writer,
                    recorded_at=self.at(later(0, 10), 14),
                )
            )
        for plan_type in rng.sample(list(PLAN_TEXT), k=rng.choice([0, 1, 1, 2])):
            objectives, action = PLAN_TEXT[plan_type]
            created = later(0, 20)
            add(
                SupportPlan(
                    case=case,
                    organisation=organisation,
                    plan_type=plan_type,
                    objectives=objectives,
                    action_plan=action,
                    planned_end_date=created + datetime.timedelta(days=180),
                    actual_end_date=case.closed_on,
                    review_on=created + datetime.timedelta(days=90),
                    created_by=manager,
                    created_at=self.at(created, 13),
                )
            )
        services = [
            s
            for s in ("shelter", "psychosocial", "legal_aid", "medical", "reintegration")
            if rng.random() < 0.35
        ]
        for service in services:
            started = later(0, 30)
            until = started + datetime.timedelta(days=rng.randint(10, 200))
            finished = until <= self.today
            add(
                ServiceDelivery(
                    case=case,
                    organisation=organisation,
                    service=service,
                    started_on=started,
                    ended_on=until if finished else None,
                    outcome=rng.choice(["completed", "completed", "interrupted"]) if finished else "ongoing",
                    recorded_by=writer,
                    recorded_at=self.at(started, 15),
                )
            )
        for _ in range(rng.choice([0, 1, 2, 3])):
            add(
                CaseNote(
                    case=case,
                    organisation=organisation,
                    author=rng.choice([manager, *workers]),
                    text=rng.choice(NOTES),
                    created_at=self.at(later(), 17),
                )
            )
        if rng.random() < 0.3:
            self.proceedings(case, later)

    def proceedings(self, case: Case, later: Any) -> None:
        """One file per stage reached: investigation, then prosecution, then court."""
        rng = self.rng
        country = self.country(self.key_of(case.owner_id))
        police_key = POLICE.get(country)
        organisation = self.registry[police_key] if police_key else case.owner
        recorder = self.manager(police_key) if police_key else case.created_by
        stages = ["investigation", "prosecution", "court"][: rng.choice([1, 1, 2, 3])]
        opened = later(0, 30)
        for index, stage in enumerate(stages):
            last = index == len(stages) - 1
            if stage == "investigation":
                outcome = "ongoing" if last else "charges_filed"
                if last and rng.random() < 0.2:
                    outcome = "discontinued"
            elif stage == "prosecution":
                outcome = "ongoing" if last else "indicted"
            else:
                outcome = rng.choice(["ongoing", "convicted", "convicted", "acquitted", "appealed"])
            closed = None
            if outcome not in ("ongoing", "appealed"):
                closed = min(opened + datetime.timedelta(days=rng.randint(40, 200)), self.today)
            self.staged.add(
                LegalProceeding(
                    case=case,
                    organisation=organisation,
                    stage=stage,
                    reference=f"{rng.randrange(100, 999)}/{opened.year}",
                    offence=rng.choice(OFFENCES),
                    opened_on=opened,
                    closed_on=closed,
                    outcome=outcome,
                    sentence_months=rng.choice([36, 60, 96, 120]) if outcome == "convicted" else None,
                    defendants=rng.choice([1, 1, 2, 3]),
                    compensation_claimed=stage == "court" and rng.random() < 0.5,
                    statement_given=rng.random() < 0.7,
                    joint_interview=rng.random() < 0.5,
                    protection_measures=rng.sample(
                        [m for m, _ in LegalProceeding.ProtectionMeasure.choices], k=rng.choice([0, 1, 2])
                    ),
                    notes="",
                    recorded_by=recorder,
                    recorded_at=self.at(opened, 10),
                )
            )
            opened = min((closed or opened) + datetime.timedelta(days=rng.randint(5, 30)), self.today)

    # --- referrals -------------------------------------------------------------------------------------

    def target(self, case: Case, key: str) -> tuple[str, str] | None:
        """A service and an organisation offering it: usually in the owner's country, sometimes (return,
        reintegration, shelter) in the person's own country: a transnational referral."""
        rng = self.rng
        country = self.country(key)
        origin = case.citizenship[0]
        service = rng.choice(
            [
                "shelter",
                "psychosocial",
                "legal_aid",
                "psychosocial",
                "reintegration",
                "medical",
                "police_interview",
                "interpretation",
                "employment",
                "education",
                "return",
            ]
        )
        where = country
        if origin != country and origin in REFERRED_TO["return"] and rng.random() < 0.6:
            service, where = rng.choice(["return", "reintegration", "shelter"]), origin
        elif rng.random() < 0.08:
            service, where = "return", rng.choice([c for c in ("XK", "MK", "RS") if c != country] or ["AL"])
        options = [k for k in REFERRED_TO.get(service, {}).get(where, ()) if k != key]
        if not options:
            return None
        weights = [FAVOURED.get(k, 1) * (3 if i == 0 else 1) for i, k in enumerate(options)]
        return service, rng.choices(options, weights)[0]

    def referral(self, case: Case, key: str, state: str | None) -> bool:
        rng = self.rng
        chosen = self.target(case, key)
        if chosen is None:
            return False
        service, to_key = chosen
        if to_key in self.referred[case.code]:  # one referral per receiver and case
            return False
        self.referred[case.code].add(to_key)
        state = state or rng.choices(list(STATE_WEIGHTS), list(STATE_WEIGHTS.values()))[0]
        sender, receiver = self.manager(key), self.manager(to_key)
        source, destination = case.owner, self.registry[to_key]
        urgency = rng.choices(["routine", "urgent", "emergency"], [6, 3, 1])[0]
        start = case.identified_on
        assert start is not None
        open_state = state in ("draft", "sent", "accepted")
        overdue = open_state and rng.random() < 0.35
        path = {
            "draft": [],
            "sent": ["sent"],
            "accepted": ["sent", "accepted"],
            "declined": ["sent", "declined"],
            "in_progress": ["sent", "accepted", "in_progress"],
            "completed": ["sent", "accepted", "in_progress", "completed"],
            "revoked": ["sent"] + (["accepted"] if rng.random() < 0.5 else []) + ["revoked"],
            "given_up": ["sent", "accepted", "in_progress", "given_up"],
        }[state]
        earliest = case.created_at + datetime.timedelta(hours=1)
        times: list[datetime.datetime] = []
        if open_state:
            # Entered its present state long enough ago to be overdue, or recently enough not to be.
            deadline = DEADLINES[(state, urgency)]
            entered = self.now - deadline * (rng.uniform(1.5, 4) if overdue else rng.uniform(0.05, 0.7))
            created = max(entered - datetime.timedelta(hours=rng.randint(2, 30)) * len(path), earliest)
            entered = min(max(entered, created), self.now)
            times = [created + (entered - created) * (i + 1) / len(path) for i in range(len(path))]
        else:
            created = self.at(start, 9) + datetime.timedelta(days=rng.randint(1, 40))
            created = max(min(created, self.now - datetime.timedelta(days=rng.randint(2, 20))), earliest)
            moment = created
            for to in path:
                hours = (240, 1440) if to == "completed" else (2, 72)
                moment = min(moment + datetime.timedelta(hours=rng.randint(*hours)), self.now)
                times.append(moment)
        override = (case.is_child and rng.random() < 0.3) or rng.random() < 0.03
        consent = None
        if not override:
            consent = self.staged.add(
                Consent(
                    case=case,
                    purpose=Consent.Purpose.REFERRAL,
                    recipient=destination,
                    method=Consent.Method.GUARDIAN
                    if case.is_child
                    else rng.choice(["written", "written", "oral_witnessed"]),
                    witness="Social worker of the owning organisation" if not case.is_child else "",
                    given_on=timezone.localtime(created).date(),
                    recorded_by=sender,
                    organisation=source,
                    recorded_at=created,
                )
            )
        referral = Referral(
            case=case,
            from_organisation=source,
            to_organisation=destination,
            services=[service],
            urgency=urgency,
            language=case.primary_language,
            reason=v.ReferralReason.MIGRATION_OR_LOCATION
            if service == "return"
            else v.ReferralReason.ADDITIONAL_SERVICES,
            details="Please call the caseworker before the first meeting; an interpreter may be needed.",
            share_identity=state in WORKED_STATES and rng.random() < 0.6,
            share_profile=True,
            share_events=rng.random() < 0.6,
            share_support_plan=rng.random() < 0.5,
            share_services=rng.random() < 0.5,
            share_proceedings=service == "legal_aid" or rng.random() < 0.2,
            share_notes=rng.random() < 0.3,
            consent=consent,
            consent_override_reason=rng.choice(OVERRIDE_REASONS) if override else "",
            state=state,
            created_by=sender,
            created_at=created,
            plan="Return by bus with IOM escort; reception by the shelter on arrival."
            if service == "return"
            else "",
            plan_status="Travel documents requested" if service == "return" else "",
        )
        referral.is_transnational = source.country_id != destination.country_id
        events = [("", "draft", created, sender, source)]
        for to, at in zip(path, times, strict=True):
            who, org = (sender, source) if to in ("sent", "revoked") else (receiver, destination)
            events.append((events[-1][1], to, at, who, org))
            if to == "sent":
                referral.sent_at = at
            elif to == "accepted":
                referral.accepted_at = at
            elif to in ("declined", "completed", "revoked", "given_up"):
                referral.closed_at = at
        moment = times[-1] if times else created
        referral.state_changed_at = moment
        if state == "declined":
            referral.decline_reason = rng.choice(DECLINE_REASONS)
        if state in ("revoked", "given_up"):
            referral.end_reason = rng.choice(END_REASONS)
        if open_state:
            referral.due_at = referral.deadline_for(state, start=moment)
        self.staged.add(referral)
        for from_state, to_state, at, by, org in events:
            self.staged.add(
                ReferralEvent(
                    referral=referral,
                    from_state=from_state,
                    to_state=to_state,
                    by=by,
                    organisation=org,
                    at=at,
                )
            )
        self.receiving_side(case, referral, to_key, service, receiver)
        if consent is not None and state == "completed" and rng.random() < 0.15:
            consent.withdrawn_on = timezone.localtime(moment).date()
            consent.withdrawn_by = sender
        return True

    def receiving_side(
        self, case: Case, referral: Referral, to_key: str, service: str, receiver: User
    ) -> None:
        """The receiver's caseworkers, the service given, and the notices the referral raised."""
        rng = self.rng
        add = self.staged.add
        destination = referral.to_organisation
        if referral.state in WORKED_STATES:
            assert referral.accepted_at is not None
            for worker in self.workers.get(to_key, []):
                ended = referral.state in ("completed", "given_up")
                add(
                    CaseAssignment(
                        case=case,
                        user=worker,
                        organisation=destination,
                        assigned_by=receiver,
                        assigned_at=referral.accepted_at + datetime.timedelta(hours=1),
                        ended_at=referral.closed_at if ended else None,
                    )
                )
            if referral.state in ("in_progress", "completed", "given_up"):
                started = timezone.localtime(referral.accepted_at).date() + datetime.timedelta(days=1)
                done = referral.closed_at and timezone.localtime(referral.closed_at).date()
                outcome = {"completed": "completed", "given_up": "interrupted"}.get(referral.state, "ongoing")
                add(
                    ServiceDelivery(
                        case=case,
                        organisation=destination,
                        service=service,
                        referral=referral,
                        started_on=min(started, self.today),
                        ended_on=done or None,
                        outcome=outcome,
                        recorded_by=receiver,
                        recorded_at=referral.accepted_at,
                    )
                )
                if rng.random() < 0.5:
                    add(
                        CaseNote(
                            case=case,
                            organisation=destination,
                            author=receiver,
                            text=rng.choice(NOTES),
                            created_at=referral.accepted_at + datetime.timedelta(days=2),
                        )
                    )
        kinds = {
            "sent": Notification.Kind.REFERRAL_RECEIVED,
            "accepted": Notification.Kind.REFERRAL_ACCEPTED,
            "declined": Notification.Kind.REFERRAL_DECLINED,
            "completed": Notification.Kind.REFERRAL_COMPLETED,
            "revoked": Notification.Kind.REFERRAL_REVOKED,
            "given_up": Notification.Kind.REFERRAL_GIVEN_UP,
        }
        kind = kinds.get(referral.state)
        if kind is not None:
            to_sender = referral.state in ("accepted", "declined", "completed", "given_up")
            recipient = self.manager(self.key_of(referral.from_organisation_id)) if to_sender else receiver
            fresh = referral.state_changed_at > self.now - datetime.timedelta(days=7)
            add(
                Notification(
                    recipient=recipient,
                    kind=kind,
                    referral=referral,
                    created_at=referral.state_changed_at,
                    read_at=None if fresh else referral.state_changed_at + datetime.timedelta(hours=3),
                )
            )
        if referral.due_at is not None and referral.due_at < self.now:
            add(
                Notification(
                    recipient=receiver if referral.state != "draft" else referral.created_by,
                    kind=Notification.Kind.REFERRAL_OVERDUE,
                    referral=referral,
                    created_at=referral.due_at,
                )
            )

    def key_of(self, organisation_id: int) -> str:
        return next(k for k, o in self.registry.organisations.items() if o.pk == organisation_id)

    # --- screenings ------------------------------------------------------------------------------------

    def screening(self, tool: ScreeningTool, case: Case | None, key: str) -> None:
        rng = self.rng
        indicators = [item["id"] for item in tool.definition.get("indicators", [])]
        weights = [6, 2, 2] if case is not None else [3, 5, 2]
        answers = {i: rng.choices(["yes", "no", "unknown"], weights)[0] for i in indicators}
        # The profile and suggestion come from the rule engine, as they do for a screening made on a page.
        assessment = assess(tool.definition, answers)
        if case is not None:
            when = case.created_at - datetime.timedelta(hours=rng.randint(2, 30))
            alias, age = case.first_name, case.age_at_identification
        else:
            when = self.now - datetime.timedelta(days=rng.randint(1, 120), hours=rng.randint(0, 12))
            alias, age = rng.choice(FEMALE_NAMES + MALE_NAMES), rng.randint(14, 40)
        organisation = self.registry[key]
        self.staged.add(
            Screening(
                tool=tool,
                organisation=organisation,
                screened_by=rng.choice([self.manager(key), *self.workers.get(key, [])]),
                screened_at=when,
                person_alias=alias,
                place=rng.choice(
                    [
                        "Bus station",
                        "Border crossing",
                        "Hotline call",
                        "Outreach, city centre",
                        "Police station",
                    ]
                ),
                interpreter_used=rng.random() < 0.2,
                age_estimate=age,
                answers=answers,
                profile=assessment.as_profile(),
                suggestion=assessment.suggestion,
                notes="",
                case=case,
            )
        )

    # --- writing -----------------------------------------------------------------------------------------

    def write(self) -> None:
        rows = self.staged.rows
        order = [
            CaseAssignment,
            Consent,
            TraffickingEvent,
            SupportPlan,
            LegalProceeding,
            CaseNote,
            Screening,
            Referral,
            ServiceDelivery,
            ReferralEvent,
            Notification,
        ]
        for model in order:
            objects = rows.get(model, [])
            model._default_manager.bulk_create(objects, batch_size=500)
        self.history(Consent, rows.get(Consent, []), "recorded_at", "recorded_by")
        self.history(TraffickingEvent, rows.get(TraffickingEvent, []), "recorded_at", "recorded_by")
        self.history(SupportPlan, rows.get(SupportPlan, []), "created_at", "created_by")
        self.history(ServiceDelivery, rows.get(ServiceDelivery, []), "recorded_at", "recorded_by")
        self.history(LegalProceeding, rows.get(LegalProceeding, []), "recorded_at", "recorded_by")
        self.history(Referral, rows.get(Referral, []), "created_at", "created_by")

    def history(self, model: type[Model], objects: list[Any], when: str, who: str) -> None:
        """Each record's "created" history row, dated and signed as the record itself."""
        for row in objects:
            row._history_date = getattr(row, when)
            row._history_user = getattr(row, who)
        model.history.bulk_history_create(objects, batch_size=500)  # type: ignore[attr-defined]


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier (28 February for a 29 February that year does not have)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def screening_tool() -> ScreeningTool:
    """The current first-contact checklist, from the project's own tool definitions."""
    load_screening_tools()
    return ScreeningTool.objects.get(slug="first-contact", is_current=True)


def load_cases(registry: Registry, people: People, *, seed: int) -> dict[str, int]:
    """Write the demo's cases; return how many cases and referrals were created."""
    return CaseLoader(registry, people, random.Random(seed)).load()  # noqa: S311  (demo data, reproducible)
