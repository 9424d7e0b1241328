"""The demo's tables of names and places, kept as JSON in demo/data/ so that they read, and
can be changed, as data; the code that draws on them stays in Python."""

import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def load(name: str):
    """demo/data/<name>.json, parsed. Objects keep the order they are written in, which the
    seeded random choices depend on: reordering a file changes the demo."""
    return json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))
