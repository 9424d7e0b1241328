"""Framework files for the tests."""

import yaml

from thresholds import services


def framework_data(indicators=2, name="Test thresholds"):
    levels = [
        {
            "rank": 1,
            "name": "Universal",
            "description": "Met by universal services.",
            "colour": "green",
        },
        {"rank": 2, "name": "Additional needs", "description": "One agency.", "colour": "blue"},
        {"rank": 3, "name": "Multiple needs", "description": "A TAF.", "colour": "orange"},
        {
            "rank": 4,
            "name": "Specialist",
            "description": "Children's social care.",
            "colour": "red",
            "statutory": True,
        },
    ]
    domains = [
        {"key": "child", "name": "Child's developmental needs"},
        {"key": "parenting", "name": "Parenting capacity"},
        {"key": "family", "name": "Family and environmental factors"},
    ]
    keys = [domain["key"] for domain in domains]
    return {
        "name": name,
        "levels": levels,
        "domains": domains,
        "indicators": [
            {"text": f"Indicator number {n}", "domain": keys[n % 3], "level": n % 4 + 1}
            for n in range(indicators)
        ],
    }


def framework_yaml(**kwargs):
    return yaml.safe_dump(framework_data(**kwargs), sort_keys=False)


def published_framework(indicators=2, by=None, name="Test thresholds"):
    framework = services.framework_import(
        by=by, data=framework_yaml(indicators=indicators, name=name), source_name="test.yaml"
    )
    return services.framework_publish(by=by, framework=framework)
