/* accounts.h: store operations for staff accounts, their sessions, single-use
 * links, sign-in throttling, the audit log and the mail outbox. Written once
 * for both backends over sql.h. Each operation runs inside a transaction that
 * the caller opens with store_change(), so that a change, its audit row and
 * the mail it causes commit together or not at all.
 *
 * Strings an operation returns are in the arena the caller passes. Times are
 * whole seconds since 1970 (UTC). Every function returns STORE_OK,
 * STORE_NOT_FOUND, STORE_CONFLICT (as documented) or STORE_ERROR, on which
 * the caller returns at once so that the transaction rolls back. */
#ifndef FD_STORE_ACCOUNTS_H
#define FD_STORE_ACCOUNTS_H
#include "../lib/arena.h"
#include "store.h"
#include <stdbool.h>

/* Staff roles, as bits; a person may hold several. */
enum staff_role {
  ROLE_ADMIN = 1 << 0,        /* settings, users, audit */
  ROLE_EDITOR = 1 << 1,       /* content pages, awareness weeks, resources */
  ROLE_DIRECTORY = 1 << 2,    /* services of their organisations (or all) */
  ROLE_PRACTITIONER = 1 << 3, /* find services, make referrals */
};
#define ROLE_ALL (ROLE_ADMIN | ROLE_EDITOR | ROLE_DIRECTORY | ROLE_PRACTITIONER)

struct store_user {
  long long id;
  const char *email; /* lower case */
  const char *display_name;
  unsigned roles;    /* enum staff_role bits */
  bool all_orgs;     /* acts for every directory organisation */
  const char **orgs; /* the organisation ids they act for */
  size_t norgs;
  const char *password_hash; /* NULL until a password is set */
  const char *totp_secret;   /* sealed; NULL: no second factor */
  const char *oidc_subject;  /* NULL until signed in through the identity provider */
  long long created_at, last_sign_in; /* last_sign_in 0: never */
  bool disabled;
};

struct store_session {
  long long user_id;
  const char *csrf;
  int stage; /* 0 signed in; 1 waiting for the second factor */
  long long created_at, last_seen, expires_at;
  const char *user_agent;
  const char *token_hash; /* for the person's list of sessions */
};

/* One row of the audit log to write: who, from where, what, to what, and the
 * detail as a JSON object (before and after, or their hashes). */
struct store_audit {
  const char *actor;   /* staff email, "system", or the email tried */
  const char *address; /* client address; "" from the command line */
  const char *action;  /* e.g. "sign_in", "sign_in_failed", "role_change" */
  const char *target;  /* e.g. "user:3"; "" when none */
  const char *detail;  /* JSON object text; NULL: "{}" */
};

/* A row of the audit log as read back. */
struct store_audit_row {
  long long seq, at;
  const char *actor, *address, *action, *target, *detail, *prev_hash, *hash;
};

/* Mail to send, written to the outbox. */
struct store_mail {
  const char *recipient;
  const char *subject;
  const char *body_text;
  const char *body_html;
};

/* Run fn(t, cls) as one transaction (sql.h's store_tx_run): committed when it
 * returns STORE_OK, STORE_NOT_FOUND or STORE_CONFLICT. On PostgreSQL fn may
 * run again after a transient failure, so it sets its outputs afresh. */
enum store_status store_change(struct store *s, const char *what,
                               enum store_status (*fn)(struct store_tx *t, void *cls), void *cls);

/* --- Users --- */
/* Add a user; *id gets the new id. STORE_CONFLICT when the email is taken. */
enum store_status store_user_add(struct store_tx *t, const struct store_user *u, long long *id);
/* The user with this id or email (lower case), into *u (strings in a). */
enum store_status store_user_by_id(struct store_tx *t, struct arena *a, long long id,
                                   struct store_user *u);
enum store_status store_user_by_email(struct store_tx *t, struct arena *a, const char *email,
                                      struct store_user *u);
/* Every user, by email, into an arena array. */
enum store_status store_users_list(struct store_tx *t, struct arena *a, struct store_user **out,
                                   size_t *n);
/* Change display name, roles, organisations and the disabled flag of u->id.
 * STORE_CONFLICT when it would leave no enabled admin; STORE_NOT_FOUND when
 * there is no such user. */
enum store_status store_user_update(struct store_tx *t, const struct store_user *u);
/* Set (or clear, with NULL) the password hash, TOTP secret, identity-provider
 * subject or last sign-in of a user. */
enum store_status store_user_set_password(struct store_tx *t, long long id, const char *hash);
enum store_status store_user_set_totp(struct store_tx *t, long long id, const char *sealed);
enum store_status store_user_set_oidc(struct store_tx *t, long long id, const char *subject);
enum store_status store_user_signed_in(struct store_tx *t, long long id, long long now);
/* Number of enabled admins. */
enum store_status store_admins_count(struct store_tx *t, long long *n);

