"""Numbered schema migrations; each runs once, in order, and is recorded in schema_migrations.

Applied ones are history: a change to the schema is a new number, never an edit of an old one.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (
        1,
        "documents, pages, passages and the full-text index",
        """
        CREATE TABLE documents (
            doc_id TEXT PRIMARY KEY,
            path TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            doc_type TEXT NOT NULL DEFAULT 'overig',
            date TEXT,
            publisher TEXT,
            municipality TEXT,
            size INTEGER NOT NULL,
            format TEXT NOT NULL,
            page_count INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL,
            error TEXT,
            notes TEXT NOT NULL DEFAULT '[]',
            ingested_at TEXT NOT NULL
        );
        CREATE INDEX documents_type_date ON documents(doc_type, date);
        CREATE TABLE copies (
            path TEXT PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
            seen_at TEXT NOT NULL
        );
        CREATE TABLE pages (
            doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            text TEXT NOT NULL,
            width REAL,
            height REAL,
            ocr INTEGER NOT NULL DEFAULT 0,
            ocr_confidence REAL,
            needs_ocr INTEGER NOT NULL DEFAULT 0,
            words BLOB,
            PRIMARY KEY (doc_id, number)
        );
        CREATE TABLE passages (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
            page INTEGER NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            text TEXT NOT NULL,
            terms TEXT NOT NULL,
            content_hash TEXT NOT NULL
        );
        CREATE INDEX passages_doc_page ON passages(doc_id, page);
        CREATE INDEX passages_hash ON passages(content_hash);
        CREATE VIRTUAL TABLE passages_fts USING fts5(
            terms, content='passages', content_rowid='id', tokenize='unicode61 remove_diacritics 0'
        );
        CREATE TRIGGER passages_ai AFTER INSERT ON passages BEGIN
            INSERT INTO passages_fts(rowid, terms) VALUES (new.id, new.terms);
        END;
        CREATE TRIGGER passages_ad AFTER DELETE ON passages BEGIN
            INSERT INTO passages_fts(passages_fts, rowid, terms) VALUES ('delete', old.id, old.terms);
        END;
        CREATE TRIGGER passages_au AFTER UPDATE OF terms ON passages BEGIN
            INSERT INTO passages_fts(passages_fts, rowid, terms) VALUES ('delete', old.id, old.terms);
            INSERT INTO passages_fts(rowid, terms) VALUES (new.id, new.terms);
        END;
        """,
    ),
    (
        2,
        "term statistics for the full-text index",
        """
        CREATE VIRTUAL TABLE passages_vocab USING fts5vocab(passages_fts, 'row');
        """,
    ),
    (
        3,
        "entity mentions and claims, anchored to page spans",
        """
        CREATE TABLE mentions (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
            page INTEGER NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            label TEXT NOT NULL,
            text TEXT NOT NULL,
            value TEXT,
            value_num REAL,
            canonical TEXT,
            entity_key TEXT NOT NULL
        );
        CREATE INDEX mentions_doc_page ON mentions(doc_id, page);
        CREATE INDEX mentions_entity ON mentions(label, entity_key);
        CREATE INDEX mentions_value ON mentions(value);
        CREATE TABLE claims (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
            page INTEGER NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            sentence TEXT NOT NULL,
            kind TEXT NOT NULL,
            speaker TEXT,
            claim_values TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX claims_doc_page ON claims(doc_id, page);
        """,
    ),
    (
        4,
        "passage embeddings keyed by content hash and model",
        """
        CREATE TABLE embeddings (
            content_hash TEXT NOT NULL,
            model TEXT NOT NULL,
            dim INTEGER NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (content_hash, model)
        ) WITHOUT ROWID;
        """,
    ),
    (
        5,
        'the full-text index declared as Datasette and sqlite-utils recognise it (content="passages")',
        """
        DROP TABLE passages_vocab;
        DROP TABLE passages_fts;
        CREATE VIRTUAL TABLE passages_fts USING fts5(
            terms, content="passages", content_rowid="id", tokenize='unicode61 remove_diacritics 0'
        );
        INSERT INTO passages_fts(passages_fts) VALUES ('rebuild');
        CREATE VIRTUAL TABLE passages_vocab USING fts5vocab(passages_fts, 'row');
        """,
    ),
    (
        6,
        "the workbench: entity curation rules, saved searches with the hits they reported, tags and notes",
        """
        CREATE TABLE curation_rules (
            id INTEGER PRIMARY KEY,
            action TEXT NOT NULL,
            label TEXT NOT NULL,
            name TEXT NOT NULL,
            target TEXT,
            doc_id TEXT,
            page INTEGER,
            start_char INTEGER,
            created_at TEXT NOT NULL,
            docs TEXT NOT NULL DEFAULT '[]'
        );
        CREATE TABLE saved_searches (
            id INTEGER PRIMARY KEY,
            query TEXT NOT NULL,
            filters TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL
        );
        CREATE TABLE saved_search_hits (
            search_id INTEGER NOT NULL REFERENCES saved_searches(id) ON DELETE CASCADE,
            doc_id TEXT NOT NULL,
            page INTEGER NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            run INTEGER NOT NULL,
            seen_at TEXT NOT NULL,
            PRIMARY KEY (search_id, doc_id, page, start_char)
        );
        CREATE TABLE tags (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL,
            page INTEGER NOT NULL DEFAULT 0,
            start_char INTEGER NOT NULL DEFAULT -1,
            end_char INTEGER NOT NULL DEFAULT -1,
            name TEXT NOT NULL,
            note TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (doc_id, page, start_char, name)
        );
        CREATE INDEX tags_name ON tags(name);
        """,
    ),
    (
        7,
        "Woo releases: inventory rows, redactions, documents split out of bundles and boundary corrections",
        """
        CREATE TABLE woo_redactions (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
            page INTEGER NOT NULL,
            x0 REAL NOT NULL, y0 REAL NOT NULL, x1 REAL NOT NULL, y1 REAL NOT NULL,
            ground TEXT,
            source TEXT NOT NULL,
            full_page INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX woo_redactions_doc ON woo_redactions(doc_id, page);
        CREATE TABLE woo_scanned (
            doc_id TEXT PRIMARY KEY REFERENCES documents(doc_id) ON DELETE CASCADE,
            seconds REAL NOT NULL
        );
        CREATE TABLE woo_inventory (
            id INTEGER PRIMARY KEY,
            release TEXT NOT NULL,
            number TEXT NOT NULL,
            date TEXT,
            description TEXT NOT NULL,
            decision TEXT,
            grounds TEXT NOT NULL DEFAULT '[]',
            source TEXT NOT NULL,
            page INTEGER NOT NULL,
            line INTEGER NOT NULL,
            doc_id TEXT,
            first_page INTEGER,
            unlinked TEXT
        );
        CREATE INDEX woo_inventory_release ON woo_inventory(release);
        CREATE TABLE woo_parts (
            parent TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
            number TEXT,
            first_page INTEGER NOT NULL,
            last_page INTEGER NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            date TEXT,
            origin TEXT NOT NULL,
            PRIMARY KEY (parent, first_page)
        );
        CREATE TABLE woo_corrections (
            parent TEXT NOT NULL,
            page INTEGER NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('split', 'merge')),
            made_at TEXT NOT NULL,
            PRIMARY KEY (parent, page)
        );
        CREATE TABLE woo_decisions (
            release TEXT PRIMARY KEY,
            doc_id TEXT NOT NULL,
            request_date TEXT,
            decision_date TEXT,
            days INTEGER,
            term_days INTEGER NOT NULL,
            extended INTEGER NOT NULL,
            exceeded INTEGER,
            grounds TEXT NOT NULL DEFAULT '[]'
        );
        """,
    ),
    (
        8,
        "Woo releases: what each release's last analysis was made from (its inputs' fingerprint) and found",
        """
        CREATE TABLE woo_analyses (
            release TEXT PRIMARY KEY,
            fingerprint TEXT NOT NULL,
            found INTEGER NOT NULL,
            stored INTEGER NOT NULL,
            outputs TEXT NOT NULL DEFAULT '[]',
            notices TEXT NOT NULL DEFAULT '[]',
            doc_ids TEXT NOT NULL DEFAULT '[]'
        );
        """,
    ),
)

LATEST = max(version for version, _, _ in MIGRATIONS)
# The oldest schema the Store's reads work on, for a case file it may not upgrade (read-only): 5 only
# re-declared the full-text index.
READABLE_FROM = 4
