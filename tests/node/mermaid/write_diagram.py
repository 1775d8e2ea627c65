"""Writes the bundled flow's Mermaid diagram to stdout, or with `--png FILE` renders it there
through `flows.diagram.render` (the code path of the admin command)."""

from __future__ import annotations

import sys
from pathlib import Path

from flows.diagram import mermaid, render
from flows.loader import load_bundled


def main() -> None:
    lang = sys.argv[1]
    text = mermaid(load_bundled(), lang)
    if len(sys.argv) == 4 and sys.argv[2] == "--png":
        render(text, "png", Path(sys.argv[3]))
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
