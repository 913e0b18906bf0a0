from django.apps import AppConfig


class PermisjonConfig(AppConfig):
    name = "permisjon"
