from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MottakConfig(AppConfig):
    name = "mottak"
    verbose_name = _("Reception centres")

    def ready(self):
        # The case engine knows no app above it: mottak tells it its notices, its access
        # layer and its role names.
        from cases import access as case_access
        from cases import roles as case_roles

        from . import (  # noqa: F401 (the routines register themselves)
            access,
            purposes,
            references,
            routine_arrival,
            routine_turning18,
        )
        from .models import Role

        purposes.register()
        references.register()
        access.register_capabilities()
        case_access.register(
            subject_access=access.access_subject,
            centres_visible=access.centres_visible_to,
            residents_visible=access.residents_visible_to,
        )
        case_roles.register(
            case_roles.RoleNames(
                centre_staff=Role.CENTRE_STAFF.value,
                child_welfare_lead=Role.CHILD_WELFARE_LEAD.value,
                centre_leader=Role.CENTRE_LEADER.value,
                region_caseworker=Role.REGION_CASEWORKER.value,
                admin=Role.ADMIN.value,
                member_of_centre=access.MEMBER_OF_CENTRE.partition(".")[2],
                member_of_region=access.MEMBER_OF_REGION.partition(".")[2],
            )
        )

        from cases.schedules import register_schedule

        # Turning 18 is a date, not a write: a daily check publishes it (mottak/events.py).
        register_schedule(
            "mottak.publish_turned_18",
            "mottak.publish_turned_18",
            crontab={"minute": "10", "hour": "0"},
            expire_seconds=6 * 3600,
        )
