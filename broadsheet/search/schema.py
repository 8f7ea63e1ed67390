"""The index's tables and the triggers that keep it in step with `newsroom_article`.

The index is kept by the database itself: a trigger on the article table writes
the index row in the same statement, so every way a story changes (a save in the
desk, a wire update or kill, a `bulk_create` of thousands in an import or the
demo seed, a raw UPDATE) reaches the index in the same transaction, and a story
that stops being live (withdrawn, back to draft) leaves it at once.

PostgreSQL: `search_entry(article_id, published_at, section_id, agency_id,
access, head, doc)`: the columns searches filter on, copied from the article,
and two tsvectors: headline (A) and standfirst (B); and those plus the body
(D). A GIN index on `doc`, a b-tree on the publication time, another on the
section and publication time.
Statement-level triggers with transition tables, so a bulk insert costs one
INSERT … SELECT.

SQLite: the FTS5 table `search_fts(headline, standfirst, body)` keyed by the
article id, Porter stemming over unicode61; row triggers.
"""

from __future__ import annotations

# search/migrations/0001_index runs these statements as they are here: a change to them needs a
# new migration that drops the index (statements(vendor, create=False)), creates it again and
# refills it (the rebuild batch), as 0001 does.
from broadsheet.search.text import ENTITY_PATTERN, TAG_PATTERN


def live(alias: str) -> str:
    """The stories the index holds: published or scheduled, with a publication time."""
    return f"{alias}.status IN ('published', 'scheduled') AND {alias}.published_at IS NOT NULL"


PG_CONFIG = "english"

# The index row: the article's key, the columns searches filter on (so matching never joins the
# article table), and the two vectors.
COPIED = ("published_at", "section_id", "agency_id", "access")
COLUMNS = ", ".join(["article_id", *COPIED, "head", "doc"])
UPSERT = "ON CONFLICT (article_id) DO UPDATE SET " + ", ".join(f"{c} = EXCLUDED.{c}" for c in [*COPIED, "head", "doc"])


def _values(alias: str) -> str:
    head = f"search_head({alias}.headline, {alias}.standfirst)"
    copied = ", ".join(f"{alias}.{c}" for c in COPIED)
    return f"{alias}.id, {copied}, {head}, {head} || search_body({alias}.body)"


def _changed(new: str, old: str) -> str:
    fields = ["headline", "standfirst", "body", *COPIED]
    return "(" + " OR ".join(f"{new}.{f} IS DISTINCT FROM {old}.{f}" for f in fields) + ")"


# A section and a span of dates narrow the GIN matches before any row is read (a BitmapAnd).
PG_SECTION_INDEX = "CREATE INDEX IF NOT EXISTS search_entry_section ON search_entry (section_id, published_at)"
PG_SECTION_INDEX_DROP = "DROP INDEX IF EXISTS search_entry_section"

# A story the reader may not open is matched on `head` alone: a GIN index of its own finds those
# matches, exclusions included, without reading the rows whose body alone holds the words.
PG_HEAD_INDEXES = ["CREATE INDEX IF NOT EXISTS search_entry_head ON search_entry USING gin (head)"]
PG_HEAD_INDEXES_DROP = ["DROP INDEX IF EXISTS search_entry_head"]

