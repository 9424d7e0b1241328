"""The OpenAPI document the service publishes, generated once per test process.

Generating it takes seconds. The permission matrix enumerates the API from it and the
schema conformance test sends requests from it: both read this one (and neither changes it).
"""

import functools

from drf_spectacular.generators import SchemaGenerator


@functools.cache
def generated_schema():
    """What `/api/schema/` serves, made without a request (it needs no database)."""
    return SchemaGenerator().get_schema(request=None, public=True)
