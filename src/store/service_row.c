/* service_row.c: the service columns and walk pages both store backends
 * share; contracts in service_row.h. */
#include "service_row.h"
#include "../lib/log.h"
#include "../lib/util.h"
#include <stdlib.h>

static const char *json_str(json_t *obj, const char *key)
{
  return json_string_value(json_object_get(obj, key));
}

bool store_service_row(json_t *svc, const char *json, struct store_service_row *row)
{
  row->id = json_str(svc, "id");
  row->name = json_str(svc, "name");
  row->status = json_str(svc, "status");
  row->organization_id = json_str(svc, "organization_id");
  if (!row->organization_id)
    row->organization_id = json_str(json_object_get(svc, "organization"), "id");
  row->last_modified = json_str(svc, "last_modified");
  row->text = NULL;
  row->json = json;
  if (!row->id || !row->name || !row->status || !row->organization_id) {
    log_msg("error", "store: services_upsert: a service lacks id, name, status or organization "
                     "(the caller must validate first)");
    return false;
  }
  if (!json) {
    row->text = json_dumps(svc, STORE_JSON_FLAGS);
    if (!row->text)
      fatal("out of memory");
    row->json = row->text;
  }
  return true;
}

void store_service_row_free(struct store_service_row *row)
{
  free(row->text);
  row->text = NULL;
}

enum store_status store_services_page_call(enum store_status rc, char **ids, char **texts,
                                           size_t n, bool (*fn)(void *cls, json_t *service),
                                           void *cls)
{
  for (size_t i = 0; i < n && rc == STORE_OK; i++) {
    json_error_t jerr;
    json_t *svc = json_loads(texts[i], JSON_REJECT_DUPLICATES, &jerr);
    if (!svc) {
      log_msg("error", "store: services_each: stored service %s is not JSON: %s", ids[i],
              jerr.text);
      rc = STORE_ERROR;
    } else {
      if (!fn(cls, svc))
        rc = STORE_ERROR;
      json_decref(svc);
    }
  }
  for (size_t i = 0; i < n; i++) {
    free(ids[i]);
    free(texts[i]);
  }
  return rc;
}
