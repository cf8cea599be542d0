/* urgent.c: the urgent-help routes from content/urgent/ (see urgent.h). Every
 * check fails with a message naming the file and the field, so that a
 * deployment's mistake is set aside by app_init and never hides a route. */
#include "urgent.h"
#include "content.h"
#include "embedded.h"
#include "../lib/jread.h"
#include "../lib/util.h"
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define NATIONAL_FILE "urgent/routes.json"
#define LOCAL_FILE "urgent/local.json"

/* A list of 1..max non-empty strings (when required) into out. */
static bool get_strs(json_t *o, const char *key, bool required, const char **out, size_t max,
                     size_t *n, char *err, size_t errlen, const char *where)
{
  json_t *v = json_object_get(o, key);
  *n = 0;
  if (!v)
    return !required || jread_fail(err, errlen, "%s'%s' is missing", where, key);
  if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > max)
    return jread_fail(err, errlen, "%s'%s' must be a list of 1 to %zu", where, key, max);
  for (size_t i = 0; i < json_array_size(v); i++) {
    json_t *s = json_array_get(v, i);
    if (!json_is_string(s) || json_string_length(s) == 0)
      return jread_fail(err, errlen, "%s%s[%zu] must be a non-empty string", where, key, i);
    out[(*n)++] = json_string_value(s);
  }
  return true;
}

static const struct {
  const char *name;
  unsigned bit;
} topic_names[] = {{"mental-health", URGENT_TOPIC_MENTAL_HEALTH},
                   {"pregnancy", URGENT_TOPIC_PREGNANCY},
                   {"baby", URGENT_TOPIC_BABY}};

