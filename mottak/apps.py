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

        from . import (  # noqa: F401 (the arrival and turning-18 routines register themselves)
            access,
            purposes,
            references,
            routine_arrival,
            routine_moves,
            routine_turning18,
        )
        from .models import Role

        purposes.register()
        references.register()
        routine_moves.register()
        access.register_capabilities()
        case_access.register(
            subject_access=access.access_subject,
            centres_visible=access.centres_visible_to,
            residents_visible=access.residents_visible_to,
            centres_visible_q=access.centres_visible_q,
            residents_visible_q=access.residents_visible_q,
        )
        case_roles.register(
            case_roles.RoleNames(
                centre_staff=Role.CENTRE_STAFF.value,
                child_welfare_lead=Role.CHILD_WELFARE_LEAD.value,
                centre_leader=Role.CENTRE_LEADER.value,
                region_caseworker=Role.REGION_CASEWORKER.value,
                admin=Role.ADMIN.value,
                rma=Role.RMA.value,
                asa_caseworker=Role.ASA_CASEWORKER.value,
                member_of_centre=access.MEMBER_OF_CENTRE.partition(".")[2],
                member_of_region=access.MEMBER_OF_REGION.partition(".")[2],
            )
        )

        from .resident_actions import ResidentAction, resident_action_register

        # MOT-3, MOT-5, MOT-6: leaving the centre, started from the resident's page.
        resident_action_register(
            ResidentAction(
                _("Move to another centre"), "mottak:move_new", "mottak.leave_centre", 50
            )
        )
        resident_action_register(
            ResidentAction(
                _("Wish to move privately"), "mottak:private_move_new", "mottak.leave_centre", 51
            )
        )
        resident_action_register(
            ResidentAction(
                _("Departure from Norway"), "mottak:departure_new", "mottak.leave_centre", 52
            )
        )

        from . import demo, demo_moves

        demo.register_seeder(30, "leaving the centre", demo_moves.seed)  # `make run`

        from cases.schedules import register_schedule

        # Turning 18 is a date, not a write: a daily check publishes it (mottak/events.py).
        register_schedule(
            "mottak.publish_turned_18",
            "mottak.publish_turned_18",
            crontab={"minute": "10", "hour": "0"},
            expire_seconds=6 * 3600,
        )

        from cases.due import register_due_handler

        from .services import OUTING_RETURN_DEADLINE, outing_return_due

        # An outing's agreed return (SAV-2): not back by then publishes the absence.
        register_due_handler(OUTING_RETURN_DEADLINE, outing_return_due)

        from . import demo, demo_presence

        demo.register_seeder(30, "presence", demo_presence.seed)  # after leave and missing
        demo.register_seeder(31, "folders", demo_presence.seed_folders)

        resident_action_register(
            ResidentAction(
                _("Personal folder"),
                "mottak:personal_folder",
                "mottak.keep_folders",
                order=60,
                needs_open_stay=False,
            )
        )
