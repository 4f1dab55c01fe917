"""Entities: mentions grouped per article, typed, with roles, linked across languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wiretrace.model import Article, Entity
from wiretrace.stages.entities.stage import STAGE_ENTITIES, resolve_entity
from wiretrace.textutil import fold

SHARED = Path(__file__).parents[1] / ".." / "shared"

STORY = {
    "en": (
        "Senior US and European officials held secret emergency talks with Russian "
        "representatives in Istanbul on 17 September, days before Azerbaijan launched its "
        "offensive in Nagorno-Karabakh, Politico reported. The United States was represented by "
        "Louis Bono, Washington's senior adviser for Caucasus negotiations. The EU sent its "
        "special representative Toivo Klaar, while Russia sent Igor Khovaev, Vladimir Putin's "
        "special representative for the normalisation of relations between Armenia and "
        "Azerbaijan. Klaar has also negotiated with Russian deputy foreign minister Mikhail "
        "Galuzin. A State Department spokesperson declined to comment. The Kremlin still holds "
        "sway in the region, a US official said. Azerbaijan had blockaded the Lachin corridor "
        "for nine months."
    ),
    "uk": (
        "Високопосадовці США та ЄС провели таємні переговори з представниками Росії в Стамбулі "
        "17 вересня, за кілька днів до наступу Азербайджану в Нагірному Карабаху, пише Politico. "
        "США представляв Луїс Боно, старший радник Вашингтона з питань переговорів на Кавказі. "
        "ЄС направив свого представника Тойво Клаара, а Росія – Ігоря Ховаєва, спецпредставника "
        "Путіна з питань нормалізації відносин між Вірменією та Азербайджаном. Клаар також вів "
        "переговори із заступником міністра закордонних справ Росії Михайлом Галузіним. Речник "
        "Держдепу відмовився від коментарів. Кремль досі має вплив у регіоні, сказав "
        "американський посадовець. Азербайджан дев'ять місяців блокував Лачинський коридор."
    ),
    "ru": (
        "Высокопоставленные чиновники США и ЕС провели секретные переговоры с представителями "
        "России в Стамбуле 17 сентября, за несколько дней до наступления Азербайджана в Нагорном "
        "Карабахе, сообщает Politico. США представлял Луис Боно, старший советник Вашингтона по "
        "переговорам на Кавказе. ЕС направил своего представителя Тойво Клаара, а Россия – "
        "Игоря Ховаева, спецпредставителя Путина по нормализации отношений между Арменией и "
        "Азербайджаном. Клаар также вёл переговоры с заместителем министра иностранных дел "
        "России Михаилом Галузиным. Представитель Госдепа отказался от комментариев. Кремль "
        "по-прежнему сохраняет влияние в регионе, заявил американский чиновник. Азербайджан "
        "девять месяцев блокировал Лачинский коридор."
    ),
    "de": (
        "Hochrangige Vertreter der USA und der EU haben am 17. September in Istanbul geheime "
        "Gespräche mit russischen Vertretern geführt, wenige Tage vor der Offensive "
        "Aserbaidschans in Bergkarabach, berichtet Politico. Die USA wurden von Louis Bono "
        "vertreten, dem obersten Berater Washingtons für die Verhandlungen im Kaukasus. Die EU "
        "schickte ihren Sonderbeauftragten Toivo Klaar, Russland entsandte Igor Chowajew, Putins "
        "Sonderbeauftragten für die Normalisierung der Beziehungen zwischen Armenien und "
        "Aserbaidschan. Klaar verhandelte auch mit dem russischen Vizeaußenminister Michail "
        "Galusin. Ein Sprecher des US-Außenministeriums lehnte einen Kommentar ab. Der Kreml habe "
        "in der Region weiterhin Einfluss, sagte ein US-Beamter. Aserbaidschan hatte den "
        "Latschin-Korridor neun Monate lang blockiert."
    ),
}

KEY_ACTORS = {
    "person:louis-bono": "person",
    "person:toivo-klaar": "person",
    "person:igor-khovaev": "person",
    "person:vladimir-putin": "person",
    "person:mikhail-galuzin": "person",
    "org:eu": "organisation",
    "org:us-state-department": "organisation",
    "org:ru-government": "organisation",
    "outlet:politico": "outlet",
    "country:US": "place",
    "country:RU": "place",
    "country:AZ": "place",
    "country:AM": "place",
    "place:istanbul": "place",
    "place:nagorno-karabakh": "place",
    "place:lachin-corridor": "place",
}


def _run(body: str, lang: str, title: str = "") -> Article:
    art = Article(id=f"t-{lang}", title=title, body=body, language=lang)
    return next(iter(STAGE_ENTITIES([art])))


def _by_canonical(article: Article) -> dict[str, Entity]:
    return {e.canonical_id or "": e for e in article.entities}


def _seed() -> tuple[Article, dict[str, object]]:
    page = SHARED / "seeds" / "000_2df298d6ec244cd0.txt"
    spec = SHARED / "spec" / "seed-analysis.json"
    if not page.is_file() or not spec.is_file():
        pytest.skip("shared seed material not available")
    text = page.read_text(encoding="utf-8")
    lines = text.split("\n")
    body = text[text.index("De hauts") : text.rindex("le Caucase.") + len("le Caucase.")]
    art = Article(id="seed", title=lines[0], body=body, language="fr")
    return next(iter(STAGE_ENTITIES([art]))), json.loads(spec.read_text(encoding="utf-8"))


def _lenient(a: str, b: str) -> bool:
    """The spec's rule: case/accent folded substring either way (apostrophes unified)."""
    fa, fb = fold(a).replace("’", "'"), fold(b).replace("’", "'")
    return fa in fb or fb in fa


