"""Input validation only: the rules are checked by the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.form_fields import PlausibleDateTimeField

from .models import FollowUpConversation, MissingReport, PhoneCall

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def when_field(label, *, required: bool = True, help_text: str = "") -> PlausibleDateTimeField:
    return PlausibleDateTimeField(
        label=label,
        required=required,
        input_formats=DATETIME_FORMATS,
        widget=DateTimeLocalInput(),
        help_text=help_text,
    )


class SubmissionKeyMixin(forms.Form):
    """A key handed out with the form: the same form submitted twice is recorded once."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput)


class InvestigationForm(forms.Form):
    noticed_at = when_field(_("Absence noticed"))
    last_seen_at = when_field(_("Last seen"), required=False)
    source = forms.ChoiceField(
        label=_("How it started"),
        choices=MissingReport.Source.choices,
        initial=MissingReport.Source.ABSENCE,
    )
    circumstances = forms.CharField(
        label=_("Circumstances"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class OpenReportForm(forms.Form):
    """Reason to believe the resident has left: opens the report and starts the 24 hours."""

    reason_to_believe_at = when_field(
        _("Reason to believe the resident has left"),
        help_text=_(
            "The 24-hour limit runs from this moment, or from the end of the investigation "
            "window (4 hours after the absence was noticed) if that is earlier."
        ),
    )
    noticed_at = when_field(_("Absence noticed"))
    last_seen_at = when_field(_("Last seen"), required=False)
    circumstances = forms.CharField(
        label=_("Circumstances"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    description = forms.CharField(
        label=_("Appearance and clothing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    known_address = forms.CharField(label=_("Known address"), max_length=200, required=False)
    known_address_municipality = forms.CharField(
        label=_("Municipality of the known address"), max_length=80, required=False
    )
    late_reason = forms.CharField(
        label=_("Leader's reason for a later moment"),
        help_text=_(
            "Only when the reason to believe came after the investigation window ended; "
            "a leader gives the reason."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class PhoneCallForm(SubmissionKeyMixin):
    party = forms.ChoiceField(label=_("Called"), choices=PhoneCall.Party.choices)
    party_name = forms.CharField(
        label=_("Name of the person called"), max_length=120, required=False
    )
    phone_number = forms.CharField(label=_("Number called"), max_length=40, required=False)
    called_at = when_field(_("When"))
    reached = forms.TypedChoiceField(
        label=_("Reached"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    what_they_knew = forms.CharField(
        label=_("What they knew"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )


class SesamForm(forms.Form):
    registered_at = when_field(_("Registered in Sesam"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PoliceReportForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How the report is given"),
        choices=[
            ("by_hand", _("In person")),
            ("post", _("As agreed with the police: by post")),
            ("encrypted_email", _("As agreed with the police: encrypted e-mail")),
        ],
    )


class ChildWelfareReportForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How the report is sent"),
        choices=[
            ("post", _("By post")),
            ("by_hand", _("By hand")),
            ("encrypted_email", _("Encrypted e-mail")),
        ],
    )
    recipient_name = forms.CharField(
        label=_("Child-welfare service"),
        max_length=160,
        required=False,
        help_text=_("Only when the service is not in the directory of recipients."),
    )
    recipient_address = forms.CharField(
        label=_("Its postal address"), max_length=300, required=False
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class WhereaboutsForm(forms.Form):
    """R-17: it is known where the minor is, but they are not back."""

    at = when_field(_("Whereabouts known since"))
    whereabouts = forms.CharField(label=_("Where the minor is"), max_length=200)
    municipality = forms.CharField(label=_("Municipality"), max_length=80)
    police_advise_against_telling_representative = forms.CharField(
        label=_("The police advise against telling the representative where (why)"),
        help_text=_("Leave empty unless the police have advised against it."),
        max_length=300,
        required=False,
    )


class FoundForm(SubmissionKeyMixin):
    found_at = when_field(_("Found or returned"))
    found_how = forms.ChoiceField(label=_("How"), choices=MissingReport.FoundHow.choices)
    where_they_were = forms.CharField(
        label=_("Where they had been"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    transport_outside_office_hours = forms.BooleanField(
        label=_("Transport arranged outside UDI's office hours"), required=False
    )
    transport_requested_by = forms.ChoiceField(
        label=_("Transport requested by"),
        choices=[("", "—"), *MissingReport.TransportRequestedBy.choices],
        required=False,
    )
    refund_claimed = forms.BooleanField(label=_("Refund to be claimed"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("transport_outside_office_hours") and not data.get("transport_requested_by"):
            self.add_error(
                "transport_requested_by", _("Say whether the police or child welfare asked for it.")
            )
        return data


class InvestigationEndForm(forms.Form):
    note = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


FOLLOW_UP_FIELDS = [
    "why_left",
    "where_stayed",
    "what_did",
    "feels_safe",
    "threatened",
    "pressured",
    "interpreter_used",
    "interpreter_language",
    "trafficking_suspected",
    "domestic_violence_suspected",
    "serious_neglect_suspected",
    "neglect_grounds",
    "asylum_relevant_info",
]


class FollowUpForm(forms.Form):
    """The fields of the conversation, without binding a model: the service checks the rules."""

    held_at = when_field(_("Held"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(
            forms.fields_for_model(
                FollowUpConversation,
                fields=FOLLOW_UP_FIELDS,
                widgets={
                    name: forms.Textarea(attrs={"rows": 3})
                    for name in (
                        "why_left",
                        "where_stayed",
                        "what_did",
                        "neglect_grounds",
                        "asylum_relevant_info",
                    )
                },
            )
        )
