"""This program's permissions per role (merged into the role groups by core.roles).

Cases are sensitive: `view_hardshipcase` lets an officer open the cases list, but a
case itself is shown only to the officers assigned to it and to holders of
`cases.view_all_cases` (the zone admin). A department liaison sees only referrals
to the departments they are bound to (LiaisonBinding). Workers ask for help and
rate what they asked for from their phone.
"""

from gaoxin.core.enums import Role

DEMANDS = [
    "cases.view_demand",
    "cases.add_demand",
    "cases.change_demand",
    "cases.view_jointmeeting",
    "cases.add_jointmeeting",
    "cases.change_jointmeeting",
    "cases.view_referral",
    "cases.add_referral",
]
CASES = [
    "cases.view_hardshipcase",
    "cases.add_hardshipcase",
    "cases.change_hardshipcase",
    "cases.add_aidapplication",
    "cases.approve_aidapplication",
    "cases.pay_aidapplication",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ZONE_ADMIN: [
        *DEMANDS,
        *CASES,
        "cases.view_all_cases",
        "cases.add_liaisonbinding",
        "cases.view_liaisonbinding",
    ],
    Role.OFFICER: [*DEMANDS, *CASES],
    Role.INSTRUCTOR: ["cases.add_demand"],
    Role.STATION_KEEPER: ["cases.add_demand"],
    Role.DEPARTMENT_LIAISON: ["cases.reply_referral"],
    Role.WORKER: ["cases.ask_help"],
}
