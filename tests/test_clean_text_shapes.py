"""Text shapes the cleaning pass must keep: one-line records, unspaced scripts, article endings."""

from __future__ import annotations

import json
from pathlib import Path

from wiretrace.errors import InputError
from wiretrace.model import RawPage
from wiretrace.sources import iter_pages
from wiretrace.stages.clean.dump import clean_dump, word_count
from wiretrace.stages.clean.extract import to_article

ONE_LINE = (
    "The harbour authority closed the northern quay on Tuesday after a crane collapsed onto a "
    "cargo ship. Nobody was hurt, a spokeswoman said, but unloading will be suspended for at "
    "least a week while engineers inspect the remaining cranes along the waterfront."
)


def _records(tmp_path: Path, *records: dict[str, str]) -> list[RawPage]:
    path = tmp_path / "export.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    pages = list(iter_pages([str(path)]))
    assert all(isinstance(p, RawPage) for p in pages)
    return pages  # type: ignore[return-value]


def test_one_line_jsonl_text_is_the_body_and_its_first_sentence_the_title(tmp_path: Path) -> None:
    (page,) = _records(tmp_path, {"text": ONE_LINE})
    art, _ = to_article(page)
    assert (
        art.title
        == "The harbour authority closed the northern quay on Tuesday after a crane collapsed onto a cargo ship."
    )
    assert art.body == ONE_LINE
    assert art.language == "en"


def test_one_line_jsonl_text_takes_the_records_title(tmp_path: Path) -> None:
    (page,) = _records(tmp_path, {"title": "Crane collapse shuts quay", "text": ONE_LINE})
    art, _ = to_article(page)
    assert art.title == "Crane collapse shuts quay"
    assert art.body == ONE_LINE


def test_a_single_short_line_is_still_not_an_article(tmp_path: Path) -> None:
    (page,) = _records(tmp_path, {"text": "Share this page on Facebook"})
    try:
        to_article(page)
    except InputError as exc:
        assert "no article body" in str(exc)
    else:
        raise AssertionError("a lone short line was taken for an article")


# Pages we wrote in Japanese and Chinese: a breadcrumb, a headline, a timestamp, three
# paragraphs and (Japanese) a share button; no spaces between words anywhere.
JA_PAGE = "ホーム > 地域 > 経済\n\n港町の新しい橋が開通、通勤時間が大幅に短縮へ\n\n2024年3月18日 09:30\n\n県は十八日、港町と対岸の工業地帯を結ぶ新しい橋の開通式を行った。総工費はおよそ二百億円で、建設には六年かかった。\n\n知事は式典で「この橋は地域の暮らしと産業を支える大切な道になる」と述べ、工事に携わった作業員に感謝の言葉を伝えた。\n\n県によると、これまでフェリーで四十分かかっていた移動が、車でおよそ十分に短縮される見込みだ。地元の商工会は観光客の増加にも期待を寄せている。\n\nシェア\n"
ZH_PAGE = "首页 > 国际 > 经济\n\n沿海城市新建跨海大桥正式通车\n\n2024-03-18 09:30\n\n当地政府十八日举行了跨海大桥通车仪式。这座大桥全长约十二公里，总投资约一百五十亿元，历时六年建成。\n\n市长在仪式上表示，大桥将大大缩短两岸居民的通勤时间，并为当地的物流和旅游业带来新的机遇。\n\n据交通部门介绍，过去乘坐渡轮需要四十分钟的路程，现在开车只需十分钟左右。\n"


def test_words_of_unspaced_scripts_are_counted_by_length() -> None:
    assert word_count("one two three") == 3
    assert word_count("港町の新しい橋が開通") == 5
    assert word_count("県は十八日 press release") == 5


def test_japanese_page_ingests_with_every_paragraph() -> None:
    page = RawPage(JA_PAGE.encode(), "text", source_path="ja.txt")
    art, _ = to_article(page)
    assert art.language == "ja"
    assert art.title == "港町の新しい橋が開通、通勤時間が大幅に短縮へ"
    assert art.published == "2024-03-18T09:30:00"
    paras = art.body.split("\n\n")
    assert len(paras) == 3
    assert paras[0].startswith("県は十八日") and paras[2].endswith("期待を寄せている。")
    assert ("navigation", "ホーム > 地域 > 経済") in [(c.kind, c.text) for c in art.chrome]


def test_chinese_page_ingests_with_every_paragraph() -> None:
    page = RawPage(ZH_PAGE.encode(), "text", source_path="zh.txt")
    art, _ = to_article(page)
    assert art.language == "zh"
    assert art.title == "沿海城市新建跨海大桥正式通车"
    assert len(art.body.split("\n\n")) == 3
    assert art.body.endswith("现在开车只需十分钟左右。")


LEAD = (
    "Headline about a band announcing a farewell tour\n\n"
    "The band announced on Monday that its farewell tour will visit nine cities next spring, "
    "ending with two nights in the town where its members first played together in 1994.\n\n"
)
FOOTER = "Share\n\nLeave a Reply\n"


def test_tour_dates_at_the_end_are_article_text() -> None:
    dates = "12 March – Lyon, Halle Tony Garnier\n14 March – Paris, Zénith\nBerlin, 18 March"
    page = clean_dump(LEAD + "The dates announced so far:\n\n" + dates + "\n\n" + FOOTER)
    assert page.body.endswith(dates.replace("\n", "\n\n"))
    assert "Leave a Reply" not in page.body


def test_hard_wrapped_last_paragraph_is_kept_whole() -> None:
    wrapped = (
        "Tickets go on sale on Friday morning through the venues\n"
        "and the band's own website, and a share of every sale\n"
        "goes to a music school, the manager said."
    )
    page = clean_dump(LEAD + wrapped + "\n\n" + FOOTER)
    assert page.body.endswith(wrapped.replace("\n", "\n\n"))


def test_embedded_post_and_its_credit_are_kept() -> None:
    post = "See you all one last time\n— Lena Marsh (@lenamarsh_band) March 4, 2024"
    page = clean_dump(LEAD + post + "\n\n" + FOOTER)
    assert page.body.endswith(post.replace("\n", "\n\n"))


def test_menus_related_headlines_and_copyright_at_the_end_are_furniture() -> None:
    tail = (
        "News\nSport\nCulture\n"
        "Festival organisers promise a quieter summer\n"
        "Share on WhatsApp\n"
        "© 2024 Example Daily Media Group"
    )
    page = clean_dump(LEAD + tail)
    assert page.body.endswith("first played together in 1994.")
    dropped = {c.text for c in page.chrome}
    assert {"News", "Culture", "Festival organisers promise a quieter summer"} <= dropped
    assert "© 2024 Example Daily Media Group" in dropped
