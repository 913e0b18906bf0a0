"""Input validation of the core records' forms. Writes happen in mottak.services."""

from django import forms
from django.forms.models import fields_for_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.form_fields import (
    FUTURE_MARGIN,
    PlausibleDateField,
    PlausibleDateTimeField,
    birth_date_field,
    now_plus,
    today_plus,
)

from . import rules
from .models import (
    Appointment,
    AsylumStage,
    Centre,
    RepresentativeStatus,
    Resident,
    SesamNotice,
    Stay,
)
from .services import ResidentData

RESIDENT_FIELDS = [
    "duf_number",
    "registration_number",
    "given_names",
    "family_name",
    "date_of_birth",
    "date_of_birth_uncertain",
    "presumed_adult",
    "registered_as_minor_in_duf",
    "gender",
    "nationality",
    "languages",
    "interpreter_language",
    "asylum_stage",
    "representative_name",
    "representative_phone",
    "representative_address",
    "lawyer_name",
    "lawyer_phone",
    "lawyer_address",
    "child_welfare_case",
    "child_welfare_service",
    "special_needs",
    "school",
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _arrival_field(**bounds) -> PlausibleDateTimeField:
    return PlausibleDateTimeField(
        label=_("Arrived at the centre"),
        widget=DateTimeInput,
        help_text=_("Date and time, for example 2025-03-01 14:30."),
        **bounds,
    )


class ResidentSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or DUF number"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    centre = forms.ModelChoiceField(
        label=_("Centre"), queryset=Centre.objects.none(), required=False, empty_label=_("All")
    )
    stage = forms.ChoiceField(
        label=_("Stage of the asylum case"),
        choices=[("", _("All")), *AsylumStage.choices],
        required=False,
    )

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres


PERSON_FIELDSETS = (
    (_("Identity"), ["duf_number", "registration_number"]),
    (
        _("Person"),
        [
            "given_names",
            "family_name",
            "date_of_birth",
            "date_of_birth_uncertain",
            "presumed_adult",
            "registered_as_minor_in_duf",
            "gender",
            "nationality",
            "languages",
            "interpreter_language",
        ],
    ),
    (_("Asylum case"), ["asylum_stage"]),
    (
        _("Representative and lawyer"),
        [
            "representative_name",
            "representative_phone",
            "representative_address",
            "lawyer_name",
            "lawyer_phone",
            "lawyer_address",
        ],
    ),
    (
        _("Care and school"),
        ["child_welfare_case", "child_welfare_service", "special_needs", "school"],
    ),
)


class ResidentFieldsForm(forms.Form):
    """The resident's own fields and their rules, shared by registration and correction."""

    duf_number = forms.CharField(
        label=_("DUF number"),
        required=False,
        max_length=30,
        help_text=_("12 digits; spaces are allowed when typing."),
    )
    registration_number = forms.CharField(
        label=_("registration number"),
        required=False,
        max_length=40,
        help_text=_("If the resident has no DUF number yet."),
    )
    extra_fieldsets: tuple = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_fields = fields_for_model(
            Resident,
            fields=RESIDENT_FIELDS,
            widgets={"date_of_birth": DateInput, "special_needs": forms.Textarea({"rows": 3})},
            field_classes={"date_of_birth": birth_date_field},
        )
        # Model fields in model order, with this form's own versions where it declares one.
        self.fields = {**model_fields, **self.fields}

    def clean_duf_number(self) -> str | None:
        raw = self.cleaned_data["duf_number"]
        if not raw.strip():
            return None
        duf = rules.normalise_duf_number(raw)
        if duf is None:
            raise forms.ValidationError(
                _("A DUF number has exactly 12 digits (spaces are allowed)."), code="duf"
            )
        return duf

    def clean_registration_number(self) -> str | None:
        return self.cleaned_data["registration_number"].strip() or None

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return born

    def clean(self):
        data = super().clean()
        if "duf_number" in data and "registration_number" in data:
            if not data["duf_number"] and not data["registration_number"]:
                self.add_error("duf_number", _("Give a DUF number or a registration number."))
        return data

    def fieldsets(self) -> list[tuple[str, list]]:
        """The fields in groups, each shown as a <fieldset> with a legend."""
        return [
            (legend, [self[name] for name in names])
            for legend, names in (*PERSON_FIELDSETS, *self.extra_fieldsets)
        ]

    def resident_data(self) -> ResidentData:
        return ResidentData(**{name: self.cleaned_data[name] for name in RESIDENT_FIELDS})

    def warnings(self, *, arrived_on) -> list[str]:
        """What looks wrong but may be true, as messages shown after saving."""
        codes = rules.date_of_birth_warnings(
            date_of_birth=self.cleaned_data["date_of_birth"],
            arrived_on=arrived_on,
            today=timezone.localdate(),
        )
        return [str(DATE_OF_BIRTH_WARNINGS[code]) for code in codes]


DATE_OF_BIRTH_WARNINGS = {
    "born_today": _("The date of birth is today. Check that it is right."),
    "adult_at_arrival": _(
        "By the date of birth the resident was 18 or older on arrival. Check the date of "
        "birth, or mark the resident as presumed adult."
    ),
}


