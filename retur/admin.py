from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import UneReversalShare


@admin.register(UneReversalShare)
class UneReversalShareAdmin(SimpleHistoryAdmin):
    """RET-2: the share of cases UNE reverses, dated, with its source; conversations print the
    figure in force on their day."""

    list_display = ["share_percent", "period", "source", "valid_from"]
