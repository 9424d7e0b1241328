"""Every write to a threshold framework: import, publish, copy to a new draft.

Published versions are never changed: decisions keep the version (and level) they used.
Editing happens on a draft, which is published as a new version.
"""

from django.db import transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import record
from earlyhelp.exceptions import ServiceError
from earlyhelp.services import next_number
from thresholds import loader
from thresholds.models import Domain, Framework, Indicator, Level

SYSTEM_ACTOR = "system"


def _actor_label(by):
    return None if by is not None and getattr(by, "is_authenticated", False) else SYSTEM_ACTOR


def next_version():
    return next_number(Framework.objects, "version")


def _create(*, spec, by, source_name=""):
    framework = Framework.objects.create(
        version=next_version(),
        name=spec.name,
        description=spec.description,
        source_name=source_name[:255],
        created_by=by,
        modified_by=by,
    )
    levels = {
        level.rank: level
        for level in Level.objects.bulk_create(
            Level(
                framework=framework,
                rank=item.rank,
                name=item.name,
                description=item.description,
                colour=item.colour,
                statutory=item.statutory,
            )
            for item in spec.levels
        )
    }
    domains = {
        domain.key: domain
        for domain in Domain.objects.bulk_create(
            Domain(
                framework=framework,
                key=item.key,
                name=item.name,
                description=item.description,
                position=position,
            )
            for position, item in enumerate(spec.domains)
        )
    }
    Indicator.objects.bulk_create(
        Indicator(
            framework=framework,
            domain=domains[item.domain],
            level=levels[item.level],
            text=item.text,
            position=position,
        )
        for position, item in enumerate(spec.indicators)
    )
    return framework


def _counts(spec):
    return {
        "levels": len(spec.levels),
        "domains": len(spec.domains),
        "indicators": len(spec.indicators),
    }


def framework_import(*, by, data, source_name=""):
    """Check a framework file and make it a new draft version.

    Raises `loader.FrameworkFileError` (listing each fault with its line) on a bad file.
    """
    spec = loader.parse(data, source_name=source_name)
    with transaction.atomic():
        framework = _create(spec=spec, by=by, source_name=source_name)
        record(
            actor=by,
            actor_label=_actor_label(by),
            action=AuditAction.CREATE,
            obj=framework,
            detail={"import": source_name, "version": framework.version, **_counts(spec)},
        )
    return framework


def _check_publishable(framework):
    levels = list(framework.levels.order_by("rank"))
    if not levels:
        raise ServiceError("A framework needs at least one level before it can be published.")
    ranks = [level.rank for level in levels]
    if ranks != list(range(1, len(ranks) + 1)):
        raise ServiceError(
            "Level ranks must run 1, 2, 3… without gaps before the framework can be "
            f"published; they are {', '.join(map(str, ranks))}."
        )
    stray = framework.indicators.exclude(level__framework=framework) | (
        framework.indicators.exclude(domain__framework=framework)
    )
    if stray.exists():
        raise ServiceError("Some indicators name a level or domain of another framework version.")


def framework_publish(*, by, framework):
    """Make a draft the current framework. The previous current version stays, unchanged."""
    with transaction.atomic():
        # Lock every version, so two publications cannot interleave.
        versions = {
            version.pk: version for version in Framework.objects.select_for_update().order_by("pk")
        }
        locked = versions.get(framework.pk)
        if locked is None:
            raise ServiceError("This framework version no longer exists.")
        if locked.is_published:
            raise ServiceError(f"Version {locked.version} is already published.")
        _check_publishable(locked)
        previous = next((version for version in versions.values() if version.is_current), None)
        now = timezone.now()
        if previous is not None:
            previous.is_current = False
            previous.modified_by = by if _actor_label(by) is None else None
            previous.save(update_fields=["is_current", "modified_by", "modified_at"])
            record(
                actor=by,
                actor_label=_actor_label(by),
                action=AuditAction.CHANGE,
                obj=previous,
                detail={"superseded_by": locked.version},
            )
        locked.is_current = True
        locked.published_at = now
        locked.published_by = by if _actor_label(by) is None else None
        locked.modified_by = locked.published_by
        locked.save(
            update_fields=[
                "is_current",
                "published_at",
                "published_by",
                "modified_by",
                "modified_at",
            ]
        )
        record(
            actor=by,
            actor_label=_actor_label(by),
            action=AuditAction.CHANGE,
            obj=locked,
            detail={
                "published": locked.version,
                "supersedes": previous.version if previous is not None else None,
            },
        )
    framework.refresh_from_db()
    return framework


def framework_copy_to_draft(*, by, framework):
    """A new draft with the same levels, domains and indicators, ready to edit."""
    spec = loader.FrameworkSpec(
        name=framework.name,
        description=framework.description,
        levels=[
            loader.LevelSpec(
                level.rank, level.name, level.description, level.colour, level.statutory
            )
            for level in framework.levels.order_by("rank")
        ],
        domains=[
            loader.DomainSpec(domain.key, domain.name, domain.description)
            for domain in framework.domains.order_by("position", "pk")
        ],
        indicators=[
            loader.IndicatorSpec(indicator.text, indicator.domain.key, indicator.level.rank)
            for indicator in framework.indicators.select_related("domain", "level").order_by(
                "position", "pk"
            )
        ],
    )
    with transaction.atomic():
        draft = _create(spec=spec, by=by, source_name=framework.source_name)
        record(
            actor=by,
            actor_label=_actor_label(by),
            action=AuditAction.CREATE,
            obj=draft,
            detail={"copied_from": framework.version, "version": draft.version, **_counts(spec)},
        )
    return draft