def _type_matches(expected: str, got: str) -> bool:
    # An outlet is an organisation (the spec writes Politico as "organisation (outlet)").
    return expected == got or (expected == "organisation" and got == "outlet")


def test_entities_reference_page_matches_seed_analysis() -> None:
    article, spec = _seed()
    expected = spec["entities"]
    assert isinstance(expected, list)
    missing = []
    for item in expected:
        ok = False
        for ent in article.entities:
            names = [ent.name, *ent.aliases, *(m.text for m in ent.mentions)]
            if not _type_matches(item["type"], ent.type):
                continue
            if not any(_lenient(alt, n) for alt in item["any"] for n in names):
                continue
            roles = item.get("role_any")
            if roles and not any(_lenient(r, role.text) for r in roles for role in ent.roles):
                continue
            ok = True
        if not ok:
            missing.append(item["any"][0])
    assert not missing, f"unmatched seed entities: {missing}"


def test_entities_reference_page_fixes_known_ner_confusions() -> None:
    article, _ = _seed()
    ents = _by_canonical(article)
    assert ents["outlet:politico"].type == "outlet"  # spaCy says MISC / place
    assert ents["person:toivo-klaar"].type == "person"  # spaCy says LOC
    assert ents["place:lachin-corridor"].type == "place"  # spaCy says PER for "Lachin"
    assert ents["place:nagorno-karabakh"].type == "place"  # spaCy says PER for "Karabakh"
    assert ents["org:ru-government"].country == "RU"
    assert ents["org:us-state-department"].country == "US"
    # "Klaar" later in the text is the same person as "Toivo Klaar".
    assert len(ents["person:toivo-klaar"].mentions) == 2
    assert article.analysis.depth == "deep"
    # No demonym ("les Russes") is an entity.
    assert all(fold(e.name) != "russes" for e in article.entities)


def test_entities_reference_page_spans_and_evidence_point_into_body() -> None:
    article, _ = _seed()
    for ent in article.entities:
        assert ent.stage == "entities.v8"
        assert ent.id and ent.canonical_id
        for m in ent.mentions:
            assert article.body[m.start : m.end] == m.text
        for r in ent.roles:
            assert article.body[r.start : r.end] == r.text


@pytest.mark.parametrize("lang", ["en", "uk", "ru", "de"])
def test_entities_story_in_each_language_links_key_actors(lang: str) -> None:
    article = _run(STORY[lang], lang)
    ents = _by_canonical(article)
    missing = [k for k in KEY_ACTORS if k not in ents]
    assert not missing, f"{lang}: missing {missing}"
    wrong = {k: ents[k].type for k, t in KEY_ACTORS.items() if ents[k].type != t}
    assert not wrong, f"{lang}: wrong types {wrong}"


def test_entities_same_canonical_ids_across_languages_and_french_seed() -> None:
    seed, _ = _seed()
    ids = {lang: set(_by_canonical(_run(text, lang))) for lang, text in STORY.items()}
    ids["fr"] = set(_by_canonical(seed))
    common = set.intersection(*ids.values())
    assert set(KEY_ACTORS) <= common


