"""Each pytest-xdist worker gets a Redis database of its own, as pytest-django gives it a
PostgreSQL database of its own (test_earlyhelp_gw0, test_earlyhelp_gw1, ...).

Every test empties the cache (FLUSHDB, tests/conftest.py) and the broker tests run a Celery
worker that takes whatever is queued, so two workers sharing one Redis database would
empty each other's cache mid-test and take each other's jobs. Worker gwN uses database
N + 1 of REDIS_URL's server (scripts/with-test-services.sh starts Redis with enough of
them); without xdist, or without REDIS_URL, nothing changes.

Loaded with `-p tests.xdist_workers` (pyproject addopts) because it must rewrite REDIS_URL
before pytest-django loads the settings, which happens before any conftest is imported.
"""

import os
from urllib.parse import urlsplit, urlunsplit

REDIS_DATABASES = 64  # scripts/with-test-services.sh: redis-server --databases


def _worker_redis_url(url, worker):
    index = int(worker.removeprefix("gw")) + 1
    if index >= REDIS_DATABASES:
        raise RuntimeError(
            f"pytest-xdist worker {worker} needs Redis database {index}, but the test Redis "
            f"has {REDIS_DATABASES}: run with fewer workers (-n)."
        )
    return urlunsplit(urlsplit(url)._replace(path=f"/{index}"))


_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = _worker_redis_url(os.environ["REDIS_URL"], _worker)
