"""The return routine (RET-1..RET-6, IM 2012-021) declared on the routine kernel: a return case
per minor with a rejection, its mandatory conversations, and its end — returned, or return not
feasible and followed up towards UNE."""

from django.utils.translation import gettext_lazy as _

from cases import roles
from cases.routines import Due, Routine, Step, register

from .models import QuarterlyMeeting, ReturnCase, ReturnTask

State = ReturnCase.State

NAME = "retur"
ASSIGN = "assign"
CONVERSATION = "conversation"
NOT_ATTENDED = "not_attended"
CONTACT = "contact"
CARE_PREMISE = "care_premise"
PATH = "path"
RETURNED = "returned"
NOT_FEASIBLE = "not_feasible"
CLOSE = "close"
INFORMATION = "information"
HANDOVER = "handover"
TASK = "task"

OPEN = frozenset({State.OPEN})

# No start-page watch: ASA's queue is the return list (selectors.return_cases_visible_to),
# which holds only the cases assigned to it.

RETURN = register(
    Routine(
        name=NAME,
        label=_("Return"),
        model="retur.ReturnCase",
        states=tuple(State.choices),
        transitions={
            State.OPEN: frozenset({State.RETURNED, State.NOT_FEASIBLE, State.CLOSED}),
            State.NOT_FEASIBLE: frozenset({State.OPEN, State.CLOSED}),
            State.RETURNED: frozenset(),
            State.CLOSED: frozenset(),
        },
        refusal=_("This cannot be done while the return case is “%(state)s”."),
        detail_url="retur:detail",
        lock_related=("resident", "centre"),
        steps=(
            Step(ASSIGN, _("Named ASA caseworker assigned"), ("RET-5",), states=OPEN),
            Step(
                CONVERSATION,
                _("Return conversation held"),
                ("RET-1", "RET-2", "RET-3"),
                states=OPEN,
            ),
            Step(
                NOT_ATTENDED,
                _("Return conversation not attended: new time set"),
                ("RET-1",),
                states=OPEN,
            ),
            Step(CONTACT, _("Contact recorded"), ("RET-5",), states=OPEN | {State.NOT_FEASIBLE}),
            Step(PATH, _("Return path chosen"), ("RET-5",), states=OPEN),
            Step(
                TASK,
                _("Task with a deadline given"),
                ("RET-5",),
                states=OPEN | {State.NOT_FEASIBLE},
            ),
            Step(
                INFORMATION,
                _("Information about assisted return given"),
                ("RET-4",),
                states=OPEN | {State.NOT_FEASIBLE},
            ),
            Step(
                HANDOVER,
                _("Handed over to ASA for the forced-return track"),
                ("RET-4",),
                states=OPEN,
            ),
            Step(
                CARE_PREMISE,
                _("Care premise of the decision verified"),
                ("RET-5",),
                states=OPEN,
            ),
            Step(RETURNED, _("The minor has returned"), ("RET-5",), states=OPEN, to=State.RETURNED),
            Step(
                NOT_FEASIBLE,
                _("Return not feasible: follow-up with UNE"),
                ("RET-5",),
                states=OPEN,
                to=State.NOT_FEASIBLE,
            ),
            Step(
                CLOSE,
                _("Return case closed (the rejection no longer stands)"),
                ("RET-5",),
                states=OPEN | {State.NOT_FEASIBLE},
                to=State.CLOSED,
            ),
        ),
    )
)


# ---- RET-6: RMA's quarterly meetings, a national routine ---------------------------------------

MEETING_NAME = "retur_meeting"
MEETING_HELD = "held"
MeetingState = QuarterlyMeeting.State

MEETINGS = register(
    Routine(
        name=MEETING_NAME,
        label=_("Quarterly return meetings"),
        model="retur.QuarterlyMeeting",
        states=tuple(MeetingState.choices),
        transitions={
            MeetingState.DUE: frozenset({MeetingState.HELD}),
            MeetingState.HELD: frozenset(),
        },
        refusal=_("The quarterly meeting is already recorded as “%(state)s”."),
        detail_url="retur:meeting",
        # RMA answers for it nationwide: no centre, no resident.
        national=roles.RMA,
        centre_of=lambda meeting: None,
        subject_of=lambda meeting: meeting,
        steps=(
            Step(
                MEETING_HELD,
                _("Call ASA, RMA and AUA to the quarterly meeting"),
                ("RET-6",),
                states=frozenset({MeetingState.DUE}),
                to=MeetingState.HELD,
                # By the quarter's end: three calendar months from its first moment.
                due=Due("quarter_start", "months", 3),
            ),
        ),
    )
)


# ---- RET-5: the tasks of a return case, each with its deadline and responsible caseworker ------

TASK_NAME = "retur_task"
TASK_DONE = "done"
TASK_REOPEN = "reopen"
TaskState = ReturnTask.State

TASKS = register(
    Routine(
        name=TASK_NAME,
        label=_("Tasks in return cases"),
        model="retur.ReturnTask",
        states=tuple(TaskState.choices),
        transitions={
            TaskState.OPEN: frozenset({TaskState.DONE}),
            TaskState.DONE: frozenset({TaskState.OPEN}),
        },
        refusal=_("The task is already “%(state)s”."),
        detail_url="retur:task",
        lock_related=("case",),
        # The named ASA caseworker answers for it, not a centre.
        national=roles.ASA_CASEWORKER,
        responsible_of=lambda task: task.responsible,
        centre_of=lambda task: None,
        subject_of=lambda task: task.case.resident,
        steps=(
            Step(
                TASK_DONE,
                _("Task done"),
                ("RET-5",),
                states=frozenset({TaskState.OPEN}),
                to=TaskState.DONE,
                due=Due("due_at", "at", 0),
            ),
            Step(
                TASK_REOPEN,
                _("Task marked as not done"),
                ("RET-5",),
                states=frozenset({TaskState.DONE}),
                to=TaskState.OPEN,
            ),
        ),
    )
)
