-- 0002-directory (PostgreSQL): the service directory (Open Referral UK 3.0), as
-- in migrations/0002-directory.sql. The JSON is kept as text, not jsonb, so that
-- it comes back byte for byte (jsonb reorders keys and rewrites numbers).
CREATE TABLE directory_service (
  id              TEXT COLLATE "C" PRIMARY KEY NOT NULL,  -- service.id (UUID)
  organization_id TEXT NOT NULL,              -- service.organization_id
  name            TEXT NOT NULL,
  status          TEXT NOT NULL,              -- active, inactive, defunct, temporarily closed
  last_modified   TEXT,                       -- service.last_modified (RFC 3339), when given
  stored_at       TEXT NOT NULL,              -- when this version was written (UTC)
  json            TEXT NOT NULL               -- the whole service, as imported
);

-- Postcode centroids (ONSPD/NSPL). postcode is normalised: upper case, one
-- space before the inward code ("SW1A 1AA").
CREATE TABLE directory_postcode (
  postcode TEXT COLLATE "C" PRIMARY KEY NOT NULL,
  lat      DOUBLE PRECISION NOT NULL,
  lon      DOUBLE PRECISION NOT NULL
);