def test_entities_inflected_names_get_dictionary_forms() -> None:
    uk = _by_canonical(_run(STORY["uk"], "uk"))
    assert uk["person:igor-khovaev"].name == "Ігор Ховаєв"
    assert uk["place:istanbul"].name == "Стамбул"
    assert uk["country:AZ"].name == "Азербайджан"
    ru = _by_canonical(_run(STORY["ru"], "ru"))
    assert ru["person:mikhail-galuzin"].name == "Михаил Галузин"


@pytest.mark.parametrize(
    ("lang", "canonical", "role_word"),
    [
        ("en", "person:toivo-klaar", "special representative"),
        ("en", "person:mikhail-galuzin", "deputy foreign minister"),
        ("en", "person:louis-bono", "senior adviser"),
        ("en", "person:igor-khovaev", "special representative for the normalisation"),
        ("uk", "person:igor-khovaev", "спецпредставника"),
        ("ru", "person:mikhail-galuzin", "заместителем министра"),
        ("de", "person:toivo-klaar", "Sonderbeauftragten"),
    ],
)
def test_entities_roles_from_appositions_and_premodifiers(
    lang: str, canonical: str, role_word: str
) -> None:
    ent = _by_canonical(_run(STORY[lang], lang))[canonical]
    assert any(fold(role_word) in fold(r.text) for r in ent.roles), ent.roles


def test_entities_title_before_a_name_does_not_go_to_the_possessor() -> None:
    en = _by_canonical(_run(STORY["en"], "en"))
    # "Vladimir Putin's special representative" is Khovaev's title, not Putin's.
    assert not any("special representative" in r.text for r in en["person:vladimir-putin"].roles)
    uk = _by_canonical(_run(STORY["uk"], "uk"))
    assert not uk["person:vladimir-putin"].roles


def test_entities_depth_recorded_per_language_path() -> None:
    assert _run(STORY["en"], "en").analysis.depth == "deep"
    assert _run(STORY["ru"], "ru").analysis.depth == "deep"  # natasha
    assert _run(STORY["uk"], "uk").analysis.depth == "basic"
    assert _run(STORY["de"], "de").analysis.depth == "basic"


UNREGISTERED = {
    "fr": "Le négociateur finlandais Aleksi Virtanen est arrivé à Genève. Virtanen a parlé.",
    "en": "The Finnish negotiator Aleksi Virtanen arrived in Geneva. Virtanen spoke.",
    "uk": "Фінський переговірник Алексі Віртанен прибув до Женеви. Віртанен виступив.",
    "ru": "Финский переговорщик Алекси Виртанен прибыл в Женеву. Виртанен выступил.",
}


def test_entities_unregistered_person_links_across_scripts() -> None:
    ids = {}
    for lang, text in UNREGISTERED.items():
        ents = _by_canonical(_run(text, lang))
        assert "place:geneva" in ents
        people = [e for e in ents.values() if e.type == "person"]
        assert len(people) == 1, (lang, sorted(ents))
        assert len(people[0].mentions) == 2  # the bare surname joins the full name
        ids[lang] = people[0].canonical_id
    assert len(set(ids.values())) == 1, ids


def test_entities_capitalised_common_words_are_not_entities_in_german() -> None:
    art = _run(
        "Die Gespräche fanden in Wien statt. Die Regierung schwieg zur Normalisierung der "
        "Beziehungen.",
        "de",
    )
    assert {e.canonical_id for e in art.entities} == {"place:vienna"}


@pytest.mark.parametrize(
    ("name", "lang", "key"),
    [
        ("Poutine", "fr", "person:vladimir-putin"),
        ("Putin", "en", "person:vladimir-putin"),
        ("Путіна", "uk", "person:vladimir-putin"),
        ("Путина", "ru", "person:vladimir-putin"),
        ("Vladimir Poutine", None, "person:vladimir-putin"),
        ("Kremlin", "fr", "org:ru-government"),
        ("ЄС", "uk", "org:eu"),
        ("Département d'État", "fr", "org:us-state-department"),
        ("Держдеп", "uk", "org:us-state-department"),
        ("Стамбулі", "uk", "place:istanbul"),
        ("Politico", None, "politico"),
    ],
)
def test_entities_resolve_entity_across_languages(name: str, lang: str | None, key: str) -> None:
    entry = resolve_entity(name, lang)
    assert entry is not None and entry.key == key


def test_entities_resolve_entity_unknown_is_none() -> None:
    assert resolve_entity("Zorblax Quint", "en") is None
    assert resolve_entity("", "fr") is None


