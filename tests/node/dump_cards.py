"""Writes every card the Teams adapter can produce as JSON files, for the Node validator.

`python -m tests.node.dump_cards OUT_DIR` — uses a throwaway SQLite database.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from bot.app import open_app
from bot.settings import Settings
from tests.adapters.teams.card_samples import all_cards, longest_result


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        app = open_app(Settings(database_url=f"sqlite:///{folder / 'cards.db'}", data_dir=folder))
        try:
            cards = all_cards(app)
            cards["result-longest-fr"] = longest_result(app)
        finally:
            app.store.close()
    for name, card in cards.items():
        (out / f"{name}.json").write_text(json.dumps(card, ensure_ascii=False, indent=1), "utf-8")
    print(f"{len(cards)} cards written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
