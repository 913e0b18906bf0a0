"""Demo data for `make run`: clearly fictional people in realistic Norwegian surroundings.

Deterministic (one seeded random generator, drawn in the same order on every run) and
idempotent: every row is looked up by its natural key first, so a second run creates
nothing. Residents go through the same services as the arrival form.

The routines' live cases (leaves, missing reports …) are seeded by the routine apps, which
register a seeder here from their AppConfig.ready() (mottak imports no routine app). Each
seeder casts residents of the demo centre into its scenes and goes through its own services.
"""

import dataclasses
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import Notification
from cases.services import deadlines_sweep

from .models import (
    FINAL_REJECTION_STAGES,
    Appointment,
    Arrival,
    AsylumStage,
    Centre,
    ExternalRecipient,
    Municipality,
    Region,
    Resident,
    Role,
    Stay,
    User,
)
from .services import (
    ResidentData,
    arrival_record_sesam,
    arrival_step_tick,
    arrival_steps_waive,
    representative_record,
    resident_asylum_stage_change,
    resident_register_with_arrival,
    residents_turning_18_open,
    sesam_notice_record,
    stay_close,
    stay_open,
)
from .services.memberships import centre_membership_grant, region_membership_grant
from .services.mfa import APP_DEVICE_NAME, mfa_backup_codes_issue

DEMO_PASSWORD = "mottak-demo-2025"
# The second factor of every demo user (published, like the password): an authenticator app
# set up with this key (base32 MVWS23LPOR2GC2ZNMRSW23ZNORXXI4BB), or one of these backup
# codes. Each backup code works once per user; the seed puts all of them back at every run.
DEMO_TOTP_KEY_HEX = "656d2d6d6f7474616b2d64656d6f2d746f747021"
DEMO_TOTP_SECRET = "MVWS23LPOR2GC2ZNMRSW23ZNORXXI4BB"
DEMO_BACKUP_CODES = [f"demo{n:04d}" for n in range(1, 11)]
SEED = 20250101
RESIDENT_COUNT = 60

Kind = Centre.Kind
Operator = Centre.Operator
RKind = ExternalRecipient.Kind

REGIONS = {
    "Region Øst": "Postboks 8108 Dep, 0032 Oslo",
    "Region Vest": "Postboks 7900, 5020 Bergen",
    "Region Midt-Norge": "Postboks 4400 Torgarden, 7418 Trondheim",
    "Region Nord": "Postboks 6100, 9291 Tromsø",
    "Region Sør": "Postboks 600, 4605 Kristiansand",
}

# Municipality → (postcode, county governor's area, police district).
MUNICIPALITIES = {
    "Råde": ("1640", "Østfold, Buskerud, Oslo og Akershus", "Øst politidistrikt"),
    "Moss": ("1530", "Østfold, Buskerud, Oslo og Akershus", "Øst politidistrikt"),
    "Lillestrøm": ("2000", "Østfold, Buskerud, Oslo og Akershus", "Øst politidistrikt"),
    "Fredrikstad": ("1606", "Østfold, Buskerud, Oslo og Akershus", "Øst politidistrikt"),
    "Bergen": ("5003", "Vestland", "Vest politidistrikt"),
    "Stord": ("5411", "Vestland", "Vest politidistrikt"),
    "Sunnfjord": ("6800", "Vestland", "Vest politidistrikt"),
    "Trondheim": ("7011", "Trøndelag", "Trøndelag politidistrikt"),
    "Steinkjer": ("7713", "Trøndelag", "Trøndelag politidistrikt"),
    "Molde": ("6413", "Møre og Romsdal", "Møre og Romsdal politidistrikt"),
    "Tromsø": ("9008", "Troms og Finnmark", "Troms politidistrikt"),
    "Narvik": ("8514", "Nordland", "Nordland politidistrikt"),
    "Kristiansand": ("4611", "Agder", "Agder politidistrikt"),
}


@dataclass(frozen=True)
class CentreSpec:
    name: str
    kind: str
    operator: str
    municipality: str
    region: str
    capacity: int
    street: str


