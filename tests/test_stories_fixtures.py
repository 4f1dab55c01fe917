"""Small multilingual news fixtures written for the story tests (three stories, two look-alikes)."""

from __future__ import annotations

import dataclasses
import tomllib
from collections import Counter
from pathlib import Path

from wiretrace.model import Article, AttributionLink, Chrome, Outlet

DEMO = Path(__file__).parents[1] / "src" / "wiretrace" / "demo"

TALKS_EN = Article(
    id="talks-en",
    title="US, EU and Russian envoys met secretly in Istanbul before the Karabakh offensive",
    body=(
        "Senior officials from the United States, the European Union and Russia met in Istanbul "
        "on 17 September 2023, two days before Azerbaijan launched its offensive in Nagorno-"
        "Karabakh, Politico reported.\n\nThe delegations were led by Louis Bono, Toivo Klaar and "
        "Igor Khovaev. According to two officials, the envoys discussed guarantees for about "
        "120,000 Armenians living in the enclave.\n\nThe meeting lasted four hours and ended "
        "without a joint statement."
    ),
    language="en",
    published="2023-10-03T04:01:00+00:00",
    outlet=Outlet("Politico"),
)

TALKS_UK = Article(
    id="talks-uk",
    title="США, ЄС і Росія таємно зустрічалися в Стамбулі перед наступом у Карабаху",
    body=(
        "Представники США, Європейського Союзу та Росії зустрілися в Стамбулі 17 вересня 2023 "
        "року, за два дні до наступу Азербайджану в Нагірному Карабаху, за даними Politico.\n\n"
        "Делегації очолювали Луїс Боно, Тойво Клаар та Ігор Ховаєв. Дипломати обговорювали "
        "гарантії для приблизно 120 000 вірмен, які живуть в анклаві.\n\nЗустріч тривала "
        "чотири години і завершилася без спільної заяви."
    ),
    language="uk",
    published="2023-10-04T10:02:10+03:00",
    outlet=Outlet("Evropeiska Pravda"),
    attribution=(AttributionLink("Politico", "Politico", "cites"),),
)

TALKS_FR = Article(
    id="talks-fr",
    title="Les États-Unis, l'UE et la Russie se sont rencontrés secrètement à Istanbul avant l'offensive au Karabakh",
    body=(
        "Des représentants des États-Unis, de l'Union européenne et de la Russie se sont "
        "rencontrés à Istanbul le 17 septembre 2023, deux jours avant l'offensive de "
        "l'Azerbaïdjan au Haut-Karabakh, selon Politico.\n\nLes délégations étaient dirigées par "
        "Louis Bono, Toivo Klaar et Igor Khovaev. Les diplomates ont discuté des garanties pour "
        "environ 120 000 Arméniens vivant dans l'enclave.\n\nLa réunion a duré quatre heures et "
        "s'est terminée sans déclaration commune."
    ),
    language="fr",
    published="2023-10-04T15:18:44+02:00",
    outlet=Outlet("Le Fil Mondial"),
    attribution=(
        AttributionLink("Evropeiska Pravda", "vérité européenne", "translates"),
        AttributionLink("Politico", "Politico", "cites"),
    ),
    chrome=(Chrome("hashtags", "#le #la #Karabakh #et #Istanbul"),),
)

GRAIN_EN = Article(
    id="grain-en",
    title="Russia and Ukraine edge towards a grain export deal at talks in Istanbul",
    body=(
        "Military delegations from Russia and Ukraine met in Istanbul on 13 July 2022 with "
        "Turkish and United Nations officials to discuss the export of 22 million tonnes of "
        "grain blocked in Black Sea ports.\n\nTurkish defence minister Hulusi Akar said the "
        "sides agreed on joint checks of cargo in ports and a coordination centre in Istanbul."
        "\n\nA final document could be signed next week, Akar said."
    ),
    language="en",
    published="2022-07-13T19:10:44+00:00",
    outlet=Outlet("The Meridian Post"),
)

GRAIN_RU = Article(
    id="grain-ru",
    title="В Стамбуле Россия и Украина приблизились к соглашению о вывозе зерна",
    body=(
        "Военные делегации России и Украины встретились в Стамбуле 13 июля 2022 года с "
        "представителями Турции и ООН, чтобы обсудить вывоз 22 миллионов тонн зерна из портов "
        "Черного моря.\n\nМинистр обороны Турции Хулуси Акар заявил, что стороны договорились о "
        "совместных проверках грузов в портах и о координационном центре в Стамбуле.\n\n"
        "Итоговый документ может быть подписан на следующей неделе, сказал Акар."
    ),
    language="ru",
    published="2022-07-14T08:30:00+03:00",
    outlet=Outlet("Евразийский вестник"),
)

QUAKE_EN = Article(
    id="quake-en",
    title="Morocco earthquake kills more than 2,000 in the Atlas mountains",
    body=(
        "A magnitude 6.8 earthquake struck the High Atlas south of Marrakesh late on 8 September "
        "2023, killing at least 2,012 people, Morocco's interior ministry said.\n\nThe epicentre "
        "was near Ighil in Al Haouz province. Rescuers searched collapsed villages through the "
        "night."
    ),
    language="en",
    published="2023-09-09T18:22:05+00:00",
    outlet=Outlet("The Meridian Post"),
)

QUAKE_DE = Article(
    id="quake-de",
    title="Schweres Erdbeben in Marokko: mehr als 2000 Tote im Atlasgebirge",
    body=(
        "Ein Erdbeben der Stärke 6,8 hat am späten Abend des 8. September 2023 den Hohen Atlas "
        "südlich von Marrakesch erschüttert und mindestens 2012 Menschen getötet, teilte das "
        "marokkanische Innenministerium mit.\n\nDas Epizentrum lag nahe Ighil in der Provinz Al "
        "Haouz. Helfer suchten die ganze Nacht in eingestürzten Dörfern."
    ),
    language="de",
    published="2023-09-09T20:05:48+02:00",
    outlet=Outlet("Rhein-Main-Bote"),
)

TALKS_COPY = Article(
    id="talks-copy",
    title=TALKS_EN.title,
    body=TALKS_EN.body + "\n\nRead more on our website.",
    language="en",
    published="2023-10-03T11:26:00+00:00",
    outlet=Outlet("The Regional Ledger"),
)

ALL = [TALKS_EN, GRAIN_EN, QUAKE_EN, TALKS_UK, GRAIN_RU, TALKS_COPY, QUAKE_DE, TALKS_FR]
STORY = {
    "talks-en": "talks", "talks-uk": "talks", "talks-fr": "talks", "talks-copy": "talks",
    "grain-en": "grain", "grain-ru": "grain", "quake-en": "quake", "quake-de": "quake",
}  # fmt: skip


def demo_articles() -> list[tuple[Article, dict[str, object]]]:
    from wiretrace.sources import iter_pages
    from wiretrace.stages.clean.extract import to_article

    manifest = tomllib.loads((DEMO / "manifest.toml").read_text(encoding="utf-8"))
    truth = {(m["file"], m.get("record")): m for m in manifest["article"]}
    seen: Counter[str] = Counter()
    out = []
    for page in iter_pages([str(DEMO / "corpus")]):
        art, _ = to_article(page)  # type: ignore[arg-type]
        name = Path(art.source_path or "").name
        rec = None
        if name.endswith(".jsonl"):
            seen[name] += 1
            rec = seen[name]
        m = truth[(name, rec)]
        art = dataclasses.replace(
            art, outlet=Outlet(str(m["outlet"])), published=str(m["published"])
        )
        out.append((art, m))
    return out
