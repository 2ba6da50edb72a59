"""`aibet`: build the book, rerun a notebook, show parameters, the claims ledger, check data."""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import json
import os
import sys
import time
from pathlib import Path

from aibet import INTERRUPTED, data, project_root
from aibet.build import DEFAULT_TIMEOUT, BuildLock, profile, scenarios, site, unchanged
from aibet.claims import catalog, engine, notebooks, params
from aibet.present import formats, ledger, pages, rerun

EXIT_USAGE = 2


def cmd_check(args) -> int:
    root = project_root()
    issues = data.check(root)
    for issue in issues:
        print(issue, file=sys.stderr)
    if issues:
        print(f"{len(issues)} data problem(s) found", file=sys.stderr)
        return 1
    print("data OK: every file matches its schema and every figure names its source")
    return 0


def data_is_valid(root: Path, what: str) -> bool:
    """`check_data`, each problem printed with where it is; False stops the command."""
    problems = check_data(root)
    for issue in problems:
        print(f"  {issue}", file=sys.stderr)
    if problems:
        print(
            f"{what} stopped: fix the data first (the last good book is untouched)", file=sys.stderr
        )
    return not problems


def check_data(root: Path) -> list:
    """`data.check`, skipped when neither the data nor the package changed since it last passed."""
    files = [p for p in data.data_dir(root).rglob("*") if p.is_file()]
    key = site.tree_digest(files, root) + site.package_digest()
    stamp = root / "_build" / "data-check.key"
    if stamp.exists() and stamp.read_text() == key:
        return []
    problems = data.check(root)
    if not problems:
        stamp.parent.mkdir(exist_ok=True)  # a fresh checkout has no _build yet
        stamp.write_text(key)
    return problems


