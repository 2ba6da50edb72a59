"""`aibet` and `python -m aibet`: the command line, ended quietly by Ctrl-C even while it loads
(its imports take a second or two, and a traceback then would look like a crash)."""

import sys

from aibet import INTERRUPTED


def run() -> int:
    try:
        if sys.argv[1:2] == ["build"]:  # nothing to do: answered without the build's imports
            from aibet import project_root
            from aibet.build import unchanged

            root = project_root()
            last = unchanged.look(root, sys.argv[2:])
            if last.report is not None:
                print(last.report, end="")
                return 0
            # Its imports overlap the build's; not for a build that is refused at once, nor for
            # one that can run no notebook (only the book's pages changed).
            if last.notebooks_may_run and not last.busy:
                from aibet.build import kernel_parent

                kernel_parent.start_early(root)
        from aibet.cli import main
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return 130
    return main()


if __name__ == "__main__":
    sys.exit(run())
