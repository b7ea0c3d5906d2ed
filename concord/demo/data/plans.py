"""Each country's national action plan: the same four objectives, one per pillar, with two activities
each, and a few tasks linked to the activities, followed up by the country's national group (or by the
Western Balkans network where the demo has no national group)."""

from concord.demo.data.groups import WESTERN_BALKANS
from concord.demo.data.meetings import DONE, DROPPED, IN_PROGRESS, OPEN
from concord.demo.specs import TaskSpec

# fmt: off
OBJECTIVES: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = (
    ("O1", "partnership", "Strengthen coordination between national and local anti-trafficking bodies",
     (("A1.1", "Hold regular meetings of the regional cooperation groups"),
      ("A1.2", "Keep the registry of service providers up to date"))),
    ("O2", "protection", "Give every identified victim shelter and medical, psychosocial and legal support",
     (("A2.1", "Fund NGO shelters through multi-year agreements"),
      ("A2.2", "Train social workers on the national referral mechanism"))),
    ("O3", "prosecution", "Investigate and prosecute more trafficking offences, protecting victims in court",
     (("A3.1", "Train police and prosecutors in financial investigations"),
      ("A3.2", "Set up child-friendly interview rooms"))),
    ("O4", "prevention", "Reduce the vulnerability of children and young people to trafficking",
     (("A4.1", "Run awareness sessions in schools"),
      ("A4.2", "Inform seasonal and migrant workers of their rights"))),
)

# Country: (title, the group following it up, tasks linked to its activities).
PLANS: dict[str, tuple[str, str, tuple[TaskSpec, ...]]] = {
    "AL": ("National Action Plan against Trafficking in Persons", "al-national", (
        TaskSpec("Verify the registry entries of all shelters and legal aid providers", "al-coordinator",
                -40, DONE, -42, activity="A1.2"),
        TaskSpec("Train 60 social workers of the southern municipalities", "al-korce-social", 60,
                IN_PROGRESS, activity="A2.2"),
        TaskSpec("Equip a child-friendly interview room at Korçë police station", "al-police-korce", -25,
                OPEN, person="caseworker", activity="A3.2"),
        TaskSpec("Awareness sessions in 20 secondary schools", "al-korce-education", -90, DONE, -70,
                activity="A4.1"),
        TaskSpec("Sign three-year funding agreements with the NGO shelters", "al-coordinator", -10, DROPPED,
                activity="A2.1"),
    )),
    "XK": ("Strategy and Action Plan against Trafficking in Human Beings", "xk-national", (
        TaskSpec("Renew the funding agreement with the NGO shelter", "xk-coordinator", 30, OPEN,
                activity="A2.1"),
        TaskSpec("Information campaign for seasonal workers going abroad", "xk-iom", -15, IN_PROGRESS,
                activity="A4.2"),
    )),
    "MK": ("National Action Plan for Combating Trafficking in Human Beings", "mk-national", (
        TaskSpec("Joint training of police and prosecutors in financial investigations", "mk-police", -5,
                DONE, -3, activity="A3.1"),
        TaskSpec("Set up a regional cooperation group in the Polog region", "mk-tetovo-social", 90, OPEN,
                activity="A1.1"),
    )),
    "ME": ("Action Plan for Combating Trafficking in Human Beings", WESTERN_BALKANS, (
        TaskSpec("Map shelter capacity on the coast before the tourist season", "me-safe-harbour", 20,
                IN_PROGRESS, activity="A2.1"),
    )),
    "RS": ("Action Plan for the Strategy on Preventing and Combating Trafficking in Human Beings",
           WESTERN_BALKANS, (
        TaskSpec("Publish a rights leaflet for migrant workers in four languages", "rs-novi-put", -60, DONE,
                -61, activity="A4.2"),
    )),
    "BA": ("Action Plan for Combating Trafficking in Human Beings", WESTERN_BALKANS, (
        TaskSpec("Train Centres for Social Work in Republika Srpska on identification", "ba-zora", -20,
                OPEN, activity="A2.2"),
    )),
}
# fmt: on

# fmt: off
STARTED_COMMENTS = ("Work has started; a first draft is circulating.",
                    "Contacts made; a first meeting is set.",
                    "Started; waiting for figures from two offices.")
DONE_COMMENTS = ("Done; the document is shared with the group.", "Completed and reported at the meeting.")
DROPPED_COMMENTS = ("Dropped: the national task force covers this instead.",
                    "Dropped: the funding this depended on was not approved.")
REMINDER_COMMENTS = ("Reminder sent to the organisation responsible.", "Asked for news; no reply yet.")
# fmt: on