def cmd_build(args) -> int:
    from aibet.build import runner  # see `cmd_run`

    root = project_root()
    started = time.perf_counter()
    timings = profile.Profile()
    # Taken first: what changes while the build runs is built again next time.
    inputs_key = unchanged.inputs_key(root, args.argv[1:])
    sources = notebooks.discover(root)
    scenario = scenarios.load(root, args.scenario) if args.scenario else None
    overrides: dict[str, dict] = {}
    given = scenarios.spread(scenarios.parse_overrides(args.param), sources)
    for layer in (scenarios.spread(scenario.parameters, sources) if scenario else {}, given):
        for notebook, values in layer.items():  # `-p` wins over the scenario
            overrides.setdefault(notebook, {}).update(values)
    jobs = runner.plan(root, sources, overrides, root / runner.EXECUTED, args.timeout)
    changes = [
        (job.source.chapter, name, value, default)
        for job in jobs
        for name, (value, default) in job.changed().items()
    ]
    named = [  # the variant's name says what `-p` changed; a scenario is named by its own name
        (job.source.chapter, name, job.values[name], job.source.specs[name].default)
        for job in jobs
        for name in given.get(job.source.name, {})
    ]
    variant = scenarios.variant_name(scenario, named) if scenario or given else None
    # A variant book lives in its own folder: its own sources, notebooks and site.
    build_dir = root / scenarios.VARIANTS / variant if variant else root / "_build"
    book_root = build_dir / "source" if variant else root
    for job in jobs:
        job.output = book_root / runner.EXECUTED / job.output.name
    opening = ["aibet build" + (f" (variant {variant})" if variant else "")]
    opening += [
        f"  {chapter}.{name} = {value!r} (default {default!r})"
        for chapter, name, value, default in changes
    ]
    with BuildLock(root / "_build"), contextlib.ExitStack() as until_done:
        print("\n".join(opening))
        kernels = until_done.enter_context(runner.kernel_parent(jobs))
        with timings.phase("data: loaded and checked"):
            valid = data_is_valid(root, "build")
        if not valid:
            return 1
        print("  checked  data")
        runner.date_jobs(jobs)
        kernels = kernels or until_done.enter_context(runner.kernel_parent(jobs))
        values = {job.source.chapter: job.values for job in jobs}
        try:
            with timings.phase("engine: the verdict timeline and the ledger"):
                records, timeline = judge_all(values, args.jobs)
        except engine.ClaimError as error:
            print(f"error: {error}", file=sys.stderr)
            print("build stopped: the last good book is untouched", file=sys.stderr)
            return 1
        print(f"  judged   {len(records)} claims at {len(timeline)} claim-dates")
        if variant:
            moved = ledger.diff(ledger.read_lock(root), records)
            site.prepare_variant(root, book_root, scenarios.banner_html(scenario, changes, moved))
            runner.reuse_outputs(jobs, root)
        from aibet.present import charts, front, publishing

        vendor = ("Vega bundle vendored", functools.partial(site.vendor_javascript, book_root))
        card = (
            "social card drawn",
            functools.partial(
                charts.draw_png,
                front.social_card_spec(records),
                book_root / publishing.SOCIAL_CARD,
                root / runner.CHART_IMAGES,
            ),
        )
        try:
            address = kernels.address if kernels else None
            # With a notebook to run, the pages will change: Sphinx starts while it runs.
            sphinx = site.SphinxPass(book_root, build_dir, root) if kernels else None
            if sphinx:
                until_done.enter_context(sphinx)
            with runner.Workers(root, args.jobs, profile=timings, kernels=address) as workers:
                with timings.phase("notebooks, with chart images and the Vega bundle beside them"):
                    results = workers.run(jobs, also=[vendor, card])
                if kernels:
                    kernels.stop()  # no kernel is wanted after the notebooks
                failed = [r for r in results if r.status == "failed"]
                for result in failed:
                    print(f"error: notebooks/{result.name}.md: {result.error}", file=sys.stderr)
                if failed:
                    print("build stopped: the last good book is untouched", file=sys.stderr)
                    return 1
                # Each executed notebook becomes the page of the same name beside it in the site.
                chapter_pages = {
                    job.source.chapter: f"{runner.EXECUTED.as_posix()}/{job.source.name}.html"
                    for job in jobs
                }
                runs = [
                    {"name": r.name, "status": r.status, "seconds": r.seconds}
                    | {"parameters": job.values}
                    for r, job in zip(results, jobs, strict=True)
                ]
                with timings.phase("generated pages (front page, ledger, appendix)"):
                    pages.write_generated_pages(
                        book_root, records, timeline, values, chapter_pages, runs, variant, root
                    )
                    pages.prune_chart_downloads(book_root, [job.output for job in jobs])
                # The site is built while the workers finish the chart images.
                ok = site.build_html(
                    book_root,
                    build_dir,
                    profile=timings,
                    meanwhile=workers.finish,
                    project=root,
                    started=sphinx,
                )
        except runner.ChartImageError as error:
            print(f"error: chart images: {error}", file=sys.stderr)
            print("build stopped: the last good book is untouched", file=sys.stderr)
            return 1
        timings.write(build_dir)
        ran = sum(r.status == "ran" for r in results)
        cached = sum(r.status == "cached" for r in results)
        print(unchanged.summary_line(ran, cached, len(records), started))
        verdicts = [
            f"  {rec['id']:<7} at publication: {rec['verdict_at_publication']:<16}"
            f" latest: {rec['verdict_latest']}"
            for rec in records
        ]
        print("\n".join(verdicts))
        if ok:
            published = [build_dir / "html" / "index.html", build_dir / "html.key"]
            report = {
                "opening": opening,
                "notebooks": [job.source.name for job in jobs],
                "claims": len(records),
                "verdicts": verdicts,
            }
            executed = [job.output for job in jobs]
            unchanged.remember(root, args.argv[1:], inputs_key, executed, published, report)
        return 0 if ok else 1


