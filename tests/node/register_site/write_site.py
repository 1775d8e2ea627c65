"""Writes the register site that tests/node/run-register-site.sh checks in a browser, from
the register of tests/bot/register_journeys.py, through the real generator; and one page
that must fail, so that a green run proves axe-core really ran."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.register_site import write_site
from bot.settings import Settings
from tests.bot.journeys import open_with_reviewers
from tests.bot.register_journeys import REVIEWERS, populate

BROKEN = '<!DOCTYPE html><html><head><title>x</title></head><body><img src="x.png"></body></html>'


def main() -> None:
    site, work = Path(sys.argv[1]), Path(sys.argv[2])
    settings = Settings(database_url=f"sqlite:///{work / 'register.db'}", data_dir=work / "data")
    app = open_with_reviewers(settings, work, REVIEWERS)
    try:
        populate(app)
        write_site(app, site)
    finally:
        app.close()
    (work / "broken.html").write_text(BROKEN, "utf-8")


if __name__ == "__main__":
    main()
