"""Input validation of the leave routine. Rules and writes live in rules.py and services.py."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.form_fields import PlausibleDateTimeField, birth_date_field

from . import rules
from .models import FollowUpCall, LeaveApplication

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]

MESSAGES = rules.INPUT_MESSAGES


def _datetime_field(label):
    return PlausibleDateTimeField(
        label=label, widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )


class LeaveApplicationForm(forms.Form):
    departure_at = _datetime_field(_("Departure"))
    return_at = _datetime_field(_("Agreed return"))
    destination_address = forms.CharField(label=_("Address during the leave"), max_length=200)
    destination_municipality = forms.CharField(label=_("Municipality"), max_length=80)
    abroad = forms.BooleanField(
        label=_("The leave includes travel out of Norway"),
        required=False,
        help_text=_("Leave to travel out of Norway is never granted."),
    )
    reason = forms.CharField(label=_("Reason for the application"), widget=forms.Textarea)
    minor_statement = forms.CharField(
        label=_("The minor's own statement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("In the minor's own words; printed on the application over their signature."),
    )
    filled_in_by_staff = forms.BooleanField(
        label=_("Filled in by staff for the minor"), required=False
    )

    def clean(self):
        data = super().clean()
        departure, back = data.get("departure_at"), data.get("return_at")
        if departure and departure < timezone.now():
            self.add_error("departure_at", MESSAGES["departure_in_past"])
        if departure and back and back <= departure:
            self.add_error("return_at", MESSAGES["return_before_departure"])
        if data.get("abroad"):
            self.add_error("abroad", MESSAGES["abroad"])
        return data


class ContactPersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    address = forms.CharField(label=_("Address"), max_length=200)
    date_of_birth = birth_date_field(
        label=_("Date of birth"), widget=DATE_INPUT, input_formats=DATE_FORMATS
    )
    relation = forms.CharField(label=_("Relation to the minor"), max_length=120)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    designated = forms.BooleanField(
        label=_("Designated contact person"),
        required=False,
        help_text=_("Exactly one: responsible during the leave, must have turned 25."),
    )

    def clean(self):
        data = super().clean()
        born = data.get("date_of_birth")
        today = timezone.localdate()
        if born and born > today:
            self.add_error("date_of_birth", MESSAGES["contact_birth_in_future"])
        elif born and data.get("designated") and rules.contact_person_is_child(born, today):
            self.add_error("date_of_birth", MESSAGES["contact_person_child"])
        if data.get("designated") and not (data.get("phone") or "").strip():
            self.add_error("phone", _("Give the designated contact person's phone."))
        return data


class BaseContactPersonFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        filled = [
            f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE", False)
        ]
        if not filled and not any(f.errors for f in self.forms):
            raise ValidationError(MESSAGES["no_contact_person"])


ContactPersonFormSet = forms.formset_factory(
    ContactPersonForm,
    formset=BaseContactPersonFormSet,
    extra=2,
    max_num=5,
    validate_max=True,
)


class PUViewForm(forms.Form):
    pu_view = forms.ChoiceField(
        label=_("PU's view"),
        choices=[
            c for c in LeaveApplication.PUView.choices if c[0] != LeaveApplication.PUView.NONE
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("PU's view in detail"), widget=forms.Textarea, required=False)


class PreparationStepForm(forms.Form):
    step = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Documentation"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    attachment = forms.FileField(label=_("Attachment"), required=False)
    # The structured answers (PERM-4 d–f, the safety conclusion); each step uses its own.
    answer = forms.CharField(required=False)
    meeting = forms.CharField(required=False)
    reason = forms.CharField(required=False)
    document_type = forms.CharField(required=False, max_length=60)
    document_number = forms.CharField(required=False, max_length=60)
    ref_name = forms.CharField(required=False, max_length=160)
    ref_role = forms.CharField(required=False, max_length=120)
    ref_contact = forms.CharField(required=False, max_length=120)
    ref_statement = forms.CharField(required=False)
    ref_suitable = forms.CharField(required=False)
    channel = forms.CharField(required=False, max_length=20)

    @staticmethod
    def answers_of(data: dict) -> dict:
        """The step's structured answer from the cleaned data (the service checks it)."""
        return {
            "answer": data.get("answer", ""),
            "meeting": data.get("meeting", ""),
            "reason": data.get("reason", ""),
            "document_type": data.get("document_type", ""),
            "document_number": data.get("document_number", ""),
            "channel": data.get("channel", ""),
            "reference": {
                "name": data.get("ref_name", ""),
                "role": data.get("ref_role", ""),
                "contact": data.get("ref_contact", ""),
                "statement": data.get("ref_statement", ""),
                "suitable": data.get("ref_suitable", ""),
            },
        }