CENTRES = [
    CentreSpec("Østby ankomstsenter", Kind.ARRIVAL_TRANSIT, Operator.PRIVATE, "Råde", "Region Øst", 120, "Ankomstveien 1"),
    CentreSpec("Løvstad transittmottak", Kind.TRANSIT, Operator.PRIVATE, "Moss", "Region Øst", 80, "Løvstadveien 12"),
    CentreSpec("Furulund mottak", Kind.ORDINARY_MINORS, Operator.MUNICIPAL, "Lillestrøm", "Region Øst", 30, "Furulundvegen 4"),
    CentreSpec("Bjørkely mottak", Kind.ORDINARY_ACCOMPANIED, Operator.PRIVATE, "Fredrikstad", "Region Øst", 60, "Bjørkelyveien 20"),
    CentreSpec("Havbris transittmottak", Kind.TRANSIT, Operator.MUNICIPAL, "Bergen", "Region Vest", 70, "Havbrisvegen 3"),
    CentreSpec("Solvik mottak", Kind.ORDINARY_MINORS, Operator.PRIVATE, "Stord", "Region Vest", 25, "Solvikvegen 8"),
    CentreSpec("Fjordly mottak", Kind.ORDINARY_ACCOMPANIED, Operator.MUNICIPAL, "Sunnfjord", "Region Vest", 50, "Fjordlyvegen 15"),
    CentreSpec("Elvetun transittmottak", Kind.TRANSIT, Operator.PRIVATE, "Trondheim", "Region Midt-Norge", 60, "Elvetunet 2"),
    CentreSpec("Granly mottak", Kind.ORDINARY_MINORS, Operator.MUNICIPAL, "Steinkjer", "Region Midt-Norge", 24, "Granlyvegen 6"),
    CentreSpec("Lysheim mottak", Kind.ORDINARY_ACCOMPANIED, Operator.PRIVATE, "Molde", "Region Midt-Norge", 40, "Lysheimvegen 9"),
    CentreSpec("Nordlys mottak", Kind.ORDINARY_MINORS, Operator.MUNICIPAL, "Tromsø", "Region Nord", 20, "Nordlysvegen 11"),
    CentreSpec("Polarstjerna mottak", Kind.ORDINARY_ACCOMPANIED, Operator.PRIVATE, "Narvik", "Region Nord", 35, "Polarvegen 5"),
    CentreSpec("Sørlys mottak", Kind.ORDINARY_MINORS, Operator.PRIVATE, "Kristiansand", "Region Sør", 22, "Sørlysveien 7"),
    CentreSpec("Vikane mottak", Kind.ORDINARY_ADULTS, Operator.MUNICIPAL, "Fredrikstad", "Region Øst", 90, "Vikaneveien 30"),
    CentreSpec("Heggli mottak", Kind.ORDINARY_ADULTS, Operator.PRIVATE, "Bergen", "Region Vest", 110, "Hegglivegen 14"),
]  # fmt: skip

ARRIVAL_CENTRE = "Østby ankomstsenter"
DEMO_CENTRE = "Furulund mottak"

# Residents per centre: many in the ordinary units, a few in transit, new arrivals in Råde.
CENTRE_WEIGHTS = {
    "Østby ankomstsenter": 5,
    "Løvstad transittmottak": 4,
    "Furulund mottak": 12,
    "Bjørkely mottak": 3,
    "Havbris transittmottak": 4,
    "Solvik mottak": 7,
    "Fjordly mottak": 2,
    "Elvetun transittmottak": 3,
    "Granly mottak": 6,
    "Lysheim mottak": 2,
    "Nordlys mottak": 5,
    "Polarstjerna mottak": 2,
    "Sørlys mottak": 5,
    "Vikane mottak": 2,
    "Heggli mottak": 2,
}

