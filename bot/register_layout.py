"""The frame every page of the register site shares: the document around a page's body
(languages, navigation, footer, the one style sheet), and the escaping helpers every page
writes with, so that no text reaches the HTML unescaped."""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.i18n import LANGS, t

STYLE = """
body{margin:0;font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff;
overflow-wrap:anywhere}
header,main,footer{max-width:46rem;margin:0 auto;padding:0 1rem}
header{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5rem;
border-bottom:1px solid #767676;padding-top:.5rem;padding-bottom:.5rem}
a{color:#0b4a8f}a:focus{outline:3px solid #1a1a1a;outline-offset:2px}
.skip{position:absolute;left:-999rem}.skip:focus{position:static}
h1,h2,h3{line-height:1.25}
dt{font-weight:bold}dd{margin:0 0 .5rem 1rem}
ul.entries{list-style:none;padding:0}
ul.entries>li{border:1px solid #767676;border-radius:.25rem;padding:0 1rem;margin:1rem 0}
footer{border-top:1px solid #767676;margin-top:2rem;font-size:.95rem}
img{max-width:100%;height:auto}
""".strip()


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def paragraphs(text: str) -> str:
    """Blank lines part paragraphs; single line breaks are kept."""
    blocks = [b.strip() for b in text.split("\n\n") if b.strip()]
    return "".join(f"<p>{'<br>'.join(esc(line) for line in b.splitlines())}</p>" for b in blocks)


def localized(value: dict[str, str] | None, lang: str) -> str:
    """A publisher's text in `lang`, or the French one marked as French."""
    if not value:
        return ""
    if lang in value:
        return paragraphs(value[lang])
    return f'<div lang="fr">{paragraphs(value["fr"])}</div>'


@dataclass(frozen=True)
class Page:
    path: str
    """Inside the language's folder: `index.html`, `algorithms/UUID.html`."""
    title: str
    body: str


def document(page: Page, lang: str, generated: datetime) -> str:
    depth = page.path.count("/")
    here = "../" * depth
    root = "../" * (depth + 1)
    other = next(x for x in LANGS if x != lang)
    name = t("register_site_title", lang)
    footer_links = [
        (f"{here}index.html", t("register_all", lang)),
        (f"{here}rules.html", t("register_rules_title", lang)),
        (f"{here}register.json", t("register_download_json", lang)),
        (f"{here}register.csv", t("register_download_csv", lang)),
        (f"{here}feed.atom", t("register_download_feed", lang)),
    ]
    links = "".join(f'<li><a href="{href}">{esc(text)}</a></li>' for href, text in footer_links)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(page.title)} – {esc(name)}</title>\n"
        f'<link rel="alternate" type="application/atom+xml" href="{here}feed.atom" '
        f'title="{esc(t("register_feed_title", lang))}">\n'
        f'<link rel="alternate" hreflang="{other}" href="{root}{other}/{page.path}">\n'
        f"<style>{STYLE}</style>\n</head>\n<body>\n"
        f'<a class="skip" href="#main">{esc(t("register_skip", lang))}</a>\n'
        f'<header><p><a href="{here}index.html">{esc(name)}</a></p>\n'
        f'<nav aria-label="{esc(t("register_language_nav", lang))}">'
        f'<a href="{root}{other}/{page.path}" hreflang="{other}" lang="{other}">'
        f"{esc(t('register_language_name', other))}</a></nav></header>\n"
        f'<main id="main">\n<h1>{esc(page.title)}</h1>\n{page.body}\n</main>\n'
        f'<footer><nav aria-label="{esc(t("register_footer_nav", lang))}"><ul>{links}</ul></nav>\n'
        f"<p>{esc(t('register_generated', lang, date=generated.date().isoformat()))}</p>"
        "</footer>\n</body>\n</html>\n"
    )


def dl(rows: Iterable[tuple[str, str]]) -> str:
    """Label and HTML value pairs; empty values left out."""
    items = "".join(f"<dt>{esc(label)}</dt><dd>{value}</dd>" for label, value in rows if value)
    return f"<dl>{items}</dl>" if items else ""


def day(value: datetime) -> str:
    return value.date().isoformat()


def language_choice() -> str:
    links = "".join(
        f'<li lang="{lang}"><a href="{lang}/index.html" hreflang="{lang}">'
        f"{esc(t('register_site_title', lang))} ({esc(t('register_language_name', lang))})"
        "</a></li>"
        for lang in LANGS
    )
    title = " / ".join(t("register_site_title", lang) for lang in LANGS)
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f'<main id="main">\n<h1>{esc(title)}</h1>\n<ul>{links}</ul>\n</main>\n</body>\n</html>\n'
    )
