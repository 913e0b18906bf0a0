from django.apps import AppConfig


class SavnetConfig(AppConfig):
    name = "savnet"
