"""Start, watch and stop service processes by PID.

Every process we start gets its own session (so a stray child never outlives
``down``), a log file and a PID file in the run directory. Stopping only ever
signals the PIDs we recorded: SIGTERM first, SIGKILL after a bound, because some
services (ironic-inspector) ignore SIGTERM for seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

STOP_GRACE_SECONDS = 10.0
KILL_WAIT_SECONDS = 5.0


def pid_file(run_dir: Path, name: str) -> Path:
    return run_dir / "pids" / f"{name}.pid"


def log_file(run_dir: Path, name: str) -> Path:
    return run_dir / "logs" / f"{name}.log"


def start(run_dir: Path, name: str, argv: list[str], env: dict[str, str] | None = None,
          cwd: Path | None = None) -> int:
    """Start ``argv`` detached, logging to ``logs/<name>.log``; returns its PID."""
    (run_dir / "pids").mkdir(parents=True, exist_ok=True)
    (run_dir / "logs").mkdir(parents=True, exist_ok=True)
    with log_file(run_dir, name).open("ab") as log:
        child = subprocess.Popen(
            argv,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=cwd or run_dir,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )
    pid_file(run_dir, name).write_text(f"{child.pid}\n")
    return child.pid


def recorded_pid(run_dir: Path, name: str) -> int | None:
    path = pid_file(run_dir, name)
    if not path.is_file():
        return None
    return int(path.read_text().strip())


def is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); look at its state so `down` does not wait on it.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def stop(run_dir: Path, name: str) -> str:
    """Stop the process group recorded for ``name``; returns what happened."""
    pid = recorded_pid(run_dir, name)
    if pid is None:
        return "not started"
    outcome = "already stopped"
    if is_alive(pid):
        outcome = _terminate(pid)
    pid_file(run_dir, name).unlink()
    return outcome


def _terminate(pid: int) -> str:
    # The child leads its own session (start_new_session), so its group id is its PID:
    # signalling the group also reaches gunicorn workers and other children it forked.
    _signal_group(pid, signal.SIGTERM)
    if _gone_within(pid, STOP_GRACE_SECONDS):
        return "stopped (SIGTERM)"
    _signal_group(pid, signal.SIGKILL)
    if _gone_within(pid, KILL_WAIT_SECONDS):
        return "killed (SIGKILL)"
    raise RuntimeError(f"process {pid} survived SIGKILL for {KILL_WAIT_SECONDS:.0f}s")


def _gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        _reap(pid)
        if not is_alive(pid) and not _group_exists(pid):
            return True
        time.sleep(0.1)
    return False


def _group_exists(pgid: int) -> bool:
    """Whether any process (a gunicorn worker, say) is left in the group we started."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _signal_group(pid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def wait_http(url: str, headers: dict[str, str], timeout: float, pid: int, log: Path) -> float:
    """Poll ``url`` until it answers below 500; returns seconds waited.

    Fails early when the process died, pointing at its log, rather than waiting
    out the whole timeout.
    """
    started = time.monotonic()
    last_error = "no answer"
    while time.monotonic() - started < timeout:
        if not is_alive(pid):
            raise RuntimeError(f"process {pid} exited while starting; see {log}")
        try:
            request = urllib.request.Request(url, headers=headers)
            with urllib.request.urlopen(request, timeout=5):
                return time.monotonic() - started
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return time.monotonic() - started
            last_error = f"HTTP {error.code}"
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            last_error = str(error)
        time.sleep(0.3)
    raise RuntimeError(f"{url} not ready after {timeout:.0f}s ({last_error}); see {log}")
