"""Input validation only: the rules are checked by the services."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.form_fields import PlausibleDateField, PlausibleDateTimeField

from . import rules
from .messages import PROBLEM_MESSAGES
from .models import Area, Conversation, Entry, Measure, TransferTrack

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]
YES_NO = (("yes", _("Yes")), ("no", _("No")))


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AreaField(forms.ChoiceField):
    """The mapping's areas; asked for health details, it says why not (a flag only)."""

    def __init__(self, **kwargs):
        super().__init__(choices=Area.choices, **kwargs)

    def validate(self, value):
        if value == rules.HEALTH_AREA:
            raise ValidationError(PROBLEM_MESSAGES["health_details"], code="health_details")
        super().validate(value)


class ConfirmForm(forms.Form):
    """A button with nothing to fill in."""


class SubmissionKeyMixin(forms.Form):
    submission_key = forms.UUIDField(widget=forms.HiddenInput)


class KeyWorkerForm(forms.Form):
    key_worker = forms.ModelChoiceField(label=_("Key worker"), queryset=None)

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_worker"].queryset = (
            candidates if candidates is not None else get_user_model().objects.none()
        )
        self.fields["key_worker"].label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )


class ConversationForm(SubmissionKeyMixin):
    kind = forms.ChoiceField(label=_("Conversation"), choices=Conversation.Kind.choices)
    held_at = PlausibleDateTimeField(
        label=_("Held"), input_formats=DATETIME_FORMATS, widget=DateTimeLocalInput()
    )
    interpreter_used = forms.ChoiceField(
        label=_("Interpreter used"), choices=YES_NO, widget=forms.RadioSelect
    )
    interpreter_language = forms.CharField(
        label=_("Interpreter language"), max_length=80, required=False
    )
    interpreter_mode = forms.ChoiceField(
        label=_("Interpreter"),
        choices=[("", "—"), *Conversation.InterpreterMode.choices],
        required=False,
    )

    def clean_interpreter_used(self) -> bool:
        return self.cleaned_data["interpreter_used"] == "yes"


class WelcomeForm(ConversationForm):
    """The welcome conversation: its own form, for whoever receives the minor."""

    kind = forms.ChoiceField(
        choices=[(Conversation.Kind.WELCOME, Conversation.Kind.WELCOME.label)],
        widget=forms.HiddenInput,
    )


class EntryForm(SubmissionKeyMixin):
    area = AreaField(label=_("Area"))
    source = forms.ChoiceField(
        label=_("Whose words"), choices=Entry.Source.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("Entry"), widget=forms.Textarea(attrs={"rows": 4}))
    recorded_on = PlausibleDateField(label=_("Date"), widget=DateInput())
    conversation = forms.ModelChoiceField(
        label=_("From the conversation"), queryset=None, required=False
    )

    def __init__(self, *args, conversations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conversation"].queryset = (
            conversations if conversations is not None else Conversation.objects.none()
        )
        self.fields["conversation"].label_from_instance = lambda c: (
            f"{c.get_kind_display()} {c.held_at:%d.%m.%Y}"
        )


class HealthFlagForm(forms.Form):
    has_needs = forms.BooleanField(label=_("The minor has health needs"), required=False)


class ReadingForm(forms.Form):
    withhold = forms.BooleanField(
        label=_("The minor may not read the mapping (special reason)"), required=False
    )
    reason = forms.CharField(
        label=_("Special reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class MeasureForm(SubmissionKeyMixin):
    area = AreaField(label=_("Need (area of the mapping)"))
    need_entry = forms.ModelChoiceField(
        label=_("The entry describing the need"), queryset=None, required=False
    )
    goal = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 2}))
    actions = forms.CharField(label=_("What is done"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible = forms.CharField(label=_("Who is responsible"), max_length=160)

    def __init__(self, *args, entries=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need_entry"].queryset = (
            entries if entries is not None else Entry.objects.none()
        )
        self.fields["need_entry"].label_from_instance = lambda e: (
            f"{e.get_area_display()}, {e.recorded_on:%d.%m.%Y}"
        )


class MeasureUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Measure.Status.choices)
    actions = forms.CharField(label=_("What is done"), widget=forms.Textarea(attrs={"rows": 3}))


class MoveDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Measure.MoveDecision.choices, widget=forms.RadioSelect
    )
    minor_view = forms.CharField(
        label=_("The minor's view"), widget=forms.Textarea(attrs={"rows": 3})
    )


class SesamNoticeForm(forms.Form):
    track = forms.ChoiceField(
        label=_("The decision leads to"), choices=TransferTrack.choices, widget=forms.RadioSelect
    )
    received_at = PlausibleDateTimeField(
        label=_("Notice received in Sesam"),
        input_formats=DATETIME_FORMATS,
        widget=DateTimeLocalInput(),
        help_text=_("Settlement: the decision. Return: the notice of the return conversation."),
    )


class TransferForm(forms.Form):
    # KART-14: on paper, by post or by hand; never by e-mail.
    channel = forms.ChoiceField(
        label=_("How it is sent"),
        choices=(("post", _("By post")), ("by_hand", _("By hand"))),
        widget=forms.RadioSelect,
    )
    nothing_new = forms.BooleanField(
        label=_("Nothing new: send a confirmation instead of a new version"), required=False
    )
    consent_decision = forms.CharField(
        label=_("The centre leader's decision to send without the consent"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "Only for the mandatory copy in a return, when the consent is missing: the reasons."
        ),
    )


class CopyOfferForm(forms.Form):
    accepted = forms.ChoiceField(
        label=_("Did the minor take their own copies?"), choices=YES_NO, widget=forms.RadioSelect
    )

    def clean_accepted(self) -> bool:
        return self.cleaned_data["accepted"] == "yes"


class RecipientAssessmentForm(forms.Form):
    """KART-12: the centre leader's assessment of a recipient outside the list."""

    recipient = forms.ModelChoiceField(label=_("Recipient"), queryset=None)
    function = forms.CharField(label=_("The recipient's function for the minor"), max_length=200)
    reason = forms.CharField(
        label=_("Why the recipient needs the mapping"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    areas = forms.MultipleChoiceField(
        label=_("The areas the recipient needs"),
        choices=Area.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, recipients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = recipients


class OtherTransferForm(forms.Form):
    """KART-12, KART-14: the copy to an assessed recipient, on paper."""

    recipient = forms.ModelChoiceField(label=_("Recipient"), queryset=None)
    channel = forms.ChoiceField(
        label=_("How it is sent"),
        choices=(("post", _("By post")), ("by_hand", _("By hand"))),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, recipients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = recipients
