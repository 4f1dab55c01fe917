"""The demo corpus and its manifest agree, and the manifest is usable as ground truth.

The manifest (src/wiretrace/demo/manifest.toml) is what clustering and provenance tests score
against, so these tests check it against the files themselves: every page is listed once, the
metadata it claims (outlet, date, language) is what the page carries, derivation chains point
backwards in time, look-alike stories exist on both sides, and no text borrows a sentence from
the shared reference page.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from functools import cache
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "wiretrace" / "demo"
CORPUS = DEMO / "corpus"
MANIFEST = DEMO / "manifest.toml"
SEEDS = ROOT / ".." / "shared" / "seeds"

ROLES = {"original", "citation", "translation", "copy", "independent", "rewrite"}
DERIVED_ROLES = {"citation", "translation", "copy", "rewrite"}
TIMESTAMP = re.compile(r"\b(\d{4}-\d{2}-\d{2}) \d{2}:\d{2}:\d{2}\b")
EPOCH = re.compile(r"^\d{10}$")
ATTRIBUTION_LABELS = ("Source", "Джерело:", "Quelle:", "Fuente:", "Fonte:", "Источник:", "Źródło:")
# Chrome that every page dump ends with, in the languages of the corpus. A dump is a page
# copied as text, so it keeps a comment prompt and share buttons below the article.
COMMENT_PROMPTS = (
    "leave a comment",
    "laissez un commentaire",
    "laisser un commentaire",
    "залишити коментар",
    "оставить комментарий",
    "kommentar schreiben",
    "deja un comentario",
    "lascia un commento",
    "zostaw komentarz",
)
SHARE_WORDS = ("facebook", "telegram", "whatsapp", "вконтакте", "twitter", "tweet")
VOID_TAGS = {"meta", "link", "br", "img", "input", "hr", "source", "wbr", "area", "base", "col"}


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


@cache
def manifest() -> dict[str, Any]:
    with MANIFEST.open("rb") as fh:
        return tomllib.load(fh)


def articles() -> list[dict[str, Any]]:
    return list(manifest()["article"])


def stories() -> dict[str, dict[str, Any]]:
    return {s["key"]: s for s in manifest()["story"]}


def ref(article: dict[str, Any]) -> str:
    """The name other articles use in `derived_from` for this one."""
    if "record" in article:
        return f"{article['file']}#{article['record']}"
    return str(article["file"])


def parse_time(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    assert moment.tzinfo is not None, f"{value!r} has no UTC offset"
    return moment


class PageParser(HTMLParser):
    """Collects what the tests need from an HTML page and checks that tags nest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.meta: dict[str, str] = {}
        self.canonical = ""
        self.title = ""
        self.h1 = ""
        self.article_paragraphs: list[str] = []
        self.all_text: list[str] = []
        self._para: list[str] | None = None
        self._skip_para = False
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        self.tags.add(tag)
        if tag == "meta":
            key = attr.get("property") or attr.get("name")
            if key:
                self.meta[key] = attr.get("content", "")
        if tag == "link" and attr.get("rel") == "canonical":
            self.canonical = attr.get("href", "")
        if tag in VOID_TAGS:
            return
        self.stack.append(tag)
        if tag == "p" and "article" in self.stack:
            self._para = []
            # Bylines and teasers are article furniture, not reporting.
            self._skip_para = bool(attr.get("class"))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()
        if tag == "p" and self._para is not None:
            if not self._skip_para:
                self.article_paragraphs.append("".join(self._para).strip())
            self._para = None

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "title":
            self.title += data
        if "h1" in self.stack:
            self.h1 += data
        if self._para is not None:
            self._para.append(data)
        if "script" not in self.stack and "style" not in self.stack:
            self.all_text.append(data)


@cache
def read_page(file: str, record: int | None) -> dict[str, Any]:
    """The page as text or HTML, with the JSONL record fields when it is one."""
    path = CORPUS / file
    if record is None:
        raw = path.read_text(encoding="utf-8")
        return {"html": raw} if path.suffix == ".html" else {"text": raw}
    lines = path.read_text(encoding="utf-8").splitlines()
    return dict(json.loads(lines[record - 1]))


