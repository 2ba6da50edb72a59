"""The kernel parent: a build's notebooks run in kernels forked from one process that has
already imported what every chapter imports (see `aibet.build.kernels`)."""

import asyncio
import subprocess
import time

import psutil
from tests.conftest import ROOT

from aibet.build import kernel_parent, kernels, runner


async def _run_in_a_kernel(manager, code: str) -> str:
    """Start the kernel, run `code`, return what it printed (the kernel is left running)."""
    await manager.start_kernel()
    client = manager.client()
    client.start_channels()
    await client.wait_for_ready(timeout=60)
    printed = []

    def keep(message):
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])

    await client.execute_interactive(code, output_hook=keep, timeout=60)
    client.stop_channels()
    return "".join(printed)


def _gone(pid: int, within: float = 30.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


def test_a_kernel_is_forked_with_the_chapters_imports_and_goes_with_its_parent(tmp_path):
    launched = []
    with kernel_parent.KernelParent(ROOT, tmp_path / "parent.log") as parent:
        manager_class = runner._kernel_manager_class(
            tmp_path / "kernel.log", parent.address, launched
        )
        manager = manager_class(kernel_name="python3")
        code = "import os, sys; print(os.getppid(), 'altair' in sys.modules, os.getcwd())"
        printed = asyncio.run(_run_in_a_kernel(manager, code))
        assert launched == ["forked"]
        ppid, preloaded, cwd = printed.split()
        assert int(ppid) == parent.process.pid
        assert preloaded == "True"  # imported once, by the parent
        assert cwd == str(ROOT)
        kernel = manager.provisioner.pid
        assert not _gone(kernel, within=0)
        parent.process.kill()  # the build and its parent gone: the kernel must not linger
        assert _gone(kernel), "a kernel outlived its parent"


def test_without_a_parent_a_kernel_is_started_the_usual_way(tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    assert kernels._ask(str(tmp_path / "no-parent"), dead.pid, {"argv": []}) is None
    launched = []
    manager_class = runner._kernel_manager_class(
        tmp_path / "kernel.log", (str(tmp_path / "no-parent"), dead.pid), launched
    )
    manager = manager_class(kernel_name="python3")
    printed = asyncio.run(_run_in_a_kernel(manager, "print(6 * 7)"))
    asyncio.run(manager.shutdown_kernel(now=True))
    assert launched == ["started"]
    assert printed.strip() == "42"