/* An id is 1..40 of a-z, 0-9 and '-'. */
static bool valid_id(const char *s)
{
  size_t n = strlen(s);
  if (n == 0 || n > 40)
    return false;
  return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

/* A link a phone can follow: tel:, sms: or https:. */
static bool valid_href(const char *s)
{
  return (str_starts(s, "tel:") && strlen(s) > 4 &&
          strspn(s + 4, "0123456789+") == strlen(s + 4)) ||
         (str_starts(s, "sms:") && strlen(s) > 4) || (str_starts(s, "https://") && strlen(s) > 8);
}

static bool parse_route(json_t *o, struct urgent_route *r, bool local, char *err, size_t errlen,
                        const char *where)
{
  memset(r, 0, sizeof *r);
  r->local = local;
  if (!json_is_object(o))
    return jread_fail(err, errlen, "%smust be an object", where);
  const char *topics[4];
  size_t ntopics;
  if (!jread_str(o, "id", true, &r->id, err, errlen, where) ||
      !jread_str(o, "level", true, &r->level, err, errlen, where) ||
      !jread_str(o, "name", true, &r->name, err, errlen, where) ||
      !jread_str(o, "action", true, &r->action, err, errlen, where) ||
      !jread_str(o, "link_text", false, &r->link_text, err, errlen, where) ||
      !jread_str(o, "href", false, &r->href, err, errlen, where) ||
      !jread_str(o, "when", true, &r->when, err, errlen, where) ||
      !jread_str(o, "details", false, &r->details, err, errlen, where) ||
      !jread_str(o, "short", true, &r->short_text, err, errlen, where) ||
      !get_strs(o, "topics", true, topics, ARRAY_LEN(topics), &ntopics, err, errlen, where) ||
      !get_strs(o, "signs", false, r->signs, URGENT_MAX_SIGNS, &r->nsigns, err, errlen, where) ||
      !get_strs(o, "sources", true, r->sources, URGENT_MAX_SOURCES, &r->nsources, err, errlen,
                where))
    return false;
  if (!valid_id(r->id))
    return jread_fail(err, errlen, "%s'id' must be 1 to 40 of a-z, 0-9 and '-'", where);
  if (strcmp(r->level, "emergency") && strcmp(r->level, "urgent") && strcmp(r->level, "non-urgent"))
    return jread_fail(err, errlen, "%s'level' must be \"emergency\", \"urgent\" or \"non-urgent\"",
                      where);
  if (local && strcmp(r->level, "emergency") == 0)
    return jread_fail(err, errlen,
                      "%s'level' cannot be \"emergency\" for a local route: the emergency route is "
                      "999, built in",
                      where);
  if (strcmp(r->level, "emergency") == 0 && r->nsigns == 0)
    return jread_fail(err, errlen, "%san emergency route must list its 'signs'", where);
  if (r->href && !valid_href(r->href))
    return jread_fail(err, errlen, "%s'href' must start tel: (digits only), sms: or https://",
                      where);
  for (size_t i = 0; i < r->nsources; i++)
    if (!str_starts(r->sources[i], "https://") && !str_starts(r->sources[i], "http://"))
      return jread_fail(err, errlen, "%ssources[%zu] must be a web address", where, i);
  for (size_t i = 0; i < ntopics; i++) {
    size_t k = 0;
    while (k < ARRAY_LEN(topic_names) && strcmp(topic_names[k].name, topics[i]) != 0)
      k++;
    if (k == ARRAY_LEN(topic_names))
      return jread_fail(err, errlen,
                        "%stopics[%zu] '%s' must be \"mental-health\", \"pregnancy\" or \"baby\"",
                        where, i, topics[i]);
    r->topics |= topic_names[k].bit;
  }
  return true;
}

static json_t *load_doc(const char *name, const char *text, size_t len, char *err, size_t errlen)
{
  json_error_t je;
  json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  if (!root) {
    jread_fail(err, errlen, "content/%s: not valid JSON (line %d: %s)", name, je.line, je.text);
    return NULL;
  }
  if (!json_is_object(root) || !json_is_array(json_object_get(root, "routes"))) {
    json_decref(root);
    jread_fail(err, errlen, "content/%s: the file must hold one JSON object with a 'routes' list",
               name);
    return NULL;
  }
  return root;
}

/* Add route o of file name to s, as a new id. */
static bool add_route(struct urgent_set *s, json_t *o, bool local, const char *name, size_t i,
                      char *err, size_t errlen)
{
  char where[96];
  snprintf(where, sizeof where, "content/%s: routes[%zu]: ", name, i);
  if (s->n == URGENT_MAX_ROUTES)
    return jread_fail(err, errlen, "%sthere can be at most %d routes in all", where,
                      URGENT_MAX_ROUTES);
  struct urgent_route *r = &s->routes[s->n];
  if (!parse_route(o, r, local, err, errlen, where))
    return false;
  const struct urgent_route *same = urgent_find(s, r->id);
  if (same && !same->local)
    return jread_fail(
        err, errlen,
        "%s'%s' is the id of a national route, which a deployment cannot change: give "
        "a local route its own id",
        where, r->id);
  if (same)
    return jread_fail(err, errlen, "%sid '%s' is used twice", where, r->id);
  s->n++;
  return true;
}

/* The route object with this id in a routes list, or NULL. */
static json_t *route_with_id(json_t *routes, const char *id)
{
  for (size_t i = 0; i < json_array_size(routes); i++) {
    const char *v = json_string_value(json_object_get(json_array_get(routes, i), "id"));
    if (v && strcmp(v, id) == 0)
      return json_array_get(routes, i);
  }
  return NULL;
}

struct urgent_set *urgent_parse(const char *national, size_t national_len, const char *overlay,
                                size_t overlay_len, const char *local, size_t local_len, char *err,
                                size_t errlen)
{
  struct urgent_set *s = xcalloc(1, sizeof *s);
  json_t *nat = load_doc(NATIONAL_FILE, national, national_len, err, errlen);
  if (!nat)
    goto fail;
  s->docs[s->ndocs++] = nat;
  json_t *cards = json_object_get(nat, "cards");
  if (!jread_str(cards, "emergency", true, &s->emergency_heading, err, errlen,
                 "content/" NATIONAL_FILE ": cards: ") ||
      !jread_str(cards, "urgent", true, &s->urgent_heading, err, errlen,
                 "content/" NATIONAL_FILE ": cards: "))
    goto fail;
  json_t *routes = json_object_get(nat, "routes");
  for (size_t i = 0; i < json_array_size(routes); i++)
    if (!add_route(s, json_array_get(routes, i), false, NATIONAL_FILE, i, err, errlen))
      goto fail;
  s->nnational = s->n;
  if (s->nnational == 0 || !urgent_find(s, "999")) {
    jread_fail(err, errlen, "content/" NATIONAL_FILE ": the national routes must include '999'");
    goto fail;
  }
  if (overlay) {
    json_t *ov = load_doc(NATIONAL_FILE, overlay, overlay_len, err, errlen);
    if (!ov)
      goto fail;
    s->docs[s->ndocs++] = ov;
    json_t *oroutes = json_object_get(ov, "routes");
    for (size_t i = 0; i < s->nnational; i++) {
      json_t *mine = route_with_id(oroutes, s->routes[i].id);
      if (!mine) {
        jread_fail(
            err, errlen,
            "content/" NATIONAL_FILE ": the national route '%s' is missing. A deployment's "
            "copy of this file must keep every national route exactly as built in; put local "
            "routes in " LOCAL_FILE " instead",
            s->routes[i].id);
        goto fail;
      }
      if (!json_equal(mine, route_with_id(routes, s->routes[i].id))) {
        jread_fail(err, errlen,
                   "content/" NATIONAL_FILE ": the national route '%s' is changed. A deployment "
                   "cannot change a national route; put local routes in " LOCAL_FILE " instead",
                   s->routes[i].id);
        goto fail;
      }
    }
    for (size_t i = 0; i < json_array_size(oroutes); i++) {
      json_t *o = json_array_get(oroutes, i);
      const char *id = json_string_value(json_object_get(o, "id"));
      const struct urgent_route *r = id ? urgent_find(s, id) : NULL;
      if (r && !r->local)
        continue; /* a national route, checked above */
      if (!add_route(s, o, true, NATIONAL_FILE, i, err, errlen))
        goto fail;
    }
  }
  if (local) {
    json_t *lo = load_doc(LOCAL_FILE, local, local_len, err, errlen);
    if (!lo)
      goto fail;
    s->docs[s->ndocs++] = lo;
    json_t *lroutes = json_object_get(lo, "routes");
    for (size_t i = 0; i < json_array_size(lroutes); i++)
      if (!add_route(s, json_array_get(lroutes, i), true, LOCAL_FILE, i, err, errlen))
        goto fail;
  }
  return s;
fail:
  urgent_free(s);
  return NULL;
}

struct urgent_set *urgent_load(const struct content *c, char *err, size_t errlen)
{
  const struct content_file *f = content_get(c, NATIONAL_FILE);
  const char *nat = f ? (f->local ? f->builtin_data : f->data) : NULL;
  size_t nat_len = f ? (f->local ? f->builtin_len : f->len) : 0;
  if (!nat) {
    jread_fail(err, errlen, "content/" NATIONAL_FILE ": the built-in national routes are missing");
    return NULL;
  }
  const struct content_file *l = content_get(c, LOCAL_FILE);
  return urgent_parse(nat, nat_len, f->local ? f->data : NULL, f->local ? f->len : 0,
                      l ? l->data : NULL, l ? l->len : 0, err, errlen);
}

void urgent_free(struct urgent_set *s)
{
  if (!s)
    return;
  for (size_t i = 0; i < s->ndocs; i++)
    json_decref(s->docs[i]);
  free(s);
}

static struct urgent_set *builtin;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static void builtin_init(void)
{
  for (unsigned long i = 0; i < embedded_count; i++)
    if (strcmp(embedded_files[i].name, "content/" NATIONAL_FILE) == 0) {
      char err[256];
      builtin = urgent_parse((const char *)embedded_files[i].data, embedded_files[i].len, NULL, 0,
                             NULL, 0, err, sizeof err);
      if (!builtin)
        fatal("built-in urgent-help routes: %s", err);
      return;
    }
  fatal("built-in urgent-help routes: content/" NATIONAL_FILE " is not built in");
}

const struct urgent_set *urgent_builtin(void)
{
  pthread_once(&builtin_once, builtin_init);
  return builtin;
}

const struct urgent_route *urgent_find(const struct urgent_set *s, const char *id)
{
  for (size_t i = 0; i < s->n; i++)
    if (strcmp(s->routes[i].id, id) == 0)
      return &s->routes[i];
  return NULL;
}

void urgent_join_short(const struct urgent_set *s, const char *const *ids, size_t n, char *out,
                       size_t outlen)
{
  const struct urgent_route *r[URGENT_MAX_ROUTES];
  size_t k = 0;
  for (size_t i = 0; i < n && k < URGENT_MAX_ROUTES; i++)
    if ((r[k] = urgent_find(s, ids[i])) != NULL)
      k++;
  size_t used = 0;
  out[0] = '\0';
  for (size_t i = 0; i < k && used < outlen; i++) {
    const char *sep = i == 0 ? "" : i + 1 == k ? " or " : ", ";
    int w = snprintf(out + used, outlen - used, "%s%s", sep, r[i]->short_text);
    if (w < 0)
      break;
    used += (size_t)w;
  }
}
