"""`aibet` and `python -m aibet`: the command line, ended quietly by Ctrl-C even while it loads
(its imports take a second or two, and a traceback then would look like a crash)."""

import sys

from aibet import INTERRUPTED


def run() -> int:
    try:
        from aibet.cli import main
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return 130
    return main()


if __name__ == "__main__":
    sys.exit(run())
