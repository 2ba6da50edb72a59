"""Turning notebooks and data into the book: parameters, the notebook runner, the site."""

import subprocess


def stop_process(process: subprocess.Popen, within: float) -> None:
    """Ask `process` to stop (SIGTERM: it stops what it started, then itself); kill it if it
    has not within `within` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=within)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
