"""Input validation of the moving, private-move and departure pages. Writes happen in
mottak.services (moves, private_moves, departures)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.form_fields import FUTURE_MARGIN, PlausibleDateField, PlausibleDateTimeField, now_plus

from .forms import DateInput, DateTimeInput
from .models import ConditionStatus, Departure, Move, MoveHandoverItem, PrivateMove


def _when(label, *, required: bool = False) -> PlausibleDateTimeField:
    return PlausibleDateTimeField(
        label=label,
        required=required,
        widget=DateTimeInput,
        latest=now_plus(delta=FUTURE_MARGIN),
        help_text=_("Leave empty for now."),
    )


def _text(label, *, required: bool = True, rows: int = 3, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=4000,
        widget=forms.Textarea({"rows": rows}),
        help_text=help_text,
    )


# --- MOT-3 ------------------------------------------------------------------------------------


class MoveRequestForm(forms.Form):
    reasons = _text(
        Move._meta.get_field("reasons").verbose_name,
        rows=5,
        help_text=Move._meta.get_field("reasons").help_text,
    )
    special_needs_note = _text(
        Move._meta.get_field("special_needs_note").verbose_name,
        required=False,
        help_text=Move._meta.get_field("special_needs_note").help_text,
    )
    proposed_centre = forms.ModelChoiceField(
        label=_("Proposed centre"), queryset=None, required=False
    )

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposed_centre"].queryset = centres


class ChildWelfareViewsForm(forms.Form):
    views = _text(_("Child welfare's views"))
    received_at = _when(_("Received"))
    placement = forms.BooleanField(
        label=_("Child welfare decides a placement"),
        required=False,
        help_text=_("Then the move is child welfare's decision."),
    )


class MoveApproveForm(forms.Form):
    target_centre = forms.ModelChoiceField(label=_("New centre"), queryset=None)
    move_date = PlausibleDateField(label=_("Moving date"), widget=DateInput)

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_centre"].queryset = centres


class MoveRefuseForm(forms.Form):
    reason = _text(_("Reason for the refusal"))


class MoveWithdrawForm(forms.Form):
    withdraw_reason = _text(_("Reason for withdrawing"), rows=2)


class RepresentativeToldForm(forms.Form):
    how = forms.ChoiceField(label=_("How"), choices=Move.ToldHow.choices)
    told_at = _when(_("When"))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class WhenForm(forms.Form):
    at = _when(_("When"))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class NoticeForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Sent by"),
        choices=[
            ("post", _("Post")),
            ("by_hand", _("By hand")),
            ("encrypted_email", _("Encrypted e-mail")),
        ],
    )


class HandoverMarkForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=MoveHandoverItem.Decision.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        help_text=_("Required when the item is closed: why."),
    )


class ArrivalForm(forms.Form):
    arrived_at = _when(_("Arrived"))


# --- MOT-5 ------------------------------------------------------------------------------------


def _condition_field(name: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=PrivateMove._meta.get_field(name).verbose_name,
        choices=ConditionStatus.choices,
        initial=ConditionStatus.UNKNOWN,
    )


class PrivateMoveForm(forms.Form):
    address = forms.CharField(label=_("Address"), max_length=200)
    municipality = forms.CharField(label=_("Municipality"), max_length=80)
    relation = forms.CharField(label=_("Relation to the people there"), max_length=200)
    carers = _text(
        PrivateMove._meta.get_field("carers").verbose_name,
        required=False,
        help_text=PrivateMove._meta.get_field("carers").help_text,
    )
    care_needs = _text(PrivateMove._meta.get_field("care_needs").verbose_name, required=False)
    condition_transit = _condition_field("condition_transit")
    condition_family = _condition_field("condition_family")
    condition_child_welfare = _condition_field("condition_child_welfare")
    condition_agreement = _condition_field("condition_agreement")
    condition_parent = _condition_field("condition_parent")

    def service_data(self) -> dict:
        return self.service_data_of(self.cleaned_data)

    @staticmethod
    def service_data_of(cleaned_data: dict) -> dict:
        data = dict(cleaned_data)
        data["conditions"] = {name: data.pop(name) for name in PrivateMove.CONDITION_FIELDS}
        return data


class EncouragedForm(forms.Form):
    encouraged_at = _when(_("When"), required=True)
    encouraged_by = forms.CharField(label=_("By whom"), max_length=120)
    interpreter = forms.CharField(
        label=_("Interpreter (language)"),
        max_length=80,
        required=False,
        help_text=_("Leave empty when no interpreter was used."),
    )


class MovedForm(forms.Form):
    moved_at = _when(_("Moved out"))


# --- MOT-6 ------------------------------------------------------------------------------------


class DepartureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of departure"), choices=Departure.Kind.choices)
    planned_at = PlausibleDateTimeField(
        label=_("Planned departure"), required=False, widget=DateTimeInput
    )


class InstructionsForm(forms.Form):
    instructions = _text(_("Instructions from PU or IOM"))
    received_at = _when(_("Received"))


class FollowUpForm(forms.Form):
    needs = _text(_("Special follow-up needs"))
    told_at = _when(_("Told"))


class ArrangementsForm(forms.Form):
    arrangements = _text(
        Departure._meta.get_field("arrangements").verbose_name,
        help_text=Departure._meta.get_field("arrangements").help_text,
    )


class MappingOfferForm(forms.Form):
    answer = forms.ChoiceField(label=_("The minor's answer"), choices=Departure.Answer.choices)
    at = _when(_("Offered"))


class DepartedForm(forms.Form):
    departed_at = _when(_("Departed"))
