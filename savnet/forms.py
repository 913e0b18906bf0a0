"""Input validation only: the rules are checked by the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.form_fields import PlausibleDateField, PlausibleDateTimeField

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


def _text(label, *, rows: int = 2, max_length: int = 2000, help_text: str = ""):
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=max_length,
        required=False,
        help_text=help_text,
    )


class SearchFactsForm(forms.Form):
    """SAV-3: what the police need of this disappearance; every field may wait."""

    last_seen_where = forms.CharField(label=_("Where last seen"), max_length=200, required=False)
    last_seen_by = forms.CharField(
        label=_("Last seen by"),
        max_length=200,
        required=False,
        help_text=_("Name or role, e.g. the staff member on duty."),
    )
    id_taken = forms.ChoiceField(
        label=_("Took an ID document"),
        choices=MissingReport.Taken.choices,
        initial=MissingReport.Taken.UNKNOWN,
        required=False,
    )
    money_taken = forms.ChoiceField(
        label=_("Took money or belongings"),
        choices=MissingReport.Taken.choices,
        initial=MissingReport.Taken.UNKNOWN,
        required=False,
    )
    network = _text(
        _("Known network"),
        help_text=_("Friends, relatives in Norway and abroad, earlier addresses."),
    )
    possible_destinations = _text(_("Possible destinations"))
    threats = _text(_("Threats or pressure known to the centre"))
    trafficking_indicators = _text(_("Signs of human trafficking"))


class OpenReportForm(SearchFactsForm):
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


class ContactMixin(forms.Form):
    """R-22: whom the recipient reaches at the centre, day and night."""

    contact_name = forms.CharField(
        label=_("Contact person at the centre"),
        max_length=120,
        required=False,
        help_text=_("Leave empty to give your own name."),
    )
    contact_phone = forms.CharField(
        label=_("Phone answered day and night"),
        max_length=40,
        required=False,
        help_text=_("Leave empty to give the centre's 24-hour phone."),
    )


class PoliceReportForm(ContactMixin):
    channel = forms.ChoiceField(
        label=_("How the report is given"),
        choices=[
            ("by_hand", _("In person at the police station")),
            (
                "phone",
                _(
                    "By phone, the written report following by post (only with a recorded "
                    "agreement with the police district)"
                ),
            ),
        ],
        initial="by_hand",
    )
    phoned_at = when_field(_("When the police were phoned"), required=False)
    phoned_to = forms.CharField(label=_("Police officer spoken to"), max_length=120, required=False)
    field_order = ["channel", "phoned_at", "phoned_to", "contact_name", "contact_phone"]

    def clean(self):
        data = super().clean()
        if data.get("channel") == "phone" and not data.get("phoned_at"):
            self.add_error("phoned_at", _("Give the time you phoned the police."))
        return data


class ChildWelfareReportForm(ContactMixin):
    phoned_at = when_field(
        _("When the child-welfare duty service was phoned"),
        help_text=_("Phone the duty service first; the written report follows the call."),
    )
    phoned_to = forms.CharField(
        label=_("Child-welfare worker spoken to"), max_length=120, required=False
    )
    channel = forms.ChoiceField(
        label=_("How the written report is sent"),
        choices=[("post", _("By post")), ("by_hand", _("By hand"))],
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
    field_order = [
        "phoned_at",
        "phoned_to",
        "channel",
        "recipient_name",
        "recipient_address",
        "contact_name",
        "contact_phone",
    ]


class ConcernObservationForm(forms.Form):
    """R-16: what staff saw at the return that gives reason to believe a new concern report is due."""

    observed_at = when_field(_("Observed"))
    grounds = forms.CharField(
        label=_("What staff observed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_(
            "Signs of serious neglect or of other circumstances that trigger the duty to report "
            "to child welfare, e.g. visible injuries."
        ),
    )


class SearchProfileForm(forms.Form):
    phone = forms.CharField(label=_("The minor's mobile number"), max_length=40, required=False)
    social_media = _text(
        _("Social-media accounts"),
        max_length=1000,
        help_text=_("Service and user name, one a line."),
    )
    height_cm = forms.IntegerField(
        label=_("Height (cm)"), min_value=50, max_value=250, required=False
    )
    build = forms.CharField(label=_("Build"), max_length=80, required=False)
    hair = forms.CharField(label=_("Hair"), max_length=80, required=False)
    distinguishing_marks = _text(_("Distinguishing marks"), max_length=1000)
    needs_medication = forms.BooleanField(
        label=_("Needs medication"),
        required=False,
        help_text=_("Only the fact: no diagnosis or medicine is recorded here."),
    )


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"), help_text=_("A recent photo of the face, PNG or JPEG, at most 10 MB.")
    )
    taken_on = PlausibleDateField(
        label=_("Taken on"),
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
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
    concern_grounds = forms.CharField(
        label=_("Concern observed at the return"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
        help_text=_(
            "Only when what staff saw gives reason to believe the minor is or has been exposed to "
            "serious neglect or other circumstances that trigger the duty to report: a new "
            "concern report to child welfare is then due at once."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("transport_outside_office_hours") and not data.get("transport_requested_by"):
            self.add_error(
                "transport_requested_by", _("Say whether the police or child welfare asked for it.")
            )
        return data


class PlacementForm(forms.Form):
    """SAV-9: what was agreed with the regional office about where the minor lives now."""

    placement = forms.ChoiceField(
        label=_("What was agreed"), choices=MissingReport.Placement.choices
    )
    clarified_with = forms.CharField(
        label=_("Clarified with (name at the regional office)"), max_length=120
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class EndStayForm(forms.Form):
    """R-20: the regional office ends the stay of a minor who is missing."""

    ended_at = when_field(_("The stay ends"))


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
