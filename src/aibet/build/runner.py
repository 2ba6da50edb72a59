"""Execute the chapter notebooks with Papermill: validate, skip what is unchanged, run in parallel.

Notebooks are jupytext MyST files in `notebooks/`; executed copies go to `book/_generated/`,
written atomically and only on success, so a failing notebook leaves the last good output.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat

from aibet import CHART_DIR_ENV, data, end_with_parent
from aibet.build import DEFAULT_TIMEOUT
from aibet.build.profile import Profile, notebook_profile
from aibet.build.site import NOTEBOOK_LAYERS, package_digest, tree_digest
from aibet.claims import catalog, params
from aibet.claims.notebooks import NotebookSource
from aibet.present import charts, rerun
from aibet.present.pages import CHART_DOWNLOADS, CHART_ID, GENERATED

EXECUTED = GENERATED / "notebooks"
CHART_IMAGES = Path("_build") / "chart-images"
"""Chart images already drawn, by chart id (a cache: deleting it only costs time)."""


def cache_key(source: NotebookSource, values: dict, root: Path, latest: str) -> str:
    """Covers the notebook text, its resolved parameters, the data it reads and the code it can
    import (the package's layers below `build`: a change to the runner reruns nothing)."""
    h = hashlib.sha256()
    h.update(source.path.read_bytes())
    h.update(json.dumps(values, sort_keys=True).encode())
    h.update(latest.encode())  # what 'latest' means: the timeline's last date
    h.update(tree_digest(data.files_of(list(source.reads), root), root).encode())
    h.update(package_digest(NOTEBOOK_LAYERS).encode())
    lock = root / "requirements.lock"
    if lock.exists():
        h.update(lock.read_bytes())
    return h.hexdigest()


def cached_key(output: Path) -> str | None:
    """The cache key stored in an executed notebook, or None if it is missing or unreadable."""
    try:
        notebook = json.loads(output.read_text())
        return notebook["metadata"]["aibet"]["cache_key"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


@dataclass
class Job:
    source: NotebookSource
    values: dict
    output: Path
    root: Path
    timeout: int = DEFAULT_TIMEOUT
    latest: str = ""
    """The date 'latest' means (the newest figure in the data), set by `date_jobs`."""
    key: str = ""
    """The cache key, set by `date_jobs` once the data is known to be valid."""
    charts: Path | None = None
    """Where its charts' downloads go; by default the book's (beside the executed notebooks)."""

    @property
    def chart_dir(self) -> Path:
        return self.charts or self.output.parent.parent / "_extra" / "downloads" / "charts"

    def changed(self) -> dict[str, tuple[object, object]]:
        """The parameters that differ from the notebook's defaults: {name: (value, default)}."""
        specs = self.source.specs
        return {k: (v, specs[k].default) for k, v in self.values.items() if v != specs[k].default}


@dataclass
class JobResult:
    name: str
    status: str  # ran | cached | failed
    seconds: float = 0.0
    error: str = ""
    profile: dict | None = None
    """The kernel's start and each cell's time (see `aibet.build.profile`), when it ran."""


def plan(root: Path, sources, overrides: dict[str, dict], out_dir: Path, timeout: int) -> list[Job]:
    """Validate every parameter of every notebook before anything runs (nothing is read from
    the data yet); raise ParamError. `date_jobs` completes the jobs after the data check."""
    jobs = []
    for source in sources:
        values = params.resolve(source.specs, overrides.get(source.name, {}), source.relpath)
        jobs.append(Job(source, values, out_dir / f"{source.name}.ipynb", root, timeout))
    return jobs


def date_jobs(jobs: list[Job]) -> None:
    """Give each job the date 'latest' means and its cache key: only once the data is valid,
    since both read it."""
    latest = catalog.latest_date()
    for job in jobs:
        job.latest = latest
        job.key = cache_key(job.source, job.values, job.root, latest)


def reuse_outputs(jobs: list[Job], root: Path) -> None:
    """Copy into a variant's folder each notebook the default book already ran with the same
    key, with the chart downloads it links to (they live beside the book, not in the notebook)."""
    for job in jobs:
        done = root / EXECUTED / job.output.name
        if cached_key(done) != job.key:
            continue
        if cached_key(job.output) != job.key:
            job.output.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(done, job.output)
        job.chart_dir.mkdir(parents=True, exist_ok=True)
        for chart in set(CHART_ID.findall(done.read_text())):
            for path in (root / CHART_DOWNLOADS).glob(f"{chart}.*"):
                if not (job.chart_dir / path.name).exists():
                    shutil.copy2(path, job.chart_dir / path.name)


def normalize(notebook, key: str, values: dict, source: NotebookSource) -> None:
    """Hide the injected parameters, drop volatile metadata (timestamps), number the cells (the
    text-to-notebook conversion gives them random ids), record the cache key: two runs of the
    same inputs give the same bytes. The chapter ends with its "Rerun this chapter" box, showing
    the values it ran with."""
    settings = [
        rerun.Setting(
            name,
            values[name],
            spec.default,
            spec.unit,
            spec.allowed,
            spec.help,
            tuple(spec.choices),
        )
        for name, spec in source.specs.items()
    ]
    notebook.cells.append(nbformat.v4.new_markdown_cell(rerun.rerun_box(source.chapter, settings)))
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{number}"
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            cell.metadata["tags"] = [*tags, "remove-cell"]
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    notebook.metadata.pop("papermill", None)
    notebook.metadata["aibet"] = {
        "cache_key": key,
        "source": source.relpath,
        "parameters": values,
        "reads": list(source.reads),
    }


def _kernel_manager_class(log: Path | None = None, kernels=None, launched: list | None = None):
    """Kernels that talk over Unix sockets under a path of their own: notebooks started side by
    side cannot race for the same TCP port (a kernel that loses the race never answers). They
    are shut down without the interrupt that makes a kernel log noise, and what a kernel logs
    goes to `log`, not to the terminal: a cell's own errors are in the notebook, and a kernel
    stopped by Ctrl-C with the build would otherwise print a traceback of its closed sockets.
    `kernels`: the address of a kernel parent to fork them from (see `aibet.build.kernels`);
    how each kernel came to be ("forked" or "started") is appended to `launched`."""
    import tempfile
    import uuid

    from jupyter_client.manager import AsyncKernelManager

    class PrivateSocketKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            where = Path(tempfile.gettempdir()) / f"aibet-kernel-{uuid.uuid4().hex[:12]}"
            super().__init__(transport="ipc", ip=str(where), **kwargs)

        async def _async_interrupt_kernel(self) -> None:
            # jupyter_client interrupts a kernel before asking it to shut down; one busy with a
            # message then logs "KeyboardInterrupt caught in kernel." after a good run. The
            # shutdown request that follows is enough.
            if self.shutting_down:
                return
            await super()._async_interrupt_kernel()

        async def start_kernel(self, **kw) -> None:  # the name nbclient calls
            if kernels is not None and self.provisioner is None:
                from aibet.build.kernels import ForkedKernelProvisioner

                self.kernel_id = self.kernel_id or str(uuid.uuid4())
                self.provisioner = ForkedKernelProvisioner(
                    kernel_id=self.kernel_id,
                    kernel_spec=self.kernel_spec,
                    parent=self,
                    parent_socket=kernels[0],
                    parent_pid=kernels[1],
                    log_path=str(log or ""),
                )
            elif log is not None:
                kw.setdefault("stderr", log.open("ab"))
            await super()._async_start_kernel(**kw)
            if launched is not None:
                launched.append(
                    "forked" if getattr(self.provisioner, "forked", False) else "started"
                )

    return PrivateSocketKernelManager


def execute_one(job: Job, kernels=None) -> JobResult:
    """Run one notebook (in a worker process); write its output only if every cell succeeds.
    `kernels`: the address of the build's kernel parent, if it has one."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    started = time.perf_counter()
    called_at = time.time()
    scratch = job.root / "_build" / "scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    tmp = scratch / f"{job.source.name}.{os.getpid()}.ipynb"
    launched: list[str] = []
    os.environ[data.READS_ENV] = ",".join(job.source.reads)
    os.environ[catalog.LATEST_ENV] = job.latest
    os.environ[CHART_DIR_ENV] = str(job.chart_dir)
    try:
        notebook = jupytext.read(job.source.path, fmt="md:myst")
        papermill.execute_notebook(
            notebook,
            str(tmp),
            parameters=job.values,
            cwd=str(job.root),
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            execution_timeout=job.timeout,
            kernel_manager_class=_kernel_manager_class(
                tmp.with_suffix(".kernel.log"), kernels, launched
            ),
        )
    except PapermillExecutionError as error:
        return _failed(job, tmp, started, _describe(error, tmp))
    except Exception as error:  # a kernel that dies or a timeout: report, keep the last good output
        detail = f"{type(error).__name__}: {error}".strip()
        if "Timeout" in type(error).__name__ or "timed out" in str(error).lower():
            detail = f"a cell ran longer than {job.timeout} s and was stopped ({detail})"
        return _failed(job, tmp, started, detail)
    finally:
        os.environ.pop(data.READS_ENV, None)
        os.environ.pop(catalog.LATEST_ENV, None)
        os.environ.pop(CHART_DIR_ENV, None)
    executed = nbformat.read(tmp, as_version=4)
    timings = notebook_profile(executed, called_at, time.time())
    timings["kernel"] = launched[0] if launched else None
    normalize(executed, job.key, job.values, job.source)
    job.output.parent.mkdir(parents=True, exist_ok=True)
    staged = job.output.with_suffix(".ipynb.partial")
    nbformat.write(executed, staged)
    os.replace(staged, job.output)
    tmp.unlink(missing_ok=True)
    tmp.with_suffix(".kernel.log").unlink(missing_ok=True)
    return JobResult(job.source.name, "ran", time.perf_counter() - started, profile=timings)


def _describe(error, tmp: Path) -> str:
    """Which code cell failed (counted as a reader counts them in the source) and the error."""
    where = f"cell {error.exec_count}"
    try:
        executed = nbformat.read(tmp, as_version=4)
    except (OSError, ValueError):
        return f"{where} raised {error.ename}: {error.evalue}"
    code_cells = [
        c
        for c in executed.cells
        if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])
    ]
    for number, cell in enumerate(code_cells, start=1):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
            where = f"code cell {number} (`{first[:60]}`)"
            break
    return f"{where} raised {error.ename}: {error.evalue}"


def _failed(job: Job, tmp: Path, started: float, detail: str) -> JobResult:
    failed_dir = job.root / "_build" / "failed"
    failed_dir.mkdir(parents=True, exist_ok=True)
    kept = failed_dir / f"{job.source.name}.ipynb"
    if tmp.exists():
        shutil.move(tmp, kept)
        detail += f" (the failed run is kept in {kept.relative_to(job.root)})"
    return JobResult(job.source.name, "failed", time.perf_counter() - started, detail)


def _run_safely(job: Job, kernels=None) -> JobResult:
    try:
        return execute_one(job, kernels)
    except Exception:  # keep the worker pool alive and say what happened
        return JobResult(job.source.name, "failed", 0.0, traceback.format_exc(limit=3))


def _quiet_worker(logs: str) -> None:
    """What libraries log in a worker goes to a file, not to the terminal: a notebook's failure
    comes back as its result, and Ctrl-C, which stops the workers with the command, would
    otherwise print each worker's traceback and its notebook client's "Kernel died". The worker
    also ends with the build (see `end_with_parent`)."""
    log = os.open(os.path.join(logs, f"worker-{os.getpid()}.log"), os.O_WRONLY | os.O_CREAT, 0o644)
    os.dup2(log, 2)
    os.close(log)
    end_with_parent()


class ChartImageError(RuntimeError):
    """A chart's images could not be drawn (the build stops; the last good book stays)."""


def _draw_safely(spec: Path, cache: Path) -> tuple[str, float]:
    """Draw one chart's images: (what went wrong or "", seconds)."""
    began = time.perf_counter()
    try:
        charts.draw_images(spec, cache)
        return "", time.perf_counter() - began
    except Exception as error:  # reported with the chart, the build then stops
        return f"{spec.name}: {type(error).__name__}: {error}", time.perf_counter() - began


def _timed(task) -> float:
    began = time.perf_counter()
    task()
    return time.perf_counter() - began


class Workers:
    """The build's worker processes: one pool runs the notebooks in parallel, another draws
    what goes beside them (chart images, the Vega bundle, the social card). Each notebook's chart
    images are drawn as soon as it is done, while other notebooks run, and may still be drawing
    while the site is built (`finish` waits for them). Two pools, so that drawing never waits
    behind a queued notebook: it fills the time a core spends idle while a kernel starts or
    a notebook waits. Never inside a kernel, and never in the build's own process: the renderer
    starts threads, and a process forked from one that has them can hang. Ctrl-C stops the
    workers at once."""

    def __init__(
        self, root: Path, count: int, report=print, profile: Profile | None = None, kernels=None
    ):
        self.root, self.count, self.report = root, count, report
        self.kernels = kernels
        """The address of the build's kernel parent (see `kernel_parent`), if it has one."""
        self.profile = profile or Profile(started=time.time())
        self.pool: ProcessPoolExecutor | None = None
        """The notebooks' workers."""
        self.drawers: ProcessPoolExecutor | None = None
        """The workers that draw (see `_drawing`)."""
        self._drawings: dict = {}
        self._asked: set[Path] = set()
        self._besides: dict = {}
        self._folders: set[Path] = set()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind, error, trace) -> None:
        for pool in (self.pool, self.drawers):
            if pool is None:
                continue
            if kind is KeyboardInterrupt:
                _stop_now(pool)
            else:  # after `finish` nothing is left; on a failure, what has not started is dropped
                pool.shutdown(wait=True, cancel_futures=True)

    def _pool(self, size: int) -> ProcessPoolExecutor:
        logs = self.root / "_build" / "scratch"
        logs.mkdir(parents=True, exist_ok=True)
        return ProcessPoolExecutor(
            max_workers=max(1, size), initializer=_quiet_worker, initargs=(str(logs),)
        )

    def _start(self, needed: int) -> ProcessPoolExecutor:
        if self.pool is None:
            self.pool = self._pool(min(self.count, needed))
        return self.pool

    def _drawing(self) -> ProcessPoolExecutor:
        """The drawing workers, as many as the notebooks': each starts the renderer once (half a
        second), and the images of a chapter are ready soon after it ran."""
        if self.drawers is None:
            self.drawers = self._pool(self.count)
        return self.drawers

    def run(self, jobs: list[Job], also=()) -> list[JobResult]:
        """Skip up-to-date notebooks, run the rest, report progress as it happens, and start
        drawing their charts' images. `also`: (name, callable) work for the drawing workers."""
        results: dict[str, JobResult] = {}
        todo = []
        for job in jobs:
            stored = cached_key(job.output)
            if stored == job.key:
                results[job.source.name] = JobResult(job.source.name, "cached")
                self.report(f"  cached   {job.source.name}")
            else:
                if job.output.exists() and stored is None:
                    self.report(
                        f"  note     {job.source.name}: cached output unreadable, re-running"
                    )
                todo.append(job)
        self._folders |= {job.chart_dir for job in jobs}
        pending = any(charts.images_to_draw(f) for f in self._folders)
        if not todo and not pending:
            for name, task in also:
                self.profile.add_work(name, _timed(task))
            return [results[job.source.name] for job in jobs]
        self._besides |= {self._drawing().submit(_timed, task): name for name, task in also}
        notebooks = {}
        for job in todo:
            self.report(f"  running  {job.source.name}")
            notebooks[self._start(len(todo)).submit(_run_safely, job, self.kernels)] = job
        for future in as_completed(notebooks):
            result = future.result()
            results[result.name] = result
            if result.profile:
                self.profile.notebooks[result.name] = result.profile
            mark = "ran" if result.status == "ran" else "FAILED"
            self.report(f"  {mark:<8} {result.name} ({result.seconds:.1f} s)")
            self._draw_what_is_ready()
        self._draw_what_is_ready()  # charts of notebooks run by an earlier, interrupted build
        return [results[job.source.name] for job in jobs]

    def _draw_what_is_ready(self) -> None:
        cache = self.root / CHART_IMAGES
        for folder in self._folders:
            for spec in charts.images_to_draw(folder):
                if spec not in self._asked:
                    self._asked.add(spec)
                    self._drawings[self._drawing().submit(_draw_safely, spec, cache)] = spec

    def finish(self) -> None:
        """Wait for the chart images and the other work; raise ChartImageError if a chart could
        not be drawn."""
        for future, name in self._besides.items():
            self.profile.add_work(name, future.result())
        errors = []
        for future in as_completed(self._drawings):
            error, seconds = future.result()
            self.profile.add_work("chart images drawn (SVG and PNG)", seconds)
            if error:
                errors.append(error)
        if self._drawings:
            self.report(f"  drew     images of {len(self._drawings) - len(errors)} charts")
        self._besides, self._drawings = {}, {}
        if errors:
            raise ChartImageError("; ".join(errors))


def kernel_parent(jobs: list[Job]):
    """A kernel parent for the build's notebooks when one will surely run, or nothing. Asked
    before the data is checked, that is a notebook without an executed output, and its imports
    fill the core the check leaves idle; asked again once the jobs are dated (`date_jobs` gives
    each its key), also one whose inputs changed. A parent started early is taken when one is
    wanted, and stopped when the last asking finds none is."""
    import contextlib

    from aibet.build import kernel_parent as parents

    stored = [cached_key(job.output) for job in jobs]
    if all(
        key is not None and key == (job.key or key) for key, job in zip(stored, jobs, strict=True)
    ):
        if all(job.key for job in jobs):  # the last asking
            parents.stop_early()
        return contextlib.nullcontext()
    root = jobs[0].root
    return parents.take_early() or parents.KernelParent(root, root / parents.LOG)


def execute(jobs: list[Job], workers: int, report=print, also=()) -> list[JobResult]:
    """`Workers.run`, then wait until every chart image is drawn."""
    with Workers(jobs[0].root, workers, report) as pool:
        results = pool.run(jobs, also)
        pool.finish()
    return results


def _stop_now(pool: ProcessPoolExecutor) -> None:
    """On Ctrl-C, end the workers at once instead of waiting for their notebooks (a worker would
    first ask its busy kernel to shut down); each kernel notices its parent gone and exits."""
    for process in list(pool._processes.values()):  # no public way to stop running work
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def safe_name(text: str) -> str:
    """A file name made only of safe characters (parameter values can contain anything)."""
    return re.sub(r"[^A-Za-z0-9_.=-]+", "_", text).strip("._")[:120] or "run"
