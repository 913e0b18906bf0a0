from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KartleggingConfig(AppConfig):
    name = "kartlegging"
    verbose_name = _("Individual mapping and action plan")

    def ready(self):
        from . import purposes

        purposes.register()  # the mapping transfers and their consent rows (KART-8..15)
        from . import references

        references.register()  # the legal references its transfers cite
        from . import handlers, routine  # noqa: F401 - routine: declares and registers it

        handlers.register()
        from . import retention

        retention.register()  # the mapping's retention on the shared machinery (KART-16)
        register_capabilities()
        from mottak import demo as mottak_demo

        from . import demo

        mottak_demo.register_seeder(30, "mapping", demo.seed)  # `make run`'s mappings


def register_capabilities() -> None:
    """Who may open the routine's pages (asked by views and the menu). The mapping is read at
    the centre only; its writers are decided per minor (KART-1, kartlegging/selectors.py)."""
    from mottak.access import capability_register, menu_register, works_at_a_centre

    capability_register("kartlegging.work", works_at_a_centre)
    capability_register(
        "kartlegging.see_overview",
        lambda user: user.is_admin_role or user.role in {"child_welfare_lead", "centre_leader"},
    )
    menu_register("kartlegging:overview", _("Mapping and plans"), "kartlegging.see_overview", 50)

    from mottak.resident_actions import ResidentAction, resident_action_register

    resident_action_register(
        ResidentAction(
            _("Individual mapping and action plan"),
            "kartlegging:resident",
            "kartlegging.work",
            order=30,
            needs_open_stay=False,
        )
    )