def test_entities_every_cldr_country_is_a_place_in_any_language() -> None:
    ents = _by_canonical(_run("Il terremoto in Marocco ha colpito anche la Mauritania.", "it"))
    assert ents["country:MA"].type == "place" and ents["country:MA"].name == "Marocco"
    assert ents["country:MR"].country == "MR"


def test_entities_place_name_inside_a_person_name_stays_a_person() -> None:
    ents = _run("Chad Johnson scored twice for Leeds on Saturday. Johnson was injured.", "en")
    assert "country:TD" not in {e.canonical_id for e in ents.entities}
    people = [e for e in ents.entities if e.type == "person"]
    assert any(e.name == "Chad Johnson" and len(e.mentions) == 2 for e in people)


def test_entities_names_in_a_list_get_no_title() -> None:
    art = _run(
        "Les secours sont arrivés dans les provinces du représentant local, Taroudant, "
        "Chichaoua et Marrakech.",
        "fr",
    )
    assert all(not e.roles for e in art.entities)


def test_entities_basic_full_name_reused_as_surname_is_a_person() -> None:
    text = (
        "Handré Pollard marcó todos los puntos del partido. Después del encuentro, Pollard "
        "dijo que estaba orgulloso."
    )
    people = [e for e in _run(text, "es").entities if e.type == "person"]
    assert [e.name for e in people] == ["Handré Pollard"]
    assert len(people[0].mentions) == 2


def test_entities_inflected_registry_name_is_shown_in_dictionary_spelling() -> None:
    ents = _by_canonical(
        _run("Premier spotkał się w Brukseli z przedstawicielami Unii Europejskiej.", "pl")
    )
    assert ents["place:brussels"].name == "Bruksela"
    assert ents["org:eu"].name == "Unia Europejska"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Делегація прибула до Києва у вівторок увечері.", "uk"),
        ("Мер Києва провів брифінг для журналістів.", "uk"),
        ("Автобусы из Киева отправились утром.", "ru"),
    ],
)
def test_entities_inflected_kyiv_is_kyiv_never_a_transliteration(text: str, lang: str) -> None:
    # The scan matches "Києва" through its Latin transliteration, the alias "Kiev"; a spelling in
    # another script than the text's is no name to show: the registry's (or the text's) stands.
    ents = _by_canonical(_run(text, lang))
    assert ents["place:kyiv"].name in ("Київ", "Киев", "Kyiv"), ents["place:kyiv"]
    assert ents["place:kyiv"].type == "place"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Olena Zelenska visited a school in Kharkiv on Monday.", "Olena Zelenska"),
        ("The ceremony was opened by Oksana Kovalchuk and the mayor.", "Oksana Kovalchuk"),
        ("Yulia Svyrydenko told reporters the budget would pass.", "Yulia Svyrydenko"),
    ],
)
def test_entities_transliterated_slavic_names_are_persons(text: str, name: str) -> None:
    ents = {e.name: e for e in _run(text, "en").entities}
    assert ents[name].type == "person", ents


def test_entities_slavic_endings_do_not_make_organisations_persons() -> None:
    body = "Gazprom Neft and Alfa Bank signed a deal with Roscosmos Agency."
    ents = {e.name: e for e in _run(body, "en").entities}
    assert ents and all(e.type != "person" for e in ents.values()), ents


def test_entities_lone_titles_and_abbreviations_are_not_people() -> None:
    text = (
        "Deputy Jerry Ortiz was shot on Friday, Sheriff Lee Baca said. Dist. Atty. Steve "
        "Cooley filed charges. Ortiz had served for years."
    )
    names = {e.name for e in _run(text, "en").entities if e.type == "person"}
    assert not names & {"Deputy", "Sheriff", "Dist", "Atty"}
    assert {"Jerry Ortiz", "Steve Cooley"} <= names


def test_entities_shorter_form_of_a_full_name_joins_it() -> None:
    text = (
        'The gang member shot Luis Gerardo "Jerry" Ortiz outside a building. Jerry Ortiz '
        "was 35. Prosecutors said Ortiz never drew his gun."
    )
    people = [e for e in _run(text, "en").entities if e.type == "person" and "Ortiz" in e.name]
    assert len(people) == 1 and len(people[0].mentions) == 3