# Common given names by nationality; the family names are made up and obviously fictional.
GIVEN_NAMES = {
    "Afghanistan": {
        "male": ["Ahmad", "Mohammad", "Ali", "Hamid", "Farid", "Omid", "Reza", "Javid", "Mustafa"],
        "female": ["Zahra", "Mariam", "Fatima", "Shabnam", "Nilofar"],
        "languages": "dari, pashto",
        "interpreter": "dari",
    },
    "Eritrea": {
        "male": ["Yonas", "Filmon", "Tesfay", "Dawit", "Aman", "Samuel", "Henok"],
        "female": ["Semhar", "Helen", "Meron", "Senait", "Selam", "Luwam"],
        "languages": "tigrinja",
        "interpreter": "tigrinja",
    },
    "Syria": {
        "male": ["Omar", "Khaled", "Rami", "Sami", "Yousef", "Hasan"],
        "female": ["Lina", "Nour", "Yara", "Rania"],
        "languages": "arabisk, kurdisk",
        "interpreter": "arabisk",
    },
    "Somalia": {
        "male": ["Abdi", "Liban", "Mahad", "Abdirahman", "Farah", "Hassan"],
        "female": ["Hodan", "Ayaan", "Sahra", "Ifrah", "Amina"],
        "languages": "somali",
        "interpreter": "somali",
    },
}
NATIONALITY_WEIGHTS = {"Afghanistan": 5, "Eritrea": 3, "Syria": 2, "Somalia": 2}
FAMILY_NAMES = [
    "Demosen", "Eksempelsen", "Prøvestad", "Fiktivsen", "Øvingsdal", "Testberg", "Skisseby",
    "Utkastvik", "Modellrud", "Mønsterli", "Plassholder", "Lekestad", "Oppdiktersen",
]  # fmt: skip
REPRESENTATIVES = [
    "Randi Eksempeldal", "Per Prøvemo", "Ingrid Fiktivhaug", "Knut Demoli", "Solveig Testvold",
    "Arne Skissebø", "Berit Modellvik", "Tor Øvingsrud",
]  # fmt: skip
LAWYERS = [
    ("Advokat Hilde Fiktivsen", "Advokatfirmaet Demo & Co, Postboks 1, 0101 Oslo"),
    ("Advokat Jon Eksempelstad", "Eksempelstad Advokater, Postboks 2, 5804 Bergen"),
    ("Advokat Marit Prøvelund", "Prøvelund Advokatkontor, Postboks 3, 7400 Trondheim"),
]
SPECIAL_NEEDS = [
    "Trenger ekstra oppfølging på skolen.",
    "Ønsker kontakt med søsken som bor i Sverige.",
    "Trenger tolk i alle samtaler.",
    "Sover dårlig; bør ha fast kontaktperson om kvelden.",
]

STAGES_BY_KIND = {
    Kind.ARRIVAL_TRANSIT: [AsylumStage.REGISTERED],
    Kind.TRANSIT: [AsylumStage.REGISTERED, AsylumStage.AWAITING_INTERVIEW, AsylumStage.DUBLIN],
    Kind.ORDINARY_MINORS: [
        AsylumStage.AWAITING_INTERVIEW,
        AsylumStage.DECISION_PENDING,
        AsylumStage.APPEALED,
        AsylumStage.GRANTED_AWAITING_SETTLEMENT,
        AsylumStage.GRANTED_LIMITED,
        AsylumStage.REJECTED_UDI,
        AsylumStage.FINAL_REJECTION,
        AsylumStage.DUBLIN,
    ],
    Kind.ORDINARY_ACCOMPANIED: [
        AsylumStage.DECISION_PENDING,
        AsylumStage.GRANTED_AWAITING_SETTLEMENT,
        AsylumStage.FINAL_REJECTION_UNE,
    ],
    Kind.ORDINARY_ADULTS: [
        AsylumStage.AWAITING_INTERVIEW,
        AsylumStage.DECISION_PENDING,
        AsylumStage.REJECTED_UDI,
    ],
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    first_name: str
    last_name: str


DEMO_USERS = [
    DemoUser("ansatt", Role.CENTRE_STAFF, "Kari", "Ansattsen"),
    DemoUser("barnefaglig", Role.CHILD_WELFARE_LEAD, "Nina", "Barnefagsen"),
    DemoUser("leder", Role.CENTRE_LEADER, "Ole", "Ledersen"),
    DemoUser("region", Role.REGION_CASEWORKER, "Siri", "Regionsen"),
    DemoUser("asa", Role.ASA_CASEWORKER, "Jonas", "Asasen"),
    DemoUser("rma", Role.RMA, "Eva", "Rmasen"),
    DemoUser("admin", Role.ADMIN, "Ada", "Adminsen"),
]


@dataclass(frozen=True)
class AppointmentSpec:
    kind: str
    days_ahead: int
    hour: int


@dataclass(frozen=True)
class ResidentSpec:
    data: ResidentData
    centre: str
    days_here: int
    # Days spent at the arrival centre before moving on; 0 when the resident is still there.
    days_at_arrival_centre: int
    appointments: tuple[AppointmentSpec, ...] = ()


@dataclass
class SeedResult:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, was_created: bool) -> None:
        self.created[name] = self.created.get(name, 0) + int(was_created)

    def count(self, name: str, n: int) -> None:
        self.created[name] = self.created.get(name, 0) + n

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