def cmd_pdf(args) -> int:
    """The whole book as one PDF (after `aibet build`: it prints the notebooks already run)."""
    from aibet.build import pdf

    root = project_root()
    out = root / "_build" / "print"
    target = root / "_build" / "book.pdf"
    with BuildLock(root / "_build"):  # a build switching the site under it would mix two books
        page = pdf.single_page(root, out)
        charts = pdf.print_pdf(page, target)
    print(f"wrote {target.relative_to(root)} ({charts} charts)")
    return 0


RUNS = Path("_build") / "runs"
"""Where `aibet run` writes, one folder per notebook and set of changed parameters."""


def run_overrides(source, items: list[list[str]] | None) -> dict[str, str]:
    """`aibet run`'s `-p`: `NAME VALUE`, `NAME=VALUE`, `NOTEBOOK.NAME=VALUE` (as for build) or
    `*.NAME=VALUE`; a later one of the same name wins."""
    values: dict[str, str] = {}
    for item in items or []:
        if len(item) == 2:
            target, value = item
        elif len(item) == 1 and "=" in item[0]:
            target, _, value = item[0].partition("=")
        else:
            raise params.ParamError(
                f"-p {' '.join(item)!r}: write -p NAME VALUE or -p NAME=VALUE"
                f" (e.g. -p tolerance 0.2, -p {source.chapter}.tolerance=0.2)"
            )
        notebook, dot, name = target.rpartition(".")
        if dot and notebook != scenarios.EVERY:
            notebooks.match([source], notebook)  # a run takes its own notebook's parameters only
        values[name.strip()] = value
    return values


def cmd_run(args) -> int:
    # Imported by the commands that run notebooks (Jupytext, Altair): the commands that only
    # judge answer without them, in about a third less time.
    from aibet.build import run_page, runner

    root = project_root()
    source = notebooks.find(root, args.notebook)
    overrides = {source.name: run_overrides(source, args.param)}
    [job] = runner.plan(root, [source], overrides, root / runner.EXECUTED, args.timeout)
    changed = job.changed()
    # A run never touches the book: it has a folder of its own, named by what it changed.
    folder = (
        root
        / RUNS
        / source.name
        / (scenarios.readable({k: v for k, (v, _) in changed.items()}) or "defaults")
    )
    job.output = folder / f"{source.name}.ipynb"
    job.charts = folder / run_page.CHARTS
    as_json = args.format == "json"
    say = (lambda text: print(text, file=sys.stderr)) if as_json else print
    say(f"aibet run {source.name}")
    for name, (value, default) in changed.items():
        say(f"  {name} = {value!r} (default {default!r})")
    with BuildLock(root / "_build"):
        if not data_is_valid(root, "run"):
            return 1
        runner.date_jobs([job])
        try:
            [result] = runner.execute([job], 1, report=say)
        except runner.ChartImageError as error:
            print(f"error: chart images: {error}", file=sys.stderr)
            return 1
        if result.status == "failed":
            print(f"error: {source.relpath}: {result.error}", file=sys.stderr)
            return 1
        book = catalog.Book({source.chapter: job.values})
        as_of = job.values.get("as_of", "latest")
        records = [book.record(claim, as_of) for claim in catalog.claims(source.chapter)]
        ids = {rec["id"] for rec in records}
        published = [row for row in ledger.read_lock(root) if row["id"] in ids]
        moved = ledger.diff(published, records)
        page = run_page.write(job.output, root, changed, moved)
    if as_json:
        report = {
            "notebook": source.relpath,
            "parameters": job.values,
            "changed": {name: value for name, (value, _) in changed.items()},
            "output": str(job.output.relative_to(root)),
            "page": str(page.relative_to(root)),
            "claims": records,
            "changes_against_published_ledger": moved,
        }
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2, allow_nan=False) + "\n")
        return 0
    for rec in records:
        print(
            f"  {rec['id']:<7} at publication: {rec['verdict_at_publication']:<16}"
            f" {formats.fmt_value(rec['value_at_publication'], rec['unit'])}"
        )
        print(
            f"  {'':<7} as of {rec['as_of']}: {rec['verdict_latest']:<16}"
            f" {formats.fmt_value(rec['value_latest'], rec['unit'])} — {rec['reason']}"
        )
    print(f"  against the published ledger ({ledger.LOCK}):")
    for line in moved or ["no verdict or value changed"]:
        print(f"    {line}")
    print(f"  notebook {job.output.relative_to(root)}")
    print(f"  page     {page.relative_to(root)}")
    return 0