class ResidentRegisterForm(ResidentFieldsForm):
    """A new resident and their arrival at a centre (MOT-1); saved by one service call."""

    centre = forms.ModelChoiceField(label=_("Centre"), queryset=Centre.objects.none())
    # The form refuses an arrival in the future: the range ends just after now.
    arrived_at = _arrival_field(latest=now_plus(delta=FUTURE_MARGIN))
    extra_fieldsets = ((_("Arrival"), ["centre", "arrived_at"]),)

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres

    def clean_arrived_at(self):
        arrived = self.cleaned_data["arrived_at"]
        if arrived > timezone.now():
            raise forms.ValidationError(_("The arrival cannot be in the future."))
        return arrived

    def clean(self):
        data = super().clean()
        born, arrived = data.get("date_of_birth"), data.get("arrived_at")
        if born and arrived and timezone.localtime(arrived).date() < born:
            self.add_error("arrived_at", _("The arrival cannot be before the date of birth."))
        return data


class ResidentEditForm(ResidentFieldsForm):
    """Correcting a resident's record: the registration's rules; the centre and stays are
    changed by arrivals and moves, not here."""

    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(
        self,
        *args,
        resident: Resident | None = None,
        version: str = "",
        first_arrival=None,
        **kwargs,
    ):
        if resident is not None:
            initial = {name: getattr(resident, name) for name in RESIDENT_FIELDS}
            kwargs["initial"] = {**initial, "version": version}
        super().__init__(*args, **kwargs)
        self.first_arrival = first_arrival

    def clean(self):
        data = super().clean()
        born = data.get("date_of_birth")
        if born and self.first_arrival and timezone.localtime(self.first_arrival).date() < born:
            self.add_error("date_of_birth", _("The arrival cannot be before the date of birth."))
        return data


class AppointmentForm(forms.Form):
    """An appointment with UDI's asylum department (ASA)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Appointment.Kind.choices)
    starts_at = PlausibleDateTimeField(
        label=_("Time"),
        widget=DateTimeInput,
        help_text=_("Date and time, for example 2025-03-01 14:30."),
        earliest=now_plus(years=-rules.APPOINTMENT_YEARS_BACK),
        latest=now_plus(years=rules.APPOINTMENT_YEARS_AHEAD),
    )


class StayArrivalForm(forms.Form):
    """A known resident arrives at a centre (opens a stay)."""

    centre = forms.ModelChoiceField(label=_("Centre"), queryset=Centre.objects.none())
    arrived_at = _arrival_field()

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres


class StayEndForm(forms.Form):
    ended_at = PlausibleDateTimeField(label=_("Left the centre"), widget=DateTimeInput)
    reason = forms.ChoiceField(label=_("Why the stay ended"), choices=Stay.EndReason.choices)


# --- the asylum case as a history, the representative ------------------------------------------


def _past_date(label, *, required: bool = True, help_text="") -> PlausibleDateField:
    """A date that has happened: the service refuses a future one with its own message."""
    return PlausibleDateField(
        label=label,
        widget=DateInput,
        required=required,
        help_text=help_text,
        latest=today_plus(years=1),
    )


class AsylumStageChangeForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("New stage"), choices=AsylumStage.choices)
    effective_on = _past_date(_("Took effect"))
    decision_date = _past_date(
        _("Date of the decision"),
        required=False,
        help_text=_("The date of UDI's or UNE's decision, when the change follows one."),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class SesamNoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Notice"), choices=SesamNotice.Kind.choices)
    received_on = _past_date(_("Received in Sesam"))
    decision_date = _past_date(_("Date of the decision"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class RepresentativeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (value, label)
            for value, label in RepresentativeStatus.choices
            if value != RepresentativeStatus.ENDED
        ],
    )
    name = forms.CharField(label=_("Representative's name"), max_length=120, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Postal address"), max_length=200, required=False)
    appointed_by = forms.CharField(
        label=_("Appointed by (county governor)"),
        max_length=160,
        required=False,
        help_text=_("For example: Statsforvalteren i Innlandet."),
    )
    effective_on = _past_date(_("From"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


# --- the arrival routine (MOT-1) ---------------------------------------------------------------


class ArrivalSesamForm(forms.Form):
    registered_at = PlausibleDateTimeField(
        label=_("Registered in Sesam"),
        widget=DateTimeInput,
        help_text=_("Date and time, for example 2025-03-01 14:30."),
    )


class ArrivalStepForm(forms.Form):
    step_code = forms.CharField(widget=forms.HiddenInput, max_length=40)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ArrivalNoticeForm(forms.Form):
    step_code = forms.CharField(widget=forms.HiddenInput, max_length=40)
    channel = forms.ChoiceField(
        label=_("How it is sent"),
        choices=[("post", _("By post")), ("by_hand", _("By hand"))],
        initial="post",
    )


# --- turning 18 (MOT-4) -----------------------------------------------------------------------


class ChildWelfareViewsForm(forms.Form):
    views = forms.CharField(
        label=_("Child welfare's views"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    given_at = PlausibleDateTimeField(
        label=_("Given"),
        widget=DateTimeInput,
        help_text=_("Date and time, for example 2025-03-01 14:30."),
    )


class MoveRequestForm(forms.Form):
    recommendation = forms.CharField(
        label=_("Recommended solution"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
        help_text=_("Optional: what the centre recommends for the move."),
    )
    channel = forms.ChoiceField(
        label=_("How it is sent"),
        choices=[("post", _("By post")), ("by_hand", _("By hand"))],
        initial="post",
    )


class DateOfBirthCorrectionForm(forms.Form):
    date_of_birth = birth_date_field(label=_("Corrected date of birth"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("For example: the age assessment's conclusion, with its date."),
    )
