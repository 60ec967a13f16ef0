"""Merging two partners that are the same (« Caf de la Drôme » and « CAF Drôme », issue 14).

Every link to the partner that goes away moves to the one that stays: its actions' partner
links (those of actions in the trash too), and any other relation a later model adds (read
from the model's relations, so that none is forgotten). An action linked to both keeps one
link, with both roles. The merge is recorded in the history of every row it touches and of
the partner removed (« Fusionné dans … »).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from actions.models import ActionPartner
from network.models import Partner

MERGE_PERMISSION = "network.delete_partner"
ROLE_MAX_LENGTH = ActionPartner._meta.get_field("role").max_length


@dataclass
class PartnerMerge:
    """What a merge moves: links that change partner, links that join an existing one, and the
    number of rows of any other relation."""

    source: Partner
    target: Partner
    moved: list[ActionPartner] = field(default_factory=list)
    collapsed: list[tuple[ActionPartner, ActionPartner]] = field(default_factory=list)  # (source's, target's)
    others: dict[str, int] = field(default_factory=dict)

    @property
    def link_count(self) -> int:
        return len(self.moved) + len(self.collapsed)


def _other_relations():
    """Every relation to Partner other than the action links (and the actions' M2M through them)."""
    for relation in Partner._meta.related_objects:
        if relation.related_model is ActionPartner or getattr(relation, "through", None) is ActionPartner:
            continue
        if relation.many_to_many and relation.through is not None and relation.through._meta.auto_created is False:
            continue
        yield relation


def _merged_role(kept: str, other: str) -> str:
    roles = [role for role in (kept.strip(), other.strip()) if role]
    if len(roles) == 2 and roles[0].casefold() == roles[1].casefold():
        roles = roles[:1]
    merged = " ; ".join(roles)
    return merged if len(merged) <= ROLE_MAX_LENGTH else kept


def partner_merge_preview(*, source: Partner, target: Partner) -> PartnerMerge:
    """What `partner_merge` would do, without writing anything."""
    if source.pk == target.pk:
        raise ValidationError("Choisissez deux partenaires différents.")
    plan = PartnerMerge(source=source, target=target)
    target_links = {
        link.action_id: link for link in ActionPartner.all_objects.filter(partner=target).select_related("action")
    }
    for link in ActionPartner.all_objects.filter(partner=source).select_related("action").order_by("action__title"):
        if link.action_id in target_links:
            plan.collapsed.append((link, target_links[link.action_id]))
        else:
            plan.moved.append(link)
    for relation in _other_relations():
        model = relation.related_model
        if relation.many_to_many:
            count = getattr(source, relation.get_accessor_name()).count()
        else:
            count = model._base_manager.filter(**{relation.field.name: source}).count()
        if count:
            plan.others[str(model._meta.verbose_name_plural)] = count
    return plan


@transaction.atomic
def partner_merge(*, user, source: Partner, target: Partner) -> PartnerMerge:
    """Move every link of `source` to `target`, then delete `source`."""
    if not user.has_perm(MERGE_PERMISSION):
        raise PermissionDenied("Seule l’équipe fédérale fusionne des partenaires.")
    source = Partner.objects.select_for_update().get(pk=source.pk)
    target = Partner.objects.select_for_update().get(pk=target.pk)
    plan = partner_merge_preview(source=source, target=target)
    reason = f"Fusion de « {source.name} » dans « {target.name} »"
    for link, kept in plan.collapsed:
        role = _merged_role(kept.role, link.role)
        if role != kept.role:
            kept.role = role
            kept._history_user, kept._change_reason = user, reason
            kept.save(update_fields=["role"])
        link._history_user, link._change_reason = user, reason
        link.delete()
    for link in plan.moved:
        link.partner = target
        link._history_user, link._change_reason = user, reason
        link.save(update_fields=["partner"])
    for relation in _other_relations():
        if relation.many_to_many:
            manager = getattr(source, relation.get_accessor_name())
            rows = list(manager.all())
            getattr(target, relation.get_accessor_name()).add(*rows)
            manager.clear()
        else:
            relation.related_model._base_manager.filter(**{relation.field.name: source}).update(
                **{relation.field.name: target}
            )
    target._history_user, target._change_reason = user, f"« {source.name} » fusionné ici"
    target.save()
    source._history_user, source._change_reason = user, f"Fusionné dans « {target.name} »"
    source.delete()
    return plan
