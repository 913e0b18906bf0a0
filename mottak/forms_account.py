"""The second-factor code field (enrolment and verification)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Centre, Region


class SecondFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("Six digits from the authenticator app, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=32,
        help_text=_("The six digits the app shows for EM-mottak now."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class RenewBackupCodesForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=32,
        help_text=_("The six digits the app shows for EM-mottak now."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ResidentLookupForm(forms.Form):
    """The admin's resident lookup: posted, exact, by number only (never by name)."""

    number = forms.CharField(label=_("DUF or registration number"), max_length=40)


class AccessChangeForm(forms.Form):
    """One change on a user's access page in the admin."""

    class Action:
        GRANT_CENTRE = "grant_centre"
        REVOKE_CENTRE = "revoke_centre"
        GRANT_REGION = "grant_region"
        REVOKE_REGION = "revoke_region"
        RESET_SECOND_FACTOR = "reset_second_factor"
        ALL = (GRANT_CENTRE, REVOKE_CENTRE, GRANT_REGION, REVOKE_REGION, RESET_SECOND_FACTOR)

    action = forms.ChoiceField(choices=[(a, a) for a in Action.ALL], widget=forms.HiddenInput)
    centre = forms.ModelChoiceField(
        label=_("Centre"), queryset=Centre.objects.all(), required=False
    )
    region = forms.ModelChoiceField(
        label=_("UDI regional office"), queryset=Region.objects.all(), required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action in {self.Action.GRANT_CENTRE, self.Action.REVOKE_CENTRE} and not data.get(
            "centre"
        ):
            self.add_error("centre", _("Choose a centre."))
        if action in {self.Action.GRANT_REGION, self.Action.REVOKE_REGION} and not data.get(
            "region"
        ):
            self.add_error("region", _("Choose a regional office."))
        if action == self.Action.RESET_SECOND_FACTOR and not data.get("reason"):
            self.add_error("reason", _("Say why the second factor is reset."))
        return data