PG_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION search_plain(html text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT regexp_replace(regexp_replace(coalesce(html, ''), '{TAG_PATTERN}', ' ', 'g'),
                            '{ENTITY_PATTERN}', ' ', 'g')
    $$""",
    f"""
    CREATE OR REPLACE FUNCTION search_head(headline text, standfirst text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT setweight(to_tsvector('{PG_CONFIG}', coalesce(headline, '')), 'A')
          || setweight(to_tsvector('{PG_CONFIG}', coalesce(standfirst, '')), 'B')
    $$""",
    f"""
    CREATE OR REPLACE FUNCTION search_body(body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT setweight(to_tsvector('{PG_CONFIG}', search_plain(body)), 'D')
    $$""",
    """
    CREATE TABLE search_entry (
      article_id bigint PRIMARY KEY,
      published_at timestamptz NOT NULL,
      section_id bigint NOT NULL,
      agency_id bigint,
      access varchar(10) NOT NULL,
      head tsvector NOT NULL,
      doc tsvector NOT NULL
    )""",
    "CREATE INDEX search_entry_doc ON search_entry USING gin (doc)",
    "CREATE INDEX search_entry_published ON search_entry (published_at DESC, article_id DESC)",
    PG_SECTION_INDEX,
    *PG_HEAD_INDEXES,
    f"""
    CREATE OR REPLACE FUNCTION search_entry_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO search_entry ({COLUMNS})
      SELECT {_values("n")} FROM new_rows n WHERE {live("n")}
      {UPSERT};
      RETURN NULL;
    END $$""",
    f"""
    CREATE OR REPLACE FUNCTION search_entry_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM search_entry e USING new_rows n
      WHERE e.article_id = n.id AND NOT ({live("n")});
      INSERT INTO search_entry ({COLUMNS})
      SELECT {_values("n")}
      FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE {live("n")} AND (NOT ({live("o")}) OR {_changed("n", "o")})
      {UPSERT};
      RETURN NULL;
    END $$""",
    """
    CREATE TRIGGER search_entry_insert AFTER INSERT ON newsroom_article
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_entry_inserted()""",
    """
    CREATE TRIGGER search_entry_update AFTER UPDATE ON newsroom_article
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_entry_updated()""",
    # No foreign key: Django's flush truncates newsroom_article without CASCADE. Deletes and
    # truncation have triggers of their own.
    """
    CREATE OR REPLACE FUNCTION search_entry_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM search_entry e USING old_rows o WHERE e.article_id = o.id;
      RETURN NULL;
    END $$""",
    """
    CREATE TRIGGER search_entry_delete AFTER DELETE ON newsroom_article
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_entry_deleted()""",
    """
    CREATE OR REPLACE FUNCTION search_entry_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      TRUNCATE search_entry;
      RETURN NULL;
    END $$""",
    """
    CREATE TRIGGER search_entry_truncate AFTER TRUNCATE ON newsroom_article
    FOR EACH STATEMENT EXECUTE FUNCTION search_entry_truncated()""",
]

PG_DROP = [
    "DROP TRIGGER IF EXISTS search_entry_truncate ON newsroom_article",
    "DROP TRIGGER IF EXISTS search_entry_delete ON newsroom_article",
    "DROP FUNCTION IF EXISTS search_entry_truncated()",
    "DROP FUNCTION IF EXISTS search_entry_deleted()",
    "DROP TRIGGER IF EXISTS search_entry_update ON newsroom_article",
    "DROP TRIGGER IF EXISTS search_entry_insert ON newsroom_article",
    "DROP FUNCTION IF EXISTS search_entry_updated()",
    "DROP FUNCTION IF EXISTS search_entry_inserted()",
    "DROP TABLE IF EXISTS search_entry",
    "DROP FUNCTION IF EXISTS search_body(text)",
    "DROP FUNCTION IF EXISTS search_head(text, text)",
    "DROP FUNCTION IF EXISTS search_plain(text)",
]

PG_REBUILD_BATCH = f"""
    INSERT INTO search_entry ({COLUMNS})
    SELECT {_values("a")} FROM newsroom_article a WHERE a.id > %s AND a.id <= %s AND {live("a")}
    {UPSERT}"""

SQLITE_TOKENIZER = "porter unicode61 remove_diacritics 2"

SQLITE_INSERT_NEW = (
    "INSERT INTO search_fts (rowid, headline, standfirst, body) "
    "VALUES (NEW.id, NEW.headline, NEW.standfirst, search_plain(NEW.body))"
)

SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE search_fts USING fts5(headline, standfirst, body, tokenize = '{SQLITE_TOKENIZER}')",
    f"""
    CREATE TRIGGER search_fts_insert AFTER INSERT ON newsroom_article
    WHEN {live("NEW")}
    BEGIN {SQLITE_INSERT_NEW}; END""",
    f"""
    CREATE TRIGGER search_fts_update AFTER UPDATE OF headline, standfirst, body, status, published_at
    ON newsroom_article
    BEGIN
      DELETE FROM search_fts WHERE rowid = OLD.id;
      INSERT INTO search_fts (rowid, headline, standfirst, body)
      SELECT NEW.id, NEW.headline, NEW.standfirst, search_plain(NEW.body)
      WHERE {live("NEW")};
    END""",
    """
    CREATE TRIGGER search_fts_delete AFTER DELETE ON newsroom_article
    BEGIN DELETE FROM search_fts WHERE rowid = OLD.id; END""",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]

SQLITE_REBUILD_BATCH = f"""
    INSERT INTO search_fts (rowid, headline, standfirst, body)
    SELECT a.id, a.headline, a.standfirst, search_plain(a.body)
    FROM newsroom_article a WHERE a.id > %s AND a.id <= %s AND {live("a")}"""


def statements(vendor: str, *, create: bool) -> list[str]:
    if vendor == "postgresql":
        return PG_CREATE if create else PG_DROP
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    raise NotImplementedError(f"search has no index for {vendor}")
