"""Merging agencies (the 2025 department mergers joined several sở into one): the merged
agency inherits the others' assignments, records, people and accounts; the others stay, not
active, with their history, so reports of earlier periods keep the names they had.

Everything that names an agency is repointed generically (`Agency._meta.related_objects`),
so a model added later follows without a change here. Two cases need care:
- both agencies helped the same commune (or village) under the same decision: the merged
  agency's assignment takes the other's records (activities, field visits, plans…) and the
  monthly rollups of both are recomputed; the emptied assignment is removed;
- a person held the same role in both: the duplicate role is dropped.
It sits on the contributions rung because the rollups live here.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from assignments.history import MERGE_MARK
from assignments.models import Agency, Assignment, Role

from . import rollup


@dataclass
class MergePlan:
    """What a merge will move, shown before anything is done."""

    target: Agency
    sources: list[Agency]
    moved: Counter = field(default_factory=Counter)  # label → rows repointed
    joined: int = 0  # assignments whose records join the target's own for the same commune
    problems: list[str] = field(default_factory=list)

    @property
    def moved_rows(self) -> list[tuple[str, int]]:
        return sorted(self.moved.items())


def _twin(assignment: Assignment, target: Agency):
    return Assignment.objects.filter(
        decision_id=assignment.decision_id, agency=target, commune_id=assignment.commune_id,
        village_id=assignment.village_id,
    ).first()  # fmt: skip


def _key(assignment: Assignment) -> tuple:
    return (assignment.decision_id, assignment.commune_id, assignment.village_id)


def _assignment_relations():
    return [
        r for r in Assignment._meta.related_objects
        if r.related_model is not Assignment and r.field.many_to_one
    ]  # fmt: skip


def plan(*, target: Agency, sources: list[Agency]) -> MergePlan:
    """Count what would move and find what cannot (nothing is written)."""
    result = MergePlan(target=target, sources=sources)
    # What the target will hold, as each source joins it in turn: two sources that helped
    # the same commune meet in the target too.
    held = {_key(a): a for a in target.assignments.all()}
    for source in sources:
        if source.pk == target.pk or source.province_id != target.province_id:
            result.problems.append(f"Không gộp được {source} vào chính nó hay cơ quan tỉnh khác.")
            continue
        for relation in Agency._meta.related_objects:
            if not relation.field.many_to_one:
                continue
            count = relation.related_model._default_manager.filter(
                **{relation.field.name: source}
            ).count()
            if count:
                result.moved[relation.related_model._meta.verbose_name_plural] += count
        for assignment in source.assignments.all():
            twin = held.get(_key(assignment))
            if twin is None:
                held[_key(assignment)] = assignment
                continue
            result.joined += 1
            for relation in _assignment_relations():
                unique = [
                    c.fields for c in relation.related_model._meta.constraints
                    if getattr(c, "fields", None) and relation.field.name in c.fields
                ]  # fmt: skip
                for fields in unique:
                    others = [f for f in fields if f != relation.field.name]
                    manager = relation.related_model._default_manager
                    mine = set(manager.filter(**{relation.field.name: assignment})
                               .values_list(*others))  # fmt: skip
                    theirs = set(manager.filter(**{relation.field.name: twin})
                                 .values_list(*others))  # fmt: skip
                    if mine & theirs:
                        result.problems.append(
                            f"{source} và {target} cùng có "
                            f"{relation.related_model._meta.verbose_name} cho"
                            f" {assignment.helped_label} ({', '.join(map(str, mine & theirs))}):"
                            " hãy gộp hoặc xóa một bản trước khi gộp cơ quan."
                        )
    return result


@transaction.atomic
def merge(*, target: Agency, sources: list[Agency], reason: str) -> MergePlan:
    """Merge `sources` into `target` in one transaction; ValidationError if `plan` found a
    problem (nothing is changed then)."""
    result = plan(target=target, sources=sources)
    if result.problems:
        raise ValidationError(result.problems)
    for source in sources:
        for assignment in list(source.assignments.all()):
            twin = _twin(assignment, target)
            if twin is None:
                assignment.agency = target
                if assignment.paired_company_id == target.pk:
                    assignment.paired_company = None
                assignment._change_reason = f"Gộp {source} vào {target}"[:100]
                assignment.save()
                continue
            # Both helped this commune: the records join the target's assignment, and the
            # months they touch are recomputed for both (the emptied one's rows go to zero).
            keys = set()
            for relation in _assignment_relations():
                records = relation.related_model._default_manager.filter(
                    **{relation.field.name: assignment}
                )
                if "start_date" in {f.name for f in relation.related_model._meta.fields}:
                    for day in records.values_list("start_date", flat=True).distinct():
                        keys |= {(assignment.pk, day), (twin.pk, day)}
                records.update(**{relation.field.name: twin})
            rollup.refresh(keys)
            Assignment.objects.filter(remapped_from=assignment).update(remapped_from=twin)
            if assignment.role == Assignment.Role.LEAD and twin.role != assignment.role:
                twin.role = Assignment.Role.LEAD
                twin._change_reason = f"Nhận phân công của {source} khi gộp"[:100]
                twin.save()
            assignment._change_reason = f"Gộp vào phân công của {target}"[:100]
            assignment.delete()
        Assignment.objects.filter(paired_company=source, agency=target).update(paired_company=None)
        for role in Role.objects.filter(agency=source):
            duplicate = Role.objects.filter(
                user_id=role.user_id, kind=role.kind, province_id=role.province_id, agency=target
            )
            if duplicate.exists():
                role._change_reason = f"Trùng vai trò khi gộp vào {target}"[:100]
                role.delete()
            else:
                role.agency = target
                role._change_reason = f"Gộp {source} vào {target}"[:100]
                role.save()
        for relation in Agency._meta.related_objects:
            model = relation.related_model
            if not relation.field.many_to_one or model in (Assignment, Role):
                continue
            model._default_manager.filter(**{relation.field.name: source}).update(
                **{relation.field.name: target}
            )
        Assignment.objects.filter(paired_company=source).update(paired_company=target)
        source.is_active = False
        source._change_reason = f"{MERGE_MARK.format(pk=target.pk)} ({target.name}): {reason}"[:100]
        source.save()
    target._change_reason = f"Nhận {', '.join(s.name for s in sources)}"[:100]
    target.save()
    return result
