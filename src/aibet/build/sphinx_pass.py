"""One Sphinx pass over a book, run as its own process by the site build:

    python -m aibet.build.sphinx_pass SOURCE OUTPUT DOCTREES

It does what `jupyter-book build SOURCE --path-output … -W -n --keep-going -q` does, with one
difference: the environment saved in DOCTREES is kept, so only the pages that changed since it
was saved are read again. Every page is still written, so every cross-reference is resolved and
checked on every pass. The caller decides when a saved environment may be used (see
`aibet.build.site`). Exits 0 when the site is built without a warning, 1 otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    source, output, doctrees = (Path(a) for a in (argv or sys.argv[1:]))
    from jupyter_book.sphinx import build_sphinx

    result = build_sphinx(
        source,
        output,
        doctreedir=doctrees,
        use_external_toc=True,
        noconfig=True,
        path_config=str(source / "_config.yml"),
        confoverrides={
            "external_toc_path": (source / "_toc.yml").as_posix(),
            "latex_individualpages": False,
            "nitpicky": True,
        },
        builder="html",
        warningiserror=True,
        keep_going=True,
        freshenv=False,
        force_all=True,  # read what changed, write everything
        quiet=True,
    )
    if isinstance(result, BaseException):
        print(f"the book could not be built: {result}", file=sys.stderr)
        return 1
    return 0 if result == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