SWEEP_FIELDS = (
    "parameter",
    "value",
    "id",
    "verdict_at_publication",
    "verdict_latest",
    "value_at_publication",
    "value_latest",
    "unit",
    "as_of",
    "confidence",
    "reason",
)


def cmd_sweep(args) -> int:
    """One parameter over a range or a list of values, judged by the engine (no notebook runs):
    each value's verdicts for every claim of the chapters that have the parameter."""
    root = project_root()
    sources = notebooks.discover(root)
    target, sep, text = args.sweep.partition("=")
    notebook, dot, name = target.rpartition(".")
    if not sep or not dot or not notebook or not name:
        raise params.ParamError(
            f"sweep {args.sweep!r}: write NOTEBOOK.PARAM=LO..HI[:STEPS] or NOTEBOOK.PARAM=a,b,c"
            f" (NOTEBOOK may be {scenarios.EVERY}), e.g. revenue-shortfall.useful_life_years=3..8"
        )
    chosen = scenarios.spread({notebook: {name: None}}, sources)
    swept = [s for s in sources if s.name in chosen]
    for source in swept:
        if name not in source.specs:  # an unknown name: resolve says which names there are
            params.resolve(source.specs, {name: None}, source.relpath)
    series = swept[0].specs[name].series(text)
    if not data_is_valid(root, "sweep"):
        return 1
    base = chapter_values(root, None)
    rows = []
    for value in series:
        values = {**base, **{s.chapter: {**base[s.chapter], name: value} for s in swept}}
        book = catalog.Book(values)
        for source in swept:
            for claim in catalog.claims(source.chapter):
                rec = book.record(claim, values[source.chapter].get("as_of", "latest"))
                rows.append({"parameter": f"{source.chapter}.{name}", "value": value, **rec})
        book.save()
    _print_rows(
        rows,
        args.format,
        SWEEP_FIELDS,
        lambda r: (
            f"{r['parameter']}={rerun.as_typed(r['value']):<12} {r['id']:<7}"
            f" {r['verdict_at_publication']:<16} {r['verdict_latest']:<16}"
            f" {formats.fmt_value(r['value_latest'], r['unit']):>12}"
        ),
    )
    return 0


def cmd_params(args) -> int:
    source = notebooks.find(project_root(), args.notebook)
    rows = [("name", "type", "default", "unit", "allowed", "meaning")]
    for spec in source.specs.values():
        rows.append(
            (spec.name, spec.type, json.dumps(spec.default), spec.unit, spec.allowed, spec.help)
        )
    widths = [max(len(str(r[i])) for r in rows) for i in range(5)]
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row[:5], widths, strict=True)), row[5])
    return 0


KEPT_JUDGED = 16
"""How many sets of chapter values keep their judged ledger and timeline between builds."""


def judge_all(values: dict[str, dict], workers: int) -> tuple[list, list]:
    """The verdict timeline (judged by `workers` processes) and the ledger (each chapter judged
    at its own `as_of`), from the engine; read back from the last build when neither the data,
    the code that judges it, nor the parameters changed."""
    book = catalog.Book(values)
    # Only the values of chapters with claims decide a verdict: a notebook added without any
    # (a draft, a test's) judges nothing again.
    key = json.dumps({c: v for c, v in values.items() if c in catalog.CHAPTERS}, sort_keys=True)
    # Kept beside the outcomes, which are named after the data and the code: a change to
    # either removes them. One file a set of values, so that the default book and a variant
    # built in turn (as the tests and an analyst do) do not undo each other.
    folder = book.store.memo_path()
    kept = folder / f"judged-{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"
    if kept.exists():
        previous = json.loads(kept.read_text())
        if previous["key"] == key:
            os.utime(kept)  # recently used: kept longest
            return previous["records"], previous["timeline"]
    records, timeline = book.judged_in_parallel(workers)
    book.save()  # the notebooks, run next, judge the same claims again
    folder.mkdir(parents=True, exist_ok=True)
    staged = kept.with_suffix(f".{os.getpid()}.partial")
    staged.write_text(json.dumps({"key": key, "records": records, "timeline": timeline}))
    os.replace(staged, kept)
    for old in sorted(folder.glob("judged-*.json"), key=lambda p: p.stat().st_mtime)[:-KEPT_JUDGED]:
        old.unlink(missing_ok=True)
    return records, timeline


