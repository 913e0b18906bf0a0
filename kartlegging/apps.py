from django.apps import AppConfig


class KartleggingConfig(AppConfig):
    name = "kartlegging"

    def ready(self):
        from . import purposes

        purposes.register()  # the mapping transfers and their consent rows (KART-8..15)