class RecommendRefusalForm(forms.Form):
    note = forms.CharField(label=_("Why the centre recommends refusal"), widget=forms.Textarea)


class DecisionForm(forms.Form):
    GRANT = "grant"
    REFUSE = "refuse"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(GRANT, _("Grant")), (REFUSE, _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required for a grant and for a refusal."),
    )
    agreement_note = forms.CharField(
        label=_("Special terms of the agreement"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Printed on the written agreement when the leave is granted."),
    )

    def __init__(self, *args, warnings=(), **kwargs):
        super().__init__(*args, **kwargs)
        # One reason field per "normally not" warning the decider may set aside.
        self.warning_codes = [w.code for w in warnings]
        for warning in warnings:
            self.fields[f"override_{warning.code}"] = forms.CharField(
                label=warning.message,
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                help_text=_("Granting anyway needs a reason for the exception."),
            )

    def clean(self):
        data = super().clean()
        if not (data.get("reason") or "").strip():
            if data.get("decision") == self.REFUSE:
                self.add_error("reason", _("Give the reason for the refusal."))
            elif data.get("decision") == self.GRANT:
                self.add_error("reason", _("Give the reason for the grant."))
        return data

    @property
    def overrides(self) -> dict[str, str]:
        return {
            code: self.cleaned_data.get(f"override_{code}", "").strip()
            for code in self.warning_codes
            if self.cleaned_data.get(f"override_{code}", "").strip()
        }


class RepresentativeToldOrallyForm(forms.Form):
    told_at = _datetime_field(_("When"))
    note = forms.CharField(label=_("What the representative said"), max_length=300, required=False)


class FollowUpCallForm(forms.Form):
    called_at = _datetime_field(_("Time of the call"))
    spoke_with = forms.CharField(label=_("Spoke with"), max_length=160)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=FollowUpCall.Outcome.choices)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class MarkDepartedForm(forms.Form):
    at = _datetime_field(_("Left the centre at"))


class MarkReturnedForm(forms.Form):
    at = _datetime_field(_("Back at the centre at"))
    broken_agreement = forms.BooleanField(
        label=_("The agreement was broken"),
        required=False,
        help_text=_("Also when back on time: stayed elsewhere, the contact person was away …"),
    )
    note = forms.CharField(
        label=_("How the agreement was broken"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required when the agreement was broken."),
    )


class MissingReportForm(forms.Form):
    circumstances = forms.CharField(
        label=_("What is known about the disappearance"), widget=forms.Textarea
    )
    reason_to_believe_at = PlausibleDateTimeField(
        label=_("Reason to believe the minor has left since"),
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        required=False,
        help_text=_("Leave empty for now."),
    )
    police_municipality = forms.CharField(
        label=_("Police district (municipality)"),
        max_length=80,
        required=False,
        help_text=_("The nearest police: by default the leave address's municipality."),
    )


WRITTEN_CHANNELS = [
    ("encrypted_email", _("Encrypted e-mail")),
    ("post", _("Post")),
    ("by_hand", _("By hand")),
]


class ForwardForm(forms.Form):
    channel = forms.ChoiceField(label=_("Sent by"), choices=WRITTEN_CHANNELS)


class NotifyRepresentativeForm(forms.Form):
    name = forms.CharField(label=_("Representative"), max_length=120)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    channel = forms.ChoiceField(label=_("Sent by"), choices=WRITTEN_CHANNELS)


class SignedAgreementForm(forms.Form):
    attachment = forms.FileField(label=_("The signed agreement (PDF, PNG or JPEG)"))


class WaiveBeforeDepartureForm(forms.Form):
    step = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why the minor may leave without it"), widget=forms.Textarea(attrs={"rows": 2})
    )


class IssueAgreementForm(forms.Form):
    pass


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why the application is withdrawn"), widget=forms.Textarea)
