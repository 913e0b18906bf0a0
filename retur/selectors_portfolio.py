"""RET-4: RMA's portfolio — minors with a final rejection wherever they live, and the number
returned, split by path, month, region and nationality. Aggregates only (R-19): no name, no
number, no single child is identifiable from these rows on their own; a fixed number of
queries whatever the population."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases.db_routing import replica_reads
from cases.periods import OSLO
from mottak.models import FINAL_REJECTION_STAGES, Resident, Stay

from .models import AssistedReturnInformation, ReturnCase, ReturnHandover

RETURNED_PATHS = (
    ReturnCase.Path.ASSISTED,
    ReturnCase.Path.FORCED,
    ReturnCase.Path.ESCORTED,
    ReturnCase.Path.DUBLIN,
)


def final_rejection_stages() -> frozenset[str]:
    """Every stage that is a final rejection (without appeal, or from UNE)."""
    return frozenset(FINAL_REJECTION_STAGES)


@dataclass
class Portfolio:
    final_total: int = 0
    in_reception: int = 0
    outside_reception: dict[str, int] = field(default_factory=dict)  # stay end reason → count
    missing_after_final: int = 0
    information_gap: int = 0
    returned_by_month: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    returned_rows: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    handovers: dict[str, int] = field(default_factory=dict)

    @property
    def returned_total(self) -> int:
        return sum(row[-1] for row in self.returned_rows)


def _month(moment: datetime) -> str:
    return moment.astimezone(OSLO).strftime("%Y-%m")


@replica_reads()  # aggregates without personal data: a few seconds of lag do no harm
def portfolio(*, now: datetime | None = None, months: int = 12) -> Portfolio:
    now = now or timezone.now()
    result = Portfolio()
    final = Resident.objects.filter(asylum_stage__in=final_rejection_stages())
    open_stay = Stay.objects.filter(resident=OuterRef("pk"), ended_at__isnull=True)
    last_end = (
        Stay.objects.filter(resident=OuterRef("pk"))
        .order_by("-started_at")
        .values("end_reason")[:1]
    )
    informed = AssistedReturnInformation.objects.filter(case__resident=OuterRef("pk"))
    rows = final.annotate(
        in_reception=Exists(open_stay), last_end=Subquery(last_end), informed=Exists(informed)
    ).values_list("in_reception", "last_end", "informed")
    outside: dict[str, int] = defaultdict(int)
    for in_reception, last_end_reason, was_informed in rows:
        result.final_total += 1
        if in_reception:
            result.in_reception += 1
        else:
            outside[last_end_reason or "other"] += 1
            if last_end_reason == Stay.EndReason.MISSING:
                result.missing_after_final += 1
        if not was_informed:
            result.information_gap += 1
    labels = dict(Stay.EndReason.choices)
    result.outside_reception = {str(labels.get(k, k)): v for k, v in sorted(outside.items())}

    since = now - timedelta(days=31 * months)
    returned = (
        ReturnCase.objects.filter(state=ReturnCase.State.RETURNED, returned_at__gte=since)
        .annotate(month=TruncMonth("returned_at", tzinfo=OSLO))
        .values_list("month", "centre__region__name", "resident__nationality", "path")
        .annotate(count=Count("id"))
        .order_by("month", "centre__region__name", "resident__nationality", "path")
    )
    by_month: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(RETURNED_PATHS, 0))
    for month, region, nationality, path, count in returned:
        key = _month(month)
        result.returned_rows.append((key, region, nationality, path, count))
        by_month[key][path] = by_month[key].get(path, 0) + count
    result.returned_by_month = sorted(by_month.items())
    result.handovers = dict(
        ReturnHandover.objects.values_list("reason").annotate(n=Count("id")).order_by("reason")
    )
    return result
