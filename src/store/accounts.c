/* accounts.c: staff accounts, sessions, single-use links, throttling, the
 * audit log and the outbox, written once for both backends over sql.h. */
#include "accounts.h"
#include "sql.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum store_status store_change(struct store *s, const char *what,
                               enum store_status (*fn)(struct store_tx *t, void *cls), void *cls)
{
  return store_tx_run(s, what, fn, cls);
}

/* --- Rows into an arena ---------------------------------------------------- */

struct rows {
  struct arena *a;
  char ***row; /* row[i][j]; NULL for SQL NULL */
  size_t n, cap;
  int ncol;
};

static void collect(void *cls, int ncol, const char *const *col)
{
  struct rows *r = cls;
  if (r->n == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 8;
    char ***row = arena_alloc(r->a, cap * sizeof *row);
    if (r->n)
      memcpy(row, r->row, r->n * sizeof *row);
    r->row = row;
    r->cap = cap;
  }
  char **v = arena_alloc(r->a, (size_t)ncol * sizeof *v);
  for (int i = 0; i < ncol; i++)
    v[i] = col[i] ? arena_strdup(r->a, col[i]) : NULL;
  r->row[r->n++] = v;
  r->ncol = ncol;
}

/* Run sql and keep every row it returns in rows (in arena a). */
static bool query(struct store_tx *t, struct arena *a, struct rows *rows, const char *sql, int n,
                  const char *const *vals)
{
  *rows = (struct rows){.a = a};
  return store_tx_exec(t, sql, n, vals, collect, rows) >= 0;
}

static void first_int(void *cls, int ncol, const char *const *col)
{
  if (ncol > 0 && col[0])
    *(long long *)cls = atoll(col[0]);
}

/* The first column of the first row as a whole number (*v unchanged when no
 * row); the number of rows, or -1. */
static long query_int(struct store_tx *t, const char *sql, int n, const char *const *vals,
                      long long *v)
{
  return store_tx_exec(t, sql, n, vals, first_int, v);
}

static long exec(struct store_tx *t, const char *sql, int n, const char *const *vals)
{
  return store_tx_exec(t, sql, n, vals, NULL, NULL);
}

static long long num(const char *s)
{
  return s ? atoll(s) : 0;
}

/* --- Users ------------------------------------------------------------------ */

#define USER_COLS                                                                                  \
  "id, email, display_name, roles, all_orgs, password_hash, totp_secret, oidc_subject, "           \
  "created_at, last_sign_in, disabled"

static void user_from(char **c, struct store_user *u)
{
  *u = (struct store_user){
      .id = num(c[0]),
      .email = c[1],
      .display_name = c[2],
      .roles = (unsigned)num(c[3]),
      .all_orgs = num(c[4]) != 0,
      .password_hash = c[5],
      .totp_secret = c[6],
      .oidc_subject = c[7],
      .created_at = num(c[8]),
      .last_sign_in = num(c[9]),
      .disabled = num(c[10]) != 0,
  };
}

static enum store_status user_orgs(struct store_tx *t, struct arena *a, struct store_user *u)
{
  char id[24];
  const char *v[] = {store_int(id, u->id)};
  struct rows r;
  if (!query(t, a, &r, "SELECT org_id FROM staff_user_org WHERE user_id = $1 ORDER BY org_id", 1,
             v))
    return STORE_ERROR;
  const char **orgs = arena_alloc(a, (r.n + 1) * sizeof *orgs);
  for (size_t i = 0; i < r.n; i++)
    orgs[i] = r.row[i][0];
  u->orgs = orgs;
  u->norgs = r.n;
  return STORE_OK;
}

static enum store_status set_orgs(struct store_tx *t, const struct store_user *u)
{
  char id[24];
  const char *v[] = {store_int(id, u->id), NULL};
  if (exec(t, "DELETE FROM staff_user_org WHERE user_id = $1", 1, v) < 0)
    return STORE_ERROR;
  for (size_t i = 0; i < u->norgs; i++) {
    v[1] = u->orgs[i];
    if (exec(t,
             "INSERT INTO staff_user_org(user_id, org_id) VALUES ($1, $2) "
             "ON CONFLICT DO NOTHING",
             2, v) < 0)
      return STORE_ERROR;
  }
  return STORE_OK;
}

