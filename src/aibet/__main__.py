"""`aibet` and `python -m aibet`: the command line, ended quietly by Ctrl-C even while it loads
(its imports take a second or two, and a traceback then would look like a crash)."""

import sys

from aibet import INTERRUPTED


def run() -> int:
    try:
        if sys.argv[1:2] == ["build"]:  # nothing to do: answered without the build's imports
            from aibet import project_root
            from aibet.build import unchanged

            report = unchanged.replay(project_root(), sys.argv[2:])
            if report is not None:
                print(report, end="")
                return 0
            if unchanged.book_is_free(project_root()):  # else the build is refused at once
                from aibet.build import kernel_parent

                kernel_parent.start_early(project_root())  # its imports overlap the build's
        from aibet.cli import main
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return 130
    return main()


if __name__ == "__main__":
    sys.exit(run())
