-- Visitor tokens. Only SHA-256 hashes of tokens are stored, never the tokens.
CREATE TABLE tokens (
    token_hash  TEXT    PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('access', 'refresh')),
    visitor_id  TEXT    NOT NULL,
    -- Unix seconds; NULL never expires (refresh tokens).
    expires_at  INTEGER
);
CREATE INDEX tokens_visitor ON tokens (visitor_id);

-- One current cart per visitor. `lines` is a JSON array of stored line items
-- (catalog reference + quantity); prices are resolved from the catalog on read.
-- `revision` increases by one on every change (optimistic concurrency).
CREATE TABLE carts (
    id          TEXT    PRIMARY KEY,
    visitor_id  TEXT    NOT NULL UNIQUE,
    revision    INTEGER NOT NULL,
    lines       TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
