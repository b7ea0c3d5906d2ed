"""HTCDS 2.0 value names (reference/htcds/HTCDS Field Standards 2.0.ods) and our documented `x_` extensions.

The stored value is always the standard's system name (`ForcedLabour`), so that export is a copy and
import a lookup; the label is what people read. Extension values and fields are listed in
docs/data-standard.md with their CTDC and UNODC GLOTIP mapping.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):  # prs_Gender
    FEMININE = "Feminine", _("Feminine")
    MASCULINE = "Masculine", _("Masculine")
    TRANSGENDER_FEMININE = "TransgenderFeminine", _("Transgender feminine")
    TRANSGENDER_MASCULINE = "TransgenderMasculine", _("Transgender masculine")
    NON_CONFORMING = "NonConforming", _("Non-conforming")
    UNKNOWN = "NonSpecifiedUnknown", _("Not specified or unknown")


class Sex(models.TextChoices):  # x_Sex: as UNODC GLOTIP reports it
    FEMALE = "Female", _("Female")
    MALE = "Male", _("Male")
    UNKNOWN = "Unknown", _("Unknown")


class MaritalStatus(models.TextChoices):  # prs_MaritalStatus
    SINGLE = "Single", _("Single")
    MARRIED = "Married", _("Married")
    WIDOWED = "Widowed", _("Widowed")
    DIVORCED = "Divorced", _("Divorced")
    SEPARATED = "Separated", _("Separated")
    REGISTERED_PARTNERSHIP = "RegisteredPartnership", _("Registered partnership")


class Education(models.TextChoices):  # prs_HighestLevelOfEducation (ISCED levels)
    EARLY_CHILDHOOD = "EarlyChildhoodEducation", _("Early childhood education")
    PRIMARY = "PrimaryEducation", _("Primary education")
    LOWER_SECONDARY = "LowerSecondaryEducation", _("Lower secondary education")
    UPPER_SECONDARY = "UpperSecondaryEducation", _("Upper secondary education")
    POST_SECONDARY = "PostSecondaryNonTertiaryEducation", _("Post-secondary non-tertiary education")
    SHORT_TERTIARY = "ShortCycleTertiaryEducation", _("Short-cycle tertiary education")
    BACHELORS = "BachelorsOrEquivalentLevel", _("Bachelor's or equivalent")
    MASTERS = "MastersOrEquivalentLevel", _("Master's or equivalent")
    DOCTORAL = "DoctoralOrEquivalentLevel", _("Doctoral or equivalent")


class TraffickingStatus(models.TextChoices):  # vic_TraffickingStatus
    POSSIBLE = "PossibleVictimOfTrafficking", _("Possible victim of trafficking")
    ACTUAL = "ActualVictimOfTrafficking", _("Actual victim of trafficking")
    NOT_A_VICTIM = "NotAVictimOfTrafficking", _("Not a victim of trafficking")


class DecidingOrganisation(models.TextChoices):  # vic_TraffickingStatusDecisionMakingOrg
    POLICE = "Police", _("Police")
    NGO = "NGO", _("NGO")
    COURT_OR_PROSECUTION = "CourtOrProsecution", _("Court or prosecution")
    NON_POLICE_GOVERNMENT = "NonPoliceGovernmentalOrganization", _("Non-police governmental organisation")
    OTHER = "Other", _("Other")


class RelationshipToTrafficker(models.TextChoices):  # vic_RelationshipToTrafficker
    FAMILIAL = "Familial", _("Familial")
    ACQUAINTED = "Acquainted", _("Acquainted")
    # The standard spells it this way; importers also accept "Unacquainted".
    UNACQUAINTED = "Unaquainted", _("Unacquainted")


class WebsiteOrApp(models.TextChoices):  # vic_RecruitmentWebsitesAndApps, vic_ExploitationWebsitesAndApps
    FACEBOOK = "Facebook", "Facebook"
    INSTAGRAM = "Instagram", "Instagram"
    WHATSAPP = "WhatsApp", "WhatsApp"
    TELEGRAM = "Telegram", "Telegram"
    FACEBOOK_MESSENGER = "FacebookMessenger", "Facebook Messenger"
    VIBER = "Viber", "Viber"
    SNAPCHAT = "SnapChat", "Snapchat"
    LINE = "Line", "Line"
    FOUR_SALE = "4Sale", "4Sale"
    WECHAT = "WeChat", "WeChat"
    QQ = "QQ", "QQ"
    QZONE = "QZone", "QZone"
    TIKTOK = "TikTok", "TikTok"
    TWITTER = "Twitter", "Twitter"
    OTHER = "Other", _("Other")


class MethodOfRecruitment(models.TextChoices):  # vic_MethodOfRecruitment
    PLACE_OF_BUSINESS = "AtAPlaceOfBusiness", _("At a place of business")
    EDUCATIONAL_INSTITUTION = "AtAnEducationalInstitution", _("At an educational institution")
    AT_WORK = "AtWork", _("At work")
    ONLINE_SOCIAL_NETWORKS = "ThroughOnlineSocialNetworks", _("Through online social networks")
    ONLINE_ADVERTISEMENT = "ThroughAnOnlineAdvertisement", _("Through an online advertisement")
    TELEVISION_ADVERT = "ThroughATelevisionAdvert", _("Through a television advert")
    NEWSPAPER_ADVERT = "ThroughANewspaperAdvert", _("Through a newspaper advert")
    FAMILY = "ThroughFamilyOrFamilyEvents", _("Through family or family events")
    FRIENDS = "ThroughFriendsOrSocialEvents", _("Through friends or social events")
    OTHER = "Other", _("Other")


class MethodOfControl(models.TextChoices):  # vic_MethodsOfControl (ODS names, plus RestrictsMovement)
    PHYSICAL_THREATS = "PhysicalThreats", _("Physical threats")
    THREATS_LAW_ENFORCEMENT = "ThreatsLawEnforcement", _("Threats of law enforcement")
    THREATENS_CHILDREN_FAMILY = "ThreatensChildrenFamily", _("Threatens children or family")
    DEBT_BONDAGE = "DebtBondage", _("Debt bondage")
    FALSE_PROMISES = "FalsePromises", _("False promises")
    PHYSICAL_ABUSE = "PhysicalAbuse", _("Physical abuse")
    SEXUAL_ABUSE = "SexualAbuse", _("Sexual abuse")
    TAKES_EARNINGS = "TakesEarnings", _("Takes earnings")
    RESTRICTS_FINANCIAL_ACCESS = "RestrictsFinancialAccess", _("Restricts financial access")
    RESTRICTS_MEDICAL_CARE = "RestrictsMedicalCare", _("Restricts medical care")
    WITHHOLDS_NECESSITIES = "WithholdsNecessities", _("Withholds necessities")
    PSYCHOLOGICAL_ABUSE = "PsychologicalAbuse", _("Psychological abuse")
    PSYCHOACTIVE_SUBSTANCE = "PsychoactiveSubstance", _("Psychoactive substances")
    EXCESSIVE_WORKING_HOURS = "ExcessiveWorkingHours", _("Excessive working hours")
    WITHHOLDS_DOCUMENTS = "WithholdsDocuments", _("Withholds documents")
    # Extension: in the standard's definitions and in CTDC data, missing from its picklist.
    RESTRICTS_MOVEMENT = "RestrictsMovement", _("Restricts movement")
    OTHER = "Other", _("Other")


class TypeOfExploitation(models.TextChoices):  # vic_TypeOfExploitation
    FORCED_LABOUR = "ForcedLabour", _("Forced labour")
    SEXUAL_EXPLOITATION = "SexualExploitation", _("Sexual exploitation")
    CHILD_LABOUR = "ChildLabour", _("Child labour")
    FORCED_MARRIAGE = "ForcedMarriage", _("Forced marriage")
    SERVITUDE = "Servitude", _("Servitude")
    FORCED_MILITARY = "ForcedMilitaryByNonStateActors", _("Forced military service by non-state actors")
    ORGAN_REMOVAL = "OrganRemoval", _("Organ removal")
    FORCED_BEGGING = "ForcedBegging", _("Forced begging")
    FORCED_ADOPTION = "ForcedAdoption", _("Forced adoption")
    SURROGACY = "Surrogacy", _("Surrogacy")
    OTHER = "Other", _("Other")


class ForcedLabourIndustry(models.TextChoices):  # vic_ForcedLabourIndustry (ISIC sections)
    A = "A_AgricultureForestryAndFishing", _("Agriculture, forestry and fishing")
    B = "B_MiningAndQuarrying", _("Mining and quarrying")
    C = "C_Manufacturing", _("Manufacturing")
    D = "D_ElectricityGasSteamAndAirConditioningSupply", _("Electricity, gas, steam and air conditioning")
    E = "E_WaterSupplySewerageWasteManagement", _("Water supply, sewerage and waste management")
    F = "F_Construction", _("Construction")
    G = "G_WholesaleAndRetailTradeRepairOfMotorVehicles", _("Wholesale and retail trade")
    H = "H_TransportationAndStorage", _("Transportation and storage")
    I = "I_AccommodationAndFoodServiceActivities", _("Accommodation and food service")  # noqa: E741
    J = "J_InformationAndCommunication", _("Information and communication")
    K = "K_FinancialAndInsuranceActivities", _("Financial and insurance activities")
    L = "L_RealEstateActivities", _("Real estate activities")
    M = "M_ProfessionalScientificAndTechnicalActivities", _("Professional, scientific and technical")
    N = "N_AdministrativeAndSupportServiceActivities", _("Administrative and support services")
    O = "O_PublicAdministrationAndDefence", _("Public administration and defence")  # noqa: E741
    P = "P_Education", _("Education")
    Q = "Q_HumanHealthAndSocialWorkActivities", _("Human health and social work")
    R = "R_ArtsEntertainmentAndRecreation", _("Arts, entertainment and recreation")
    S = "S_OtherServiceActivities", _("Other service activities")
    T = "T_ActivitiesOfHouseholdsAsEmployers", _("Households as employers (domestic work)")
    U = "U_ActivitiesOfExtraterritorialOrganizations", _("Extraterritorial organisations")


class TypeOfSexExploitation(models.TextChoices):  # vic_TypeOfSexExploitation
    PROSTITUTION = "Prostitution", _("Prostitution")
    PORNOGRAPHY = "Pornography", _("Pornography")
    REMOTE_INTERACTIVE = "RemoteInteractiveServices", _("Remote interactive services")
    PRIVATE_SEXUAL_SERVICES = "PrivateSexualServices", _("Private sexual services")


class CaseStatus(models.TextChoices):  # cas_Status
    ACTIVE = "Active", _("Active")
    FOLLOW_UP = "FollowUp", _("Follow-up")
    CLOSED = "Closed", _("Closed")
    CLOSED_REFERRED = "ClosedReferred", _("Closed (referred)")


class ReferralReason(models.TextChoices):  # cas_ReasonForOutgoingReferral / cas_ReasonForIncomingReferral
    ADDITIONAL_SERVICES = "AdditionalServicesRequired", _("Additional services required")
    MIGRATION_OR_LOCATION = "MigrationOrChangeOfLocation", _("Migration or change of location")
    OTHER = "Other", _("Other")


class EventType(models.TextChoices):  # hte_Type
    RECRUITMENT = "Recruitment", _("Recruitment")
    TRANSIT = "Transit", _("Transit")
    EXPLOITATION = "Exploitation", _("Exploitation")


class SupportPlanType(models.TextChoices):  # spl_Type
    EDUCATION = "Education", _("Education")
    FINANCIAL = "Financial", _("Financial")
    HEALTH = "Health", _("Health")
    LABOUR_REHABILITATION = "LabourExploitationRehabilitation", _("Labour exploitation rehabilitation")
    LEGAL = "Legal", _("Legal")
    LIVELIHOOD = "Livelihood", _("Livelihood")
    RIGHTS_TRAINING = "RightsBasedTraining", _("Rights-based training")
    SEXUAL_REHABILITATION = "SexualExploitationRehabilitation", _("Sexual exploitation rehabilitation")
    SOCIAL_CARE = "SocialCare", _("Social care")


class MigrationStatus(models.TextChoices):
    """x_MigrationStatus: the categories of HTCDS guidance 7 (migration and international protection),
    which names them but defines no field."""

    NATIONAL = "x_National", _("National of the country of identification")
    FAMILY_MIGRANT = "FamilyMigrant", _("Family migrant")
    VISITOR = "VisitorTouristMigrant", _("Visitor or tourist migrant")
    LABOUR_MIGRANT = "LabourMigrant", _("Labour migrant")
    STUDENT_MIGRANT = "StudentMigrant", _("Student migrant")
    IRREGULAR_MIGRANT = "IrregularMigrant", _("Irregular migrant")
    ASYLUM_SEEKER = "AsylumSeeker", _("Asylum seeker")
    REFUGEE = "Refugee", _("Refugee")
    COMPLEMENTARY_PROTECTION = "ComplementaryProtection", _("Recipient of complementary protection")
    STATELESS = "StatelessPerson", _("Stateless person")
    UNACCOMPANIED_CHILD = "SeparatedOrUnaccompaniedChild", _("Separated or unaccompanied child")
    RETURNEE = "Returnee", _("Returnee")
    INTERNALLY_DISPLACED = "InternallyDisplacedPerson", _("Internally displaced person")
    OTHER = "Other", _("Other")
    UNKNOWN = "Unknown", _("Unknown")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ClosureReason(models.TextChoices):
    """Why a case closed (the standard has only free text, cas_ReasonForCaseClosure, kept beside it)."""

    SUPPORT_COMPLETED = "support_completed", _("Support plan completed")
    TRANSFERRED = "transferred", _("Transferred to another organisation")
    RETURNED = "returned", _("Returned to the country of origin")
    LOST_CONTACT = "lost_contact", _("Contact lost")
    DECLINED_SUPPORT = "declined_support", _("Person declined further support")
    NOT_A_VICTIM = "not_a_victim", _("Not a victim of trafficking")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other")


def age_band(age: int | None) -> str:
    """The band shown on a referral card and in statistics: never the exact age."""
    if age is None:
        return "unknown"
    if age < 12:
        return "0-11"
    if age < 18:
        return "12-17"
    if age < 25:
        return "18-24"
    if age < 35:
        return "25-34"
    if age < 50:
        return "35-49"
    return "50+"
