-- The cart-events outbox (webhooks): one row per committed cart change,
-- written in the change's own transaction, delivered later by the
-- dispatcher. Delivered rows are pruned after a week, except each cart's
-- last one: the next event's sequence is the cart's highest one plus one.
CREATE TABLE cart_events (
    -- The event's `id`, the same on every delivery attempt.
    id              TEXT    PRIMARY KEY,
    cart_id         TEXT    NOT NULL,
    -- `entityEventSequence`: 1, 2, 3… per cart, no gaps.
    sequence        INTEGER NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('created', 'updated', 'deleted')),
    -- Whose cart it was (the event's identity); NULL for an admin's cart.
    visitor_id      TEXT,
    -- The cart after the change (created/updated; NULL when deleted): its
    -- revision, content (JSON) and dates, rendered to the wire at delivery.
    cart_revision   INTEGER,
    cart_content    TEXT,
    cart_created_at TEXT,
    cart_updated_at TEXT,
    -- Unix milliseconds of the change (`eventTime`).
    created_at      INTEGER NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    -- Unix milliseconds; the dispatcher leaves the event alone before then.
    next_attempt_at INTEGER NOT NULL,
    -- Unix milliseconds of the first failed attempt since it was queued (or
    -- re-queued); it is parked 24 h after. NULL: no failure yet.
    failing_since   INTEGER,
    last_error      TEXT,
    UNIQUE (cart_id, sequence)
);
CREATE INDEX cart_events_by_status ON cart_events (status, cart_id, sequence);

-- Small settings the server keeps across restarts (the default instance id).
CREATE TABLE server_settings (
    key     TEXT PRIMARY KEY,
    value   TEXT NOT NULL
);
