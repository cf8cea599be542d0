/* claims.c: the rule for the ids services take in the directory index, and a
 * set of claims for the import (see claims.h), kept in two JSON objects used
 * as hash tables: service ids, and service_at_location ids, each mapped to
 * the id of the service that took it. */
#include "claims.h"
#include "../lib/util.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct directory_claims {
  json_t *services; /* service id -> its id (a string shared with its places) */
  json_t *sals;     /* service_at_location id -> the id of its service */
};

struct directory_claims *directory_claims_new(void)
{
  struct directory_claims *c = xcalloc(1, sizeof *c);
  c->services = json_object();
  c->sals = json_object();
  if (!c->services || !c->sals)
    fatal("out of memory");
  return c;
}

void directory_claims_free(struct directory_claims *c)
{
  if (!c)
    return;
  json_decref(c->services);
  json_decref(c->sals);
  free(c);
}

static bool usable_id(const char *id)
{
  return id && *id && strlen(id) <= DIRECTORY_ID_MAX;
}

__attribute__((format(printf, 5, 6))) static bool refuse(struct directory_refusal *why,
                                                         const char *path, const char *id,
                                                         const char *holder, const char *fmt, ...)
{
  snprintf(why->path, sizeof why->path, "%s", path);
  snprintf(why->id, sizeof why->id, "%s", id ? id : "");
  snprintf(why->holder, sizeof why->holder, "%s", holder ? holder : "");
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why->message, sizeof why->message, fmt, ap);
  va_end(ap);
  return false;
}

bool directory_claims_check(const json_t *service, const struct directory_taken *taken,
                            struct directory_refusal *why)
{
  const char *id = json_string_value(json_object_get(service, "id"));
  if (!usable_id(id))
    return refuse(why, "id", NULL, NULL, "the service has no usable \"id\"");
  const char *holder = taken->service(taken->cls, id);
  if (holder)
    return refuse(why, "id", id, holder, "service %s appears twice", id);
  const json_t *sals = json_object_get(service, "service_at_locations");
  size_t i;
  const json_t *sal;
  char path[64];
  json_array_foreach(sals, i, sal)
  {
    const char *sid = json_string_value(json_object_get(sal, "id"));
    snprintf(path, sizeof path, "service_at_locations[%zu].id", i);
    if (!usable_id(sid))
      return refuse(why, path, NULL, NULL, "service_at_locations[%zu] has no usable \"id\"", i);
    holder = taken->place(taken->cls, sid);
    if (holder)
      return refuse(why, path, sid, holder, "service_at_location %s is also used by service %s",
                    sid, holder);
    for (size_t j = 0; j < i; j++) {
      const char *other = json_string_value(json_object_get(json_array_get(sals, j), "id"));
      if (strcmp(sid, other) == 0)
        return refuse(why, path, sid, id, "service_at_location %s appears twice in the service",
                      sid);
    }
  }
  return true;
}

static const char *set_service(void *cls, const char *id)
{
  return json_string_value(json_object_get(((struct directory_claims *)cls)->services, id));
}

static const char *set_place(void *cls, const char *sal_id)
{
  return json_string_value(json_object_get(((struct directory_claims *)cls)->sals, sal_id));
}

bool directory_claims_take(struct directory_claims *c, const json_t *service,
                           struct directory_refusal *why)
{
  struct directory_taken taken = {set_service, set_place, c};
  if (!directory_claims_check(service, &taken, why))
    return false;
  const char *id = json_string_value(json_object_get(service, "id"));
  json_t *holder = json_string(id);
  if (!holder || json_object_set(c->services, id, holder) != 0)
    fatal("out of memory");
  size_t i;
  const json_t *sal;
  json_array_foreach(json_object_get(service, "service_at_locations"), i, sal)
  {
    if (json_object_set(c->sals, json_string_value(json_object_get(sal, "id")), holder) != 0)
      fatal("out of memory");
  }
  json_decref(holder);
  return true;
}

bool directory_claims_holds(const struct directory_claims *c, const char *service_id)
{
  return service_id && json_object_get(c->services, service_id);
}
