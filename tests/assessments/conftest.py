"""Fixtures shared by the tests of the assessments app."""

import pytest


@pytest.fixture
def place(north):
    """The locality the plan tests work in: the North of the root conftest."""
    return north
