/* service_row.h: what both store backends (sqlite_directory.c,
 * postgres_directory.c) do alike with a service: the columns a row takes
 * from its JSON, and a page of stored rows handed to a walk's callback. */
#ifndef FD_SERVICE_ROW_H
#define FD_SERVICE_ROW_H
#include "store.h"

struct store_service_row {
  /* Borrowed from the service; last_modified may be NULL. */
  const char *id, *organization_id, *name, *status, *last_modified;
  const char *json; /* the JSON given, or text */
  char *text;       /* the service serialised here when no JSON was given */
};

/* Fill row from svc and, when the caller has it serialised with
 * STORE_JSON_FLAGS already, json (else NULL). False, logged, when svc lacks
 * an id, name, status or organisation (the caller validates first). Free
 * with store_service_row_free after use. */
bool store_service_row(json_t *svc, const char *json, struct store_service_row *row);
void store_service_row_free(struct store_service_row *row);

/* When rc is STORE_OK, parse texts[0..n) (stored services, ids[i] the id of
 * each) in order and call fn with each, until fn returns false or one is not
 * JSON (logged): STORE_ERROR then, else STORE_OK. Otherwise return rc. Frees
 * every id and text in both cases. */
enum store_status store_services_page_call(enum store_status rc, char **ids, char **texts,
                                           size_t n, bool (*fn)(void *cls, json_t *service),
                                           void *cls);

#endif
