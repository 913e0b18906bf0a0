"""Forms of the presence register: input validation only."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.templatetags.form_tags import norwegian_date

from .models import PresenceMark


def outing_hint(outing) -> list[str]:
    """ "Out, agreed back 01.12.2026 kl. 22.00" for an open outing; nothing otherwise."""
    if outing is None:
        return []
    return [gettext("Out, agreed back %(time)s") % {"time": norwegian_date(outing.return_by)}]


class PresenceSheetForm(forms.Form):
    """A radio group per resident (field "r<id>"), one submit; works without JavaScript."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        for row in rows:
            field = forms.ChoiceField(
                label=f"{row.resident.family_name}, {row.resident.given_names}",
                choices=PresenceMark.Status.choices,
                widget=forms.RadioSelect,
                initial=row.mark or None,
                help_text=" · ".join([*row.status_labels, *outing_hint(row.outing)]),
                error_messages={"required": _("Choose present, on leave, away or absent.")},
            )
            self.fields[f"r{row.resident.pk}"] = field

    def marks(self) -> dict[int, str]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}


class OutingForm(forms.Form):
    resident = forms.ModelChoiceField(
        label=_("Resident"),
        queryset=None,
        empty_label=_("Choose a resident"),
        error_messages={"required": _("Choose the resident who goes out.")},
    )
    return_time = forms.TimeField(
        label=_("Agreed back by (hh:mm)"),
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        help_text=_("The next time the clock shows this: 01:00 said in the evening is tonight."),
        error_messages={
            "required": _("Give the agreed time back."),
            "invalid": _("Write the time as hh:mm, for example 22:00."),
        },
    )

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents
        self.fields["resident"].label_from_instance = lambda r: f"{r.family_name}, {r.given_names}"
