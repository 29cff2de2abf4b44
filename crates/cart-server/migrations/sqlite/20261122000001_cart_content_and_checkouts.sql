-- Carts keep all their content (lines, note, coupon, shipping choice, address,
-- checkout) in one JSON document, and may belong to no visitor (carts created
-- by id with the admin key). SQLite cannot relax a NOT NULL, so the table is rebuilt.
CREATE TABLE carts_new (
    id          TEXT    PRIMARY KEY,
    visitor_id  TEXT    UNIQUE,
    revision    INTEGER NOT NULL,
    content     TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
INSERT INTO carts_new (id, visitor_id, revision, content, created_at, updated_at)
    SELECT id, visitor_id, revision, json_object('lines', json(lines)), created_at, updated_at FROM carts;
DROP TABLE carts;
ALTER TABLE carts_new RENAME TO carts;

-- One checkout per cart; creating it again updates it.
CREATE TABLE checkouts (
    id          TEXT    PRIMARY KEY,
    cart_id     TEXT    NOT NULL UNIQUE,
    channel_type TEXT   NOT NULL,
    -- JSON: what the checkout page shows (line names, quantities, totals).
    summary     TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
