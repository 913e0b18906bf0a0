"""The leave routine (PERM-1..PERM-10) declared on the routine kernel: its states and
transitions, the centre's documented preparation (PERM-4 a–g), forwarding, the decision, the
leave itself and a late return."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from cases import roles
from cases.routines import Checklist, Due, Notice, Routine, Step, Watch, register
from mottak import directory
from mottak.references import CHILD_WELFARE_DUTY

from . import references as refs
from .models import LeaveApplication

State = LeaveApplication.State

NAME = "permisjon"
PREPARATION_NAME = "perm_4_preparation"
# PERM-5: what must be done between the grant and the departure.
BEFORE_DEPARTURE_NAME = "perm_5_before_departure"


@dataclass(frozen=True)
class PreparationStep:
    code: str
    label: str
    rule_id: str
    required: bool = True
    needs_attachment: bool = False
    help_text: str = ""


SAFETY = "safety"
G_CHILD_WELFARE = "g_child_welfare"

PREPARATION_STEPS: tuple[PreparationStep, ...] = (
    PreparationStep(
        "a_clash",
        _("Checked for clashes with the mandatory programme, centre duties and school"),
        "PERM-4",
    ),
    PreparationStep(
        "b_own_wish",
        _("Made sure the minor wants to stay with the contact person(s)"),
        "PERM-4",
    ),
    PreparationStep(
        "c_contact_details",
        _("Contact person's details and personal data collected (recorded in Sesam)"),
        "PERM-4",
        help_text=_("Leave requires a contact person who has turned 25."),
    ),
    PreparationStep(
        "d_met",
        _("Met the contact person at the centre, or recorded why it was not possible"),
        "PERM-4",
    ),
    PreparationStep(
        "d_id_copy",
        _("Copy of the contact person's ID document"),
        "PERM-4",
        needs_attachment=True,
        help_text=_(
            "Of the designated contact person, e.g. passport or driving licence: upload the copy "
            "and give the document's kind and number."
        ),
    ),
    PreparationStep(
        "d_references",
        _("References asked for (one or two public persons who know the contact person)"),
        "PERM-4",
        help_text=_("Record each reference's statement on whether the person is suitable."),
    ),
    PreparationStep(
        "e_representative",
        _("The representative's support or objections obtained"),
        "PERM-4",
    ),
    PreparationStep(
        "f_police",
        _("The local police asked whether they object to the address or person(s)"),
        "PERM-4",
    ),
    PreparationStep(
        SAFETY,
        _("The centre's conclusion: is the place safe?"),
        "PERM-4",
        help_text=_("When the centre is unsure, child welfare must be asked (the next step)."),
    ),
    PreparationStep(
        "g_child_welfare",
        _("Child welfare asked to look into the place, or a concern report sent"),
        "PERM-4",
        required=False,
        help_text=_(
            "Required when the centre is unsure whether the place is safe: ask child welfare in "
            "the centre's municipality to look into it, or send a concern report to child "
            "welfare where the minor wants to stay."
        ),
    ),
)

REQUIRED_STEP_CODES = frozenset(s.code for s in PREPARATION_STEPS if s.required)
# Steps whose record is a structured answer, not only a note (PERM-4 d–f, the safety conclusion).
ANSWER_STEP_CODES = frozenset(
    {"d_met", "d_id_copy", "d_references", "e_representative", "f_police", SAFETY, G_CHILD_WELFARE}
)
STEPS_BY_CODE = {s.code: s for s in PREPARATION_STEPS}
ATTACHMENT_STEP_CODES = frozenset(s.code for s in PREPARATION_STEPS if s.needs_attachment)

# Steps of the leave case that are not on the checklist.
PU_VIEW = "pu_view"
RECOMMEND_REFUSAL = "recommend_refusal"
FORWARD = "forward"
GRANT = "grant"
REFUSE = "refuse"
WITHDRAW = "withdraw"
NOTIFY_REPRESENTATIVE = "notify_representative"
REPRESENTATIVE_TOLD_ORALLY = "representative_told_orally"
FOLLOW_UP_CALL = "follow_up_call"
ISSUE_AGREEMENT = "issue_agreement"
SIGNED_AGREEMENT = "signed_agreement"
# PERM-5 b and a: done or waived by a leader before the minor may leave.
# (Issuing the agreement is recorded when it is handed over; uploading it signed shows that.)
BEFORE_DEPARTURE_STEPS = (SIGNED_AGREEMENT, NOTIFY_REPRESENTATIVE, REPRESENTATIVE_TOLD_ORALLY)
# PERM-5 c: a call at least this often during the leave (the seed says "e.g. calls"; every
# second day keeps a week's leave to three calls at least).
FOLLOW_UP_EVERY_DAYS = 2
FOLLOW_UP_DEADLINE = "leave_follow_up"
DEPART = "depart"
RETURN = "return"
LATE = "late"
REPORT_MISSING = "report_missing"

FORWARDING_DEADLINE = "leave_forwarding"
LATE_RETURN_DEADLINE = "leave_late_return"
# Opened at departure, due at the agreed return: returning meets it; if the minor is not back
# the sweep's on-due handler (permisjon/handlers.py) marks the leave late (PERM-6).
RETURN_DUE_DEADLINE = "leave_return_due"
RETURN_DUE_LABEL = _("Agreed return")

# The agreement is a letter handed to the minor and the contact person (PERM-5 a).
AGREEMENT_PURPOSE = "letter"
# the routine's points, cited with "Jf." (permisjon/references.py).
LEGAL_BASIS_APPLICATION = (refs.APPLICATION,)
LEGAL_BASIS_AGREEMENT = (refs.AGREEMENT,)
LEGAL_BASIS_REPRESENTATIVE = (refs.REPRESENTATIVE,)

WRITTEN = frozenset({"post", "by_hand", "encrypted_email"})
PREPARING = frozenset({State.DRAFT, State.PREPARED})
UNDECIDED = frozenset({State.DRAFT, State.PREPARED, State.FORWARDED})
AFTER_GRANT = frozenset({State.GRANTED, State.ONGOING, State.LATE, State.RETURNED})
AWAY = frozenset({State.ONGOING, State.LATE})


def _regional_office(application) -> dict:
    return directory.regional_office(application.centre.region)


def _contact_person(application) -> dict:
    contact = application.contact_persons.order_by("id").first()
    return directory.named("person", contact.name, contact.address)


def _representative(application) -> dict:
    resident = application.resident
    return directory.named(
        "representative", resident.representative_name, resident.representative_address
    )


def _may_decide(user, application) -> bool:
    from .selectors import user_may_decide

    return user_may_decide(user, application)


def _may_issue(user, application) -> bool:
    """PERM-5 is the centre's work: the agreement is issued and signed by the centre's staff,
    also when the regional office granted the leave."""
    from .selectors import user_may_change

    return user_may_change(user, application) and user.role != "region_caseworker"


def _may_withdraw(user, application) -> bool:
    from .selectors import user_is_centre_decider

    return user_is_centre_decider(user, application) or user.is_admin_role


def _after_preparation_step(application, *, by) -> None:
    from .services import leave_application_refresh_prepared

    leave_application_refresh_prepared(application, by=by)


def _centre_child_welfare(application) -> dict:
    """PERM-4 g: child welfare in the centre's municipality looks into the place."""
    return directory.child_welfare_service(application.centre.municipality)


