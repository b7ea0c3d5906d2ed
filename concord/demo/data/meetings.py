"""The groups' meetings: agendas, minutes and numbered decisions, most of them giving a task to one
organisation. Dates are days from the day the demo is loaded, so there is always something overdue,
something due soon and something done (on time or late). Every task status occurs; some tasks go to
organisations outside the group that decided them (the health centre, the border police, IOM Albania).
"""

from concord.coordination.models import Task
from concord.demo.data.groups import WESTERN_BALKANS
from concord.demo.specs import DecisionSpec, MeetingSpec, TaskSpec

OPEN, IN_PROGRESS = Task.Status.OPEN, Task.Status.IN_PROGRESS
DONE, DROPPED = Task.Status.DONE, Task.Status.DROPPED

# Who records each group's meetings and creates its tasks: someone at the chair, or the national
# coordinator or the network administrator where the chair has no demo user.
RECORDED_BY = {
    "korce": "social.services",
    "vlore": "caseworker.vlore",
    "tirane": "coordinator.al",
    "al-national": "coordinator.al",
    "xk-national": "coordinator.xk",
    "mk-national": "coordinator.mk",
    WESTERN_BALKANS: "network.admin",
}

STANDING_ITEMS = ("Adoption of the agenda and of the previous minutes", "Follow-up of open tasks")

