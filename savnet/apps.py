from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SavnetConfig(AppConfig):
    name = "savnet"
    verbose_name = _("Missing minors")

    def ready(self):
        from . import purposes

        purposes.register()  # the notices and consent row the routine below uses
        from . import references

        references.register()  # the legal references its notices cite
        from . import handlers, routine  # noqa: F401 - routine: declares and registers it

        handlers.register()
        from .services import profiles

        profiles.register_retention()  # photos on the shared retention machinery (SAV-3)

        register_capabilities()
        from mottak import demo as mottak_demo

        from . import demo

        mottak_demo.register_seeder(10, "missing", demo.seed)  # `make run`'s live cases


def register_capabilities() -> None:
    """Who may open the routine's pages (asked by views and the menu)."""
    from mottak.access import (
        capability_register,
        menu_register,
        sees_aggregates_only,
        works_at_a_centre,
        works_at_a_regional_office,
    )

    capability_register(
        "savnet.follow_cases",
        lambda user: works_at_a_centre(user) or works_at_a_regional_office(user),
    )
    capability_register("savnet.see_overview", sees_aggregates_only)
    capability_register("savnet.see_region", works_at_a_regional_office)
    # the regional office (or an administrator) ends a missing minor's stay.
    capability_register(
        "savnet.end_stay", lambda user: user.is_admin_role or works_at_a_regional_office(user)
    )
    menu_register("savnet:list", _("Missing minors"), "savnet.follow_cases", 40)
    menu_register("savnet:overview", _("Missing minors"), "savnet.see_overview", 41)

    from mottak.resident_actions import ResidentAction, resident_action_register

    resident_action_register(
        ResidentAction(
            _("Absent or missing"),
            "savnet:start",
            "savnet.follow_cases",
            order=20,
            query_param="resident",
            hidden_in_status=frozenset({"missing", "absent"}),
        )
    )
    resident_action_register(
        ResidentAction(
            _("Description and photo for a missing-person report"),
            "savnet:profile",
            "savnet.follow_cases",
            order=21,
        )
    )
