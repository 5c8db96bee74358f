"""A real local Ray head for the tests: on 127.0.0.1 only, 2 CPUs, no dashboard, no usage stats; stopped by its id."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import NamedTuple

from docmine.distributed.cluster import LOCAL_ONLY_ENV

# Without LOCAL_ONLY_ENV=0 Ray 2.60 replaces --node-ip-address 127.0.0.1 by the machine's address and its GCS
# and raylet listen on every interface.
RAY_ENV = {"RAY_USAGE_STATS_ENABLED": "0", LOCAL_ONLY_ENV: "0"}
LOOPBACK_HOSTS = ("127.0.0.1", "[::1]", "[::ffff:127.0.0.1]")


class Head(NamedTuple):
    address: str  # host:port for --ray-address
    session: int  # the session id (= pid of `ray start`) of every process the head started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def local_head(env: dict[str, str]) -> Iterator[Head]:
    """``ray start --head --block`` in a session of its own; the session is ended (by id) on exit."""
    port = free_port()
    # a short folder: Ray's socket paths must stay under the 107-byte limit of Unix sockets
    temp = Path(tempfile.mkdtemp(prefix="dmray", dir="/tmp"))
    command = [
        str(Path(sys.executable).parent / "ray"), "start", "--head", "--block", "--num-cpus", "2",
        "--include-dashboard=false", "--disable-usage-stats", "--node-ip-address", "127.0.0.1",
        "--port", str(port), "--temp-dir", str(temp),
    ]  # fmt: skip
    head = subprocess.Popen(
        command,
        env={**os.environ, **env, **RAY_ENV},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not listening(port):
            if head.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Ray head did not start (exit {head.returncode})")
            time.sleep(0.5)
        time.sleep(2)  # the raylet registers a moment after the GCS listens
        yield Head(f"127.0.0.1:{port}", head.pid)
    finally:
        stop(head)


def stop(head: subprocess.Popen[bytes]) -> None:
    if head.poll() is None:
        head.send_signal(signal.SIGTERM)  # ray start --block stops the processes it started
        with suppress(subprocess.TimeoutExpired):
            head.wait(30)
    with suppress(ProcessLookupError):
        os.killpg(head.pid, signal.SIGKILL)  # whatever of the head's own session is left


def task_workers(name: str) -> list[int]:
    """Pids of Ray workers running a task of function ``name`` (Ray titles them ``ray::<name>``)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().split(b"\0")[0]
        except OSError:
            continue
        if title.startswith(f"ray::{name}".encode()):
            found.append(int(entry.name))
    return found


def listeners(session: int) -> list[str]:
    """``address:port`` of every TCP/UDP socket listening in a process of ``session`` (from ``ss -ltnup``)."""
    pids = set()
    for entry in Path("/proc").iterdir():
        with suppress(OSError, IndexError, ValueError):
            # field 6 of /proc/PID/stat is the session id; the name (field 2) may hold spaces, so split after ')'
            if entry.name.isdigit() and int((entry / "stat").read_text().rpartition(")")[2].split()[3]) == session:
                pids.add(entry.name)
    out = subprocess.run(["ss", "-Hltnup"], capture_output=True, text=True, check=True).stdout
    found = []
    for line in out.splitlines():
        owners = {part.partition(",")[0] for part in line.split("pid=")[1:]}
        if owners & pids:
            found.append(line.split()[4])  # Netid State Recv-Q Send-Q Local-Address:Port ...
    return found


def non_loopback(addresses: list[str]) -> list[str]:
    return [a for a in addresses if a.rpartition(":")[0] not in LOOPBACK_HOSTS]
