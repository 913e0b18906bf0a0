from django.apps import AppConfig


class KartleggingConfig(AppConfig):
    name = "kartlegging"
