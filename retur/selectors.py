"""Every read of the return views and services. Access: the one access layer for residents,
narrowed for ASA to the cases assigned to it (R-19)."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from mottak.access import Action, residents_visible_to
from mottak.models import Role

from .models import WORK_RETURN_CASE, ReturnCase, ReturnConversation, UneReversalShare


def cases_assigned_to(user) -> QuerySet[ReturnCase]:
    """R-19: the cases whose object permission the user holds — granted by the assignment,
    never model-wide (accept_global_perms off)."""
    if not user.is_authenticated or not user.is_active or user.role != Role.ASA_CASEWORKER:
        return ReturnCase.objects.none()
    return get_objects_for_user(
        user, WORK_RETURN_CASE, klass=ReturnCase, accept_global_perms=False, with_superuser=False
    )


def residents_assigned_to(user) -> QuerySet:
    """R-19: the residents ASA reaches, registered with the access layer: those of its cases."""
    return cases_assigned_to(user).values("resident_id")


def return_cases_visible_to(user, action: Action = Action.VIEW) -> QuerySet[ReturnCase]:
    """R-19: ASA sees the cases assigned to it; RMA only the open assisted-return track;
    a centre and a regional office see the cases of the residents they see."""
    cases = ReturnCase.objects.select_related("resident", "centre", "caseworker")
    if not user.is_authenticated:
        return cases.none()
    if user.is_admin_role:
        return cases
    if user.role == Role.ASA_CASEWORKER:
        return cases.filter(pk__in=cases_assigned_to(user).values("pk"))
    if user.role == Role.RMA:
        # one by one only in the assisted-return track RMA hands over to ASA.
        if action == Action.CHANGE:
            return cases.none()
        return cases.filter(path=ReturnCase.Path.ASSISTED, state=ReturnCase.State.OPEN)
    if action == Action.CHANGE:
        return cases.none()  # only the assigned ASA caseworker works the case
    return cases.filter(resident__in=residents_visible_to(user, Action.VIEW).values("pk"))


def access_return_case(*, user, case_id, action: Action = Action.VIEW) -> ReturnCase:
    case = return_cases_visible_to(user, action).filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def access_held_conversation(*, user, conversation_id) -> ReturnConversation:
    """A held conversation of a case the user may see; anything else answers like a missing one."""
    conversation = (
        ReturnConversation.objects.filter(
            pk=conversation_id,
            held_at__isnull=False,
            case__in=return_cases_visible_to(user),
        )
        .select_related("case__resident", "case__centre")
        .first()
    )
    if conversation is None:
        raise Http404
    return conversation


def may_work_on(user, case: ReturnCase) -> bool:
    """RET-5: the named ASA caseworker, holding the assignment's grant, works the case (an
    administrator may step in)."""
    if user.is_admin_role:
        return True
    return bool(
        case.caseworker_id
        and case.caseworker_id == user.pk
        and cases_assigned_to(user).filter(pk=case.pk).exists()
    )


def open_case_of(resident_id: int) -> ReturnCase | None:
    return ReturnCase.objects.filter(resident_id=resident_id, state=ReturnCase.State.OPEN).first()


def reversal_share_in_force(on=None) -> UneReversalShare | None:
    """RET-2: the latest figure in force on the day (reference data an administrator keeps)."""
    on = on or timezone.localdate()
    return (
        UneReversalShare.objects.filter(valid_from__lte=on).order_by("-valid_from", "-id").first()
    )


def unassigned_cases() -> QuerySet[ReturnCase]:
    return ReturnCase.objects.filter(state=ReturnCase.State.OPEN, caseworker__isnull=True)


# ---- RET-6: quarterly meetings (no personal data; RMA calls them) -----------------------------


def meetings_visible_to(user) -> QuerySet:
    from .models import QuarterlyMeeting

    if not user.is_authenticated or not (user.is_admin_role or user.role == Role.RMA):
        return QuarterlyMeeting.objects.none()
    return QuarterlyMeeting.objects.select_related("recorded_by")


def access_meeting(*, user, meeting_id):
    meeting = meetings_visible_to(user).filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404
    return meeting


# ---- RET-5: tasks ------------------------------------------------------------------------------


def tasks_of(case: ReturnCase) -> list:
    """The case's tasks, open ones first by due time, each marked when overdue."""
    now = timezone.now()
    tasks = list(case.tasks.select_related("responsible"))
    for task in tasks:
        task.is_overdue = task.state == task.State.OPEN and task.due_at <= now
    return tasks


def access_task(*, user, task_id):
    """A task of a case the user may see; else 404 like a missing one."""
    from .models import ReturnTask

    task = (
        ReturnTask.objects.filter(pk=task_id, case__in=return_cases_visible_to(user).values("pk"))
        .select_related("case")
        .first()
    )
    if task is None:
        raise Http404
    return task