@dataclass
class DemoContext:
    """What a routine app's seeder gets: the clock of this run, the demo users by username,
    the centres by name, the result to count into, and the demo centre's residents to cast."""

    now: datetime
    users: dict[str, User]
    centres: dict[str, Centre]
    result: SeedResult
    cast_list: list[Resident]
    taken: set[int] = field(default_factory=set)

    def cast(self, fits: Callable[[Resident], bool] = lambda resident: True) -> Resident:
        """The first resident of the demo centre not yet in a scene who fits; the same one on
        every run, as long as the seeders run in the same order and ask the same."""
        for resident in self.cast_list:
            if resident.pk not in self.taken and fits(resident):
                self.taken.add(resident.pk)
                return resident
        raise LookupError("The demo centre has no resident left for this scene.")


Seeder = Callable[[DemoContext], None]
_SEEDERS: dict[str, tuple[int, Seeder]] = {}


def register_seeder(order: int, name: str, seeder: Seeder) -> None:
    """A routine app's demo data, run after the residents in ascending `order`."""
    _SEEDERS[name] = (order, seeder)


def registered_seeders() -> list[tuple[str, Seeder]]:
    return [(name, fn) for name, (order, fn) in sorted(_SEEDERS.items(), key=lambda i: i[1][0])]


def fake_phone(n: int) -> str:
    """Phone numbers in a range no subscriber has."""
    return f"+47 000 {n // 100 % 100:02d} {n % 100:03d}"


