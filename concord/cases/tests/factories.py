import datetime

import factory
from django.utils import timezone

from concord.accounts.tests.factories import UserFactory
from concord.cases.models import (
    Case,
    CaseAssignment,
    CaseDocument,
    CaseNote,
    Consent,
    LegalProceeding,
    Referral,
    Screening,
    ScreeningTool,
    ServiceDelivery,
    SupportPlan,
    TraffickingEvent,
)
from concord.network.tests.factories import OrganisationFactory


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    owner = factory.SubFactory(OrganisationFactory)
    created_by = factory.SubFactory(UserFactory)
    first_name = "Elira"
    second_name = "Kola"
    birth_date = "2001-04-12"
    identity_number = "I01234567A"
    mobile_phone = "+355 69 000 0000"
    sex = "Female"
    gender = "Feminine"
    age_at_identification = 23
    identified_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    country_of_exploitation = "IT"
    citizenship = factory.LazyFunction(lambda: ["AL"])
    primary_language = "sq"
    types_of_exploitation = factory.LazyFunction(lambda: ["SexualExploitation"])
    risk_level = "medium"
    risk_summary = "Recruiter still in contact with the family."


class CaseAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseAssignment

    case = factory.SubFactory(CaseFactory)
    user = factory.SubFactory(UserFactory)
    organisation = factory.SelfAttribute("case.owner")
    assigned_by = factory.SubFactory(UserFactory)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    case = factory.SubFactory(CaseFactory)
    purpose = Consent.Purpose.REFERRAL
    recipient = factory.SubFactory(OrganisationFactory)
    method = Consent.Method.WRITTEN
    given_on = factory.LazyFunction(timezone.localdate)
    recorded_by = factory.SubFactory(UserFactory)
    organisation = factory.SelfAttribute("case.owner")


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral covered by a consent to its receiver. Pass `state=` for any state."""

    class Meta:
        model = Referral

    case = factory.SubFactory(CaseFactory)
    from_organisation = factory.SelfAttribute("case.owner")
    to_organisation = factory.SubFactory(OrganisationFactory)
    services = factory.LazyFunction(lambda: ["shelter"])
    consent = factory.LazyAttribute(
        lambda o: ConsentFactory(case=o.case, recipient=o.to_organisation, organisation=o.from_organisation)
    )
    created_by = factory.SubFactory(UserFactory)
    state = "sent"
    sent_at = factory.LazyFunction(timezone.now)


class TraffickingEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TraffickingEvent

    case = factory.SubFactory(CaseFactory)
    event_type = "Recruitment"
    date = datetime.date(2024, 5, 1)
    country = "AL"
    city = "Korçë"
    description = "Offered a job as a waitress by an acquaintance."
    recorded_by = factory.SubFactory(UserFactory)


class SupportPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportPlan

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SelfAttribute("case.owner")
    plan_type = "SocialCare"
    objectives = "Safe accommodation and counselling."
    action_plan = "Shelter for three months, weekly counselling."
    created_by = factory.SubFactory(UserFactory)


class ServiceDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceDelivery

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SelfAttribute("case.owner")
    service = "psychosocial"
    started_on = factory.LazyFunction(timezone.localdate)
    recorded_by = factory.SubFactory(UserFactory)


class CaseNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseNote

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SelfAttribute("case.owner")
    author = factory.SubFactory(UserFactory)
    text = "Called the family; no answer."


class CaseDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseDocument

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SelfAttribute("case.owner")
    kind = CaseDocument.Kind.OTHER
    title = "Signed consent form"
    content_type = "application/pdf"
    size = 10
    sha256 = "0" * 64
    file = factory.django.FileField(filename="x.bin", data=b"not-a-real")
    uploaded_by = factory.SubFactory(UserFactory)


class LegalProceedingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalProceeding

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SelfAttribute("case.owner")
    stage = LegalProceeding.Stage.INVESTIGATION
    reference = "PR-2026-0042"
    opened_on = datetime.date(2026, 1, 10)
    recorded_by = factory.SubFactory(UserFactory)


class ScreeningToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScreeningTool
        django_get_or_create = ("slug", "version")

    slug = "test-tool"
    version = 1
    name = "Test tool"
    population = ScreeningTool.Population.ADULT
    exploitation = ScreeningTool.Exploitation.LABOUR
    definition = factory.LazyFunction(lambda: {"dimensions": [], "indicators": [], "rule": {}})


class ScreeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Screening

    tool = factory.SubFactory(ScreeningToolFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    screened_by = factory.SubFactory(UserFactory)
    person_alias = "E."
    suggestion = Screening.Suggestion.NO_INDICATION
