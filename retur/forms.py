"""Input validation of the return routine's forms. Writes happen in retur.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.form_fields import PlausibleDateField, PlausibleDateTimeField

from . import rules
from .models import ContactLogEntry, ReturnCase, ReturnConversation, ReturnHandover

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def when_field(label) -> PlausibleDateTimeField:
    return PlausibleDateTimeField(
        label=label, input_formats=DATETIME_FORMATS, widget=DateTimeLocalInput()
    )


class ConversationForm(forms.Form):
    """RET-1..RET-3: one form per kind, its mandatory topics as checkboxes."""

    held_at = when_field(_("Held"))
    minor_questions = forms.CharField(
        label=_("The minor's questions"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    minor_reactions = forms.CharField(
        label=_("The minor's reactions"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    interpreter_mode = forms.ChoiceField(
        label=_("Interpreter"), choices=ReturnConversation.InterpreterMode.choices, required=False
    )
    interpreter_language = forms.CharField(
        label=_("Interpreter language"), max_length=80, required=False
    )
    representative_invited = forms.BooleanField(label=_("Representative invited"), required=False)
    representative_present = forms.BooleanField(label=_("Representative present"), required=False)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["topics"] = forms.MultipleChoiceField(
            label=_("Topics covered"),
            choices=[(t.code, t.text_nb) for t in rules.mandatory_topics(kind)],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text=_(
                "Every topic is mandatory: the conversation is recorded once all are covered."
            ),
        )
        self.order_fields(["held_at", "topics"])


class NotAttendedForm(forms.Form):
    kind = forms.ChoiceField(label=_("Conversation"), choices=ReturnConversation.Kind.choices)
    planned_at = when_field(_("It was planned for"))
    new_time = when_field(_("New time"))


class ContactForm(forms.Form):
    at = when_field(_("When"))
    party = forms.ChoiceField(label=_("With whom"), choices=ContactLogEntry.Party.choices)
    topic = forms.ChoiceField(
        label=_("What it was about"),
        choices=ContactLogEntry.Topic.choices,
        initial=ContactLogEntry.Topic.GENERAL,
    )
    summary = forms.CharField(
        label=_("What was said or agreed"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )


class PathForm(forms.Form):
    path = forms.ChoiceField(
        label=_("Return path"),
        choices=[c for c in ReturnCase.Path.choices if c[0] != ReturnCase.Path.UNDECIDED],
    )


class CarePremiseForm(forms.Form):
    care_premise = forms.CharField(
        label=_("Care premise of the final decision"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("For example: return to the parents in the home town."),
    )
    verification = forms.CharField(
        label=_("How it was verified"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class ReturnedForm(forms.Form):
    at = when_field(_("Returned"))


class NotFeasibleForm(forms.Form):
    note = forms.CharField(
        label=_("Why return is not feasible"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )


class AssignForm(forms.Form):
    caseworker = forms.ModelChoiceField(
        label=_("ASA caseworker"),
        queryset=None,
        required=False,
        empty_label=_("No one (take the case from its caseworker)"),
    )

    def __init__(self, *args, **kwargs):
        from mottak.models import Role, User

        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = User.objects.filter(
            role=Role.ASA_CASEWORKER, is_active=True
        ).order_by("last_name", "first_name")


class InformationForm(forms.Form):
    """RET-4: information about assisted return."""

    given_at = when_field(_("Given"))
    to_minor = forms.BooleanField(label=_("To the minor"), required=False)
    to_carers = forms.BooleanField(label=_("To the carers"), required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )


class HandoverForm(forms.Form):
    """RET-4: RMA hands a withdrawn or excluded assisted return over to ASA."""

    reason = forms.ChoiceField(label=_("Why"), choices=ReturnHandover.Reason.choices)
    information = forms.CharField(
        label=_("What ASA needs to know"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000
    )


class MeetingMinutesForm(forms.Form):
    """RET-6: the minutes of the quarterly meeting."""

    held_on = PlausibleDateField(
        label=_("Held on"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    participants = forms.MultipleChoiceField(
        label=_("Who took part"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.CharField(label=_("Topics"), widget=forms.Textarea(attrs={"rows": 3}))
    clarifications = forms.CharField(
        label=_("Clarifications"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        from .models import QuarterlyMeeting

        super().__init__(*args, **kwargs)
        self.fields["participants"].choices = QuarterlyMeeting.Party.choices


class TaskForm(forms.Form):
    """RET-5: a task with a due date, for the case's ASA caseworker."""

    title = forms.CharField(label=_("What is to be done"), max_length=200)
    due_on = PlausibleDateField(
        label=_("Due date"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
