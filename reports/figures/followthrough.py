"""The follow-through sections: commune needs and the answers, annual plans against results,
and the household support still kept at the 6- and 12-month follow-ups."""

from django.db.models import Count

from communes.models import CommuneSuccession
from followup import plans
from followup.models import AnnualPlan, CommuneNeed, FollowUpCheck, HouseholdSupport, NeedResponse

from .scope import Scope


def needs_section(figures, scope: Scope, start, end):
    """Needs the communes raised in the period: per commune (grouped in SQL) and per agency
    (the communes it helps; the needs it answered). Delivered is what the communes confirmed
    of the linked activities done on or after each need was raised; those awaiting
    confirmation are apart (`pending`, `pending_value`); met is the commune's word alone
    (`CommuneNeedQuerySet.with_delivery`)."""
    communes = {a["commune_id"] for a in scope.rows.values()}
    successor = dict(
        CommuneSuccession.objects.filter(predecessor__in=communes).values_list(
            "predecessor", "successor"
        )
    )
    needs = CommuneNeed.objects.filter(
        commune__in=communes | set(successor.values()), raised_at__date__range=(start, end)
    )
    rows = {
        r["commune"]: {
            "commune": r["commune__name"], "raised": r["raised"], "met": r["met"],
            "partly": r["partly"], "open": r["raised"] - r["met"] - r["partly"],
            "cost": r["cost"] or 0, "delivered": r["delivered_total"] or 0,
            "pending": r["pending_total"] or 0, "pending_value": r["pending_value_total"] or 0,
        }
        for r in needs.by_commune()
    }  # fmt: skip
    figures.needs = sorted(rows.values(), key=lambda r: r["commune"])
    answered = dict(
        NeedResponse.objects.filter(need__in=needs)
        .values_list("agency__name")
        .annotate(n=Count("need", distinct=True))
        .order_by()
    )
    agencies = {}
    for a in scope.rows.values():
        helps = agencies.setdefault(a["agency"], set())
        helps.add(successor.get(a["commune_id"], a["commune_id"]))
    for name, helps in sorted(agencies.items()):
        raised = sum(rows[c]["raised"] for c in helps if c in rows)
        if raised:
            figures.needs_by_agency.append(
                {"agency": name, "raised": raised, "answered": answered.get(name, 0),
                 "unanswered": max(raised - answered.get(name, 0), 0),
                 "met": sum(rows[c]["met"] for c in helps if c in rows)}
            )  # fmt: skip


def plans_section(figures, scope: Scope, start, end):
    """Plan against result per agency, over the plans of the period's years."""
    rows = list(
        AnnualPlan.objects.filter(assignment_id__any=scope.ids, year__range=(start.year, end.year))
        .prefetch_related("items")
        .order_by("pk")
    )
    agencies = {}
    for result in plans.progress(rows).values():
        name = scope.rows[result.plan.assignment_id]["agency"]
        row = agencies.setdefault(
            name, {"agency": name, "plans": 0, "items": 0, "achieved": 0, "planned_activities": 0,
                   "done_activities": 0, "planned_value": 0, "done_value": 0},
        )  # fmt: skip
        row["plans"] += 1
        row["items"] += len(result.items)
        row["achieved"] += result.achieved
        for key in ("planned_activities", "done_activities", "planned_value", "done_value"):
            row[key] += getattr(result, key)
    figures.plans_by_agency = sorted(agencies.values(), key=lambda r: r["agency"])


def kept_section(figures, scope: Scope, end):
    """The share of household support still kept at the 6- and 12-month follow-ups recorded
    by the end of the period: per agency, per commune and per kind of support (SQL counts)."""
    checks = FollowUpCheck.objects.filter(
        support__activity__assignment_id__any=scope.ids, checked_on__lte=end
    )

    def rows(path: str, label=lambda value: value) -> list[dict]:
        out = {}
        for r in checks.kept_shares(path):
            row = out.setdefault(
                r[path], {"name": label(r[path]), "recorded_6": 0, "kept_6": 0,
                          "recorded_12": 0, "kept_12": 0}
            )  # fmt: skip
            row[f"recorded_{r['months']}"] += r["recorded"]
            row[f"kept_{r['months']}"] += r["kept"]
        return sorted(out.values(), key=lambda r: r["name"])

    figures.kept_by_agency = rows("support__activity__assignment__agency__name")
    figures.kept_by_commune = rows("support__activity__assignment__commune__name")
    kinds = dict(HouseholdSupport.Kind.choices)
    figures.kept_by_kind = rows("support__kind", lambda k: kinds.get(k, k))
    figures.kept_total = {
        key: sum(r[key] for r in figures.kept_by_kind)
        for key in ("recorded_6", "kept_6", "recorded_12", "kept_12")
    }
