"""Every date and date-time a form takes lies within a range the records can hold.

Found in testing: a time in year 1 saved through the missing-report form and the form for
telling the representative of a leave made every list of the centre answer 500, and the record
404 (a datetime in year 1 overflows when converted between time zones). Every form field that
takes a date or a time is found here by itself and driven with year 1, year 9999 and malformed
dates; then the two reported pages are driven over HTTP.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import timedelta
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation

from cases.form_fields import PlausibleDateField, PlausibleDateTimeField
from cases.models import TimelineEvent
from mottak.models import Centre, ExternalRecipient, Resident, User
from permisjon import services as leave_services
from permisjon.forms import ContactPersonForm, LeaveApplicationForm
from permisjon.models import LeaveApplication
from permisjon.tests.conftest import contact as contact_person
from permisjon.tests.conftest import interview_held_for, leave_data, prepare
from savnet.models import MissingReport

# --- finding the forms ---------------------------------------------------------------------------

# What the forms that take constructor arguments are given (querysets are lazy: no query yet).
CONSTRUCTOR_ARGUMENTS = {
    "centres": lambda: Centre.objects.all(),
    "warnings": lambda: (),
    # The presence sheet's rows, the residents and staff a choice is made from.
    "rows": lambda: [],
    "residents": lambda: Resident.objects.none(),
    "staff": lambda: User.objects.none(),
    # KART-12: the recipients a mapping copy may go to after the leader's assessment.
    "recipients": lambda: ExternalRecipient.objects.none(),
    # A return conversation's form shows the mandatory topics of its kind (RET-1..RET-3).
    "kind": lambda: "after_udi",
}

# Fields Django offers for dates and times; each one a form declares must be a plausible one.
DATE_LIKE_FIELDS = (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField)


def _project_apps():
    root = Path(__file__).resolve().parent.parent
    return [app for app in apps.get_app_configs() if Path(app.path).resolve().parent == root]


def _import_form_modules() -> None:
    """Import every forms module (forms.py, forms_*.py, forms/ packages) and views module of the
    project's apps, so that every form class they declare exists."""
    for app in _project_apps():
        for module in pkgutil.iter_modules([app.path]):
            if module.name.startswith(("forms", "views")):
                importlib.import_module(f"{app.name}.{module.name}")


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def _project_form_classes() -> list[type[forms.BaseForm]]:
    _import_form_modules()
    app_names = {app.name for app in _project_apps()}
    found = {
        cls
        for cls in _all_subclasses(forms.BaseForm)
        if cls.__module__.split(".")[0] in app_names
        and ".tests" not in cls.__module__
        and ".admin" not in cls.__module__
        and not cls.__name__.startswith("Base")
    }
    return sorted(found, key=lambda cls: (cls.__module__, cls.__name__))


def make_form(form_class, data=None) -> forms.BaseForm:
    """The form, bound to data when given, with what its constructor requires."""
    kwargs = {}
    for name, parameter in inspect.signature(form_class.__init__).parameters.items():
        if parameter.kind is parameter.KEYWORD_ONLY and name in CONSTRUCTOR_ARGUMENTS:
            kwargs[name] = CONSTRUCTOR_ARGUMENTS[name]()
        elif parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty:
            pytest.fail(f"{form_class.__name__} needs {name!r}: add it to CONSTRUCTOR_ARGUMENTS")
    return form_class(data, **kwargs) if data is not None else form_class(**kwargs)


def _date_fields() -> list[tuple[type, str, forms.Field]]:
    """(form class, field name, field) for every date or date-time field of every form,
    including the fields a form adds in its constructor (from a model, for instance)."""
    found = []
    for form_class in _project_form_classes():
        for name, field in make_form(form_class).fields.items():
            if isinstance(field, DATE_LIKE_FIELDS):
                found.append((form_class, name, field))
    return found


DATE_FIELDS = _date_fields()
DATE_FIELD_PARAMS = [
    pytest.param(form_class, name, id=f"{form_class.__module__}.{form_class.__name__}.{name}")
    for form_class, name, _field in DATE_FIELDS
]


def _is_datetime(field) -> bool:
    return isinstance(field, (forms.DateTimeField, forms.SplitDateTimeField))


def _errors_on(form_class, name, value) -> list[str]:
    """Bind the value to the one field, validate and show the form again: the field's errors."""
    form = make_form(form_class, data={make_form(form_class).add_prefix(name): value})
    assert not form.is_valid()
    str(form)  # the form is shown again with the value: that must not fail either
    return form.errors.get(name, [])


def _range_message(field) -> str:
    earliest, latest = field.range()
    return field.error_messages["out_of_range"] % {
        "min": earliest.strftime(field.display_format),
        "max": latest.strftime(field.display_format),
    }


# --- every field, by itself ----------------------------------------------------------------------


