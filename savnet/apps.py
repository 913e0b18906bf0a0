from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SavnetConfig(AppConfig):
    name = "savnet"
    verbose_name = _("Missing minors")

    def ready(self):
        from . import purposes

        purposes.register()  # the notices and consent row the routine below uses
        from . import routine  # noqa: F401 - declares and registers the routine

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
    menu_register("savnet:list", _("Missing minors"), "savnet.follow_cases", 40)
    menu_register("savnet:overview", _("Missing minors"), "savnet.see_overview", 41)