def chapter_values(root: Path, variant: str | None) -> dict[str, dict]:
    """Each chapter's parameter values: the notebooks' defaults, or those a variant book was
    built with (or a scenario's, if that variant has not been built yet)."""
    sources = notebooks.discover(root)
    if variant:
        built = root / scenarios.VARIANTS / variant / "source" / pages.PARAMETERS_JSON
        if built.exists():
            return json.loads(built.read_text())
        if variant not in scenarios.available(root):
            raise params.ParamError(
                f"no variant {variant!r}: build it first (aibet build --scenario NAME or -p …);"
                f" scenarios: {', '.join(scenarios.available(root))}"
            )
        overrides = {
            notebooks.match(sources, nb).name: vals
            for nb, vals in scenarios.load(root, variant).parameters.items()
        }
    else:
        overrides = {}
    return {
        s.chapter: params.resolve(s.specs, overrides.get(s.name, {}), s.relpath) for s in sources
    }


def _checked_as_of(as_of: str | None) -> str | None:
    if as_of is None:
        return None
    try:
        return engine.check_as_of(as_of)
    except ValueError as error:
        raise params.ParamError(str(error)) from None


def _print_rows(rows: list[dict], fmt: str, fields, table_line) -> None:
    if fmt == "json":
        sys.stdout.write(ledger.to_json(rows, fields))
    elif fmt == "csv":
        sys.stdout.write(ledger.to_csv(rows, fields))
    else:
        for row in rows:
            print(table_line(row))


def cmd_claims(args) -> int:
    as_of = _checked_as_of(args.as_of) or "latest"
    if not data_is_valid(project_root(), "claims"):
        return 1
    book = catalog.Book(chapter_values(project_root(), args.variant))
    records = [book.record(claim, as_of) for claim in catalog.claims()]
    book.save()
    _print_rows(
        records,
        args.format,
        ledger.LEDGER_FIELDS,
        lambda r: (
            f"{r['id']:<7} {r['verdict_at_publication']:<16} {r['verdict_latest']:<16}"
            f" {formats.fmt_value(r['value_latest'], r['unit']):>12}  {r['claim']}"
        ),
    )
    return 0


def cmd_timeline(args) -> int:
    if not data_is_valid(project_root(), "timeline"):
        return 1
    _, rows = judge_all(chapter_values(project_root(), args.variant), os.cpu_count() or 1)
    _print_rows(
        rows,
        args.format,
        ledger.TIMELINE_FIELDS,
        lambda r: (
            f"{r['id']:<7} {r['as_of']}  {r['verdict']:<16}"
            f" {formats.fmt_value(r['value'], r['unit']):>12}"
        ),
    )
    return 0


def cmd_diff(args) -> int:
    """The ledger (default parameters, or a variant's) against the committed lock."""
    root = project_root()
    variant = args.variant or args.variant_option
    if not data_is_valid(root, "diff"):
        return 1
    book = catalog.Book(chapter_values(root, variant))
    records = [book.record(claim) for claim in catalog.claims()]
    book.save()
    changes = ledger.diff(ledger.read_lock(root), records)
    for line in changes:
        print(line)
    against = f"variant {variant}" if variant else "the ledger"
    print(f"{len(changes)} change(s) between {ledger.LOCK} and {against}", file=sys.stderr)
    return 1 if changes else 0