def postal_address(street: str, municipality: str) -> str:
    return f"{street}, {MUNICIPALITIES[municipality][0]} {municipality}"


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def resident_specs(*, today: date) -> list[ResidentSpec]:
    """The demo residents: the same people (and DUF numbers) on every run."""
    rng = random.Random(SEED)
    centres = {c.name: c for c in CENTRES}
    specs, seen_duf = [], set()
    for i in range(RESIDENT_COUNT):
        nationality = _weighted(rng, NATIONALITY_WEIGHTS)
        names = GIVEN_NAMES[nationality]
        gender = "female" if rng.random() < 0.2 else "male"
        centre = centres[_weighted(rng, CENTRE_WEIGHTS)]
        stage = rng.choice(STAGES_BY_KIND[centre.kind])
        duf = f"{rng.choice([2023, 2024, 2025])}{rng.randrange(10**8):08d}"
        while duf in seen_duf:
            duf = f"{duf[:4]}{rng.randrange(10**8):08d}"
        seen_duf.add(duf)
        age = rng.randint(13, 17)
        dob = today - timedelta(days=age * 365 + rng.randint(10, 300))
        uncertain = rng.random() < 0.4
        presumed_adult = age == 17 and uncertain and rng.random() < 0.5
        # SAV-1: at an adult centre live those presumed to be adults whom DUF still registers
        # as minors.
        registered_as_minor_in_duf = centre.kind == Kind.ORDINARY_ADULTS
        if registered_as_minor_in_duf:
            presumed_adult = uncertain = True
        if centre.kind == Kind.ARRIVAL_TRANSIT:
            days_here, days_at_arrival = rng.randint(1, 6), 0
        elif centre.kind == Kind.TRANSIT:
            days_here, days_at_arrival = rng.randint(5, 60), rng.randint(3, 8)
        else:
            days_here, days_at_arrival = rng.randint(30, 400), rng.randint(3, 8)
        has_lawyer = stage not in {AsylumStage.REGISTERED, AsylumStage.DUBLIN}
        lawyer = rng.choice(LAWYERS)
        child_welfare = rng.random() < 0.15
        needs = rng.choice(SPECIAL_NEEDS) if rng.random() < 0.25 else ""
        representative = rng.choice(REPRESENTATIVES)
        appointments = []
        if stage == AsylumStage.REGISTERED:
            appointments.append(AppointmentSpec("arrival_interview", rng.randint(1, 5), 9))
        if stage == AsylumStage.AWAITING_INTERVIEW:
            appointments.append(AppointmentSpec("asylum_interview", rng.randint(7, 40), 10))
        if uncertain and stage in {AsylumStage.REGISTERED, AsylumStage.AWAITING_INTERVIEW}:
            appointments.append(AppointmentSpec("age_assessment", rng.randint(2, 20), 13))
        ordinary = centre.kind in {
            Kind.ORDINARY_MINORS,
            Kind.ORDINARY_ACCOMPANIED,
            Kind.ORDINARY_ADULTS,
        }
        data = ResidentData(
            given_names=rng.choice(names[gender]),
            family_name=rng.choice(FAMILY_NAMES),
            date_of_birth=dob,
            date_of_birth_uncertain=uncertain,
            presumed_adult=presumed_adult,
            registered_as_minor_in_duf=registered_as_minor_in_duf,
            gender=gender,
            nationality=nationality,
            duf_number=duf,
            languages=names["languages"],
            interpreter_language=names["interpreter"],
            asylum_stage=stage,
            representative_name=representative,
            representative_phone=fake_phone(100 + i),
            representative_address=postal_address(f"Postboks {10 + i}", centre.municipality),
            lawyer_name=lawyer[0] if has_lawyer else "",
            lawyer_phone=fake_phone(500 + LAWYERS.index(lawyer)) if has_lawyer else "",
            lawyer_address=lawyer[1] if has_lawyer else "",
            child_welfare_case=child_welfare,
            child_welfare_service=f"Barneverntjenesten i {centre.municipality}"
            if child_welfare
            else "",
            special_needs=needs,
            school=f"{centre.municipality} ungdomsskole, innføringsklassen" if ordinary else "",
        )
        specs.append(
            ResidentSpec(data, centre.name, days_here, days_at_arrival, tuple(appointments))
        )
    return specs


def recipient_specs() -> list[dict]:
    """The directory of outside instances, with municipality where the instance is local."""
    rows = []
    for municipality, (postcode, _county, police) in MUNICIPALITIES.items():
        town = f"{postcode} {municipality}"
        rows += [
            dict(kind=RKind.POLICE, name=f"{police}, {municipality} politistasjon", address=f"Postboks 50, {town}", municipality=municipality),
            dict(kind=RKind.CHILD_WELFARE, name=f"Barneverntjenesten i {municipality}", address=f"Postboks 60, {town}", municipality=municipality),
            dict(kind=RKind.CHILD_WELFARE_DUTY, name=f"Barnevernsvakten i {municipality}", address=f"Postboks 61, {town}", municipality=municipality),
            dict(kind=RKind.SCHOOL, name=f"{municipality} ungdomsskole, innføringsklassen", address=f"Skolevegen 1, {town}", municipality=municipality),
            dict(kind=RKind.HEALTH_OFFICE, name=f"Helsetjenesten for flyktninger, {municipality} kommune", address=f"Postboks 70, {town}", municipality=municipality),
        ]  # fmt: skip
    for county in sorted({c for _, c, _ in MUNICIPALITIES.values()}):
        rows.append(
            dict(
                kind=RKind.COUNTY_GOVERNOR,
                name=f"Statsforvalteren i {county}",
                address="Postboks 100",
                county=county,
            )
        )
    for region, address in REGIONS.items():
        short = region.removeprefix("Region ")
        rows.append(dict(kind=RKind.UDI_REGION, name=f"UDI {region}", address=address))
        rows.append(
            dict(
                kind=RKind.IMDI,
                name=f"IMDi {short}",
                address=address.replace("Postboks", "Postboks 1"),
            )
        )
    rows += [
        dict(kind=RKind.KOR, name="UDI Asylavdelingen – Koordineringsenheten (KOR)", address="Postboks 2098 Vika, 0125 Oslo"),
        dict(kind=RKind.BFE, name="UDI Asylavdelingen – Barnefaglig enhet (BFE)", address="Postboks 2098 Vika, 0125 Oslo"),
        dict(kind=RKind.PU, name="Politiets utlendingsenhet", address="Postboks 2097 Vika, 0125 Oslo"),
        dict(kind=RKind.IOM, name="IOM Oslo", address="Postboks 2099 Vika, 0125 Oslo"),
        dict(kind=RKind.UNE, name="Utlendingsnemnda (UNE)", address="Postboks 2108 Vika, 0125 Oslo"),
    ]  # fmt: skip
    for n, row in enumerate(rows):
        row["phone"] = fake_phone(700 + n)
    return rows


