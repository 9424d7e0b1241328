"""Visibility: which records of a kind a user may see, as a queryset filter, so lists,
counts and searches can never show more than a detail page would.

Each model's rule is declared as data by the app that owns the model, from its
``access_rules.py`` (``register_rules``, called from the app's ``ready()``):

- a path to the record it belongs to, ``"episode__family"``: a record is visible when the
  record at the end of the path is (by that model's own rule);
- or a function ``rule(user, queryset) -> queryset`` for a model with a rule of its own
  (families, people, requests, meetings, users).

A model with no rule is refused: the policy does not guess.

A rule may come with a shortcut (``register_shortcuts``): a test of one record in memory
that, when it holds, settles that the rule would show it. ``sees(user, obj)`` asks the
shortcut first and the whole rule only when it does not hold, so a service checking one
record does not compile the user's whole visibility query for the common case.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

from audit import services as audit_services
from earlyhelp.access.permissions import Permission, can, require

Rule = Callable[..., QuerySet]
"""A rule: ``rule(user, queryset) -> queryset``, asked for a user of the service."""


@dataclass(frozen=True)
class PathRule:
    """Visible when the record at the end of `path` (a `target`) is."""

    path: str
    target: type[Model]

    def __call__(self, user, queryset):
        targets = self.target._default_manager.all()
        return queryset.filter(**{f"{self.path}__in": rule_for(self.target)(user, targets)})


_rules: dict[type[Model], Rule] = {}
_shortcuts: dict[type[Model], Callable[..., bool]] = {}


def everyone(user, queryset):
    """A rule: open to every user of the service."""
    return queryset


def register_rules(rules: dict[type[Model], str | Rule]) -> None:
    """Declare the visibility rule of each model in `rules` (from an app's `ready()`): a
    path to the record it belongs to, or a function. A model has one rule: a second,
    different one is refused."""
    for model, rule in rules.items():
        if isinstance(rule, str):
            rule = PathRule(rule, _follow(model, rule))
        if _rules.setdefault(model, rule) != rule:
            raise ImproperlyConfigured(f"{model.__name__} already has a visibility rule")


def register_shortcuts(shortcuts: dict[type[Model], Callable[..., bool]]) -> None:
    """Declare, for each model, ``shortcut(user, obj) -> bool``: True only where the model's
    rule certainly shows `obj` to a user of the service (False says nothing)."""
    for model, shortcut in shortcuts.items():
        if _shortcuts.setdefault(model, shortcut) is not shortcut:
            raise ImproperlyConfigured(f"{model.__name__} already has a visibility shortcut")


def _follow(model, path):
    """The model at the end of `path` from `model`."""
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.related_model is None:
            raise ImproperlyConfigured(f"{model.__name__}.{name} is not a relation")
        model = field.related_model
    return model


def rule_for(model) -> Rule:
    """The rule `model` was declared with; a model without one is refused."""
    rule = _rules.get(model)
    if rule is None:
        raise NotImplementedError(f"The access policy does not govern {model.__name__} yet")
    return rule


def visible(user, queryset):
    """Filter `queryset` to the records `user` may see."""
    if not can(user, Permission.USE_SERVICE):
        return queryset.none()
    return rule_for(queryset.model)(user, queryset)


def sees(user, obj) -> bool:
    """Whether `user` may see the record `obj`: `visible`'s answer for one record."""
    if not can(user, Permission.USE_SERVICE):
        return False
    model = type(obj)
    shortcut = _shortcuts.get(model)
    if shortcut is not None and shortcut(user, obj):
        return True
    return rule_for(model)(user, model._default_manager.filter(pk=obj.pk)).exists()


def get_for_user(user, queryset, **lookup):
    """The record, if the user may see it; otherwise 404 so its existence is not revealed."""
    try:
        return visible(user, queryset).get(**lookup)
    except (queryset.model.DoesNotExist, ValidationError, ValueError, TypeError) as error:
        # A refused read of a record that exists is audited (one that does not, is not).
        audit_services.record_refused(actor=user, model=queryset.model, lookup=lookup, status=404)
        raise Http404(f"No {queryset.model._meta.verbose_name} found") from error


def get_for_change(user, queryset, permission: Permission, **lookup):
    """The record for changing: 404 if the user may not see it, 403 if they may not change it."""
    obj = get_for_user(user, queryset, **lookup)
    require(user, permission, obj)
    return obj
