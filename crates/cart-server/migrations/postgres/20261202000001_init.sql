-- The PostgreSQL schema: the same tables and columns as the SQLite one
-- (`migrations/sqlite/`, applied there in three steps), created at once.
-- Dates stay ISO-8601 text and cart content JSON text, as on SQLite, so both
-- backends read and write them with the same code.

-- Visitor tokens. Only SHA-256 hashes of tokens are stored, never the tokens.
CREATE TABLE tokens (
    token_hash  TEXT    PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('access', 'refresh')),
    visitor_id  TEXT    NOT NULL,
    -- Unix seconds; NULL never expires (refresh tokens).
    expires_at  BIGINT
);
CREATE INDEX tokens_visitor ON tokens (visitor_id);

-- A visitor's current cart (or an admin's cart with no visitor). `revision`
-- increases by one on every change: writes are conditional on it.
CREATE TABLE carts (
    id          TEXT    PRIMARY KEY,
    visitor_id  TEXT    UNIQUE,
    revision    BIGINT  NOT NULL,
    content     TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);

-- One checkout per cart; creating it again updates it.
CREATE TABLE checkouts (
    id           TEXT   PRIMARY KEY,
    cart_id      TEXT   NOT NULL UNIQUE,
    channel_type TEXT   NOT NULL,
    summary      TEXT   NOT NULL,
    created_at   TEXT   NOT NULL,
    updated_at   TEXT   NOT NULL
);

-- The cart-events outbox; the columns are described in
-- `migrations/sqlite/20261130000001_cart_events_outbox.sql`.
CREATE TABLE cart_events (
    id              TEXT    PRIMARY KEY,
    cart_id         TEXT    NOT NULL,
    sequence        BIGINT  NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('created', 'updated', 'deleted')),
    visitor_id      TEXT,
    cart_revision   BIGINT,
    cart_content    TEXT,
    cart_created_at TEXT,
    cart_updated_at TEXT,
    created_at      BIGINT  NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    failing_since   BIGINT,
    last_error      TEXT,
    -- Unix milliseconds until which a node holds the event to deliver it;
    -- no other node takes it before then (NULL: nobody holds it).
    lease_until     BIGINT,
    UNIQUE (cart_id, sequence)
);
CREATE INDEX cart_events_by_status ON cart_events (status, cart_id, sequence);
-- The dispatcher's question, "each cart's lowest pending sequence", reads
-- only pending rows; delivered ones pile up for a week.
CREATE INDEX cart_events_pending ON cart_events (cart_id, sequence) WHERE status = 'pending';

-- Small settings the server keeps across restarts (the default instance id).
CREATE TABLE server_settings (
    key     TEXT PRIMARY KEY,
    value   TEXT NOT NULL
);
