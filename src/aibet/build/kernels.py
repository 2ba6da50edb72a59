"""Kernels forked from one process that has already imported what every chapter imports.

A notebook's kernel is normally a new Python that imports ipykernel and then, in the chapter's
first cell, pandas, Altair and this package: about 2 CPU-seconds for each chapter before any
cell does its work. A build starts one *kernel parent* instead (`python -m aibet.build.kernels
SOCKET`). It imports all of that once, then forks a kernel for each notebook on request: the
same ipykernel, with the connection file, environment and working folder that Jupyter gives it,
so Papermill drives it like any other.

The parent only imports and waits, so it has no threads to lose when it forks. It exits when
the build's pipe to it closes (the build ended, however it ended), and stops the kernels it
made. When no parent answers, a kernel is started the usual way.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import os
import pkgutil
import select
import signal
import socket
import subprocess
import sys
import time
import traceback

from jupyter_client.provisioning import LocalProvisioner
from traitlets import Integer, Unicode

PRELOADED = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "myst_nb",
    "pandas",
    "altair",
    "aibet.claims.notebooks",
    "aibet.present.story",
)
"""What every chapter's kernel imports (the chapters' own modules are added)."""
READY_WITHIN = 60
"""Seconds a kernel waits for the parent to finish its imports before it is started alone."""
LAUNCHER = ["-m", "ipykernel_launcher"]
"""The kernel command's arguments a forked kernel stands in for."""


class ForkedKernelProvisioner(LocalProvisioner):
    """Jupyter's local provisioner, except that the kernel is forked by the kernel parent at
    `parent_socket` (process `parent_pid`); started the usual way when the parent cannot."""

    parent_socket = Unicode("")
    parent_pid = Integer(0)
    log_path = Unicode("")
    forked = False

    async def launch_kernel(self, cmd: list[str], **kwargs):
        pid = None
        if cmd[1:3] == LAUNCHER:
            request = {
                "argv": cmd[3:],
                "cwd": str(kwargs.get("cwd") or os.getcwd()),
                "env": dict(kwargs.get("env") or os.environ),
                "log": self.log_path,
            }
            pid = await asyncio.to_thread(_ask, self.parent_socket, self.parent_pid, request)
        if pid is None:
            if self.log_path:
                kwargs.setdefault("stderr", open(self.log_path, "ab"))  # noqa: SIM115 (the kernel's)
            return await super().launch_kernel(cmd, **kwargs)
        self.forked = True
        self.process = _Forked(pid)
        self.pid = self.pgid = pid  # the kernel leads its own process group
        self.cwd = request["cwd"]
        return self.connection_info


class _Forked:
    """What Jupyter's local provisioner uses of a `Popen`, for a kernel that is not our child:
    the kernel parent reaps it, so it is gone once it has exited."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _ask(path: str, parent_pid: int, request: dict) -> int | None:
    """The pid of a kernel forked for `request`, waiting while the parent still imports; None
    when there is no parent to ask (never started, gone, or not ready in time)."""
    if not path:
        return None
    deadline = time.monotonic() + READY_WITHIN
    while True:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.connect(path)
                conn.sendall(json.dumps(request).encode())
                conn.shutdown(socket.SHUT_WR)
                return int(json.loads(_read_all(conn))["pid"])
        except (FileNotFoundError, ConnectionRefusedError):
            if not _alive(parent_pid) or time.monotonic() > deadline:
                return None
            time.sleep(0.02)  # still importing
        except (OSError, ValueError, KeyError):
            return None


def _alive(pid: int) -> bool:
    """Whether `pid` runs (a parent that failed is a zombie until the build reaps it)."""
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _read_all(conn: socket.socket) -> bytes:
    chunks = []
    while chunk := conn.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


# --- the kernel parent's own process -------------------------------------------------------


class _Stop(Exception):
    """The build asked the parent to stop (SIGTERM)."""


def _stopped(*_):
    raise _Stop


def serve(path: str) -> int:
    """Import, then fork a kernel for each request, until told to stop (SIGTERM) or until the
    build that started it is gone."""
    import gc

    import aibet.present.chapters as chapters

    for module in PRELOADED:
        importlib.import_module(module)
    for found in pkgutil.iter_modules(chapters.__path__):
        importlib.import_module(f"{chapters.__name__}.{found.name}")
    gc.freeze()  # what was imported stays shared with every kernel, not copied on first touch
    kernels: set[int] = set()

    def reap(*_):
        with contextlib.suppress(ChildProcessError):
            while (pid := os.waitpid(-1, os.WNOHANG)[0]) > 0:
                kernels.discard(pid)

    build = os.getppid()
    signal.signal(signal.SIGCHLD, reap)
    signal.signal(signal.SIGTERM, _stopped)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    staged = f"{path}.{os.getpid()}"
    listener.bind(staged)
    listener.listen()
    os.replace(staged, path)  # the address appears only once the imports are done
    try:
        while os.getppid() == build:
            if not select.select([listener], [], [], 1.0)[0]:
                continue
            conn, _ = listener.accept()
            with conn:
                request = json.loads(_read_all(conn))
                pid = os.fork()
                if pid == 0:
                    listener.close()
                    conn.close()
                    _become_kernel(request)
                kernels.add(pid)
                conn.sendall(json.dumps({"pid": pid}).encode())
    except _Stop:
        pass
    finally:
        listener.close()
        with contextlib.suppress(OSError):
            os.unlink(path)
        for pid in kernels:  # still running: their build is over
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGTERM)
    return 0


def _become_kernel(request: dict) -> None:
    """In the forked child: become the kernel `ipykernel_launcher` would have started."""
    code = 1
    try:
        os.setsid()
        for signum, handler in (
            (signal.SIGCHLD, signal.SIG_DFL),
            (signal.SIGTERM, signal.SIG_DFL),
            (signal.SIGINT, signal.default_int_handler),
        ):
            signal.signal(signum, handler)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        parent = str(os.getppid())
        os.environ["JPY_PARENT_PID"] = parent
        null = os.open(os.devnull, os.O_RDONLY)
        log = os.open(request["log"] or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        for fd, target in ((0, null), (1, log), (2, log)):
            os.dup2(target, fd)
        sys.path[0] = request["cwd"]  # as `python -m` sets it in the kernel's own folder
        # It exits when its parent does. Said on the command line: the kernel app read its
        # environment's parent when the parent imported it.
        sys.argv = ["ipykernel_launcher", *request["argv"], f"--IPKernelApp.parent_handle={parent}"]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 0
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)


if __name__ == "__main__":
    code = serve(sys.argv[1])
    os._exit(code)  # nothing to write: tearing down what was imported would only cost time
