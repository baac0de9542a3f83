"""Start the sandbox emulator as a child process and make sure it never outlives the app.

Three layers keep it from lingering: the app terminates it on exit; on Linux the kernel sends
it SIGTERM when the app dies (PR_SET_PDEATHSIG, also on SIGKILL); and ``--parent-pid`` makes
the sandbox itself exit when our pid disappears (other platforms, or a re-parented child).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from accountdesk.tui.i18n import _

READY_PREFIX = "Account Desk sandbox ready at "
STARTUP_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 5.0
_STDERR_TAIL_LINES = 12
_PR_SET_PDEATHSIG = 1


class SandboxStartError(Exception):
    """The sandbox did not announce itself; ``stderr_tail`` holds its last words."""

    def __init__(self, message: str, stderr_tail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.stderr_tail = stderr_tail


def _die_with_parent() -> Callable[[], None] | None:
    """A preexec hook asking Linux to SIGTERM the child when this process dies."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    prctl = libc.prctl

    def set_death_signal() -> None:
        prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)

    return set_death_signal


IN_MEMORY = ":memory:"


def sandbox_command(db_path: Path | str, *, parent_pid: int) -> list[str]:
    """The command line of the embedded sandbox (demo data seeded, loopback, free port)."""
    return [
        sys.executable,
        "-m",
        "accountdesk.sandbox",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--db",
        str(db_path),
        "--seed-demo",
        "--parent-pid",
        str(parent_pid),
    ]


class EmbeddedSandbox:
    """One sandbox child process: `start` returns its base URL, `stop` ends it."""

    def __init__(
        self,
        data_dir: Path,
        *,
        startup_timeout: float = STARTUP_TIMEOUT_SECONDS,
        in_memory: bool = False,
    ) -> None:
        """``in_memory`` keeps the sandbox's customers and mail off the disk (a kiosk)."""
        self.data_dir = data_dir
        self.db_path: Path | str = IN_MEMORY if in_memory else data_dir / "sandbox.db"
        # The sandbox logs every request to stderr; a pipe nobody reads would fill up and
        # freeze it, so stderr goes to a file that is also where the failure tail comes from.
        self.log_path = data_dir / "sandbox.log"
        self.startup_timeout = startup_timeout
        self._process: asyncio.subprocess.Process | None = None
        self._stdout_drain: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        """True from a successful start until the process ends."""
        return self._process is not None and self._process.returncode is None

    async def wait(self) -> int | None:
        """Wait until the process ends (however it ends); its exit code, None if never started.

        The app watches this to notice a sandbox that crashed or was killed at once, rather
        than at the next request.
        """
        process = self._process
        if process is None:
            return None
        return await process.wait()

    async def start(self) -> str:
        """Spawn the sandbox and wait for its ready line; raises `SandboxStartError`."""
        # Ours alone: the sandbox database holds emailed tokens and signing secrets.
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.data_dir.chmod(0o700)
        with self.log_path.open("wb") as stderr_file:
            try:
                self._process = await asyncio.create_subprocess_exec(
                    *sandbox_command(self.db_path, parent_pid=os.getpid()),
                    stdin=asyncio.subprocess.DEVNULL,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=stderr_file,
                    preexec_fn=_die_with_parent(),
                )
            except OSError as error:
                raise SandboxStartError(
                    _("Could not start the sandbox: {reason}").format(reason=error)
                ) from None
        try:
            base_url = await asyncio.wait_for(self._read_ready_line(), self.startup_timeout)
        except TimeoutError:
            await self.stop()
            raise SandboxStartError(
                _("The sandbox did not start within {seconds:.0f} seconds.").format(
                    seconds=self.startup_timeout
                ),
                self.stderr_tail(),
            ) from None
        except SandboxStartError as error:
            await self.stop()
            error.stderr_tail = self.stderr_tail()
            raise
        self._stdout_drain = asyncio.create_task(self._drain_stdout())
        return base_url

    async def _read_ready_line(self) -> str:
        process = self._process
        assert process is not None
        assert process.stdout is not None
        while True:
            raw = await process.stdout.readline()
            if not raw:
                code = await process.wait()
                raise SandboxStartError(
                    _("The sandbox exited during startup (exit code {code}).").format(code=code)
                )
            line = raw.decode("utf-8", errors="replace").strip()
            if line.startswith(READY_PREFIX):
                return line.removeprefix(READY_PREFIX).strip().rstrip("/")

    async def _drain_stdout(self) -> None:
        process = self._process
        if process is None or process.stdout is None:
            return
        while await process.stdout.read(4096):
            pass

    def stderr_tail(self) -> str:
        """The last lines the sandbox wrote to stderr (its traceback when it crashed)."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.strip().splitlines()[-_STDERR_TAIL_LINES:])

    async def stop(self) -> None:
        """Terminate the sandbox and wait for it (kill it if it does not stop in time)."""
        process = self._process
        if process is None:
            return
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
            try:
                await asyncio.wait_for(process.wait(), STOP_TIMEOUT_SECONDS)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        if self._stdout_drain is not None:
            self._stdout_drain.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._stdout_drain
        self._process = None