def _destination_child_welfare(application) -> dict:
    """PERM-4 g: the concern report goes where the minor wants to stay."""
    return directory.child_welfare_service(application.destination_municipality)


# PERM-4 g: when the centre is unsure the place is safe, one of the two goes in writing.
PLACE_CHECK_NOTICES = (
    Notice(
        "place_check_request",
        "permisjon_g_request.html",
        recipient=_centre_child_welfare,
        recipient_label="child welfare in the centre's municipality",
        channels=WRITTEN,
        legal_basis=(refs.PREPARATION,),
    ),
    Notice(
        "concern_report",
        "permisjon_g_concern_report.html",
        recipient=_destination_child_welfare,
        recipient_label="child welfare where the minor wants to stay",
        channels=WRITTEN,
        legal_basis=(CHILD_WELFARE_DUTY, refs.PREPARATION),
    ),
)

_REPRESENTATIVE_NOTICE = Notice(
    "leave_notice",
    "permisjon_melding_representant.html",
    recipient=_representative,
    recipient_label="the representative (address on record)",
    channels=WRITTEN,
    legal_basis=LEGAL_BASIS_REPRESENTATIVE,
)

# What the start pages list and the resident's status shows (the late ones first).
WATCHES = (
    Watch(
        "late",
        _("Not back from leave on time"),
        {State.LATE},
        tone="danger",
        status="late",
        since="return_at",
    ),
    Watch("on_leave", _("On leave now"), {State.ONGOING}, status="on_leave", since="departed_at"),
    Watch(
        "decide_centre",
        _("Leave applications waiting for the centre's decision"),
        {State.PREPARED},
        tone="warning",
        roles=(roles.CENTRE_LEADER,),
        where={"decider": LeaveApplication.Decider.CENTRE},
        since="created_at",
    ),
    Watch(
        "decide_region",
        _("Leave applications waiting for the regional office's decision"),
        {State.FORWARDED},
        tone="warning",
        roles=(roles.REGION_CASEWORKER,),
        since="forwarded_at",
    ),
    Watch(
        "preparing",
        _("Leave applications being prepared"),
        {State.DRAFT},
        roles=roles.CENTRE_ROLES,
        since="created_at",
    ),
    Watch(
        "granted",
        _("Leave granted, not yet departed"),
        {State.GRANTED},
        roles=roles.CENTRE_ROLES,
        since="decided_at",
    ),
)