# fmt: off
MEETINGS: tuple[MeetingSpec, ...] = (
    MeetingSpec(
        "korce", "Quarterly meeting, first quarter", -160, "Korçë Prefecture, meeting room 2",
        (*STANDING_ITEMS, "Presumed victims identified since the last meeting (figures only)",
                "Referral between police, social services and the shelter outside office hours",
                "Prevention in vocational schools"),
        "Eleven members attended. The police unit reported four presumed victims identified in the "
        "quarter, all referred to the shelter within a day. Members agreed that referrals at night and at "
        "weekends still depend on personal phone numbers, and that a written protocol is needed. The "
        "education directorate proposed awareness sessions in the three vocational schools.",
        (
            DecisionSpec(
                "Social services and the shelter agree a written protocol for referrals outside office "
                "hours.",
                TaskSpec("Draft the out-of-hours referral protocol", "al-korce-social", -120, DONE, -125,
                         person="social.services"),
            ),
            DecisionSpec(
                "The regional education directorate organises awareness sessions in the three vocational "
                "schools of the region.",
                TaskSpec("Awareness sessions in the region's vocational schools", "al-korce-education", -60,
                        DONE, -41),
            ),
            DecisionSpec(
                "The police unit shares quarterly identification figures with the group, aggregated and "
                "without names.",
                TaskSpec("Share quarterly identification figures (aggregated)", "al-police-korce", -100,
                        IN_PROGRESS, person="caseworker"),
            ),
        ),
    ),
    MeetingSpec(
        "korce", "Quarterly meeting, second quarter", -70, "Pogradec Municipality, council hall",
        (*STANDING_ITEMS, "Vocational training places for survivors",
                "Medical examinations of presumed victims",
                "Seasonal recruitment for agricultural work abroad"),
        "The out-of-hours protocol was presented and adopted. The employment office offered places in its "
        "spring vocational courses. The shelter reported delays in medical examinations; the health "
        "centre, which is not a member of the group, is to be asked for a focal point.",
        (
            DecisionSpec(
                "The employment office reserves places in vocational training for survivors referred by "
                "the shelter.",
                TaskSpec("Reserve vocational training places for survivors", "al-korce-employment", 20,
                        OPEN),
            ),
            DecisionSpec(
                "The chair asks the health centre to name a focal point for medical examinations of "
                "presumed victims.",
                TaskSpec("Name a focal point for medical examinations", "al-korce-health", -30, OPEN),
            ),
            DecisionSpec(
                "The border police at Kapshticë brief the group on seasonal recruitment patterns.",
                TaskSpec("Brief the group on seasonal recruitment through Kapshticë", "al-border-kapshtice",
                        -10, DROPPED),
            ),
        ),
    ),
    MeetingSpec(
        "korce", "Quarterly meeting, third quarter", -10, "New Dawn Shelter, training room",
        (*STANDING_ITEMS, "Regional service map before the summer season",
                "Joint training on identification"),
        "Members reviewed the service map: the region has shelter, medical and psychosocial services, and "
        "legal aid through the Tiranë clinic. A joint training for front-line staff was agreed.",
        (
            DecisionSpec(
                "The shelter updates the regional service map before the summer season.",
                TaskSpec("Update the regional service map", "al-new-dawn", 30, IN_PROGRESS,
                         person="case.manager"),
            ),
            DecisionSpec(
                "Ura Psychosocial Centre prepares a joint training on identifying victims for front-line "
                "staff.",
                TaskSpec("Prepare a joint training on victim identification", "al-ura-centre", 45, OPEN),
            ),
            DecisionSpec("The next meeting is held in Korçë in three weeks."),
        ),
    ),
    MeetingSpec(
        "korce", "Quarterly meeting, fourth quarter", 25, "Korçë Prefecture, meeting room 2",
        (*STANDING_ITEMS, "Results of the joint training", "Plan of work for next year"),
    ),
    MeetingSpec(
        "vlore", "Meeting before the tourist season", -90, "Vlorë Municipality, social services office",
        (*STANDING_ITEMS, "Seasonal workers in hotels and restaurants", "Legal information for workers",
                "Shelter options for the region"),
        "The hotel association reported that many seasonal staff come from other regions and from abroad. "
        "The region has no shelter: presumed victims are taken to Tiranë, which members find too far for "
        "children. The legal clinic offered information sessions in Sarandë.",
        (
            DecisionSpec(
                "The hotel association gives the helpline number to every seasonal worker.",
                TaskSpec("Give the helpline number to seasonal staff", "al-riviera-hotels", -45, DONE, -30),
            ),
            DecisionSpec(
                "The legal clinic holds a legal information session for seasonal workers in Sarandë.",
                TaskSpec("Legal information session for seasonal workers in Sarandë", "al-vlore-legal", -20,
                        IN_PROGRESS, person="caseworker.vlore"),
            ),
            DecisionSpec(
                "Social services map the options for sheltering victims in the region.",
                TaskSpec("Map shelter options for the Vlorë region", "al-vlore-social", 15, OPEN),
            ),
        ),
    ),
    MeetingSpec(
        "vlore", "Meeting after the tourist season", 10, "Sarandë Municipality",
        (*STANDING_ITEMS, "What the season showed", "Shelter options: findings"),
    ),
    MeetingSpec(
        "tirane", "Coordination meeting", -45, "Tiranë Municipality, hall B",
        (*STANDING_ITEMS, "Media reporting on trafficking cases", "Occupancy of the reception centre"),
        "Members discussed a recent news report that showed a survivor's village. The media association "
        "will draft reporting guidelines. The reception centre will report its occupancy monthly.",
        (
            DecisionSpec(
                "The media association drafts guidelines for reporting on trafficking without identifying "
                "survivors.",
                TaskSpec("Draft guidelines on reporting without identifying survivors", "al-fair-media", 10,
                        IN_PROGRESS),
            ),
            DecisionSpec(
                "The National Reception Centre reports its bed occupancy to the group every month.",
                TaskSpec("Report bed occupancy monthly", "al-reception-centre", -15, DONE, -16),
            ),
        ),
    ),
    MeetingSpec(
        "al-national", "National Task Force: annual review", -120, "Ministry of Interior, Tiranë",
        (*STANDING_ITEMS, "Monitoring framework of the national action plan",
                "Reports from the regional groups"),
        "The task force adopted the monitoring framework. Regional groups will report progress on their "
        "tasks twice a year. IOM presented its reintegration programme.",
        (
            DecisionSpec(
                "The task force adopts the monitoring framework of the national action plan.",
                TaskSpec("Publish the monitoring framework", "al-coordinator", -100, DONE, -101,
                         person="coordinator.al"),
            ),
            DecisionSpec(
                "Regional cooperation groups report the progress of their tasks twice a year.",
                TaskSpec("Collect the first half-year reports of the regional groups", "al-coordinator",
                        -20, DONE, -5, person="coordinator.al"),
            ),
        ),
    ),
    MeetingSpec(
        "al-national", "National Task Force: mid-year review", 35, "Ministry of Interior, Tiranë",
        (*STANDING_ITEMS, "Half-year reports of the regional groups", "Budget of the shelters"),
    ),
    MeetingSpec(
        "xk-national", "National coordination meeting", -60, "Prishtinë",
        (*STANDING_ITEMS, "Shelter referrals from Prizren district", "Reintegration of returnees"),
        "Prizren district has no shelter; members agreed to extend the existing referral agreements. IOM "
        "presented reintegration grants for returnees.",
        (
            DecisionSpec(
                "Mbrojtja Shelter extends its referral agreements to Prizren district.",
                TaskSpec("Extend shelter referral agreements to Prizren district", "xk-mbrojtja", -10,
                        IN_PROGRESS, person="caseworker.xk"),
            ),
            DecisionSpec(
                "IOM Kosovo opens reintegration grants for this year's returnees.",
                TaskSpec("Open reintegration grants for returnees", "xk-iom", 40, OPEN),
            ),
        ),
    ),
    MeetingSpec(
        "mk-national", "Session of the National Commission", -50, "Skopje",
        (*STANDING_ITEMS, "Focal points in the Centres for Social Work",
                "Interview rooms for child victims"),
        "The commission asked every Centre for Social Work to name a focal point. Svetlina and the police "
        "will agree standards for interview rooms.",
        (
            DecisionSpec(
                "The Centre for Social Work in Tetovo names a focal point for identified victims.",
                TaskSpec("Name a focal point for identified victims", "mk-tetovo-social", -20, DONE, -8),
            ),
            DecisionSpec(
                "Svetlina and the police agree standards for interview rooms.",
                TaskSpec("Agree standards for interview rooms", "mk-svetlina", 20, OPEN),
            ),
        ),
    ),
    MeetingSpec(
        WESTERN_BALKANS, "Annual regional conference", -200, "Ohrid",
        (*STANDING_ITEMS, "Transnational referrals", "Registry of service providers",
                "Labour exploitation"),
        "National coordinators and NGOs from the six countries agreed to use one template for "
        "transnational referrals and to keep the registry of their country up to date.",
        (
            DecisionSpec(
                "The secretariat prepares a common template for transnational referrals.",
                TaskSpec("Prepare a common template for transnational referrals", "batn-secretariat", -150,
                        DONE, -120, person="network.admin"),
            ),
            DecisionSpec(
                "Each national coordinator updates the registry entries of their country.",
                TaskSpec("Update Montenegro's registry entries", "me-coordinator", -60, IN_PROGRESS),
            ),
            DecisionSpec(
                "Novi Put collects good practices on labour exploitation for the network.",
                TaskSpec("Collect good practices on labour exploitation", "rs-novi-put", -90, DONE, -95),
            ),
        ),
    ),
    MeetingSpec(
        WESTERN_BALKANS, "Online coordination call", -30, "Video call",
        (*STANDING_ITEMS, "Next annual conference", "Translations of the referral template"),
        "Members agreed to hold the next conference in Budva and to have the referral template translated.",
        (
            DecisionSpec(
                "Safe Harbour prepares the next annual conference in Budva.",
                TaskSpec("Prepare the annual conference in Budva", "me-safe-harbour", 60, OPEN),
            ),
            DecisionSpec(
                "IOM Albania is asked to translate the referral template into Albanian, Macedonian, "
                "Serbian and Bosnian.",
                TaskSpec("Translate the referral template", "al-iom", 30, OPEN),
            ),
        ),
    ),
    MeetingSpec(
        WESTERN_BALKANS, "Annual regional conference", 45, "Budva",
        (*STANDING_ITEMS, "Review of the year", "Joint operations against labour exploitation"),
    ),
)
# fmt: on