enum store_status store_user_add(struct store_tx *t, const struct store_user *u, long long *id)
{
  long long found = 0;
  const char *e[] = {u->email};
  if (query_int(t, "SELECT id FROM staff_user WHERE email = $1", 1, e, &found) < 0)
    return STORE_ERROR;
  if (found)
    return STORE_CONFLICT;
  char roles[24], all[24], created[24], disabled[24];
  const char *v[] = {u->email,
                     u->display_name ? u->display_name : "",
                     store_int(roles, u->roles),
                     store_int(all, u->all_orgs),
                     u->password_hash,
                     store_int(created, u->created_at),
                     store_int(disabled, u->disabled)};
  *id = 0;
  if (query_int(t,
                "INSERT INTO staff_user(email, display_name, roles, all_orgs, password_hash, "
                "created_at, disabled) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                7, v, id) != 1)
    return STORE_ERROR;
  struct store_user with = *u;
  with.id = *id;
  return set_orgs(t, &with);
}

static enum store_status user_where(struct store_tx *t, struct arena *a, const char *where,
                                    const char *val, struct store_user *u)
{
  char sql[256];
  snprintf(sql, sizeof sql, "SELECT " USER_COLS " FROM staff_user WHERE %s = $1", where);
  const char *v[] = {val};
  struct rows r;
  if (!query(t, a, &r, sql, 1, v))
    return STORE_ERROR;
  if (r.n == 0)
    return STORE_NOT_FOUND;
  user_from(r.row[0], u);
  return user_orgs(t, a, u);
}

enum store_status store_user_by_id(struct store_tx *t, struct arena *a, long long id,
                                   struct store_user *u)
{
  char b[24];
  return user_where(t, a, "id", store_int(b, id), u);
}

enum store_status store_user_by_email(struct store_tx *t, struct arena *a, const char *email,
                                      struct store_user *u)
{
  return user_where(t, a, "email", email, u);
}

enum store_status store_users_list(struct store_tx *t, struct arena *a, struct store_user **out,
                                   size_t *n)
{
  struct rows r;
  if (!query(t, a, &r, "SELECT " USER_COLS " FROM staff_user ORDER BY email", 0, NULL))
    return STORE_ERROR;
  struct store_user *us = arena_alloc(a, (r.n + 1) * sizeof *us);
  for (size_t i = 0; i < r.n; i++) {
    user_from(r.row[i], &us[i]);
    if (user_orgs(t, a, &us[i]) != STORE_OK)
      return STORE_ERROR;
  }
  *out = us;
  *n = r.n;
  return STORE_OK;
}

enum store_status store_admins_count(struct store_tx *t, long long *n)
{
  *n = 0;
  return query_int(t, "SELECT COUNT(*) FROM staff_user WHERE disabled = 0 AND (roles & 1) = 1", 0,
                   NULL, n) < 0
             ? STORE_ERROR
             : STORE_OK;
}

enum store_status store_user_update(struct store_tx *t, const struct store_user *u)
{
  char id[24], roles[24], all[24], disabled[24];
  const char *v[] = {store_int(id, u->id), u->display_name ? u->display_name : "",
                     store_int(roles, u->roles), store_int(all, u->all_orgs),
                     store_int(disabled, u->disabled)};
  /* Checked before the change, so that a refusal (which commits, as every
   * STORE_CONFLICT does) has changed nothing. */
  if (!(u->roles & ROLE_ADMIN) || u->disabled) {
    long long others = 0;
    if (query_int(t,
                  "SELECT COUNT(*) FROM staff_user WHERE disabled = 0 AND (roles & 1) = 1 "
                  "AND id <> $1",
                  1, v, &others) < 0)
      return STORE_ERROR;
    if (others == 0)
      return STORE_CONFLICT;
  }
  long n = exec(t,
                "UPDATE staff_user SET display_name = $2, roles = $3, all_orgs = $4, "
                "disabled = $5 WHERE id = $1",
                5, v);
  if (n < 0)
    return STORE_ERROR;
  if (n == 0)
    return STORE_NOT_FOUND;
  return set_orgs(t, u);
}

static enum store_status set_col(struct store_tx *t, const char *sql, long long id, const char *val)
{
  char b[24];
  const char *v[] = {store_int(b, id), val};
  long n = exec(t, sql, 2, v);
  return n < 0 ? STORE_ERROR : n == 0 ? STORE_NOT_FOUND : STORE_OK;
}

enum store_status store_user_set_password(struct store_tx *t, long long id, const char *hash)
{
  return set_col(t, "UPDATE staff_user SET password_hash = $2 WHERE id = $1", id, hash);
}

enum store_status store_user_set_totp(struct store_tx *t, long long id, const char *sealed)
{
  return set_col(t, "UPDATE staff_user SET totp_secret = $2 WHERE id = $1", id, sealed);
}

enum store_status store_user_set_oidc(struct store_tx *t, long long id, const char *subject)
{
  return set_col(t, "UPDATE staff_user SET oidc_subject = $2 WHERE id = $1", id, subject);
}

enum store_status store_user_signed_in(struct store_tx *t, long long id, long long now)
{
  char b[24];
  return set_col(t, "UPDATE staff_user SET last_sign_in = CAST($2 AS BIGINT) WHERE id = $1", id,
                 store_int(b, now));
}

/* --- Recovery codes ----------------------------------------------------------- */

enum store_status store_recovery_set(struct store_tx *t, long long user_id,
                                     const char *const *hashes, size_t n)
{
  char id[24];
  const char *v[] = {store_int(id, user_id), NULL};
  if (exec(t, "DELETE FROM staff_recovery_code WHERE user_id = $1", 1, v) < 0)
    return STORE_ERROR;
  for (size_t i = 0; i < n; i++) {
    v[1] = hashes[i];
    if (exec(t, "INSERT INTO staff_recovery_code(user_id, code_hash) VALUES ($1, $2)", 2, v) < 0)
      return STORE_ERROR;
  }
  return STORE_OK;
}

enum store_status store_recovery_use(struct store_tx *t, long long user_id, const char *hash,
                                     long long now)
{
  char id[24], at[24];
  const char *v[] = {store_int(id, user_id), hash, store_int(at, now)};
  long n = exec(t,
                "UPDATE staff_recovery_code SET used_at = CAST($3 AS BIGINT) "
                "WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
                3, v);
  return n < 0 ? STORE_ERROR : n == 0 ? STORE_NOT_FOUND : STORE_OK;
}

enum store_status store_recovery_left(struct store_tx *t, long long user_id, long long *n)
{
  char id[24];
  const char *v[] = {store_int(id, user_id)};
  *n = 0;
  return query_int(t,
                   "SELECT COUNT(*) FROM staff_recovery_code WHERE user_id = $1 "
                   "AND used_at IS NULL",
                   1, v, n) < 0
             ? STORE_ERROR
             : STORE_OK;
}

/* --- Single-use links ------------------------------------------------------------ */

enum store_status store_token_add(struct store_tx *t, const char *hash, long long user_id,
                                  const char *purpose, long long now, long long expires_at)
{
  char id[24], at[24], until[24];
  const char *v[] = {hash, store_int(id, user_id), purpose, store_int(at, now),
                     store_int(until, expires_at)};
  const char *w[] = {v[1], purpose, v[3]};
  if (exec(t,
           "UPDATE staff_token SET used_at = CAST($3 AS BIGINT) "
           "WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL",
           3, w) < 0)
    return STORE_ERROR;
  return exec(t,
              "INSERT INTO staff_token(token_hash, user_id, purpose, created_at, expires_at) "
              "VALUES ($1, $2, $3, $4, $5)",
              5, v) == 1
             ? STORE_OK
             : STORE_ERROR;
}

enum store_status store_token_peek(struct store_tx *t, const char *hash, const char *purpose,
                                   long long now, long long *user_id)
{
  char at[24];
  const char *v[] = {hash, purpose, store_int(at, now)};
  *user_id = 0;
  long n = query_int(t,
                     "SELECT user_id FROM staff_token WHERE token_hash = $1 AND purpose = $2 "
                     "AND used_at IS NULL AND expires_at > CAST($3 AS BIGINT)",
                     3, v, user_id);
  return n < 0 ? STORE_ERROR : n == 0 ? STORE_NOT_FOUND : STORE_OK;
}

enum store_status store_token_use(struct store_tx *t, const char *hash, const char *purpose,
                                  long long now, long long *user_id)
{
  char at[24];
  const char *v[] = {hash, purpose, store_int(at, now)};
  *user_id = 0;
  /* One UPDATE, so that of two uses at once only one finds it unused. */
  long n = query_int(t,
                     "UPDATE staff_token SET used_at = CAST($3 AS BIGINT) "
                     "WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL "
                     "AND expires_at > CAST($3 AS BIGINT) RETURNING user_id",
                     3, v, user_id);
  return n < 0 ? STORE_ERROR : n == 0 ? STORE_NOT_FOUND : STORE_OK;
}

/* --- Sessions ---------------------------------------------------------------------- */

enum store_status store_session_add(struct store_tx *t, const char *token_hash,
                                    const struct store_session *ss)
{
  char id[24], stage[24], created[24], seen[24], until[24];
  const char *v[] = {token_hash,
                     store_int(id, ss->user_id),
                     ss->csrf,
                     store_int(stage, ss->stage),
                     store_int(created, ss->created_at),
                     store_int(seen, ss->last_seen),
                     store_int(until, ss->expires_at),
                     ss->user_agent ? ss->user_agent : ""};
  return exec(t,
              "INSERT INTO staff_session(token_hash, user_id, csrf, stage, created_at, "
              "last_seen, expires_at, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
              8, v) == 1
             ? STORE_OK
             : STORE_ERROR;
}

#define SESSION_COLS                                                                               \
  "s.user_id, s.csrf, s.stage, s.created_at, s.last_seen, s.expires_at, "                          \
  "s.user_agent, s.token_hash"

static void session_from(char **c, struct store_session *ss)
{
  *ss = (struct store_session){.user_id = num(c[0]),
                               .csrf = c[1],
                               .stage = (int)num(c[2]),
                               .created_at = num(c[3]),
                               .last_seen = num(c[4]),
                               .expires_at = num(c[5]),
                               .user_agent = c[6],
                               .token_hash = c[7]};
}

enum store_status store_session_get(struct store_tx *t, struct arena *a, const char *token_hash,
                                    long long now, long long idle_s, struct store_session *ss,
                                    struct store_user *u)
{
  char at[24], since[24];
  const char *v[] = {token_hash, store_int(at, now), store_int(since, now - idle_s)};
  struct rows r;
  if (!query(t, a, &r,
             "SELECT " SESSION_COLS ", u.id, u.email, u.display_name, u.roles, u.all_orgs, "
             "u.password_hash, u.totp_secret, u.oidc_subject, u.created_at, u.last_sign_in, "
             "u.disabled FROM staff_session s JOIN staff_user u ON u.id = s.user_id "
             "WHERE s.token_hash = $1 AND s.expires_at > CAST($2 AS BIGINT) "
             "AND s.last_seen >= CAST($3 AS BIGINT) AND u.disabled = 0",
             3, v))
    return STORE_ERROR;
  if (r.n == 0)
    return STORE_NOT_FOUND;
  session_from(r.row[0], ss);
  user_from(r.row[0] + 8, u);
  return user_orgs(t, a, u);
}

enum store_status store_session_touch(struct store_tx *t, const char *token_hash, long long now,
                                      int stage)
{
  char at[24], st[24];
  const char *v[] = {token_hash, store_int(at, now), store_int(st, stage)};
  long n = exec(t,
                "UPDATE staff_session SET last_seen = CAST($2 AS BIGINT), "
                "stage = CAST($3 AS INTEGER) WHERE token_hash = $1",
                3, v);
  return n < 0 ? STORE_ERROR : n == 0 ? STORE_NOT_FOUND : STORE_OK;
}

enum store_status store_session_end(struct store_tx *t, const char *token_hash)
{
  const char *v[] = {token_hash};
  return exec(t, "DELETE FROM staff_session WHERE token_hash = $1", 1, v) < 0 ? STORE_ERROR
                                                                              : STORE_OK;
}

enum store_status store_sessions_end_user(struct store_tx *t, long long user_id,
                                          const char *keep_hash)
{
  char id[24];
  const char *v[] = {store_int(id, user_id), keep_hash ? keep_hash : ""};
  return exec(t, "DELETE FROM staff_session WHERE user_id = $1 AND token_hash <> $2", 2, v) < 0
             ? STORE_ERROR
             : STORE_OK;
}

enum store_status store_sessions_list(struct store_tx *t, struct arena *a, long long user_id,
                                      long long now, long long idle_s, struct store_session **out,
                                      size_t *n)
{
  char id[24], at[24], since[24];
  const char *v[] = {store_int(id, user_id), store_int(at, now), store_int(since, now - idle_s)};
  struct rows r;
  if (!query(t, a, &r,
             "SELECT " SESSION_COLS " FROM staff_session s WHERE s.user_id = $1 "
             "AND s.expires_at > CAST($2 AS BIGINT) AND s.last_seen >= CAST($3 AS BIGINT) "
             "ORDER BY s.created_at DESC, s.token_hash",
             3, v))
    return STORE_ERROR;
  struct store_session *ss = arena_alloc(a, (r.n + 1) * sizeof *ss);
  for (size_t i = 0; i < r.n; i++)
    session_from(r.row[i], &ss[i]);
  *out = ss;
  *n = r.n;
  return STORE_OK;
}

enum store_status store_sessions_prune(struct store_tx *t, long long now, long long idle_s)
{
  char at[24], since[24];
  const char *v[] = {store_int(at, now), store_int(since, now - idle_s)};
  if (exec(t,
           "DELETE FROM staff_session WHERE expires_at <= CAST($1 AS BIGINT) "
           "OR last_seen < CAST($2 AS BIGINT)",
           2, v) < 0)
    return STORE_ERROR;
  return exec(t,
              "DELETE FROM staff_token WHERE expires_at <= CAST($1 AS BIGINT) "
              "OR used_at IS NOT NULL",
              1, v) < 0
             ? STORE_ERROR
             : STORE_OK;
}

/* --- Throttling -------------------------------------------------------------------- */

struct two {
  long long a, b;
};

static void two_ints(void *cls, int ncol, const char *const *col)
{
  struct two *w = cls;
  if (ncol >= 2) {
    w->a = num(col[0]);
    w->b = num(col[1]);
  }
}

enum store_status store_throttle_get(struct store_tx *t, const char *key, long long *failures,
                                     long long *blocked_until)
{
  struct two w = {0, 0};
  const char *v[] = {key};
  if (store_tx_exec(t, "SELECT failures, blocked_until FROM throttle WHERE key = $1", 1, v,
                    two_ints, &w) < 0)
    return STORE_ERROR;
  *failures = w.a;
  *blocked_until = w.b;
  return STORE_OK;
}

enum store_status store_throttle_fail(struct store_tx *t, const char *key, long long now,
                                      long long forget_s, long long (*delay)(long long failures),
                                      long long *failures)
{
  char at[24], forget[24];
  const char *v[] = {key, store_int(at, now), store_int(forget, now - forget_s)};
  *failures = 0;
  /* One statement, so that servers counting at once each add one. */
  if (query_int(t,
                "INSERT INTO throttle(key, failures, last_at, blocked_until) "
                "VALUES ($1, 1, CAST($2 AS BIGINT), 0) ON CONFLICT (key) DO UPDATE SET "
                "failures = CASE WHEN throttle.last_at < CAST($3 AS BIGINT) THEN 1 "
                "ELSE throttle.failures + 1 END, last_at = CAST($2 AS BIGINT) "
                "RETURNING failures",
                3, v, failures) != 1)
    return STORE_ERROR;
  char until[24];
  const char *w[] = {key, store_int(until, now + delay(*failures))};
  return exec(t, "UPDATE throttle SET blocked_until = CAST($2 AS BIGINT) WHERE key = $1", 2, w) < 0
             ? STORE_ERROR
             : STORE_OK;
}

enum store_status store_throttle_clear(struct store_tx *t, const char *key)
{
  const char *v[] = {key};
  return exec(t, "DELETE FROM throttle WHERE key = $1", 1, v) < 0 ? STORE_ERROR : STORE_OK;
}

/* --- Audit ---------------------------------------------------------------------------- */

static void hash_field(crypto_hash_sha256_state *h, const char *s)
{
  /* Each field with its length before it, so that no two rows hash alike by
   * moving text from one field to the next. */
  size_t n = s ? strlen(s) : 0;
  unsigned char len[8];
  for (int i = 0; i < 8; i++)
    len[i] = (unsigned char)(n >> (56 - 8 * i));
  crypto_hash_sha256_update(h, len, sizeof len);
  if (n)
    crypto_hash_sha256_update(h, (const unsigned char *)s, n);
}

void store_audit_hash(const struct store_audit_row *r, char out[65])
{
  crypto_hash_sha256_state h;
  crypto_hash_sha256_init(&h);
  char seq[24], at[24];
  snprintf(seq, sizeof seq, "%lld", r->seq);
  snprintf(at, sizeof at, "%lld", r->at);
  const char *f[] = {r->prev_hash, seq, at, r->actor, r->address, r->action, r->target, r->detail};
  for (size_t i = 0; i < sizeof f / sizeof *f; i++)
    hash_field(&h, f[i]);
  unsigned char d[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&h, d);
  sodium_bin2hex(out, 65, d, sizeof d);
}

struct head {
  long long seq;
  char hash[65];
};

static void head_row(void *cls, int ncol, const char *const *col)
{
  struct head *h = cls;
  if (ncol >= 2 && col[0] && col[1]) {
    h->seq = num(col[0]);
    snprintf(h->hash, sizeof h->hash, "%s", col[1]);
  }
}

enum store_status store_audit_add(struct store_tx *t, const struct store_audit *e, long long now)
{
  struct head h = {0, ""};
  /* Taking the next number locks the head row: appends from several servers
   * queue here, so the chain has one order. */
  if (store_tx_exec(t, "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash", 0,
                    NULL, head_row, &h) != 1 ||
      !h.hash[0])
    return STORE_ERROR;
  struct store_audit_row r = {.seq = h.seq,
                              .at = now,
                              .actor = e->actor ? e->actor : "",
                              .address = e->address ? e->address : "",
                              .action = e->action,
                              .target = e->target ? e->target : "",
                              .detail = e->detail && *e->detail ? e->detail : "{}",
                              .prev_hash = h.hash};
  char hash[65], seq[24], at[24];
  store_audit_hash(&r, hash);
  const char *v[] = {store_int(seq, r.seq),
                     store_int(at, r.at),
                     r.actor,
                     r.address,
                     r.action,
                     r.target,
                     r.detail,
                     r.prev_hash,
                     hash};
  if (exec(t,
           "INSERT INTO audit_log(seq, at, actor, address, action, target, detail, prev_hash, "
           "hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
           9, v) != 1)
    return STORE_ERROR;
  const char *w[] = {hash};
  return exec(t, "UPDATE audit_head SET hash = $1 WHERE id = 1", 1, w) == 1 ? STORE_OK
                                                                            : STORE_ERROR;
}

#define AUDIT_COLS "seq, at, actor, address, action, target, detail, prev_hash, hash"

static void audit_from(char **c, struct store_audit_row *r)
{
  *r = (struct store_audit_row){.seq = num(c[0]),
                                .at = num(c[1]),
                                .actor = c[2],
                                .address = c[3],
                                .action = c[4],
                                .target = c[5],
                                .detail = c[6],
                                .prev_hash = c[7],
                                .hash = c[8]};
}

enum store_status store_audit_list(struct store_tx *t, struct arena *a,
                                   const struct store_audit_filter *f, struct store_audit_row **out,
                                   size_t *n, long long *total)
{
  char from[24], to[24], limit[24], offset[24];
  const char *v[] = {f->actor && *f->actor ? f->actor : NULL,
                     f->action && *f->action ? f->action : NULL,
                     f->target && *f->target ? f->target : NULL,
                     f->from ? store_int(from, f->from) : NULL,
                     f->to ? store_int(to, f->to) : NULL,
                     store_int(limit, f->limit > 0 ? f->limit : 100),
                     store_int(offset, f->offset > 0 ? f->offset : 0)};
#define AUDIT_WHERE                                                                                \
  " FROM audit_log WHERE (CAST($1 AS TEXT) IS NULL OR actor = $1) "                                \
  "AND (CAST($2 AS TEXT) IS NULL OR action = $2) "                                                 \
  "AND (CAST($3 AS TEXT) IS NULL OR target = $3) "                                                 \
  "AND (CAST($4 AS BIGINT) IS NULL OR at >= CAST($4 AS BIGINT)) "                                  \
  "AND (CAST($5 AS BIGINT) IS NULL OR at <= CAST($5 AS BIGINT))"
  *total = 0;
  if (query_int(t, "SELECT COUNT(*)" AUDIT_WHERE, 5, v, total) < 0)
    return STORE_ERROR;
  struct rows r;
  if (!query(t, a, &r,
             "SELECT " AUDIT_COLS AUDIT_WHERE
             " ORDER BY seq DESC LIMIT CAST($6 AS BIGINT) OFFSET CAST($7 AS BIGINT)",
             7, v))
    return STORE_ERROR;
#undef AUDIT_WHERE
  struct store_audit_row *rs = arena_alloc(a, (r.n + 1) * sizeof *rs);
  for (size_t i = 0; i < r.n; i++)
    audit_from(r.row[i], &rs[i]);
  *out = rs;
  *n = r.n;
  return STORE_OK;
}

enum store_status store_audit_each(struct store_tx *t,
                                   bool (*fn)(void *cls, const struct store_audit_row *r),
                                   void *cls)
{
  /* In pages, so that a long log never sits in memory whole. */
  long long after = 0;
  for (;;) {
    struct arena a;
    arena_init(&a);
    char b[24];
    const char *v[] = {store_int(b, after)};
    struct rows r;
    if (!query(t, &a, &r,
               "SELECT " AUDIT_COLS " FROM audit_log WHERE seq > CAST($1 AS BIGINT) "
               "ORDER BY seq LIMIT 500",
               1, v)) {
      arena_free(&a);
      return STORE_ERROR;
    }
    for (size_t i = 0; i < r.n; i++) {
      struct store_audit_row row;
      audit_from(r.row[i], &row);
      after = row.seq;
      if (!fn(cls, &row)) {
        arena_free(&a);
        return STORE_ERROR;
      }
    }
    size_t got = r.n;
    arena_free(&a);
    if (got < 500)
      return STORE_OK;
  }
}

enum store_status store_audit_head(struct store_tx *t, long long *seq, char head[65])
{
  struct head h = {0, ""};
  if (store_tx_exec(t, "SELECT seq, hash FROM audit_head WHERE id = 1", 0, NULL, head_row, &h) != 1)
    return STORE_ERROR;
  *seq = h.seq;
  memcpy(head, h.hash, 65);
  return STORE_OK;
}

/* --- Outbox ------------------------------------------------------------------------------- */

enum store_status store_outbox_add(struct store_tx *t, const struct store_mail *m, long long now)
{
  char at[24];
  const char *v[] = {store_int(at, now), m->recipient, m->subject, m->body_text,
                     m->body_html ? m->body_html : ""};
  return exec(t,
              "INSERT INTO outbox(created_at, recipient, subject, body_text, body_html, "
              "next_attempt_at) VALUES ($1, $2, $3, $4, $5, $1)",
              5, v) == 1
             ? STORE_OK
             : STORE_ERROR;
}
