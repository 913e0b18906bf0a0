"""The mapping routine (KART-1..8, R-7) declared on the routine kernel.

The case is the minor's one mapping (kartlegging.Mapping), which follows them between
centres. Its clocks: the welcome conversation at every move-in, by the end of the second
calendar day (R-7: a target, escalated to the child-welfare lead only); the ordinary mapping,
due at once at an ordinary centre and on day 22 of a transit stay (KART-2/3), started within a
week of that; and a review at least every month once it is under way (KART-4, repeating).
"""

from django.utils.translation import gettext_lazy as _

from cases import roles
from cases.routines import Checklist, Due, Notice, Routine, Step, Watch, register
from cases.rules import PAPER
from mottak import directory

from . import references as refs
from . import rules
from .models import Mapping, TransferTrack
from .purposes import Purpose

State = Mapping.State

NAME = "kartlegging"

WELCOME = "welcome"
START = "start"
REVIEW = "review"
FINISH = "finish"
TRANSFER = "transfer"
RESEND = "resend"
OTHER = "other_recipient"
HANDOVER = "handover"
TRANSFERS = "kartlegging_transfers"
TRANSFER_TEMPLATE = "kartlegging_overforing.html"

ALL_STATES = frozenset(State.values)


def _user_may_write(user, mapping) -> bool:
    from .selectors import user_may_write

    return user_may_write(user, mapping)


def _user_may_read(user, mapping) -> bool:
    """KART-12: the mapping — and so its paper copies — is read at the centre only."""
    from .selectors import mappings_visible_to

    return mappings_visible_to(user).filter(pk=mapping.pk).exists()


def _user_may_lead(user, mapping) -> bool:
    return rules.may_lead(role=user.role, is_admin=user.is_admin_role)


def _user_may_welcome(user, mapping) -> bool:
    return rules.may_hold_welcome(role=user.role, is_admin=user.is_admin_role)


def transfer_recipient(mapping) -> dict:
    """KART-8: the IMDi regional office (the settlement caseworker); KART-9: the UDI regional
    office of the centre. IMDi, not the centre, sends on to the municipality."""
    if mapping.transfer_track == TransferTrack.SETTLEMENT:
        entry = directory.directory_entry("imdi")
        if entry is not None:
            return {"recipient": entry}
        return directory.named("imdi", "IMDi regionkontor, bosettingsansvarlig saksbehandler")
    return directory.regional_office(mapping.centre.region)


def _after_transfer_sent(mapping, *, by) -> None:
    """R-8: the first transfer sent starts the three-month clock (in the sending's
    transaction, cases.services.routines.routine_dispatch_sent)."""
    from .services import mapping_first_transfer_sent

    mapping_first_transfer_sent(mapping=mapping, by=by)


def _transfer_notice() -> Notice:
    return Notice(
        Purpose.MAPPING_TRANSFER.value,
        TRANSFER_TEMPLATE,
        recipient=transfer_recipient,
        recipient_label="the IMDi regional office (settlement) or the UDI regional office (return)",
        # KART-14: never by e-mail, not even encrypted.
        channels=PAPER,
        legal_basis=(refs.ROUTINE_TRANSFER, refs.ROUTINE_DATA),
        consent=Purpose.MAPPING_TRANSFER.value,
    )


def new_centre_recipient(mapping) -> dict:
    """KART-15: the centre the minor moved to (the mapping's centre once the move is in)."""
    centre = mapping.centre
    return directory.named("centre", centre.name, getattr(centre, "address", ""))


def assessed_recipient(mapping) -> dict:
    """KART-12: the recipient of the centre leader's latest assessment (the service passes the
    one it sends to)."""
    assessment = mapping.recipient_assessments.select_related("recipient").first()
    if assessment is None:
        raise ValueError("No recipient has been assessed for this mapping.")
    return {"recipient": assessment.recipient}


WATCHES = (
    Watch(
        "welcome_due",
        _("Welcome conversation not yet held"),
        ALL_STATES,
        tone="warning",
        since="stay_started_at",
        roles=roles.CENTRE_ROLES,
        where={"welcome_held_at__isnull": True},
    ),
    Watch(
        "not_started",
        _("Ordinary mapping not started"),
        {State.NOT_STARTED},
        since="ordinary_from",
        roles=(roles.CHILD_WELFARE_LEAD,),
    ),
)

