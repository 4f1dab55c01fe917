"""Synthetic news pages for benchmarks: cheap, deterministic, multilingual-looking."""

from __future__ import annotations

import random

WORDS = {
    "en": [
        "the",
        "minister",
        "said",
        "talks",
        "would",
        "continue",
        "next",
        "week",
        "after",
        "officials",
        "met",
        "in",
        "the",
        "capital",
        "to",
        "discuss",
        "trade",
        "energy",
        "security",
        "and",
        "a",
        "new",
        "agreement",
        "on",
        "border",
        "crossings",
    ],
    "fr": [
        "le",
        "ministre",
        "a",
        "déclaré",
        "que",
        "les",
        "discussions",
        "reprendraient",
        "la",
        "semaine",
        "prochaine",
        "après",
        "une",
        "réunion",
        "des",
        "responsables",
        "dans",
        "la",
        "capitale",
        "sur",
        "le",
        "commerce",
        "et",
        "la",
        "sécurité",
    ],
    "de": [
        "der",
        "minister",
        "sagte",
        "die",
        "gespräche",
        "würden",
        "nächste",
        "woche",
        "fortgesetzt",
        "nachdem",
        "beamte",
        "in",
        "der",
        "hauptstadt",
        "über",
        "handel",
        "energie",
        "und",
        "sicherheit",
        "beraten",
        "hatten",
    ],
    "uk": [
        "міністр",
        "заявив",
        "що",
        "переговори",
        "продовжаться",
        "наступного",
        "тижня",
        "після",
        "зустрічі",
        "посадовців",
        "у",
        "столиці",
        "щодо",
        "торгівлі",
        "енергетики",
        "та",
        "безпеки",
    ],
}
PLACES = [
    "Istanbul",
    "Brussels",
    "Kyiv",
    "Baku",
    "Yerevan",
    "Berlin",
    "Madrid",
    "Warsaw",
    "Tbilisi",
]


def paragraph(rng: random.Random, lang: str, n: int) -> str:
    words = [rng.choice(WORDS[lang]) for _ in range(n)]
    words[rng.randrange(n)] = rng.choice(PLACES)
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def html_page(i: int, rng: random.Random) -> str:
    lang = list(WORDS)[i % len(WORDS)]
    title = paragraph(rng, lang, 9)[:-1]
    paras = "".join(
        f"<p>{paragraph(rng, lang, rng.randint(25, 60))}</p>" for _ in range(rng.randint(4, 9))
    )
    return (
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta property='og:site_name' content='Bench Daily'>"
        f"<meta property='article:published_time' content='2024-0{1 + i % 9}-1{i % 10}T08:00:00+00:00'>"
        f"</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>{title}</h1>"
        f"{paras}<p>Page {i}.</p></article><footer>Share | Email | Print</footer></body></html>"
    )
