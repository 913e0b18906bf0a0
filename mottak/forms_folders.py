"""Forms of the personal and private folders: input validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.form_fields import FUTURE_MARGIN, PlausibleDateTimeField, now_plus

from .forms import DateTimeInput
from .models import DocumentCategory, StandardContent, User


class FolderItemForm(forms.Form):
    standard = forms.ModelChoiceField(
        label=_("Standard content"),
        queryset=StandardContent.objects.filter(active=True),
        required=False,
        empty_label=_("Not a standard content"),
    )
    category = forms.ChoiceField(
        label=_("Kind of paper"),
        choices=[("", _("Choose"))] + list(DocumentCategory.choices),
        required=False,
        help_text=_("Not needed for a standard content."),
    )
    description = forms.CharField(label=_("What it is"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("standard") and not data.get("category"):
            raise forms.ValidationError(_("Choose a standard content or the kind of paper."))
        return data


class PrivateFolderRequestForm(forms.Form):
    requested_at = PlausibleDateTimeField(
        label=_("When the resident asked"),
        widget=DateTimeInput,
        help_text=_("Date and time, for example 2025-03-01 14:30."),
        latest=now_plus(delta=FUTURE_MARGIN),
    )
    asked_by_resident = forms.BooleanField(
        label=_("The resident asked for a private folder themselves"),
        error_messages={
            "required": _("A private folder is opened only at the resident's request.")
        },
    )


class KeyWorkerForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Key worker"), queryset=User.objects.none(), empty_label=_("Choose")
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username
