from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermisjonConfig(AppConfig):
    name = "permisjon"
    verbose_name = _("Leave")

    def ready(self):
        from . import purposes

        purposes.register()  # the notices the routine below sends
        from . import references

        references.register()  # the legal references its notices cite
        from . import handlers, routine  # noqa: F401 - routine: declares and registers it

        handlers.register()
        from . import retention

        retention.register()  # the contact persons' ID copies (KART-16, cases/retention.py)
        register_capabilities()
        from mottak import demo as mottak_demo

        from . import demo

        mottak_demo.register_seeder(20, "leave", demo.seed)  # `make run`'s live cases


def register_capabilities() -> None:
    """Who may open the routine's pages (asked by views and the menu)."""
    from mottak.access import (
        capability_register,
        menu_register,
        works_at_a_centre,
        works_at_a_regional_office,
    )

    capability_register("permisjon.apply", works_at_a_centre)
    capability_register(
        "permisjon.decide_in_region",
        lambda user: works_at_a_regional_office(user) and not works_at_a_centre(user),
    )
    menu_register("permisjon:list", _("Leave"), "permisjon.apply", 30)
    menu_register(
        "permisjon:region_queue", _("Leave applications"), "permisjon.decide_in_region", 31
    )

    from mottak.resident_actions import ResidentAction, resident_action_register

    resident_action_register(
        ResidentAction(
            _("New leave application"),
            "permisjon:create",
            "permisjon.apply",
            order=10,
            hidden_in_status=frozenset({"missing", "absent", "on_leave", "late"}),
        )
    )
