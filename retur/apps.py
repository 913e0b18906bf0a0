from django.apps import AppConfig


class ReturConfig(AppConfig):
    name = "retur"
