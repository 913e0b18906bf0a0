"""Input validation for the case engine's forms; the rules live in the services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .consent_rules import GivenBy, RecipientKind, consentable_choices
from .form_fields import FUTURE_MARGIN, PlausibleDateField, PlausibleDateTimeField, now_plus
from .uploads import upload_check


class UploadField(forms.FileField):
    """A PDF, PNG or JPEG of at most 10 MB, judged by its content."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            upload_check(upload)
        return upload


class ConsentForm(forms.Form):
    given_by = forms.ChoiceField(label=_("Given by"), choices=GivenBy.choices)
    given_by_name = forms.CharField(label=_("Name of the person who signed"), max_length=120)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=consentable_choices)
    purpose_note = forms.CharField(label=_("Purpose, in words"), max_length=300, required=False)
    recipient_kinds = forms.MultipleChoiceField(
        label=_("Recipients it covers"),
        choices=RecipientKind.choices,
        widget=forms.CheckboxSelectMultiple,
        # Required by the service for every purpose that is a transfer (not for storage).
        required=False,
    )
    given_on = PlausibleDateField(
        label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    declaration = UploadField(
        label=_("Signed declaration (PDF, PNG or JPEG, at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )


class ConsentWithdrawForm(forms.Form):
    """No fields: the withdrawal takes effect when it is recorded."""


class ChecklistStepForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    attachment = UploadField(
        label=_("Attachment (PDF, PNG or JPEG, at most 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)


class ChecklistUndoForm(forms.Form):
    reason = forms.CharField(label=_("Why is the step being undone?"), max_length=300)
    next = forms.CharField(widget=forms.HiddenInput, required=False)


def errors_into(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form (field errors where it names fields)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.error_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class _LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class DispatchSentForm(forms.Form):
    """When the notice went out or was handed over (empty: now), and the recipient's reference."""

    sent_at = PlausibleDateTimeField(
        label=_("Sent or handed over"),
        widget=_LocalDateTimeInput,
        required=False,
        latest=now_plus(delta=FUTURE_MARGIN),
        help_text=_("Leave it empty when it went out just now."),
    )
    reference = forms.CharField(
        label=_("The recipient's reference, if they gave one (optional)"),
        max_length=100,
        required=False,
    )