@pytest.mark.parametrize(
    ("lang", "text", "role"),
    [
        (
            "fr",
            "Le ministre ukrainien des Affaires étrangères, Dmytro Kouleba, a déclaré que Kiev "
            "resterait ferme.",
            "ministre ukrainien des Affaires étrangères",
        ),
        (
            "en",
            "Russia's foreign minister, Sergei Lavrov, said Moscow was ready.",
            "foreign minister",
        ),
        ("en", "The head of the IAEA, Rafael Grossi, said the plant was safe.", "head of the IAEA"),
        ("fr", "Le porte-parole du Kremlin, Dmitri Peskov, a refusé de commenter.", "porte-parole"),
        (
            "uk",
            "Міністр закордонних справ України Дмитро Кулеба заявив, що Київ не поступиться.",
            "Міністр закордонних справ",
        ),
        (
            "ru",
            "Пресс-секретарь Кремля Дмитрий Песков отказался от комментариев.",
            "Пресс-секретарь",
        ),
    ],
)
def test_entities_title_in_commas_before_the_verb(lang: str, text: str, role: str) -> None:
    people = [e for e in _run(text, lang).entities if e.type == "person"]
    assert len(people) == 1
    assert any(fold(role) in fold(r.text) for r in people[0].roles), people[0].roles


def test_entities_list_of_places_after_a_comma_gets_no_title() -> None:
    art = _run("Officials from Taroudant, Chichaoua and Marrakech met the governor.", "en")
    assert all(not e.roles for e in art.entities)


@pytest.mark.gate
def test_entities_gate_event_participants_found_and_countries_linked() -> None:
    """Floors on ../shared/eval/events/dev.jsonl: proper-name participants the coders marked
    are found as entity mentions, and those naming a country link to its canonical id."""
    from wiretrace.registry.actors import find_actor

    path = SHARED / "eval" / "events" / "dev.jsonl"
    if not path.is_file():
        pytest.skip("shared eval data not available")
    records = [json.loads(line) for line in path.open(encoding="utf-8")]
    arts = [Article(id=r["id"], title="", body=r["text"], language=r["lang"]) for r in records]
    done = {a.id: a for a in STAGE_ENTITIES(arts)}
    found = total = linked = countries = 0
    for r in records:
        names = {n for ev in r["events"] for n in ev["actors"] + ev["recipients"] if n}
        for name in names:
            if not name[0].isupper() or name not in r["text"]:
                continue
            i = r["text"].index(name)
            ents = [
                e
                for e in done[r["id"]].entities
                if any(m.start < i + len(name) and i < m.end for m in e.mentions)
            ]
            total += 1
            found += bool(ents)
            entry = find_actor(name)
            if entry is not None and entry.key.startswith("country:"):
                countries += 1
                linked += any(e.canonical_id == entry.key for e in ents)
    # Measured 0.74 and 0.98; many misses are demonym groups ("Sudanese government"), which
    # are not named entities by design.
    assert found / total >= 0.70
    assert linked / countries >= 0.95


def test_entities_surname_tagged_as_place_joins_the_titled_person() -> None:
    text = (
        "L’UE a envoyé son représentant dans la région, Aarne Kivimäe. Kivimäe a rencontré "
        "les parties à Bakou."
    )
    people = [e for e in _run(text, "fr").entities if e.type == "person"]
    assert [(p.name, len(p.mentions)) for p in people] == [("Aarne Kivimäe", 2)]
    assert not any(e.name == "Kivimäe" and e.type == "place" for e in _run(text, "fr").entities)


def test_entities_country_of_unregistered_person_comes_from_the_title() -> None:
    text = "La Russie a envoyé Oleg Vassiliev, représentant spécial du Kremlin pour le Caucase."
    person = next(e for e in _run(text, "fr").entities if e.type == "person")
    assert person.name == "Oleg Vassiliev" and person.country == "RU"
    text = "Washington sent Dana Whitfield, the senior American adviser on the Caucasus."
    person = next(e for e in _run(text, "en").entities if e.type == "person")
    assert person.country == "US"


def _entities(text: str, lang: str) -> tuple[Entity, ...]:
    return STAGE_ENTITIES.fn(Article(id="x", title="", body=text, language=lang)).entities


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "en",
            "Dockworkers in Rotterdam walked out on Monday. Rotterdam is Europe's largest port.",
        ),
        ("fr", "Les dockers de Rotterdam ont cessé le travail lundi."),
        ("de", "Die Hafenarbeiter in Rotterdam streikten am Montag."),
        ("es", "Los estibadores de Rotterdam iniciaron una huelga el lunes."),
    ],
)
def test_entities_registry_place_is_never_a_person(lang: str, text: str) -> None:
    ents = [e for e in _entities(text, lang) if e.name == "Rotterdam"]
    assert ents and all(e.type == "place" for e in ents)