def parse_html(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


def txt_body(text: str) -> list[str]:
    """Paragraphs of a text dump from below the title to the first timestamp line."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    body: list[str] = []
    for para in paragraphs[1:]:
        if TIMESTAMP.search(para):
            break
        # The attribution line is metadata, not body (see ../shared/spec/seed-analysis.md).
        if not para.startswith(ATTRIBUTION_LABELS):
            body.append(para)
    return body


def body_paragraphs(article: dict[str, Any]) -> list[str]:
    page = read_page(article["file"], article.get("record"))
    if "html" in page:
        return parse_html(page["html"]).article_paragraphs
    if "record" in article:
        return [p.strip() for p in page["text"].split("\n\n") if p.strip()]
    return txt_body(page["text"])


def full_text(article: dict[str, Any]) -> str:
    page = read_page(article["file"], article.get("record"))
    if "html" in page:
        return " ".join(parse_html(page["html"]).all_text)
    return str(page.get("title", "")) + "\n\n" + str(page["text"])


# --------------------------------------------------------------------------------------------
# Sentence comparison with the shared reference pages
# --------------------------------------------------------------------------------------------


def normalise(sentence: str) -> str:
    folded = unicodedata.normalize("NFKD", sentence.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", folded))


def sentences(text: str) -> set[str]:
    """Normalised sentences of six words or more (shorter ones are chrome such as 'Facebook')."""
    pieces = re.split(r"(?<=[.!?…»”\"])\s+|\n+", text)
    out = {normalise(p) for p in pieces}
    return {s for s in out if len(s.split()) >= 6}


def shingles(text: str, size: int = 10) -> set[tuple[str, ...]]:
    words = normalise(text).split()
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def borrowed(text: str, source: str) -> list[str]:
    """Sentences, or runs of ten words, of `text` that also occur in `source`."""
    shared = sorted(sentences(text) & sentences(source))
    runs = shingles(text) & shingles(source)
    return shared + [" ".join(run) for run in sorted(runs)]


# --------------------------------------------------------------------------------------------
# Manifest <-> files
# --------------------------------------------------------------------------------------------


def test_demo_manifest_lists_every_corpus_file_and_nothing_else() -> None:
    on_disk = {
        p.relative_to(CORPUS).as_posix()
        for p in CORPUS.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    }
    listed = {a["file"] for a in articles()}
    assert listed - on_disk == set(), "manifest lists files that do not exist"
    assert on_disk - listed == set(), "corpus holds files the manifest does not list"


def test_demo_manifest_lists_each_article_once() -> None:
    counts = Counter(ref(a) for a in articles())
    assert [r for r, n in counts.items() if n > 1] == []


def test_demo_manifest_lists_every_jsonl_record_by_line_number() -> None:
    by_file: dict[str, set[int]] = defaultdict(set)
    for article in articles():
        if article["file"].endswith(".jsonl"):
            assert "record" in article, f"{article['file']} needs record = N"
            by_file[article["file"]].add(article["record"])
        else:
            assert "record" not in article, f"{article['file']} is not JSONL"
    assert by_file, "the corpus must contain at least one JSONL file"
    for file, records in by_file.items():
        lines = (CORPUS / file).read_text(encoding="utf-8").splitlines()
        assert records == set(range(1, len(lines) + 1)), file


def test_demo_articles_have_complete_valid_fields() -> None:
    keys = set(stories())
    for article in articles():
        name = ref(article)
        for field in ("file", "lang", "story", "outlet", "published", "role"):
            assert article.get(field), f"{name}: missing {field}"
        assert article["role"] in ROLES, name
        assert article["story"] in keys, name
        assert re.fullmatch(r"[a-z]{2}", article["lang"]), name
        parse_time(article["published"])
        assert article["lookalike_of"] in keys | {""}, name


def test_demo_corpus_is_large_and_multilingual_enough() -> None:
    items = articles()
    assert len(items) >= 44
    assert len({a["lang"] for a in items}) >= 6
    assert {"fr", "en", "uk", "ru", "de", "es"} <= {a["lang"] for a in items}
    assert len(stories()) >= 7
    per_story = Counter(a["story"] for a in items)
    assert {k: n for k, n in per_story.items() if n < 3} == {}
    assert set(per_story) == set(stories()), "every story needs articles"


def test_demo_outlet_names_are_spelled_one_way() -> None:
    spellings: dict[str, set[str]] = defaultdict(set)
    for article in articles():
        spellings[normalise(article["outlet"])].add(article["outlet"])
    assert {k: v for k, v in spellings.items() if len(v) > 1} == {}
    assert sum(n > 1 for n in Counter(a["outlet"] for a in articles()).values()) >= 5


def test_demo_articles_appear_within_a_month_after_their_event() -> None:
    """A wrong story key or a mistyped date shows up as a report from before the event."""
    table = stories()
    for article in articles():
        event = date.fromisoformat(table[article["story"]]["event_date"])
        day = parse_time(article["published"]).date()
        assert event <= day <= event + timedelta(days=30), (ref(article), event, day)


def test_demo_story_languages_match_its_articles() -> None:
    langs: dict[str, set[str]] = defaultdict(set)
    for article in articles():
        langs[article["story"]].add(article["lang"])
    for key, story in stories().items():
        assert set(story["languages"]) == langs[key], key
        assert len(langs[key]) >= 2, f"{key} must be told in several languages"


def test_demo_formats_are_mixed() -> None:
    suffixes = Counter(Path(a["file"]).suffix for a in articles())
    assert suffixes[".html"] >= 10
    assert suffixes[".txt"] >= 10
    assert suffixes[".jsonl"] >= 3
    kinds = {
        "html" if "html" in read_page(a["file"], a["record"]) else "text"
        for a in articles()
        if "record" in a
    }
    assert kinds == {"html", "text"}, "JSONL should hold both html and text records"


# --------------------------------------------------------------------------------------------
# Look-alikes and provenance
# --------------------------------------------------------------------------------------------


def test_demo_lookalike_stories_are_declared_on_both_sides() -> None:
    table = stories()
    pairs = set()
    for key, story in table.items():
        for other in story["must_not_merge_with"]:
            assert other in table, f"{key}: unknown story {other}"
            assert key in table[other]["must_not_merge_with"], f"{other} must list {key}"
            pairs.add(frozenset((key, other)))
    assert len(pairs) >= 2
    per_story = Counter(a["story"] for a in articles())
    for pair in pairs:
        assert all(per_story[k] >= 2 for k in pair), pair


def test_demo_lookalike_articles_point_at_a_story_they_must_not_merge_with() -> None:
    table = stories()
    flagged = [a for a in articles() if a["lookalike_of"]]
    assert flagged
    for article in flagged:
        assert article["lookalike_of"] in table[article["story"]]["must_not_merge_with"]


def test_demo_derivations_point_backwards_within_the_story() -> None:
    by_ref = {ref(a): a for a in articles()}
    for article in articles():
        name, source_ref = ref(article), article["derived_from"]
        if article["role"] in DERIVED_ROLES:
            assert source_ref in by_ref, f"{name}: derived_from {source_ref!r} is not listed"
            source = by_ref[source_ref]
            assert source["story"] == article["story"], name
            assert parse_time(source["published"]) < parse_time(article["published"]), name
            if article["role"] == "translation":
                assert source["lang"] != article["lang"], name
            if article["role"] in {"copy", "rewrite"}:
                assert source["lang"] == article["lang"], name
        else:
            assert source_ref == "", f"{name}: {article['role']} cannot derive from anything"


def test_demo_every_story_has_a_first_hand_report_published_first() -> None:
    by_story: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for article in articles():
        by_story[article["story"]].append(article)
    for key, items in by_story.items():
        first = min(items, key=lambda a: parse_time(a["published"]))
        assert first["role"] in {"original", "independent"}, key
        assert sum(a["role"] == "original" for a in items) <= 1, key


def test_demo_istanbul_story_has_the_required_chain() -> None:
    items = [a for a in articles() if a["story"] == "istanbul-talks"]
    by_ref = {ref(a): a for a in items}
    (original,) = [a for a in items if a["role"] == "original"]
    assert original["lang"] == "en" and "politico" in original["outlet"].lower()
    assert original["published"].startswith("2023-10-03")
    (ukrainian,) = [a for a in items if a["lang"] == "uk"]
    assert ukrainian["role"] == "citation" and ukrainian["derived_from"] == ref(original)
    assert ukrainian["published"].startswith("2023-10-04")
    assert "Джерело:" in read_page(ukrainian["file"], None)["text"]
    (french,) = [a for a in items if a["lang"] == "fr"]
    assert french["role"] == "translation" and by_ref[french["derived_from"]] is ukrainian
    assert french["file"].endswith(".txt")
    roles = {(a["lang"], a["role"]) for a in items}
    assert ("en", "copy") in roles
    assert {"ru", "de", "es"} <= {a["lang"] for a in items}


@pytest.mark.parametrize(
    "phrase",
    ["Louis Bono", "Toivo Klaar", "17 September", "Lachin", "100,000", "nine months", "Politico"],
)
def test_demo_istanbul_original_carries_the_key_facts(phrase: str) -> None:
    (original,) = [
        a for a in articles() if a["story"] == "istanbul-talks" and a["role"] == "original"
    ]
    assert phrase.lower() in full_text(original).lower()


@pytest.mark.parametrize(
    "phrase",
    [
        "according to Politico",
        "on condition of anonymity",
        "declined to comment",
        "on 17 September",
        "two days later",
        "about 100,000",
        "more than 100,000 people",
    ],
)
def test_demo_istanbul_english_reports_use_the_attribution_and_date_forms(phrase: str) -> None:
    english = [a for a in articles() if a["story"] == "istanbul-talks" and a["lang"] == "en"]
    assert any(phrase.lower() in full_text(a).lower() for a in english)


def test_demo_copy_is_near_verbatim_and_rewrite_is_not() -> None:
    by_ref = {ref(a): a for a in articles()}
    for article in articles():
        if article["role"] not in {"copy", "rewrite"}:
            continue
        mine = shingles(" ".join(body_paragraphs(article)), 5)
        theirs = shingles(" ".join(body_paragraphs(by_ref[article["derived_from"]])), 5)
        overlap = len(mine & theirs) / len(mine)
        if article["role"] == "copy":
            assert overlap > 0.8, (ref(article), overlap)
        else:
            assert overlap < 0.5, (ref(article), overlap)


# --------------------------------------------------------------------------------------------
# The pages themselves
# --------------------------------------------------------------------------------------------


def test_demo_txt_dumps_open_with_a_title_line_and_end_with_chrome() -> None:
    dumps = [a for a in articles() if a["file"].endswith(".txt")]
    for article in dumps:
        text = read_page(article["file"], None)["text"]
        lines = text.split("\n")
        title = lines[0].strip()
        assert title and lines[1] == "", f"{article['file']}: title line then a blank line"
        assert len(title.split()) <= 25 and not title.endswith("."), article["file"]
        tail = text.casefold()[len(text) // 2 :]
        assert any(p in tail for p in COMMENT_PROMPTS), f"{article['file']}: no comment prompt"
        assert any(w in tail for w in SHARE_WORDS), f"{article['file']}: no share buttons"
        stamp = TIMESTAMP.search(text)
        assert stamp, f"{article['file']}: no visible timestamp"
        assert stamp.group(1) == article["published"][:10], article["file"]


def test_demo_epoch_lines_equal_the_published_time() -> None:
    seen = 0
    for article in articles():
        if not article["file"].endswith(".txt"):
            continue
        for line in read_page(article["file"], None)["text"].splitlines():
            if EPOCH.match(line.strip()):
                seen += 1
                moment = datetime.fromtimestamp(int(line), UTC)
                assert moment == parse_time(article["published"]), article["file"]
    assert seen >= 3


def test_demo_some_txt_dumps_have_lead_in_labels_and_stop_word_hashtags() -> None:
    texts = [read_page(a["file"], None)["text"] for a in articles() if a["file"].endswith(".txt")]
    labels = ("Source", "Джерело:", "Quelle:", "Fuente:", "Fonte:", "Деталі:", "Détails")
    found = {label for label in labels for text in texts if f"\n{label}" in text}
    assert len(found) >= 5, found
    hashtag_lines = [line for text in texts for line in text.splitlines() if line.startswith("#")]
    stop_words = {"#les", "#de", "#la", "#et", "#le", "#à"}
    assert any(stop_words & set(line.casefold().split()) for line in hashtag_lines)


def test_demo_html_pages_parse_and_carry_their_metadata() -> None:
    pages = [a for a in articles() if "html" in read_page(a["file"], a.get("record"))]
    assert len(pages) >= 12
    for article in pages:
        name = ref(article)
        page = parse_html(read_page(article["file"], article.get("record"))["html"])
        assert page.errors == [] and page.stack == [], (name, page.errors, page.stack)
        assert page.title.strip() and page.h1.strip(), name
        assert page.h1.strip() in page.title, f"{name}: <title> should contain the headline"
        assert unescape(page.meta.get("og:site_name", "")) == article["outlet"], name
        published = page.meta.get("article:published_time") or page.meta.get("date", "")
        assert published, f"{name}: no publication date"
        if "T" in published:
            assert parse_time(published) == parse_time(article["published"]), name
        else:
            assert published == article["published"][:10], name
        assert page.canonical.startswith("https://"), name
        assert len(page.article_paragraphs) >= 4, name


def test_demo_html_pages_have_the_furniture_of_real_pages() -> None:
    pages = [a for a in articles() if "html" in read_page(a["file"], a.get("record"))]
    for article in pages:
        page = parse_html(read_page(article["file"], article.get("record"))["html"])
        assert {"head", "body", "nav", "article", "h1", "footer"} <= page.tags, ref(article)
        text = " ".join(page.all_text).casefold()
        assert any(w in text for w in (*SHARE_WORDS, "linkedin", "e-mail", "email")), ref(article)
    with_cookie_banner = sum(
        "cookie" in read_page(a["file"], a.get("record"))["html"].casefold() for a in pages
    )
    assert with_cookie_banner >= len(pages) - 2


def test_demo_files_are_utf8_nfc_with_unix_newlines() -> None:
    for path in CORPUS.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            text = raw.decode("utf-8")
            assert b"\r" not in raw, path.name
            assert unicodedata.normalize("NFC", text) == text, path.name


def test_demo_french_republication_shows_machine_translation_signals() -> None:
    (french,) = [a for a in articles() if a["story"] == "istanbul-talks" and a["lang"] == "fr"]
    text = read_page(french["file"], None)["text"]
    source_line = next(line for line in text.splitlines() if line.startswith("Source"))
    assert "vérité européenne" in source_line.casefold() and "politico" in source_line.casefold()
    assert "Détails" in text
    assert any(EPOCH.match(line) for line in text.splitlines())


def test_demo_jsonl_records_are_valid_objects() -> None:
    for path in CORPUS.rglob("*.jsonl"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            record = json.loads(line)
            assert isinstance(record, dict), (path.name, number)
            assert str(record.get("url", "")).startswith("https://"), (path.name, number)
            assert ("html" in record) != ("text" in record), (path.name, number)
            if "text" in record:
                assert record["title"].strip(), (path.name, number)
                parse_time(record["published"])
    for article in articles():
        record = read_page(article["file"], article.get("record"))
        if "record" in article and "text" in record:
            assert parse_time(record["published"]) == parse_time(article["published"])


def test_demo_articles_have_news_length_bodies() -> None:
    for article in articles():
        words = sum(len(p.split()) for p in body_paragraphs(article))
        assert 150 <= words <= 450, (ref(article), words)


def test_demo_language_of_each_article_is_what_the_manifest_says() -> None:
    lingua = pytest.importorskip("lingua")
    codes = {a["lang"] for a in articles()}
    languages = [
        lingua.Language.from_iso_code_639_1(getattr(lingua.IsoCode639_1, c.upper())) for c in codes
    ]
    detector = lingua.LanguageDetectorBuilder.from_languages(*languages).build()
    for article in articles():
        text = " ".join(body_paragraphs(article))
        found = detector.detect_language_of(text)
        assert found is not None and found.iso_code_639_1.name.lower() == article["lang"], ref(
            article
        )


# --------------------------------------------------------------------------------------------
# Own words
# --------------------------------------------------------------------------------------------


def seed_texts() -> list[Path]:
    if not SEEDS.is_dir():
        pytest.skip("../shared is not present beside the repository")
    return sorted(SEEDS.glob("*.txt"))


def test_demo_copy_check_catches_a_borrowed_sentence() -> None:
    """The check below must be able to fail: a sentence lifted from a seed is caught."""
    seeds = seed_texts()
    source = seeds[0].read_text(encoding="utf-8")
    lifted = max(source.split("\n"), key=len)
    text = "Une introduction écrite par nous. " + lifted.upper() + " Et une fin."
    assert borrowed(text, source)
    assert not borrowed("Une phrase tout à fait différente, écrite pour ce test ici.", source)


def test_demo_texts_copy_no_sentence_of_the_shared_seeds() -> None:
    seeds = [p.read_text(encoding="utf-8") for p in seed_texts()]
    assert seeds
    for article in articles():
        text = full_text(article)
        for source in seeds:
            assert borrowed(text, source) == [], ref(article)
