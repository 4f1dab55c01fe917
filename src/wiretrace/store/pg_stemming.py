"""Language-specific stemming on PostgreSQL, beside the ``simple`` + ``unaccent`` matching.

Beside its ``tsv`` column (the folded words of every language, ``wt_simple``), each full-text
row has ``stv``: the stems of its article's language where PostgreSQL has a Snowball stemmer for
it (English, French, German, Spanish, Italian, Russian and the others of :data:`LANGUAGES`;
Ukrainian has none), through ``wt_<language>`` configurations that fold accents before stemming,
with a GIN index of its own. A trigger fills each row's ``stem`` configuration from its
article's language. The stems stay apart so that a search without a language matches exactly
what it matches on SQLite. A search that names a
language (``--language fr``, ``?language=fr``) also matches the stems of its words in that
language, so "négociation" finds "négociations"; without a language the words match as written
(folded), as on SQLite.
"""

from __future__ import annotations

from typing import Any

from .migrations import Migration

# ISO 639-1 code -> PostgreSQL's Snowball configuration (made only if the server has it).
LANGUAGES = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish",
    "nl": "dutch", "en": "english", "fi": "finnish", "fr": "french", "de": "german",
    "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "no": "norwegian", "nb": "norwegian",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "es": "spanish",
    "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip
_VALUES = ", ".join(f"('{code}', '{name}')" for code, name in LANGUAGES.items())

STEMMING: Migration = (
    "pg_0005_stemming",
    f"""
    CREATE TABLE wt_stemmers (code TEXT COLLATE "C" PRIMARY KEY, config regconfig NOT NULL);
    DO $do$
    DECLARE r record;
    BEGIN
        FOR r IN SELECT v.code, v.name FROM (VALUES {_VALUES}) AS v(code, name)
                 WHERE EXISTS (SELECT 1 FROM pg_ts_dict d WHERE d.dictname = v.name || '_stem')
        LOOP
            IF to_regclass('wt_stemmers') IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM pg_ts_config c WHERE c.cfgname = 'wt_' || r.name
                AND c.cfgnamespace = current_schema()::regnamespace) THEN
                EXECUTE format('CREATE TEXT SEARCH CONFIGURATION %I (COPY = pg_catalog.%I)',
                               'wt_' || r.name, r.name);
                EXECUTE format('ALTER TEXT SEARCH CONFIGURATION %I ALTER MAPPING FOR hword, '
                               'hword_part, word WITH public.unaccent, %I',
                               'wt_' || r.name, r.name || '_stem');
            END IF;
            INSERT INTO wt_stemmers VALUES (r.code, ('wt_' || r.name)::regconfig);
        END LOOP;
    END $do$;
    CREATE FUNCTION wt_stem_config(text) RETURNS regconfig LANGUAGE sql STABLE PARALLEL SAFE
        AS $$ SELECT coalesce((SELECT config FROM wt_stemmers
                               WHERE code = split_part(lower($1), '-', 1)), 'simple') $$;
    ALTER TABLE articles_fts ADD COLUMN stem regconfig;
    CREATE FUNCTION wt_fts_stem() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.stem := (SELECT s.config FROM articles a JOIN wt_stemmers s
                     ON s.code = split_part(lower(a.language), '-', 1) WHERE a.id = NEW.article_id);
        RETURN NEW;
    END $$;
    CREATE TRIGGER articles_fts_stem BEFORE INSERT OR UPDATE OF article_id, title, body
        ON articles_fts FOR EACH ROW EXECUTE FUNCTION wt_fts_stem();
    UPDATE articles_fts f SET stem = s.config FROM articles a JOIN wt_stemmers s
        ON s.code = split_part(lower(a.language), '-', 1) WHERE a.id = f.article_id;
    ALTER TABLE articles_fts ADD COLUMN stv tsvector GENERATED ALWAYS AS (
        CASE WHEN stem IS NULL THEN NULL
        ELSE to_tsvector(stem, coalesce(title, '') || ' ' || coalesce(body, '')) END
    ) STORED;
    CREATE INDEX articles_fts_stv ON articles_fts USING gin (stv);
    """,
)


# The words of one language seldom appear in another's articles, yet a GIN index intersects
# whole posting lists: two common words of different languages (a sixth of a million articles
# each) cost ~10 ms to find that nothing holds both. So the ``tsv`` index is also kept per stem
# configuration (one partial index per language with a stemmer, one for every other language):
# in each part one of those words is absent and the answer is immediate. Every row is in one
# part (``stem`` is one of ``wt_stemmers``' configurations, set by the trigger, or NULL).
BY_LANGUAGE: Migration = (
    "pg_0006_fulltext_by_language",
    """
    DO $do$
    DECLARE r record;
    BEGIN
        FOR r IN SELECT DISTINCT config::oid AS oid, c.cfgname AS name FROM wt_stemmers s
                 JOIN pg_ts_config c ON c.oid = s.config LOOP
            EXECUTE format('CREATE INDEX %I ON articles_fts USING gin (tsv) '
                           'WHERE stem = %L::regconfig', 'articles_fts_tsv_' || r.name, r.oid);
        END LOOP;
    END $do$;
    CREATE INDEX articles_fts_tsv_other ON articles_fts USING gin (tsv) WHERE stem IS NULL;
    """,
)


def parts(conn: Any) -> list[str]:
    """SQL conditions on ``f`` (an ``articles_fts`` row), one per partial index of
    ``BY_LANGUAGE``: every row meets exactly one. Literal OIDs, so a prepared (generic) plan
    still proves each part's index applies."""
    oids = sorted({int(r[0]) for r in conn.execute("SELECT config::oid FROM wt_stemmers")})
    return [f"f.stem = '{o}'::regconfig" for o in oids] + ["f.stem IS NULL"]


def match_sql(language: str | None, prefix: str = "f.") -> tuple[str, int]:
    """SQL condition: a full-text row matches the search's tsquery text (given ``n`` times as a
    parameter, see :func:`query_args`), and ``n``. With a language, stems match too."""
    simple = f"{prefix}tsv @@ to_tsquery('wt_simple', ?)"
    if not _stems(language):
        return simple, 1
    return f"({simple} OR {prefix}stv @@ to_tsquery(wt_stem_config(?), ?))", 3


def rank_sql(language: str | None) -> str:
    """SQL ranking a row ``f`` against the search (the parameters of :func:`query_args`)."""
    simple = "ts_rank(f.tsv, to_tsquery('wt_simple', ?))"
    if not _stems(language):
        return simple
    return f"({simple} + coalesce(ts_rank(f.stv, to_tsquery(wt_stem_config(?), ?)), 0))"


def query_args(text: str, language: str | None) -> list[Any]:
    """The parameters :func:`match_sql` and :func:`rank_sql` ask for, in order."""
    return [text, language, text] if _stems(language) else [text]


def _stems(language: str | None) -> bool:
    return bool(language) and str(language).split("-")[0].lower() in LANGUAGES