/* --- Recovery codes (hashes) --- */
/* Replace a user's recovery codes with these hashes. */
enum store_status store_recovery_set(struct store_tx *t, long long user_id,
                                     const char *const *hashes, size_t n);
/* Use the code with this hash: STORE_NOT_FOUND when it is not one of the
 * user's or was used already. */
enum store_status store_recovery_use(struct store_tx *t, long long user_id, const char *hash,
                                     long long now);
/* Unused codes left. */
enum store_status store_recovery_left(struct store_tx *t, long long user_id, long long *n);

/* --- Single-use links --- */
/* Record a link's token hash for user_id and purpose ("invite", "reset"),
 * valid until expires_at. Earlier unused links of the same purpose for the
 * user stop working. */
enum store_status store_token_add(struct store_tx *t, const char *hash, long long user_id,
                                  const char *purpose, long long now, long long expires_at);
/* Whether the link is live (not used, not expired), and whose: *user_id. */
enum store_status store_token_peek(struct store_tx *t, const char *hash, const char *purpose,
                                   long long now, long long *user_id);
/* Use the link: STORE_NOT_FOUND when it is unknown, used or expired. Only one
 * of two uses at once succeeds. */
enum store_status store_token_use(struct store_tx *t, const char *hash, const char *purpose,
                                  long long now, long long *user_id);

/* --- Sessions --- */
enum store_status store_session_add(struct store_tx *t, const char *token_hash,
                                    const struct store_session *ss);
/* The live session with this token hash (not past its absolute limit, last
 * seen no more than idle_s ago, its user not disabled) and its user. */
enum store_status store_session_get(struct store_tx *t, struct arena *a, const char *token_hash,
                                    long long now, long long idle_s, struct store_session *ss,
                                    struct store_user *u);
/* Mark the session seen at now; the stage moves to stage. */
enum store_status store_session_touch(struct store_tx *t, const char *token_hash, long long now,
                                      int stage);
/* End one session, or every session of a user but keep_hash (NULL: all). */
enum store_status store_session_end(struct store_tx *t, const char *token_hash);
enum store_status store_sessions_end_user(struct store_tx *t, long long user_id,
                                          const char *keep_hash);
/* A user's live sessions, newest first. */
enum store_status store_sessions_list(struct store_tx *t, struct arena *a, long long user_id,
                                      long long now, long long idle_s, struct store_session **out,
                                      size_t *n);
/* Delete sessions past their limits and used or expired links. */
enum store_status store_sessions_prune(struct store_tx *t, long long now, long long idle_s);

/* --- Throttling --- */
/* The failures counted against key and until when it is blocked (0, 0 when
 * none). */
enum store_status store_throttle_get(struct store_tx *t, const char *key, long long *failures,
                                     long long *blocked_until);
/* Record a failure against key at now, blocked until blocked_until; the
 * failures recorded before now - forget_s no longer count. *failures gets
 * the new count. */
enum store_status store_throttle_fail(struct store_tx *t, const char *key, long long now,
                                      long long forget_s, long long (*delay)(long long failures),
                                      long long *failures);
enum store_status store_throttle_clear(struct store_tx *t, const char *key);

/* --- Audit --- */
/* Append a row at now, chained to the previous row's hash. */
enum store_status store_audit_add(struct store_tx *t, const struct store_audit *e, long long now);
/* Rows matching the filters (NULL or "" for none; from and to inclusive, 0
 * for none), newest first, at most limit after skipping offset; *total the
 * number matching. */
struct store_audit_filter {
  const char *actor, *action, *target;
  long long from, to;
  long long limit, offset;
};
enum store_status store_audit_list(struct store_tx *t, struct arena *a,
                                   const struct store_audit_filter *f, struct store_audit_row **out,
                                   size_t *n, long long *total);
/* Each row oldest first, for export and verification: fn returns false to
 * stop (then STORE_ERROR). */
enum store_status store_audit_each(struct store_tx *t,
                                   bool (*fn)(void *cls, const struct store_audit_row *r),
                                   void *cls);
/* The hash of a row, over prev_hash and the row's fields (64 hex digits into
 * out[65]). The same for a row being written and one read back. */
void store_audit_hash(const struct store_audit_row *r, char out[65]);
/* The last row's seq and hash as audit_head records them. */
enum store_status store_audit_head(struct store_tx *t, long long *seq, char head[65]);

/* --- Outbox --- */
/* Queue mail, to be sent from now on. */
enum store_status store_outbox_add(struct store_tx *t, const struct store_mail *m, long long now);

#endif
