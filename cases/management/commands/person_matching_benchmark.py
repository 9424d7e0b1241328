"""python manage.py person_matching_benchmark --data DIR [--results FILE] [--reload] [--no-api]

Measures "do we already know this child?" on a generated county: see
cases.people.matching_benchmark and the README (Person matching)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.people import matching_benchmark, search


class Command(BaseCommand):
    help = (
        "Load a population and labelled queries (people.csv, queries.csv) into this "
        "PostgreSQL database, run every query through the product's search and its API, "
        "and print how often the right person comes first and how fast"
    )

    def add_arguments(self, parser):
        parser.add_argument("--data", required=True, type=Path, help="folder of the CSV files")
        parser.add_argument("--results", type=Path, help="write results here (JSON lines)")
        parser.add_argument(
            "--reload", action="store_true", help="load the people again even if loaded"
        )
        parser.add_argument(
            "--no-api", action="store_true", help="time the search only, not the API"
        )
        parser.add_argument("--limit", type=int, help="run only the first N queries")

    def handle(self, *args, data, results, reload, no_api, limit, **options):
        for name in ("people.csv", "queries.csv"):
            if not (data / name).is_file():
                raise CommandError(f"{data / name} is missing")
        try:
            # Queries first: a bad file is refused before minutes of loading.
            queries = matching_benchmark.read_queries(data / "queries.csv")[:limit]
            person_ids = matching_benchmark.load_population(
                data / "people.csv", reload=reload, progress=self._progress("loaded")
            )
            outcome = matching_benchmark.run_queries(
                queries,
                person_ids,
                through_api=not no_api,
                progress=self._progress("searched"),
            )
        except matching_benchmark.BenchmarkError as error:
            raise CommandError(str(error)) from error
        if results:
            matching_benchmark.write_results(outcome, results)
        self.stdout.write(
            f"{len(person_ids)} people, {len(queries)} queries; "
            f'"likely" is a score of {search.LIKELY_SCORE} or more\n'
        )
        self.stdout.write(matching_benchmark.report(matching_benchmark.measure(outcome)))

    def _progress(self, verb):
        def show(done, total):
            self.stderr.write(f"{verb} {done} of {total}")

        return show
