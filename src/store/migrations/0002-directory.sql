-- 0002-directory: the service directory (Open Referral UK 3.0).
-- Each service is kept as its canonical, fully nested ORUK JSON text (compact,
-- empty fields omitted), keyed by its UUID. The other columns are copies of
-- one-to-one fields, for listing and reloading without parsing the JSON.
CREATE TABLE directory_service (
  id              TEXT PRIMARY KEY NOT NULL,  -- service.id (UUID)
  organization_id TEXT NOT NULL,              -- service.organization_id
  name            TEXT NOT NULL,
  status          TEXT NOT NULL,              -- active, inactive, defunct, temporarily closed
  last_modified   TEXT,                       -- service.last_modified (RFC 3339), when given
  stored_at       TEXT NOT NULL,              -- when this version was written (UTC)
  json            TEXT NOT NULL               -- the whole service, as imported
) STRICT;

-- Postcode centroids (ONSPD/NSPL). postcode is normalised: upper case, one
-- space before the inward code ("SW1A 1AA").
CREATE TABLE directory_postcode (
  postcode TEXT PRIMARY KEY NOT NULL,
  lat      REAL NOT NULL,
  lon      REAL NOT NULL
) STRICT, WITHOUT ROWID;
