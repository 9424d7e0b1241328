"""The access policy's rules for the level history (see earlyhelp.access)."""

from earlyhelp import access
from thresholds.models import LevelChange


def register():
    # A level change is visible when its family is.
    access.register_rules({LevelChange: "family"})
