/* pg_test.h: PostgreSQL for the store unit tests. FIRSTDAYS_TEST_PG is the URL
 * of a throwaway server's maintenance database (tests/pg/with-pg.sh starts one
 * and sets it; tests/run-unit.sh runs the unit tests under it). Each test gets
 * a database of its own, made empty and dropped after. Without the variable the
 * PostgreSQL tests skip and say so. */
#ifndef FD_PG_TEST_H
#define FD_PG_TEST_H
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The server's URL, or NULL when the tests have none. */
static inline const char *pg_test_server(void)
{
  const char *u = getenv("FIRSTDAYS_TEST_PG");
  return u && *u ? u : NULL;
}

/* The URL of database name on the test server, into url. */
static inline void pg_test_url(const char *name, char *url, size_t len)
{
  const char *server = pg_test_server();
  const char *at = strstr(server, "://");
  const char *slash = strchr(at ? at + 3 : server, '/');
  int keep = slash ? (int)(slash - server) : (int)strlen(server);
  snprintf(url, len, "%.*s/%s", keep, server, name);
}

/* Run sql on database name (NULL: the server's own); false with the message
 * on stderr when it fails. */
static inline bool pg_test_exec(const char *name, const char *sql)
{
  char url[512];
  if (name)
    pg_test_url(name, url, sizeof url);
  PGconn *c = PQconnectdb(name ? url : pg_test_server());
  bool ok = PQstatus(c) == CONNECTION_OK;
  if (ok) {
    PGresult *r = PQexec(c, sql);
    ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
      fprintf(stderr, "pg_test: %s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
  } else {
    fprintf(stderr, "pg_test: %s", PQerrorMessage(c));
  }
  PQfinish(c);
  return ok;
}

/* The first value of the first row sql returns on database name, as an int
 * (-1 when none). */
static inline int pg_test_int(const char *name, const char *sql)
{
  char url[512];
  pg_test_url(name, url, sizeof url);
  PGconn *c = PQconnectdb(url);
  int v = -1;
  PGresult *r = PQexec(c, sql);
  if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
    v = atoi(PQgetvalue(r, 0, 0));
  else
    fprintf(stderr, "pg_test: %s: %s", sql, PQresultErrorMessage(r));
  PQclear(r);
  PQfinish(c);
  return v;
}

/* Make a new, empty database: its name into name, its URL into url. */
static inline bool pg_test_create(char *name, size_t nlen, char *url, size_t ulen)
{
  static int seq;
  snprintf(name, nlen, "fdtest_%d_%d", (int)getpid(), ++seq);
  char sql[160];
  snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE template0", name);
  if (!pg_test_exec(NULL, sql))
    return false;
  pg_test_url(name, url, ulen);
  return true;
}

/* Drop database name, and whatever is still connected to it. */
static inline void pg_test_drop(const char *name)
{
  char sql[160];
  snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
  pg_test_exec(NULL, sql);
}

#endif
