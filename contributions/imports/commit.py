"""Saving a clean parse: every activity, contribution and field visit, or nothing.

The file's SHA-256 is recorded first (ImportBatch, unique per agency): the same file twice,
or a double submit, creates nothing new.
"""

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from .. import rollup
from ..models import Activity, Contribution, FieldVisit, ImportBatch, ReviewStatus
from .layout import ImportRefused
from .parse import ParsedRow, ParseResult, activity_key


@transaction.atomic
def commit(result: ParseResult, *, user) -> ImportBatch:
    """Save every row of a clean parse, or nothing; the monthly rollups of every
    (assignment, month) touched are refreshed in the same transaction."""
    if not result.ok:
        raise ImportRefused("Tệp còn lỗi hoặc đã được nhập trước đây: không lưu gì.")
    batch, created = ImportBatch.objects.get_or_create(
        agency=result.agency,
        sha256=result.sha256,
        defaults={
            "file_name": result.file_name[:255],
            "rows": len(result.rows) + len(result.visits),
            "imported_by": user,
        },
    )
    if not created:
        return batch
    keys = set()
    if result.rows:
        keys |= {rollup.key_of(a) for a in _save_activities(result.rows, batch, user)}
    if result.visits:
        visits = [parsed.visit for parsed in result.visits]
        bulk_create_with_history(visits, FieldVisit, batch_size=2000, default_user=user)
        keys |= {rollup.key_of(visit) for visit in visits}
    rollup.refresh(sorted(keys))
    return batch


def _save_activities(rows: list[ParsedRow], batch: ImportBatch, user) -> list[Activity]:
    activities = {}
    for row in rows:
        key = activity_key(row)
        activity = activities.get(key)
        if activity is None:
            activity = activities[key] = Activity(
                assignment=row.assignment,
                village=row.village,
                start_date=row.date,
                category=row.category,
                title=row.title,
                is_lasting=row.is_lasting,
                beneficiaries_count=row.beneficiaries,
                status=ReviewStatus.DRAFT,
                created_by=user,
                import_batch=batch,
            )
        else:
            activity.beneficiaries_count = max(activity.beneficiaries_count, row.beneficiaries)
            activity.is_lasting = activity.is_lasting or row.is_lasting
    saved = bulk_create_with_history(
        list(activities.values()), Activity, batch_size=2000, default_user=user
    )
    by_key = dict(zip(activities.keys(), saved, strict=True))
    contributions = [
        Contribution(
            activity=by_key[activity_key(row)],
            kind=row.kind,
            item=row.item,
            quantity=row.quantity,
            value=row.value,
            source=row.source,
            donor_name=row.donor_name,
        )
        for row in rows
    ]
    bulk_create_with_history(contributions, Contribution, batch_size=5000, default_user=user)
    return saved
