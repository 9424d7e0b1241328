"""Reading threshold frameworks: each version with its levels, domains and indicators."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from thresholds.models import Domain, Framework, Indicator, Level


def with_contents(queryset=None):
    """Frameworks with levels, domains and indicators prefetched: four queries."""
    queryset = Framework.objects.all() if queryset is None else queryset
    return queryset.prefetch_related(
        Prefetch("levels", queryset=Level.objects.order_by("rank")),
        Prefetch("domains", queryset=Domain.objects.order_by("position", "pk")),
        Prefetch(
            "indicators",
            queryset=Indicator.objects.select_related("level", "domain").order_by("position", "pk"),
        ),
    )


def current_framework():
    """The published, current framework version, prefetched; None before any is published."""
    return with_contents(Framework.objects.filter(is_current=True)).first()


def published_frameworks():
    return Framework.objects.filter(published_at__isnull=False).order_by("-version")


def published_framework(uuid):
    """A published version by its uuid, prefetched; None for drafts and unknown ones."""
    return with_contents(published_frameworks().filter(uuid=uuid)).first()


@dataclass
class DomainSection:
    domain: Domain
    indicators: list = field(default_factory=list)


@dataclass
class LevelSection:
    level: Level
    domains: list = field(default_factory=list)

    @property
    def indicator_count(self):
        return sum(len(section.indicators) for section in self.domains)


def sections(framework):
    """Levels in rank order, each with its indicators grouped by domain (no queries)."""
    domains = list(framework.domains.all())
    grouped = {}
    for indicator in framework.indicators.all():
        grouped.setdefault((indicator.level_id, indicator.domain_id), []).append(indicator)
    return [
        LevelSection(
            level=level,
            domains=[
                DomainSection(domain=domain, indicators=grouped[(level.pk, domain.pk)])
                for domain in domains
                if (level.pk, domain.pk) in grouped
            ],
        )
        for level in framework.levels.all()
    ]
