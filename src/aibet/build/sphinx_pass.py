"""One Sphinx pass over a book, run as its own process by the site build:

    python -m aibet.build.sphinx_pass SOURCE OUTPUT DOCTREES [BUILDER]

It does what `jupyter-book build SOURCE --path-output … -W -n --keep-going -q` does for an HTML
book (BUILDER `html`, the default), with two differences:

- The environment saved in DOCTREES is kept, so only the pages that changed since it was saved
  are read again. Every page is still written, so every cross-reference is resolved and checked
  on every pass. The caller decides when a saved environment may be used (`aibet.build.site`).
- It starts Sphinx (imports, configuration, extensions, the saved environment), then waits for
  one line on stdin: `go` builds the book, anything else ends the pass without building. The
  site build starts it while the notebooks run and says `go` once the pages are written.

Exits 0 when the site is built without a warning, 1 otherwise. With BUILDER `singlehtml` (the
printout), a warning is reported but fails nothing, as `jupyter-book build --builder singlehtml`.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

GO = "go"


def main(argv: list[str] | None = None) -> int:
    source, output, doctrees, *builder = argv or sys.argv[1:]
    source, output, doctrees = Path(source), Path(output), Path(doctrees)
    builder = builder[0] if builder else "html"
    from jupyter_book.config import get_final_config
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    config, _ = get_final_config(
        user_yaml=source / "_config.yml",
        cli_config={
            "external_toc_path": (source / "_toc.yml").as_posix(),
            "latex_individualpages": False,
            "nitpicky": True,
        },
        sourcedir=source,
        use_external_toc=True,
    )
    try:
        with patch_docutils(None), docutils_namespace():
            app = Sphinx(
                srcdir=source,
                confdir=None,
                outdir=output,
                doctreedir=doctrees,
                buildername=builder,
                confoverrides=config,
                status=None,
                warning=sys.stderr,
                freshenv=False,
                warningiserror=builder == "html",
                keep_going=True,
            )
            if sys.stdin.readline().strip() != GO:
                return 0
            app.build(force_all=True)  # read what changed, write everything
            return 0 if app.statuscode == 0 else 1
    except Exception as error:  # a warning made an error, or a broken page: said, then 1
        print(f"the book could not be built: {type(error).__name__}: {error}", file=sys.stderr)
        return 1


def _end(code: int) -> None:
    """Exit without tearing down Sphinx's objects one by one (about 0.5 s): everything is
    written. What an extension started is stopped first (the sitemap's queue manager, a
    process of its own, would otherwise be left behind)."""
    import multiprocessing

    for child in multiprocessing.active_children():
        child.terminate()
        child.join()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: _end(1))  # stopped by the build: no helper left
    _end(main())
