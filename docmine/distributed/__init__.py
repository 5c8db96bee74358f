"""Ingest on a Ray cluster: the same per-file work as docmine.work, run as Ray tasks, and embeddings in a Ray actor.

Ray is an optional extra (``pip install 'docmine[ray]'``); nothing here imports it before it is used.
"""

from docmine.distributed.cluster import connect, ray_module
from docmine.distributed.executor import RayExecutor

__all__ = ["RayExecutor", "connect", "ray_module"]
