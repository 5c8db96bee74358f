"""Joining a Ray cluster: the import of Ray (an optional extra) and the connection, with errors for people."""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

from docmine.errors import DocmineError

INSTALL_HINT = "install the Ray extra: pip install 'docmine[ray]'"


LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
# Ray reads this once, at import: "0" makes it take 127.0.0.1 as this node's address (as on macOS/Windows),
# so a head started with it listens on loopback only, and a driver joining such a head must set it too.
LOCAL_ONLY_ENV = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"


def local_only(address: str | None) -> bool:
    """Whether ``address`` (or RAY_ADDRESS; neither: a Ray started for this run) is a head on loopback."""
    target = address or os.environ.get("RAY_ADDRESS")
    return not target or target.rpartition(":")[0] in LOOPBACK


def ray_module(address: str | None = None) -> ModuleType:
    """The ``ray`` package, or a DocmineError saying how to install it; ``address`` is the cluster to join."""
    # Read by Ray when it is imported, so set first.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # never report usage from a newsroom's machine
    if local_only(address):  # Ray would otherwise replace 127.0.0.1 by the machine's address and listen there
        os.environ.setdefault(LOCAL_ONLY_ENV, "0")
    if _has_token():  # as `ray start` does: a head started where a token exists requires it from clients
        os.environ.setdefault("RAY_AUTH_MODE", "token")
    try:
        import ray
    except ImportError as exc:
        raise DocmineError("Ray is not installed, so --ray cannot run", INSTALL_HINT) from exc
    return ray


def connect(address: str | None) -> ModuleType:
    """Join the cluster at ``address`` (or RAY_ADDRESS; neither: a local Ray started for this run)."""
    ray = ray_module(address)
    if ray.is_initialized():
        return ray
    try:
        if address or os.environ.get("RAY_ADDRESS"):
            ray.init(address=address or None, log_to_driver=False, logging_level="ERROR")
        else:
            ray.init(include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise DocmineError(
            f"cannot join the Ray cluster at {address or os.environ.get('RAY_ADDRESS') or 'a new local one'}: {exc}",
            "start one with: ray start --head, then pass its address (host:6379) to --ray-address; a head on "
            f"127.0.0.1 must be started with {LOCAL_ONLY_ENV}=0 (one on the machine's address is joined by that "
            "address); a cluster with token authentication needs its token in ~/.ray/auth_token or RAY_AUTH_TOKEN",
        ) from exc
    return ray


def _has_token() -> bool:
    return (
        bool(os.environ.get("RAY_AUTH_TOKEN") or os.environ.get("RAY_AUTH_TOKEN_PATH"))
        or (Path.home() / ".ray" / "auth_token").is_file()
    )


def has_gpu(ray: ModuleType) -> bool:
    return float(ray.cluster_resources().get("GPU", 0)) >= 1


def cpus(ray: ModuleType) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))
