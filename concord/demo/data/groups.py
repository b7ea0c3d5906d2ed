"""The demo's cooperation groups: three regional groups in Albania, three national bodies and a
transnational network of national coordinators and NGOs."""

from concord.demo.specs import GroupSpec
from concord.network.models import CooperationGroup

Level = CooperationGroup.Level
WESTERN_BALKANS = "wb-network"

# fmt: off
GROUPS: tuple[GroupSpec, ...] = (
    GroupSpec("korce", "Korçë Regional Anti-Trafficking Cooperation Group", Level.REGIONAL, "AL", "Korçë",
              "al-korce-social",
              ("al-police-korce", "al-korce-municipality", "al-korce-social", "al-pogradec-social",
               "al-korce-education", "al-korce-employment", "al-new-dawn", "al-ura-centre",
               "al-korce-vocational", "al-iom"),
              former_members=("al-pogradec-youth",),
              name_sq="Grupi Rajonal i Bashkëpunimit kundër Trafikimit Korçë"),
    GroupSpec("vlore", "Vlorë Regional Anti-Trafficking Cooperation Group", Level.REGIONAL, "AL", "Vlorë",
              "al-vlore-social",
              ("al-police-vlore", "al-vlore-social", "al-vlore-legal", "al-riviera-hotels", "al-safe-line"),
              name_sq="Grupi Rajonal i Bashkëpunimit kundër Trafikimit Vlorë"),
    GroupSpec("tirane", "Tiranë Regional Anti-Trafficking Cooperation Group", Level.REGIONAL, "AL", "Tiranë",
              "al-tirane-social",
              ("al-police-tirane", "al-tirane-social", "al-tirane-legal", "al-reception-centre",
               "al-safe-line", "al-fair-media", "al-iom"),
              name_sq="Grupi Rajonal i Bashkëpunimit kundër Trafikimit Tiranë"),
    GroupSpec("al-national", "Albanian National Anti-Trafficking Task Force", Level.NATIONAL, "AL", None,
              "al-coordinator",
              ("al-coordinator", "al-reception-centre", "al-police-tirane", "al-police-korce", "al-iom",
               "al-safe-line", "al-tirane-legal"),
              name_sq="Task Forca Kombëtare kundër Trafikimit"),
    GroupSpec("xk-national", "Kosovo National Anti-Trafficking Coordination Group", Level.NATIONAL, "XK",
              None, "xk-coordinator",
              ("xk-coordinator", "xk-police", "xk-mbrojtja", "xk-iom", "xk-prizren-social"),
              name_sq="Grupi Kombëtar i Koordinimit kundër Trafikimit, Kosovë"),
    GroupSpec("mk-national", "North Macedonia National Anti-Trafficking Commission", Level.NATIONAL, "MK",
              None, "mk-coordinator",
              ("mk-coordinator", "mk-police", "mk-svetlina", "mk-iom", "mk-tetovo-social")),
    GroupSpec(WESTERN_BALKANS, "Western Balkans Anti-Trafficking Network", Level.TRANSNATIONAL, None, None,
              "batn-secretariat",
              ("batn-secretariat", "al-coordinator", "xk-coordinator", "mk-coordinator", "me-coordinator",
               "rs-coordinator", "ba-coordinator", "al-new-dawn", "xk-mbrojtja", "mk-svetlina",
               "me-safe-harbour", "rs-novi-put", "ba-zora", "al-safe-line")),
)
# fmt: on