LEAVE = register(
    Routine(
        name=NAME,
        label=_("Leave"),
        model="permisjon.LeaveApplication",
        states=tuple(State.choices),
        transitions={
            State.DRAFT: frozenset(
                {State.PREPARED, State.FORWARDED, State.GRANTED, State.REFUSED, State.WITHDRAWN}
            ),
            State.PREPARED: frozenset(
                {State.FORWARDED, State.GRANTED, State.REFUSED, State.WITHDRAWN}
            ),
            State.FORWARDED: frozenset({State.GRANTED, State.REFUSED, State.WITHDRAWN}),
            # PERM-1, PERM-9/10: back to "prepared" when the grant no longer holds at departure.
            State.GRANTED: frozenset({State.ONGOING, State.WITHDRAWN, State.PREPARED}),
            State.ONGOING: frozenset({State.LATE, State.RETURNED}),
            State.LATE: frozenset({State.RETURNED}),
            State.REFUSED: frozenset(),
            State.RETURNED: frozenset(),
            State.WITHDRAWN: frozenset(),
        },
        refusal=_("This cannot be done while the application is “%(state)s”."),
        lock_related=("resident", "centre", "centre__region"),
        checklists=(
            Checklist(PREPARATION_NAME, _("Preparing the leave")),
            Checklist(BEFORE_DEPARTURE_NAME, _("Before the minor leaves")),
        ),
        after_step=_after_preparation_step,
        permissions={"decide": _may_decide, "withdraw": _may_withdraw, "issue": _may_issue},
        detail_url="permisjon:detail",
        watches=WATCHES,
        steps=tuple(
            Step(
                s.code,
                s.label,
                (s.rule_id,),
                states=PREPARING,
                checklist=PREPARATION_NAME,
                required=s.required,
                manual=True,  # ticked by staff on the leave's page or the checklist page
                needs_attachment=s.needs_attachment,
                help_text=s.help_text,
                notices=PLACE_CHECK_NOTICES if s.code == G_CHILD_WELFARE else (),
            )
            for s in PREPARATION_STEPS
        )
        + (
            Step(PU_VIEW, _("PU's view on a clash"), ("PERM-9", "PERM-10"), states=PREPARING),
            Step(
                RECOMMEND_REFUSAL,
                _("The centre recommends refusal"),
                ("PERM-7",),
                states=PREPARING,
            ),
            Step(
                FORWARD,
                _("Forward the leave application to the regional office"),
                ("PERM-3",),
                states=PREPARING,
                to=State.FORWARDED,
                due=Due("departure_at", "weeks_before", 1),
                deadline_kind=FORWARDING_DEADLINE,
                notices=(
                    Notice(
                        "leave_application",
                        "permisjon_soknad.html",
                        recipient=_regional_office,
                        recipient_label="the UDI regional office",
                        channels=WRITTEN,
                        legal_basis=LEGAL_BASIS_APPLICATION,
                    ),
                ),
            ),
            Step(
                GRANT,
                _("Grant the leave"),
                ("PERM-1", "PERM-5"),
                states=UNDECIDED,
                to=State.GRANTED,
            ),
            Step(
                ISSUE_AGREEMENT,
                _("The centre issues the written agreement"),
                ("PERM-5",),
                states=frozenset({State.GRANTED}),
                checklist=BEFORE_DEPARTURE_NAME,
                notices=(
                    Notice(
                        AGREEMENT_PURPOSE,
                        "permisjon_avtale.html",
                        recipient=_contact_person,
                        recipient_label="the contact person, handed over with the minor",
                        channels=frozenset({"by_hand"}),
                        legal_basis=LEGAL_BASIS_AGREEMENT,
                    ),
                ),
            ),
            Step(
                SIGNED_AGREEMENT,
                _("The agreement signed by the minor and the contact person, uploaded"),
                ("PERM-5",),
                states=frozenset({State.GRANTED}),
                checklist=BEFORE_DEPARTURE_NAME,
                manual=True,
                needs_attachment=True,
                help_text=_("Scan or photograph the signed agreement and upload it."),
            ),
            Step(REFUSE, _("Refuse the leave"), ("PERM-1",), states=UNDECIDED, to=State.REFUSED),
            Step(
                WITHDRAW,
                _("Withdraw the application"),
                ("PERM-2",),
                states=UNDECIDED | {State.GRANTED},
                to=State.WITHDRAWN,
            ),
            Step(
                NOTIFY_REPRESENTATIVE,
                _("The representative told in writing"),
                ("PERM-5",),
                states=AFTER_GRANT,
                checklist=BEFORE_DEPARTURE_NAME,
                notices=(_REPRESENTATIVE_NOTICE,),
            ),
            Step(
                REPRESENTATIVE_TOLD_ORALLY,
                _("The representative told orally"),
                ("PERM-5",),
                states=AFTER_GRANT,
                checklist=BEFORE_DEPARTURE_NAME,
            ),
            Step(
                FOLLOW_UP_CALL,
                _("Follow-up call during the leave"),
                ("PERM-5",),
                states=AWAY,
                # Each call meets it and opens the next, counted from the call.
                due=Due("departed_at", "days", FOLLOW_UP_EVERY_DAYS, repeat=True),
                deadline_kind=FOLLOW_UP_DEADLINE,
            ),
            Step(
                DEPART,
                _("Left for the leave"),
                ("PERM-5",),
                states=frozenset({State.GRANTED}),
                to=State.ONGOING,
            ),
            Step(
                LATE,
                _(
                    "Not back from leave: find out why at once and report missing if the minor has left"
                ),
                ("PERM-6",),
                states=frozenset({State.ONGOING}),
                to=State.LATE,
                # the clock starts at the agreed return time. "Find out why at once"
                # (PERM-6): straks, so the on-duty staff and leader are alerted when it opens.
                due=Due("return_at", "hours", 24, urgency="straks"),
                deadline_kind=LATE_RETURN_DEADLINE,
            ),
            Step(
                RETURN,
                _("Back from the leave"),
                ("PERM-5", "PERM-7"),
                states=AWAY,
                to=State.RETURNED,
                due=Due("return_at", "at", 0),
                deadline_kind=RETURN_DUE_DEADLINE,
            ),
            Step(REPORT_MISSING, _("Reported missing"), ("PERM-6",), states=AWAY),
        ),
    )
)
PREPARATION = PREPARATION_NAME
BEFORE_DEPARTURE = BEFORE_DEPARTURE_NAME
