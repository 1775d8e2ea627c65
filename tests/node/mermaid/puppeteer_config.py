"""Prints the puppeteer config that the Mermaid CLI needs here: Debian's Chromium, run as root
(so without its sandbox) on a machine with no network but the package registries."""

from __future__ import annotations

import json
import sys

FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main() -> None:
    browser, profile = sys.argv[1], sys.argv[2]
    config = {"executablePath": browser, "args": [*FLAGS, f"--user-data-dir={profile}"]}
    json.dump(config, sys.stdout)


if __name__ == "__main__":
    main()