@pytest.mark.parametrize(
    ("lang", "text", "key"),
    [
        (
            "en",
            "Prime Minister Viktor Orbán left the room. Orbán said later.",
            "person:viktor-orban",
        ),
        ("pl", "Kanclerz Scholz rozmawiał z Orbánem przed głosowaniem.", "person:viktor-orban"),
        ("uk", "Лідери кілька годин домовлялися з Орбаном.", "person:viktor-orban"),
        ("ru", "Премьер Венгрии Виктор Орбан не согласился.", "person:viktor-orban"),
        ("en", "Armenian Prime Minister Nikol Pashinyan said so.", "person:nikol-pashinyan"),
        ("uk", "За словами Пашиняна, мир близько.", "person:nikol-pashinyan"),
        ("ru", "Никол Пашинян заявил об этом.", "person:nikol-pashinyan"),
        # Written for these tests: Polish and Czech spellings with case endings, a German
        # genitive, a Spanish accent.
        ("pl", "Premier rozmawiał z Nikolem Paszynianem w Brukseli.", "person:nikol-pashinyan"),
        ("pl", "Rozmowa z Orbanem trwała godzinę.", "person:viktor-orban"),
        ("pl", "Paszynian wrócił potem do Erywania.", "person:nikol-pashinyan"),
        ("de", "Paschinjans Besuch in Berlin wurde verschoben.", "person:nikol-pashinyan"),
        ("es", "Orbán y Pashinián hablaron de Stepanakert.", "person:nikol-pashinyan"),
    ],
)
def test_entities_one_canonical_id_across_inflections_and_scripts(
    lang: str, text: str, key: str
) -> None:
    people = [e for e in _entities(text, lang) if e.type == "person"]
    assert key in {e.canonical_id for e in people}, people


def test_entities_woman_surname_keeps_its_feminine_form() -> None:
    ents = _entities("Глава Центробанка Эльвира Набиуллина заявила об этом.", "ru")
    assert "Эльвира Набиуллина" in {e.name for e in ents if e.type == "person"}


def test_entities_surname_read_as_a_common_noun_keeps_its_form() -> None:
    ents = _entities("Президент Казахстана Касым-Жомарт Токаев выступил перед инвесторами.", "ru")
    names = [e.name for e in ents if e.type == "person"]
    assert any(n.endswith("Токаев") for n in names), names


def test_entities_outlet_named_in_the_text_is_an_outlet() -> None:
    ents = _entities("The meeting was first reported by Politico on Tuesday.", "en")
    assert any(e.type == "outlet" and e.canonical_id == "outlet:politico" for e in ents)


def test_entities_inflected_registry_name_shows_the_registry_spelling() -> None:
    ents = _entities("Premier rozmawiał z Nikolem Paszynianem w Brukseli.", "pl")
    assert "Nikol Pashinyan" in {e.name for e in ents if e.type == "person"}, ents


def test_entities_an_acronym_before_a_full_name_is_a_name_of_its_own() -> None:
    text = "«Es una prueba de fuerza», señaló a AM Andrés Villalba, profesor de Madrid."
    names = {e.name for e in _entities(text, "es")}
    assert "Andrés Villalba" in names and "AM Andrés Villalba" not in names, names


@pytest.mark.parametrize(
    ("lang", "text", "name"),
    [
        # Written for these tests: a woman's name keeps its gender in any case, and a registered
        # man's surname after another given name is someone else of the family.
        ("uk", "Депутатка Юлія Тимошенко виступила в парламенті.", "Юлія Тимошенко"),
        ("uk", "Журналісти поговорили з Юлією Тимошенко після засідання.", "Юлія Тимошенко"),
        ("uk", "Заяву Юлії Свириденко оприлюднили ввечері.", "Юлія Свириденко"),
        ("uk", "Олена Зеленська відвідала школу в Ірпені.", "Олена Зеленська"),
        ("ru", "Олена Зеленская посетила школу в Ирпене.", "Олена Зеленская"),
    ],
)
def test_entities_woman_and_relative_keep_their_own_name(lang: str, text: str, name: str) -> None:
    people = [e for e in _entities(text, lang) if e.type == "person"]
    assert name in {e.name for e in people}, people
    assert all(e.canonical_id != "person:volodymyr-zelensky" for e in people), people