def _seed_places(result: SeedResult) -> dict[str, Centre]:
    regions = {}
    for n, (name, address) in enumerate(REGIONS.items()):
        regions[name], created = Region.objects.get_or_create(
            name=name, defaults={"address": address, "phone": fake_phone(10 + n)}
        )
        result.add("regions", created)
    centres = {}
    for n, spec in enumerate(CENTRES):
        centres[spec.name], created = Centre.objects.get_or_create(
            name=spec.name,
            defaults={
                "kind": spec.kind,
                "operator": spec.operator,
                "municipality": spec.municipality,
                "county": MUNICIPALITIES[spec.municipality][1],
                "region": regions[spec.region],
                "capacity": spec.capacity,
                "address": postal_address(spec.street, spec.municipality),
                "phone": fake_phone(30 + n),
                "duty_phone": fake_phone(60 + n),  # the 24-hour number on urgent forms
            },
        )
        result.add("centres", created)
    for row in recipient_specs():
        kind, name = row.pop("kind"), row.pop("name")
        _, created = ExternalRecipient.objects.get_or_create(kind=kind, name=name, defaults=row)
        result.add("external recipients", created)
    _seed_municipalities(result)
    return centres


def _seed_municipalities(result: SeedResult) -> None:
    """Every demo municipality with its county and the instances serving it (fictional
    addresses): police district, child welfare and its duty service, school, health office."""
    local = {
        (row["kind"], row["municipality"]): row["name"]
        for row in recipient_specs()
        if row.get("municipality")
    }
    entries = {(r.kind, r.name): r for r in ExternalRecipient.objects.all()}
    for municipality, (_postcode, county, _police) in MUNICIPALITIES.items():

        def entry(kind, municipality=municipality):
            return entries.get((kind, local.get((kind, municipality))))

        _, created = Municipality.objects.get_or_create(
            name=municipality,
            defaults={
                "county": county,
                "police_district": entry(RKind.POLICE),
                "child_welfare": entry(RKind.CHILD_WELFARE),
                "child_welfare_duty": entry(RKind.CHILD_WELFARE_DUTY),
                "school": entry(RKind.SCHOOL),
                "health_office": entry(RKind.HEALTH_OFFICE),
            },
        )
        result.add("municipalities", created)


