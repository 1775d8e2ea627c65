"""Ports for servers that the tests and benchmarks start in other processes."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A port the kernel just handed out: free now, and very unlikely to be taken before the
    server binds it, unlike a fixed port that a parallel run would share."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
