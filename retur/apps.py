from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturConfig(AppConfig):
    name = "retur"
    verbose_name = _("Return")

    def ready(self):
        from . import references

        references.register()  # the legal references its documents cite
        from . import handlers, routine  # noqa: F401 - routine: declares and registers it

        handlers.register()
        register_capabilities()
        from mottak.access import granted_residents_register
        from mottak.models import Role

        from .selectors import residents_assigned_to

        # ASA sees the residents of the return cases assigned to it, nothing else.
        granted_residents_register(Role.ASA_CASEWORKER, residents_assigned_to)
        from mottak import demo as mottak_demo

        from . import demo

        mottak_demo.register_seeder(30, "return", demo.seed)  # `make run`'s return cases
        from cases.schedules import register_schedule

        # RET-6: the current quarter's meeting and its deadline exist from the quarter's start.
        register_schedule(
            "retur.plan_quarterly_meeting",
            "retur.plan_quarterly_meeting",
            crontab={"minute": "20", "hour": "0"},
            expire_seconds=6 * 3600,
        )


def register_capabilities() -> None:
    """Who may open the routine's pages (asked by views and the menu)."""
    from mottak.access import capability_register, menu_register
    from mottak.models import Role

    capability_register(
        "retur.follow_cases",
        lambda user: user.is_admin_role or user.role in {Role.ASA_CASEWORKER, Role.RMA},
    )
    # RET-4: RMA's portfolio, in aggregates.
    capability_register("retur.portfolio", lambda user: user.is_admin_role or user.role == Role.RMA)
    # RET-6: RMA calls the quarterly meetings and keeps their minutes.
    capability_register("retur.meetings", lambda user: user.is_admin_role or user.role == Role.RMA)
    menu_register("retur:list", _("Return cases"), "retur.follow_cases", 50)
    menu_register("retur:meetings", _("Quarterly meetings"), "retur.meetings", 52)
    menu_register("retur:portfolio", _("Return portfolio"), "retur.portfolio", 51)