def _seed_users(result: SeedResult, centres: dict[str, Centre]) -> dict[str, User]:
    demo_centre = centres[DEMO_CENTRE]
    users = {}
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        created = user is None
        if created:
            user = User(
                username=spec.username,
                role=spec.role,
                first_name=spec.first_name,
                last_name=spec.last_name,
                is_staff=spec.role == Role.ADMIN,
                is_superuser=spec.role == Role.ADMIN,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        result.add("users", created)
        _seed_second_factor(user)
        if spec.role in {Role.CENTRE_STAFF, Role.CHILD_WELFARE_LEAD, Role.CENTRE_LEADER}:
            centre_membership_grant(user=user, centre=demo_centre)
        elif spec.role == Role.REGION_CASEWORKER:
            region_membership_grant(user=user, region=demo_centre.region)
        users[spec.username] = user
    return users


def _seed_second_factor(user: User) -> None:
    """Demo users come enrolled: the published app key and the published backup codes."""
    TOTPDevice.objects.get_or_create(
        user=user,
        name=APP_DEVICE_NAME,
        defaults={"key": DEMO_TOTP_KEY_HEX, "confirmed": True},
    )
    mfa_backup_codes_issue(user, codes=DEMO_BACKUP_CODES)


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _seed_resident(spec: ResidentSpec, centres: dict[str, Centre], by: User, now: datetime) -> bool:
    if Resident.objects.filter(duf_number=spec.data.duf_number).exists():
        return False
    arrived = now - timedelta(days=spec.days_here + spec.days_at_arrival_centre, hours=3)
    first_centre = centres[ARRIVAL_CENTRE] if spec.days_at_arrival_centre else centres[spec.centre]
    path = STAGE_PATHS.get(spec.data.asylum_stage, (spec.data.asylum_stage,))
    resident = resident_register_with_arrival(
        data=dataclasses.replace(spec.data, asylum_stage=path[0]),
        centre=first_centre,
        arrived_at=arrived,
        by=by,
    )
    if spec.days_at_arrival_centre:
        moved = arrived + timedelta(days=spec.days_at_arrival_centre)
        stay = Stay.objects.get(resident=resident, ended_at__isnull=True)
        stay_close(stay=stay, ended_at=moved, reason=Stay.EndReason.MOVED, by=by)
        stay_open(resident=resident, centre=centres[spec.centre], arrived_at=moved, by=by)
    _seed_stage_history(resident, path, arrived_on=arrived.date(), today=now.date(), by=by)
    for appointment in spec.appointments:
        Appointment.objects.get_or_create(
            resident=resident,
            kind=appointment.kind,
            defaults={
                "starts_at": _at(
                    now.date() + timedelta(days=appointment.days_ahead), appointment.hour
                )
            },
        )
    return True


# The county governor appoints the representative about two weeks after the first arrival.
APPOINTED_AFTER_DAYS = 14


def _seed_representatives(result: SeedResult, by: User, now: datetime) -> None:
    """The representative's lifecycle for every demo resident: a temporary representative
    from the first arrival, appointed by the county governor of the arrival centre's county
    two weeks later (fictional people, as on the record)."""
    created = 0
    residents = (
        Resident.objects.exclude(representative_name="")
        .filter(representative_records__isnull=True)
        .prefetch_related("stays__centre")
    )
    for resident in residents:
        first = min(resident.stays.all(), key=lambda stay: stay.started_at)
        arrived_on = timezone.localtime(first.started_at).date()
        contact = {
            "name": resident.representative_name,
            "phone": resident.representative_phone,
            "address": resident.representative_address,
        }
        representative_record(
            resident=resident, status="temporary", effective_on=arrived_on, by=by, **contact
        )
        appointed_on = arrived_on + timedelta(days=APPOINTED_AFTER_DAYS)
        if appointed_on <= now.date():
            representative_record(
                resident=resident,
                status="appointed",
                effective_on=appointed_on,
                appointed_by=f"Statsforvalteren i {first.centre.county}",
                by=by,
                **contact,
            )
        created += 1
    result.count("representative histories", created)


# Arrivals older than this are records from before the system was taken into use.
ARRIVAL_HISTORY_DAYS = 3


def _seed_arrivals(result: SeedResult, by: User, now: datetime) -> None:
    """MOT-1: the arrival cases the registrations opened. Older ones are closed as recorded
    before the system was in use; the recent ones (at the arrival centre) show the routine
    under way: Sesam registered, the personal folder opened, clothes and bedding handed out,
    the notice to the county governor left to make."""
    cutoff = now - timedelta(days=ARRIVAL_HISTORY_DAYS)
    waived = 0
    for arrival in Arrival.objects.filter(state=Arrival.State.OPEN).select_related(
        "resident", "centre"
    ):
        if arrival.arrived_at < cutoff:
            arrival_steps_waive(
                arrival=arrival,
                reason="Registrert før systemet ble tatt i bruk (demodata)",
                by=by,
            )
            waived += 1
            continue
        if arrival.sesam_registered_at is None:
            arrival_record_sesam(
                arrival=arrival, registered_at=arrival.arrived_at + timedelta(hours=2), by=by
            )
            if arrival.centre.kind == Kind.ARRIVAL_TRANSIT:
                for code in ("personal_folder", "clothes_and_bedding"):
                    arrival_step_tick(arrival=arrival, step_code=code, by=by)
    result.count("arrivals closed as history", waived)


# The way each decided stage was reached (the demo's history of the asylum case).
_PENDING, _REJECTED = AsylumStage.DECISION_PENDING, AsylumStage.REJECTED_UDI
STAGE_PATHS = {
    AsylumStage.GRANTED_AWAITING_SETTLEMENT: (_PENDING, AsylumStage.GRANTED_AWAITING_SETTLEMENT),
    AsylumStage.GRANTED_LIMITED: (_PENDING, AsylumStage.GRANTED_LIMITED),
    AsylumStage.REJECTED_UDI: (_PENDING, _REJECTED),
    AsylumStage.APPEALED: (_PENDING, _REJECTED, AsylumStage.APPEALED),
    AsylumStage.FINAL_REJECTION: (_PENDING, _REJECTED, AsylumStage.FINAL_REJECTION),
    AsylumStage.FINAL_REJECTION_UNE: (
        _PENDING,
        _REJECTED,
        AsylumStage.APPEALED,
        AsylumStage.FINAL_REJECTION_UNE,
    ),
}
DECISIONS = {
    AsylumStage.GRANTED_AWAITING_SETTLEMENT,
    AsylumStage.GRANTED_LIMITED,
    _REJECTED,
    AsylumStage.FINAL_REJECTION_UNE,
}
STAGE_STEP_DAYS = 15


def _seed_stage_history(resident: Resident, path, *, arrived_on: date, today: date, by) -> None:
    """The stages after registration, each through the one stage writer, a fortnight apart
    (never before the arrival); a decision comes with its Sesam decision notice, a final
    rejection with the notice about the return conversation."""
    for n, stage in enumerate(path[1:], start=1):
        effective = max(arrived_on, today - timedelta(days=STAGE_STEP_DAYS * (len(path) - n)))
        decided = stage in DECISIONS
        resident_asylum_stage_change(
            resident=resident,
            to_stage=stage,
            effective_on=effective,
            decision_date=max(arrived_on, effective - timedelta(days=3)) if decided else None,
            by=by,
        )
        if decided:
            sesam_notice_record(resident=resident, kind="decision", received_on=effective, by=by)
        if stage in FINAL_REJECTION_STAGES:
            sesam_notice_record(
                resident=resident, kind="return_conversation", received_on=effective, by=by
            )


def _cast_list(specs: list[ResidentSpec]) -> list[Resident]:
    """The demo centre's residents in the order of the specs: the same on every run."""
    dufs = [s.data.duf_number for s in specs if s.centre == DEMO_CENTRE]
    by_duf = {r.duf_number: r for r in Resident.objects.filter(duf_number__in=dufs)}
    return [by_duf[duf] for duf in dufs if duf in by_duf]


def demo_seed() -> SeedResult:
    """Create whatever of the demo data is missing; all or nothing. Ends with the deadline
    sweep the beat runs every minute, so the alerts of the seeded cases exist at once.

    Written in Bokmål, as staff would: timeline entries and step notes keep the language
    they were written in."""
    with translation.override("nb"):
        return _demo_seed()


def _demo_seed() -> SeedResult:
    result = SeedResult()
    now = timezone.localtime()
    with transaction.atomic():
        centres = _seed_places(result)
        users = _seed_users(result, centres)
        specs = resident_specs(today=now.date())
        for spec in specs:
            result.add("residents", _seed_resident(spec, centres, users["admin"], now))
        _seed_representatives(result, users["admin"], now)
        _seed_arrivals(result, users["admin"], now)
        # what the daily check opens: the residents six weeks or less from 18.
        result.count("turning-18 tasks", residents_turning_18_open(today=now.date()))
        context = DemoContext(
            now=now, users=users, centres=centres, result=result, cast_list=_cast_list(specs)
        )
        notified = Notification.objects.count()
        for _name, seeder in registered_seeders():
            seeder(context)
        deadlines_sweep(now=timezone.now())
        # Urgent steps alert as they open; the sweep adds the overdue and the late.
        result.count("notifications", Notification.objects.count() - notified)
    return result


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, password, role label) for each demo user, to print for whoever runs the demo."""
    return [(u.username, DEMO_PASSWORD, str(Role(u.role).label)) for u in DEMO_USERS]