def cmd_lock(args) -> int:
    """Write the ledger of the default book into the committed lock (a deliberate act)."""
    root = project_root()
    if not data_is_valid(root, "lock"):
        return 1
    book = catalog.Book(chapter_values(root, None))
    records = [book.record(claim) for claim in catalog.claims()]
    path = root / ledger.LOCK
    old = ledger.read_lock(root) if path.exists() else []
    path.write_text(ledger.lock_text(records))
    for line in ledger.diff(old, records):
        print(line)
    print(f"wrote {ledger.LOCK} ({len(records)} claims)")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="aibet", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="validate data, execute changed notebooks, build the book")
    build.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    build.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, help="seconds per cell")
    build.add_argument(
        "--scenario", metavar="NAME", help="build the variant book of scenarios/NAME.yaml"
    )
    build.add_argument(
        "-p",
        "--param",
        action="append",
        metavar="NOTEBOOK.PARAM=VALUE",
        help="build a variant book with this parameter changed (repeatable)",
    )
    build.set_defaults(func=cmd_build)
    run = sub.add_parser("run", help="rerun one notebook, optionally with new parameters")
    run.add_argument("notebook")
    run.add_argument(
        "-p",
        "--param",
        nargs="+",
        action="append",
        metavar="NAME=VALUE",
        help="a parameter: NAME VALUE, NAME=VALUE or NOTEBOOK.NAME=VALUE (repeatable)",
    )
    run.add_argument("--format", choices=["text", "json"], default="text")
    run.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, help="seconds per cell")
    run.set_defaults(func=cmd_run)
    sweep = sub.add_parser(
        "sweep",
        help="one parameter over a range or list: every value's verdicts (no notebook runs)",
    )
    sweep.add_argument("sweep", metavar="NOTEBOOK.PARAM=LO..HI[:STEPS]|a,b,c")
    sweep.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sweep.set_defaults(func=cmd_sweep)
    show = sub.add_parser("params", help="a notebook's parameters: type, default, range, unit")
    show.add_argument("notebook")
    show.set_defaults(func=cmd_params)
    listing = sub.add_parser("claims", help="every claim's verdicts, from the engine")
    listing.add_argument("--as-of", metavar="DATE", help="judge the latest side as known on DATE")
    listing.add_argument("--variant", metavar="NAME", help="a variant book's parameters")
    listing.add_argument("--format", choices=["table", "csv", "json"], default="table")
    listing.set_defaults(func=cmd_claims)
    over_time = sub.add_parser("timeline", help="every claim at every month-end")
    over_time.add_argument("--variant", metavar="NAME", help="a variant book's parameters")
    over_time.add_argument("--format", choices=["table", "csv", "json"], default="table")
    over_time.set_defaults(func=cmd_timeline)
    compare = sub.add_parser("diff", help="the ledger against the committed lock")
    compare.add_argument("variant", nargs="?", metavar="VARIANT", help="a variant book instead")
    compare.add_argument("--variant", dest="variant_option", metavar="NAME", help=argparse.SUPPRESS)
    compare.set_defaults(func=cmd_diff)
    relock = sub.add_parser("lock", help=f"write the ledger into {ledger.LOCK}")
    relock.set_defaults(func=cmd_lock)
    check = sub.add_parser("check", help="validate every data file")
    printed = sub.add_parser("pdf", help="render the built book to one PDF (_build/book.pdf)")
    printed.set_defaults(func=cmd_pdf)
    check.set_defaults(func=cmd_check)
    return top


EXIT_INTERRUPTED = 130
"""The shell's code for a command stopped by Ctrl-C."""


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return args.func(args)
    except params.ParamError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except engine.ClaimError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader stopped reading (`aibet claims | head`): not an error. Point stdout at
        # nothing so that Python's own flush at exit does not fail on the closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
