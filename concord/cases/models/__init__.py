"""Protection models, one module per subject. Import them from here."""

from concord.cases.models.case import (
    IDENTITY_FIELDS,
    Case,
    CaseAssignment,
    CaseDocument,
    CaseNote,
    Consent,
    ServiceDelivery,
    SupportPlan,
    TraffickingEvent,
    new_case_code,
)
from concord.cases.models.proceedings import LegalProceeding
from concord.cases.models.referral import (
    ACCESS_STATES,
    OPEN_STATES,
    Notification,
    Referral,
    ReferralEvent,
    ReferralService,
    ReferralState,
    SharedSection,
    Urgency,
)
from concord.cases.models.screening import Screening, ScreeningTool

__all__ = [
    "ACCESS_STATES",
    "IDENTITY_FIELDS",
    "OPEN_STATES",
    "Case",
    "CaseAssignment",
    "CaseDocument",
    "CaseNote",
    "Consent",
    "LegalProceeding",
    "Notification",
    "Referral",
    "ReferralEvent",
    "ReferralService",
    "ReferralState",
    "Screening",
    "ScreeningTool",
    "ServiceDelivery",
    "SharedSection",
    "SupportPlan",
    "TraffickingEvent",
    "Urgency",
    "new_case_code",
]
