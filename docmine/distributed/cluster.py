"""Joining a Ray cluster: the import of Ray (an optional extra) and the connection, with errors for people."""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

from docmine.errors import DocmineError

INSTALL_HINT = "install the Ray extra: pip install 'docmine[ray]'"


def ray_module() -> ModuleType:
    """The ``ray`` package, or a DocmineError saying how to install it."""
    # Read by Ray when it is imported, so set first.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # never report usage from a newsroom's machine
    if _has_token():  # as `ray start` does: a head started where a token exists requires it from clients
        os.environ.setdefault("RAY_AUTH_MODE", "token")
    try:
        import ray
    except ImportError as exc:
        raise DocmineError("Ray is not installed, so --ray cannot run", INSTALL_HINT) from exc
    return ray


def connect(address: str | None) -> ModuleType:
    """Join the cluster at ``address`` (or RAY_ADDRESS; neither: a local Ray started for this run)."""
    ray = ray_module()
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
            "start one with: ray start --head, then pass its address (host:6379) to --ray-address; a cluster "
            "with token authentication needs its token in ~/.ray/auth_token or RAY_AUTH_TOKEN",
        ) from exc
    return ray


def _has_token() -> bool:
    return bool(os.environ.get("RAY_AUTH_TOKEN") or os.environ.get("RAY_AUTH_TOKEN_PATH")) or (
        Path.home() / ".ray" / "auth_token"
    ).is_file()


def has_gpu(ray: ModuleType) -> bool:
    return float(ray.cluster_resources().get("GPU", 0)) >= 1


def cpus(ray: ModuleType) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))