def test_the_forms_with_dates_are_found():
    names = {(cls.__name__, name) for cls, name, _field in DATE_FIELDS}
    # The two reported cases, a date of birth from a model, and one from each app.
    assert {
        ("InvestigationForm", "noticed_at"),
        ("OpenReportForm", "reason_to_believe_at"),
        ("RepresentativeToldOrallyForm", "told_at"),
        ("ContactPersonForm", "date_of_birth"),
        ("ResidentRegisterForm", "date_of_birth"),
        ("ResidentRegisterForm", "arrived_at"),
        ("StayEndForm", "ended_at"),
        ("LeaveApplicationForm", "departure_at"),
        ("FollowUpForm", "held_at"),
        ("ConsentForm", "given_on"),
    } <= names
    assert len(DATE_FIELDS) >= 20


@pytest.mark.parametrize("form_class, name", DATE_FIELD_PARAMS)
def test_every_date_field_is_a_plausible_one(form_class, name):
    field = make_form(form_class).fields[name]
    expected = PlausibleDateTimeField if _is_datetime(field) else PlausibleDateField
    assert isinstance(field, expected), (
        f"{form_class.__name__}.{name} is a {type(field).__name__}: use {expected.__name__}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("form_class, name", DATE_FIELD_PARAMS)
def test_every_date_field_refuses_year_1_without_error(form_class, name):
    field = make_form(form_class).fields[name]
    value = "0001-01-01T00:00" if _is_datetime(field) else "0001-01-01"
    # The message names "now" to the minute: the one before or after, if the clock turned.
    before = _range_message(field)
    errors = _errors_on(form_class, name, value)
    assert errors in ([before], [_range_message(field)])


@pytest.mark.django_db
@pytest.mark.parametrize("form_class, name", DATE_FIELD_PARAMS)
def test_every_date_field_refuses_year_9999_without_error(form_class, name):
    field = make_form(form_class).fields[name]
    value = "9999-12-31T23:59" if _is_datetime(field) else "9999-12-31"
    assert _errors_on(form_class, name, value) == [_range_message(field)]


@pytest.mark.django_db
@pytest.mark.parametrize("form_class, name", DATE_FIELD_PARAMS)
def test_every_date_field_refuses_year_1_in_norwegian_notation_without_error(form_class, name):
    """As typed into a Norwegian page (the field's earliest date is named in the message)."""
    field = make_form(form_class).fields[name]
    value = "01.01.0001 00:00" if _is_datetime(field) else "01.01.0001"
    with translation.override("nb"):
        errors = _errors_on(form_class, name, value)
    earliest = field.range()[0].strftime("%d.%m.%Y")
    assert len(errors) == 1 and earliest in errors[0], errors


@pytest.mark.django_db
@pytest.mark.parametrize("malformed", ["31.02.2026", "abc", "2026-13-01"])
@pytest.mark.parametrize("form_class, name", DATE_FIELD_PARAMS)
def test_every_date_field_says_a_malformed_date_is_not_a_date(form_class, name, malformed):
    field = make_form(form_class).fields[name]
    value = f"{malformed} 10:00" if _is_datetime(field) and malformed != "abc" else malformed
    assert _errors_on(form_class, name, value) == [field.error_messages["invalid"]]
    assert field.error_messages["invalid"] in (
        "Enter a valid date.",
        "Enter a valid date/time.",
    )


# --- the range's edges and the rules the forms already had ---------------------------------------


def test_the_range_message_uses_norwegian_dates():
    field = PlausibleDateField()
    with pytest.raises(forms.ValidationError) as refused:
        field.clean("1999-12-31")
    (message,) = refused.value.messages
    assert message.startswith("Enter a date between 01.01.2000 and ")
    assert message.endswith(f"{(timezone.localdate().year + 5)}.")


def test_the_range_includes_its_edges():
    dates = PlausibleDateField()
    assert str(dates.clean("2000-01-01")) == "2000-01-01"
    latest = dates.range()[1]
    assert dates.clean(latest.isoformat()) == latest
    with pytest.raises(forms.ValidationError):
        dates.clean((latest + timedelta(days=1)).isoformat())
    times = PlausibleDateTimeField()
    assert times.clean("2000-01-01T00:00").year == 2000
    with pytest.raises(forms.ValidationError):
        times.clean("1999-12-31T23:59")


def test_an_empty_optional_time_is_still_accepted():
    assert PlausibleDateTimeField(required=False).clean("") is None


def test_a_planned_leave_may_lie_years_ahead():
    departure = (timezone.localtime() + timedelta(days=4 * 365)).strftime("%Y-%m-%dT%H:%M")
    back = (timezone.localtime() + timedelta(days=4 * 365 + 2)).strftime("%Y-%m-%dT%H:%M")
    form = LeaveApplicationForm(
        {
            "departure_at": departure,
            "return_at": back,
            "destination_address": "Storgata 1",
            "destination_municipality": "Oslo",
            "reason": "Besøk",
        }
    )
    assert form.is_valid(), form.errors


def test_a_birth_date_just_ahead_keeps_the_forms_own_message():
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    form = ContactPersonForm({"date_of_birth": tomorrow})
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == ["A date of birth cannot be in the future."]


@pytest.mark.django_db
def test_an_arrival_just_ahead_keeps_the_forms_own_message(centre):
    from mottak.forms import ResidentRegisterForm

    in_two_hours = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    form = make_form(ResidentRegisterForm, data={"arrived_at": in_two_hours})
    assert not form.is_valid()
    assert form.errors["arrived_at"] == ["The arrival cannot be in the future."]


# --- the two reported pages, over HTTP -----------------------------------------------------------

YEAR_1 = "0001-01-01T00:00"
YEAR_9999 = "9999-12-31T23:59"
OUT_OF_RANGE = "Enter a date and time between 01.01.2000 00:00 and"


def _lists_answer(client, resident) -> None:
    """The centre's lists, and the resident's record, still answer."""
    for url in (
        reverse("savnet:list"),
        reverse("savnet:overview"),
        reverse("mottak:resident_list"),
        reverse("mottak:resident_detail", args=[resident.pk]),
        reverse("permisjon:list"),
        reverse("home"),
    ):
        assert client.get(url).status_code == 200, url


def _missing_report_rows() -> tuple[int, int]:
    return MissingReport.objects.count(), TimelineEvent.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize("value", [YEAR_1, YEAR_9999])
@pytest.mark.parametrize("field", ["noticed_at", "last_seen_at"])
def test_investigation_page_refuses_a_time_out_of_range_and_saves_nothing(
    client, staff, resident, value, field
):
    client.force_login(staff)
    before = _missing_report_rows()
    data = {
        "resident": resident.pk,
        "action": "investigate",
        "inv-noticed_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "inv-source": MissingReport.Source.ABSENCE,
        "inv-circumstances": "Not at breakfast.",
        f"inv-{field}": value,
    }
    response = client.post(reverse("savnet:start"), data)
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()
    assert _missing_report_rows() == before
    _lists_answer(client, resident)


@pytest.mark.django_db
@pytest.mark.parametrize("value", [YEAR_1, YEAR_9999])
@pytest.mark.parametrize("field", ["reason_to_believe_at", "noticed_at", "last_seen_at"])
def test_missing_report_page_refuses_a_time_out_of_range_and_saves_nothing(
    client, staff, resident, value, field
):
    client.force_login(staff)
    now = timezone.localtime()
    before = _missing_report_rows()
    data = {
        "resident": resident.pk,
        "action": "open",
        "open-reason_to_believe_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "open-noticed_at": (now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "open-last_seen_at": (now - timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
        "open-circumstances": "Not at breakfast.",
        f"open-{field}": value,
    }
    response = client.post(reverse("savnet:start"), data)
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()
    assert _missing_report_rows() == before
    _lists_answer(client, resident)


@pytest.fixture
def granted_leave(resident, staff, leader, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    interview_held_for(resident)
    application = leave_services.leave_application_submit(
        resident=resident,
        data=leave_data(length_days=5),
        contact_persons=[contact_person()],
        by=staff,
    )
    application = prepare(application, staff)
    return leave_services.leave_application_grant(
        application=application, by=leader, reason="Trygt besøk"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("value", [YEAR_1, YEAR_9999])
def test_representative_told_page_refuses_a_time_out_of_range_and_saves_nothing(
    client, staff, resident, granted_leave, value
):
    """This page answers a refused form by showing the record again with the message."""
    client.force_login(staff)
    url = reverse("permisjon:representative_told", args=[granted_leave.pk])
    events = TimelineEvent.objects.count()
    response = client.post(url, {"told_at": value, "note": "Støtter permisjonen"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("permisjon:detail", args=[granted_leave.pk]), 302)]
    assert OUT_OF_RANGE in response.content.decode()
    granted_leave.refresh_from_db()
    assert granted_leave.representative_told_orally_at is None
    assert TimelineEvent.objects.count() == events
    assert LeaveApplication.objects.count() == 1
    assert client.get(reverse("permisjon:detail", args=[granted_leave.pk])).status_code == 200
    _lists_answer(client, resident)


@pytest.mark.django_db
def test_representative_told_page_still_saves_a_plausible_time(
    client, staff, resident, granted_leave
):
    client.force_login(staff)
    url = reverse("permisjon:representative_told", args=[granted_leave.pk])
    told = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"told_at": told, "note": "Støtter permisjonen"})
    assert response.status_code == 302
    granted_leave.refresh_from_db()
    assert granted_leave.representative_told_orally_at is not None
    _lists_answer(client, resident)
