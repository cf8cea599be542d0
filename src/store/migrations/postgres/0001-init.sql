-- 0001-init (PostgreSQL): settings table. Keys and ids compare byte by byte
-- (COLLATE "C"), as in SQLite, so walks come back in the same order.
CREATE TABLE meta (
  key   TEXT COLLATE "C" PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
);
INSERT INTO meta(key, value)
  VALUES ('created_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
