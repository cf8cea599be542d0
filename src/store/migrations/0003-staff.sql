-- 0003-staff: staff accounts and their organisations, sessions, single-use
-- links, sign-in throttling, the audit log and the mail outbox. Times are
-- whole seconds since 1970 (UTC), set by the server; flags are 0 or 1.
CREATE TABLE staff_user (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,       -- lower case
  display_name  TEXT NOT NULL,
  roles         INTEGER NOT NULL DEFAULT 0, -- bits: 1 admin, 2 editor, 4 directory manager,
                                            -- 8 practitioner
  all_orgs      INTEGER NOT NULL DEFAULT 0, -- acts for every directory organisation
  password_hash TEXT,                       -- crypto_pwhash_str (Argon2id); NULL until set
  totp_secret   TEXT,                       -- sealed with the deployment's key; NULL: no
                                            -- second factor
  oidc_subject  TEXT,                       -- "issuer subject" once signed in through the
                                            -- organisation's identity provider
  created_at    INTEGER NOT NULL,
  last_sign_in  INTEGER,
  disabled      INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE staff_user_org (               -- the directory organisations a person acts for
  user_id INTEGER NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
  org_id  TEXT NOT NULL,                    -- organization.id
  PRIMARY KEY (user_id, org_id)
) STRICT;

CREATE TABLE staff_recovery_code (          -- second-factor recovery codes, hashed
  user_id   INTEGER NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  used_at   INTEGER,
  PRIMARY KEY (user_id, code_hash)
) STRICT;

CREATE TABLE staff_token (                  -- single-use links, by the hash of their token
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
  purpose    TEXT NOT NULL,                 -- 'invite' (set a first password) or 'reset'
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
) STRICT;

CREATE TABLE staff_session (                -- by the hash of the cookie's token
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
  csrf       TEXT NOT NULL,                 -- the session's anti-forgery token
  stage      INTEGER NOT NULL DEFAULT 0,    -- 0 signed in; 1 waiting for the second factor
  created_at INTEGER NOT NULL,
  last_seen  INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,              -- the absolute limit
  user_agent TEXT NOT NULL DEFAULT ''       -- shown in the person's list of sessions
) STRICT;
CREATE INDEX staff_session_user ON staff_session(user_id);

CREATE TABLE throttle (                     -- failed sign-ins, per account and per address
  key           TEXT PRIMARY KEY,           -- 'account:<hash>' or 'address:<client address>'
  failures      INTEGER NOT NULL,
  last_at       INTEGER NOT NULL,
  blocked_until INTEGER NOT NULL
) STRICT;

-- The audit log: append only (the triggers refuse changes), each row's hash
-- over the row and the previous row's hash; audit_head holds the last.
CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  actor     TEXT NOT NULL,                  -- a staff email, 'system', or the email tried
  address   TEXT NOT NULL,                  -- the client's address; '' from the command line
  action    TEXT NOT NULL,                  -- e.g. 'sign_in', 'role_change'
  target    TEXT NOT NULL,                  -- what it was done to, e.g. 'user:3'
  detail    TEXT NOT NULL,                  -- JSON: before and after, or their hashes
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_at ON audit_log(at);
CREATE TABLE audit_head (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  INTEGER NOT NULL,
  hash TEXT NOT NULL
) STRICT;
INSERT INTO audit_head(id, seq, hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Mail waiting to be sent, written in the same transaction as the change
-- that causes it. A sender claims a row until claimed_until, so that one of
-- several servers sends it; the body is cleared once sent.
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  created_at      INTEGER NOT NULL,
  recipient       TEXT NOT NULL,
  subject         TEXT NOT NULL,
  body_text       TEXT NOT NULL,
  body_html       TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'queued', -- queued, sent, failed
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  claimed_until   INTEGER NOT NULL DEFAULT 0,
  sent_at         INTEGER,
  last_error      TEXT
) STRICT;
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
