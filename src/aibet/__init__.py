"""The Trillion-Dollar Bet: data, models, claims, charts and the build runner."""

import os
import threading
import time
from pathlib import Path

PUBLICATION_DATE = "2025-09-26"
"""The article's publication date: 'as known at publication' means data published on or before it."""
ARTICLE_HEADLINE = "AI's trillion-dollar bet: a gamble nobody knows how to pay back"
ARTICLE_HEADLINE_ZH = "AI的万亿赌注:一场无人知晓如何回本的豪赌"
ARTICLE_PUBLISHER = "Guan Cha Zhe Wang"
"""The article the book checks (a summary of a news piece; its paragraph numbers are the [n])."""
PROJECT = "The Trillion-Dollar Bet project"
INTERRUPTED = "interrupted; the last good book is unchanged"
"""What Ctrl-C prints, at whatever point it stops a command."""
CHART_DIR_ENV = "AIBET_CHART_DIR"
"""Where a notebook being run writes each chart's data and images (the runner sets it)."""


def project_root() -> Path:
    """The folder holding `_config.yml` and `data/`: the working directory or one of its parents.

    Falls back to the source checkout the package was installed from (editable install), so that
    a notebook executed from anywhere still finds the project's data.
    """
    for folder in (Path.cwd(), *Path.cwd().parents):
        if (folder / "_config.yml").is_file() and (folder / "data" / "datapackage.yaml").is_file():
            return folder
    return Path(__file__).resolve().parents[2]


def end_with_parent() -> None:
    """A pool worker's initializer: end the worker once the process that started it is gone.
    Killed outright (SIGKILL, which it cannot catch or pass on), a build leaves its pools behind:
    a pool notices only when it next sends work, so an idle worker would wait for ever, holding
    the pipes its siblings (the Sphinx pass) wait on. Kernels watch their parent the same way."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="aibet-end-with-parent", daemon=True).start()