MAPPING = register(
    Routine(
        name=NAME,
        label=_("Individual mapping and action plan"),
        model="kartlegging.Mapping",
        states=tuple(State.choices),
        transitions={
            State.NOT_STARTED: frozenset({State.ONGOING, State.FINISHED}),
            State.ONGOING: frozenset({State.FINISHED}),
            State.FINISHED: frozenset(),
        },
        refusal=_("This cannot be done while the mapping is “%(state)s”."),
        lock_related=("resident", "centre"),
        permissions={
            "read": _user_may_read,
            "write": _user_may_write,
            "lead": _user_may_lead,
            "welcome": _user_may_welcome,
        },
        detail_url="kartlegging:detail",
        watches=WATCHES,
        checklists=(Checklist(TRANSFERS, _("Transfer after the decision")),),
        after_step=_after_transfer_sent,
        steps=(
            Step(
                WELCOME,
                _("Welcome conversation"),
                ("KART-3", "R-7"),
                states=ALL_STATES,
                # by the end of the 2nd calendar day, the day of moving in as day 1.
                due=Due("stay_started_at", "calendar_days", rules.WELCOME_DAYS, urgency="target"),
            ),
            Step(
                START,
                _("Ordinary mapping started"),
                ("KART-2", "KART-3"),
                states=frozenset({State.NOT_STARTED}),
                to=State.ONGOING,
                due=Due(
                    "ordinary_from", "days", rules.ORDINARY_START_TARGET_DAYS, urgency="target"
                ),
            ),
            Step(
                REVIEW,
                _("Review of the mapping and the action plan"),
                ("KART-4",),
                states=frozenset({State.ONGOING}),
                # Each review meets it and opens the next, a month after the review.
                due=Due(
                    "started_at", "months", rules.REVIEW_EVERY_MONTHS, urgency="target", repeat=True
                ),
            ),
            Step(
                FINISH,
                _("Mapping finished after the decision"),
                ("KART-8",),
                states=frozenset({State.NOT_STARTED, State.ONGOING}),
                to=State.FINISHED,
                # "Snarest" after the decision, and in any case in time for the transfer due
                # two weeks after the notice reached Sesam (KART-8).
                due=Due("decision_notice_at", "weeks", rules.TRANSFER_WEEKS),
            ),
            Step(
                TRANSFER,
                _("Paper copy of the mapping and the plan sent"),
                ("KART-8", "KART-9", "KART-13", "KART-14"),
                states=frozenset({State.FINISHED}),
                checklist=TRANSFERS,
                # Two weeks from the notice in Sesam; met when the copy is recorded as sent.
                due=Due("transfer_clock_from", "weeks", rules.TRANSFER_WEEKS),
                notices=(_transfer_notice(),),
            ),
            Step(
                RESEND,
                _("New version, or confirmation that nothing is new"),
                ("KART-10", "R-8"),
                states=frozenset({State.FINISHED}),
                # Each sending meets it and opens the next, three months after it.
                due=Due("first_transfer_at", "months", rules.RESEND_EVERY_MONTHS, repeat=True),
                notices=(_transfer_notice(),),
            ),
            Step(
                HANDOVER,
                _("Paper copy of the mapping and the plan to the new centre"),
                ("KART-15", "R-14"),
                states=ALL_STATES,
                checklist=TRANSFERS,
                required=False,
                # Made by the move-in's handler (kartlegging.handlers.stay_opened); no consent
                # from centre to centre; on paper with the personal folder.
                notices=(
                    Notice(
                        Purpose.MAPPING_TRANSFER.value,
                        TRANSFER_TEMPLATE,
                        recipient=new_centre_recipient,
                        recipient_label="the centre the minor moved to",
                        channels=PAPER,
                        legal_basis=(refs.ROUTINE_TRANSFER, refs.ROUTINE_DATA),
                        consent=Purpose.MAPPING_TRANSFER.value,
                    ),
                ),
            ),
            Step(
                OTHER,
                _("Copy to another recipient after the centre leader's assessment"),
                ("KART-12", "KART-13", "KART-14"),
                states=ALL_STATES,
                checklist=TRANSFERS,
                required=False,
                notices=(
                    Notice(
                        Purpose.MAPPING_TRANSFER_ASSESSED.value,
                        TRANSFER_TEMPLATE,
                        recipient=assessed_recipient,
                        recipient_label="a recipient outside the list, assessed by the leader",
                        channels=PAPER,
                        legal_basis=(refs.ROUTINE_TRANSFER, refs.ROUTINE_DATA),
                        consent=Purpose.MAPPING_TRANSFER_ASSESSED.value,
                    ),
                ),
            ),
        ),
    )
)
