/* build.c: building the directory index from ORUK 3.0 services and postcode
 * centroids. Each service is cleaned (nulls, "" and empty arrays dropped),
 * split into the JSON parts the API concatenates, and flattened into the
 * records that search reads. directory_builder_finish() sorts everything
 * (services by name, locations by grid cell, postcodes by key, words
 * alphabetically) and builds the lookup tables. */
#include "claims.h"
#include "index_internal.h"
#include "postcode.h"
#include "../lib/date.h"
#include "../lib/util.h"
#include "../lib/utf8.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

/* JSON as the store keeps it: compact, and numbers to 15 significant digits,
 * so 51.997385 is sent as 51.997385 and not as the 17-digit
 * 51.997385000000001 that the nearest double would print as. */
#define DIR_JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

#define DICT_MAX 32768
#define COLD_MIN 96 /* blobs shorter than this are never deflated */
#define ID_MAX DIRECTORY_ID_MAX

/* --- A string-keyed hash map whose keys live in the pool --- */

struct strmap_slot {
  uint32_t key; /* pool offset, DIR_NOSTR when empty */
  uint32_t hash;
  uint32_t val;
};

struct strmap {
  struct strmap_slot *s;
  size_t cap, n;
};

static uint32_t hash_bytes(const char *p, size_t n)
{
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)p[i]) * 16777619u;
  return h;
}

static void strmap_init(struct strmap *m)
{
  m->cap = 64;
  m->n = 0;
  m->s = xmalloc(m->cap * sizeof *m->s);
  for (size_t i = 0; i < m->cap; i++)
    m->s[i].key = DIR_NOSTR;
}

/* The slot holding key, or the empty slot where it would go. */
static struct strmap_slot *strmap_slot(const struct strmap *m, const char *pool, const char *key,
                                       size_t n, uint32_t h)
{
  size_t i = h & (m->cap - 1);
  for (;;) {
    struct strmap_slot *sl = &m->s[i];
    if (sl->key == DIR_NOSTR)
      return sl;
    if (sl->hash == h && strncmp(pool + sl->key, key, n) == 0 && pool[sl->key + n] == '\0')
      return sl;
    i = (i + 1) & (m->cap - 1);
  }
}

static void strmap_grow(struct strmap *m)
{
  struct strmap old = *m;
  m->cap *= 2;
  m->s = xmalloc(m->cap * sizeof *m->s);
  for (size_t i = 0; i < m->cap; i++)
    m->s[i].key = DIR_NOSTR;
  for (size_t i = 0; i < old.cap; i++) {
    if (old.s[i].key == DIR_NOSTR)
      continue;
    size_t j = old.s[i].hash & (m->cap - 1);
    while (m->s[j].key != DIR_NOSTR)
      j = (j + 1) & (m->cap - 1);
    m->s[j] = old.s[i];
  }
  free(old.s);
}

/* The value stored under key[0..n), or DIRECTORY_NONE. */
static uint32_t strmap_get(const struct strmap *m, const char *pool, const char *key, size_t n)
{
  const struct strmap_slot *sl = strmap_slot(m, pool, key, n, hash_bytes(key, n));
  return sl->key == DIR_NOSTR ? DIRECTORY_NONE : sl->val;
}

/* Store val under the key whose text is at pool offset off (not present yet). */
static void strmap_put(struct strmap *m, const char *pool, uint32_t off, uint32_t val)
{
  size_t n = strlen(pool + off);
  uint32_t h = hash_bytes(pool + off, n);
  struct strmap_slot *sl = strmap_slot(m, pool, pool + off, n, h);
  sl->key = off;
  sl->hash = h;
  sl->val = val;
  if (++m->n * 2 > m->cap)
    strmap_grow(m);
}

/* --- Builder --- */

struct directory_builder {
  struct directory_index *ix;
  size_t pool_cap, svcs_cap, sals_cap, orgs_cap, taxes_cap, terms_cap, terms_of_cap, scheds_cap,
      pc_cap;
  struct strmap svc_ids, sal_ids, org_ids, tax_ids, term_ids, words;
  uint32_t *pairs; /* (word, service) pairs */
  size_t npairs, pairs_cap;
  uint32_t *svc_words; /* words of the service being added */
  size_t nsvc_words, svc_words_cap;
  z_stream z;
  bool z_ready;
  /* The parts a search's list answer reads, held here until the build ends
   * and then written to the pool in the order searches read them (see
   * pool_hot); their dir_blob offsets point into this buffer until then. */
  char *hot;
  size_t hot_len, hot_cap;
};

#define GROW(arr, n, cap)                                                                          \
  do {                                                                                             \
    if ((n) >= (cap)) {                                                                            \
      (cap) = (cap) ? (cap)*2 : 64;                                                                \
      (arr) = xrealloc((arr), (cap) * sizeof *(arr));                                              \
    }                                                                                              \
  } while (0)

struct directory_builder *directory_builder_new(void)
{
  struct directory_builder *b = xcalloc(1, sizeof *b);
  b->ix = directory_index_empty();
  strmap_init(&b->svc_ids);
  strmap_init(&b->sal_ids);
  strmap_init(&b->org_ids);
  strmap_init(&b->tax_ids);
  strmap_init(&b->term_ids);
  strmap_init(&b->words);
  return b;
}

void directory_builder_free(struct directory_builder *b)
{
  if (!b)
    return;
  directory_index_unref(b->ix);
  free(b->svc_ids.s);
  free(b->sal_ids.s);
  free(b->org_ids.s);
  free(b->tax_ids.s);
  free(b->term_ids.s);
  free(b->words.s);
  free(b->pairs);
  free(b->svc_words);
  free(b->hot);
  if (b->z_ready)
    deflateEnd(&b->z);
  free(b);
}

/* Append n bytes and a NUL to the pool; returns the offset. */
static uint32_t pool_add(struct directory_builder *b, const char *p, size_t n)
{
  struct directory_index *ix = b->ix;
  if (ix->pool_len + n + 1 > b->pool_cap) {
    size_t cap = b->pool_cap ? b->pool_cap : 65536;
    while (ix->pool_len + n + 1 > cap)
      cap *= 2;
    ix->pool = xrealloc(ix->pool, cap);
    b->pool_cap = cap;
  }
  uint32_t off = (uint32_t)ix->pool_len;
  if (n)
    memcpy(ix->pool + off, p, n);
  ix->pool[off + n] = '\0';
  ix->pool_len += n + 1;
  return off;
}

static uint32_t pool_str(struct directory_builder *b, const char *s)
{
  return s ? pool_add(b, s, strlen(s)) : DIR_NOSTR;
}

static struct dir_blob blob_plain(struct directory_builder *b, const char *s, size_t n)
{
  struct dir_blob bl = {0, 0, 0};
  if (n) {
    bl.off = pool_add(b, s, n);
    bl.len = (uint32_t)n;
    b->ix->json_plain += n;
  }
  return bl;
}

/* A blob that list answers read, kept aside until pool_hot() places it. */
static struct dir_blob blob_hot(struct directory_builder *b, const char *s, size_t n)
{
  struct dir_blob bl = {0, 0, 0};
  if (!n)
    return bl;
  if (b->hot_len + n > b->hot_cap) {
    size_t cap = b->hot_cap ? b->hot_cap : 65536;
    while (b->hot_len + n > cap)
      cap *= 2;
    b->hot = xrealloc(b->hot, cap);
    b->hot_cap = cap;
  }
  memcpy(b->hot + b->hot_len, s, n);
  bl.off = (uint32_t)b->hot_len;
  bl.len = (uint32_t)n;
  b->hot_len += n;
  b->ix->json_plain += n;
  return bl;
}

/* Append n bytes to the pool with no NUL, so that what follows continues
 * the same run of JSON; returns the offset. */
static uint32_t pool_raw(struct directory_builder *b, const char *p, size_t n)
{
  uint32_t off = pool_add(b, p, n);
  b->ix->pool_len--; /* drop the NUL; the next append overwrites it */
  return off;
}

/* Move a blob_hot() part into the pool, right after what is there. */
static struct dir_blob hot_to_pool(struct directory_builder *b, struct dir_blob bl)
{
  if (bl.len)
    bl.off = pool_raw(b, b->hot + bl.off, bl.len);
  return bl;
}

/* A blob for a part that only detail responses read: deflated when that
 * saves at least a tenth. */
static struct dir_blob blob_cold(struct directory_builder *b, const char *s, size_t n)
{
  if (n < COLD_MIN || !b->z_ready)
    return blob_plain(b, s, n);
  struct directory_index *ix = b->ix;
  deflateReset(&b->z);
  deflateSetDictionary(&b->z, ix->dict, (uInt)ix->dict_len);
  size_t bound = deflateBound(&b->z, (uLong)n);
  unsigned char *tmp = xmalloc(bound);
  b->z.next_in = (Bytef *)(uintptr_t)s;
  b->z.avail_in = (uInt)n;
  b->z.next_out = tmp;
  b->z.avail_out = (uInt)bound;
  struct dir_blob bl;
  if (deflate(&b->z, Z_FINISH) == Z_STREAM_END && b->z.total_out < n - n / 10) {
    bl.off = pool_add(b, (const char *)tmp, b->z.total_out);
    bl.len = (uint32_t)b->z.total_out;
    bl.raw = (uint32_t)n;
    ix->json_packed += bl.len;
    ix->json_unpacked += n;
  } else {
    bl = blob_plain(b, s, n);
  }
  free(tmp);
  return bl;
}

/* Set the preset dictionary from sample text (its last DICT_MAX bytes). */
static void dict_set(struct directory_builder *b, const char *sample, size_t n)
{
  struct directory_index *ix = b->ix;
  if (n > DICT_MAX) {
    sample += n - DICT_MAX;
    n = DICT_MAX;
  }
  if (n < 256)
    return;
  ix->dict = xmalloc(n);
  memcpy(ix->dict, sample, n);
  ix->dict_len = n;
  memset(&b->z, 0, sizeof b->z);
  if (deflateInit2(&b->z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    fatal("directory: zlib deflateInit2 failed");
  b->z_ready = true;
}

/* --- JSON helpers --- */

/* True when v holds no null, "" or empty array or object at any level (the
 * store's canonical form), so it can be used without a cleaned copy. */
static bool is_clean(const json_t *v)
{
  if (json_is_null(v))
    return false;
  if (json_is_string(v))
    return json_string_length(v) != 0;
  if (json_is_array(v)) {
    size_t i;
    const json_t *e;
    if (!json_array_size(v))
      return false;
    json_array_foreach(v, i, e)
    {
      if (!is_clean(e))
        return false;
    }
    return true;
  }
  if (json_is_object(v)) {
    const char *k;
    const json_t *e;
    if (!json_object_size(v))
      return false;
    json_object_foreach((json_t *)v, k, e)
    {
      if (!is_clean(e))
        return false;
    }
  }
  return true;
}

/* A deep copy of v without nulls, "" strings and empty arrays or objects at
 * any level; NULL when nothing is left. */
static json_t *clean_copy(const json_t *v)
{
  if (json_is_null(v))
    return NULL;
  if (json_is_string(v))
    return json_string_length(v) ? json_deep_copy(v) : NULL;
  if (json_is_array(v)) {
    json_t *a = json_array();
    size_t i;
    const json_t *e;
    json_array_foreach(v, i, e)
    {
      json_t *c = clean_copy(e);
      if (c)
        json_array_append_new(a, c);
    }
    if (!json_array_size(a)) {
      json_decref(a);
      return NULL;
    }
    return a;
  }
  if (json_is_object(v)) {
    json_t *o = json_object();
    const char *k;
    const json_t *e;
    json_object_foreach((json_t *)v, k, e)
    {
      json_t *c = clean_copy(e);
      if (c)
        json_object_set_new(o, k, c);
    }
    if (!json_object_size(o)) {
      json_decref(o);
      return NULL;
    }
    return o;
  }
  return json_deep_copy(v);
}

static const char *jstr(const json_t *o, const char *key)
{
  const json_t *v = json_object_get(o, key);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Serialised members of object o (no braces) into a malloc'd string; "" when
 * o is empty. */
static char *dump_inner(const json_t *o, size_t *n)
{
  if (!o || !json_object_size(o)) {
    *n = 0;
    return xstrdup("");
  }
  char *s = json_dumps(o, DIR_JSON_FLAGS);
  if (!s)
    fatal("directory: json_dumps failed");
  size_t len = strlen(s);
  memmove(s, s + 1, len - 2);
  s[len - 2] = '\0';
  *n = len - 2;
  return s;
}

static char *dump_object(const json_t *o, size_t *n)
{
  if (!o) {
    *n = 0;
    return xstrdup("");
  }
  char *s = json_dumps(o, DIR_JSON_FLAGS);
  if (!s)
    fatal("directory: json_dumps failed");
  *n = strlen(s);
  return s;
}

/* New object with the one-to-one (not object, not array) members of o. */
static json_t *scalars_of(const json_t *o, const char *skip)
{
  json_t *r = json_object();
  const char *k;
  const json_t *v;
  json_object_foreach((json_t *)o, k, v)
  {
    if (json_is_object(v) || json_is_array(v) || (skip && strcmp(k, skip) == 0))
      continue;
    json_object_set(r, k, (json_t *)v);
  }
  return r;
}

bool directory_parse_datetime(const char *s, int64_t *out)
{
  char day[11];
  struct date dt;
  if (!s || strlen(s) < 10)
    return false;
  memcpy(day, s, 10);
  day[10] = '\0';
  if (!date_parse(day, &dt))
    return false;
  int64_t t = (int64_t)date_to_days(dt) * 86400;
  const char *p = s + 10;
  if (*p == 'T' || *p == 't' || *p == ' ') {
    int hh, mm, ss = 0, used = 0;
    if (sscanf(p + 1, "%2d:%2d%n", &hh, &mm, &used) != 2 || used != 5)
      return false;
    p += 1 + used;
    if (*p == ':') {
      if (sscanf(p + 1, "%2d%n", &ss, &used) != 1 || used != 2)
        return false;
      p += 3;
      if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
          return false;
        while (*p >= '0' && *p <= '9')
          p++;
      }
    }
    if (hh > 23 || mm > 59 || ss > 60)
      return false;
    t += hh * 3600 + mm * 60 + ss;
    if (*p == 'Z' || *p == 'z') {
      p++;
    } else if (*p == '+' || *p == '-') {
      int oh, om;
      if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &used) != 2 || used != 5 || oh > 23 || om > 59)
        return false;
      int64_t off = oh * 3600 + om * 60;
      t += *p == '+' ? -off : off;
      p += 6;
    }
  }
  if (*p)
    return false;
  *out = t;
  return true;
}

/* "HH:MM" or "HH:MM:SS" into minutes after midnight, or -1. */
int directory_parse_time(const char *s)
{
  int hh, mm, used = 0;
  if (!s || sscanf(s, "%2d:%2d%n", &hh, &mm, &used) != 2 || used != 5 || hh > 24 || mm > 59)
    return -1;
  if (s[5] == ':') {
    int ss;
    if (sscanf(s + 6, "%2d%n", &ss, &used) != 1 || used != 2 || s[8] || ss > 59)
      return -1;
  } else if (s[5]) {
    return -1;
  }
  if (hh == 24 && mm)
    return -1;
  return hh * 60 + mm;
}

unsigned directory_parse_days(const char *s)
{
  static const char *const days[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
  unsigned mask = 0;
  while (s && *s) {
    while (*s == ',' || *s == ' ')
      s++;
    /* RRULE BYDAY may carry an ordinal ("1MO", "-1FR"): skip it. */
    while (*s == '+' || *s == '-' || (*s >= '0' && *s <= '9'))
      s++;
    if (!*s)
      break;
    bool found = false;
    for (unsigned d = 0; d < 7; d++)
      if (strncasecmp(s, days[d], 2) == 0) {
        mask |= 1u << d;
        found = true;
      }
    if (!found)
      return 0;
    s += 2;
    while (*s && *s != ',')
      s++;
  }
  return mask;
}

static enum dir_status status_of(const char *s)
{
  if (!s)
    return DIR_STATUS_OTHER;
  if (strcmp(s, "active") == 0)
    return DIR_ACTIVE;
  if (strcmp(s, "inactive") == 0)
    return DIR_INACTIVE;
  if (strcmp(s, "defunct") == 0)
    return DIR_DEFUNCT;
  if (strcmp(s, "temporarily closed") == 0)
    return DIR_CLOSED_FOR_NOW;
  return DIR_STATUS_OTHER;
}

/* --- Organisations, taxonomies, terms --- */

static uint32_t org_put(struct directory_builder *b, const char *id, const json_t *org)
{
  struct directory_index *ix = b->ix;
  uint32_t o = strmap_get(&b->org_ids, ix->pool, id, strlen(id));
  if (o != DIRECTORY_NONE) {
    if (ix->orgs[o].list.len || !org)
      return o;
  } else {
    GROW(ix->orgs, ix->norgs, b->orgs_cap);
    o = (uint32_t)ix->norgs++;
    memset(&ix->orgs[o], 0, sizeof ix->orgs[o]);
    ix->orgs[o].id = pool_str(b, id);
    ix->orgs[o].name = DIR_NOSTR;
    strmap_put(&b->org_ids, ix->pool, ix->orgs[o].id, o);
  }
  if (org) {
    struct dir_org *g = &ix->orgs[o];
    json_t *full = json_deep_copy(org);
    json_object_del(full, "services");
    json_object_set_new(full, "id", json_string(id));
    json_t *list = scalars_of(full, NULL);
    size_t ln, fn;
    char *ls = dump_object(list, &ln), *fs = dump_object(full, &fn);
    g->name = pool_str(b, jstr(org, "name"));
    g->list = blob_plain(b, ls, ln);
    g->full = fn == ln ? g->list : blob_cold(b, fs, fn);
    free(ls);
    free(fs);
    json_decref(list);
    json_decref(full);
  }
  return o;
}

static uint32_t tax_put(struct directory_builder *b, const char *id, const json_t *detail,
                        const char *vocab)
{
  struct directory_index *ix = b->ix;
  uint32_t t = strmap_get(&b->tax_ids, ix->pool, id, strlen(id));
  bool fill;
  if (t != DIRECTORY_NONE) {
    fill = detail && jstr(detail, "name") && ix->taxes[t].stub;
  } else {
    GROW(ix->taxes, ix->ntaxes, b->taxes_cap);
    t = (uint32_t)ix->ntaxes++;
    memset(&ix->taxes[t], 0, sizeof ix->taxes[t]);
    ix->taxes[t].id = pool_str(b, id);
    ix->taxes[t].name = DIR_NOSTR;
    strmap_put(&b->tax_ids, ix->pool, ix->taxes[t].id, t);
    fill = true;
  }
  if (!fill)
    return t;
  json_t *o;
  if (detail && jstr(detail, "name")) {
    o = json_deep_copy(detail);
    json_object_del(o, "taxonomy_terms");
    json_object_set_new(o, "id", json_string(id));
    if (!jstr(o, "description"))
      json_object_set_new(o, "description", json_string(jstr(o, "name")));
  } else {
    /* Known only from its terms: name it by the vocabulary they give. */
    const char *name = vocab ? vocab : id;
    o = json_pack("{s:s, s:s, s:s}", "id", id, "name", name, "description", name);
  }
  size_t len;
  char *s = dump_object(o, &len);
  ix->taxes[t].name = pool_str(b, jstr(o, "name"));
  ix->taxes[t].json = blob_plain(b, s, len);
  ix->taxes[t].stub = !(detail && jstr(detail, "name"));
  free(s);
  json_decref(o);
  return t;
}

const char *directory_term_vocabulary(const json_t *term)
{
  const char *v = jstr(term, "taxonomy");
  if (!v)
    v = jstr(term, "vocabulary");
  if (!v)
    v = jstr(json_object_get(term, "taxonomy_detail"), "name");
  return v;
}

const char *directory_term_code(const json_t *term)
{
  const char *c = jstr(term, "term");
  return c ? c : jstr(term, "code");
}

/* "firstdays needs", "firstdays-needs", "Firstdays need" all read as
 * "firstdays need": lower case, separators as spaces, a final "s" dropped. */
static bool vocab_is(const char *v, const char *want)
{
  char norm[64];
  size_t n = 0;
  for (; *v && n + 1 < sizeof norm; v++)
    norm[n++] = *v == '-' || *v == '_' ? ' ' : (char)tolower((unsigned char)*v);
  if (n && norm[n - 1] == 's')
    n--;
  norm[n] = '\0';
  return strcmp(norm, want) == 0;
}

enum directory_kind directory_term_kind(const json_t *term)
{
  const char *tax = jstr(term, "taxonomy_id");
  if (!tax)
    tax = jstr(json_object_get(term, "taxonomy_detail"), "id");
  if (tax && strcmp(tax, DIRECTORY_TAXONOMY_NEEDS) == 0)
    return DIRECTORY_KIND_NEED;
  if (tax && strcmp(tax, DIRECTORY_TAXONOMY_STAGES) == 0)
    return DIRECTORY_KIND_STAGE;
  if (tax && strcmp(tax, DIRECTORY_TAXONOMY_REFERRAL) == 0)
    return DIRECTORY_KIND_REFERRAL;
  const char *v = directory_term_vocabulary(term);
  if (!v)
    return DIRECTORY_KIND_OTHER;
  if (vocab_is(v, "firstdays need"))
    return DIRECTORY_KIND_NEED;
  if (vocab_is(v, "firstdays stage"))
    return DIRECTORY_KIND_STAGE;
  if (vocab_is(v, "firstdays referral route") || vocab_is(v, "firstdays referral"))
    return DIRECTORY_KIND_REFERRAL;
  return DIRECTORY_KIND_OTHER;
}

/* The term with this id; term (cleaned, may be NULL) fills it in. */
static uint32_t term_put(struct directory_builder *b, const char *id, const json_t *term)
{
  struct directory_index *ix = b->ix;
  uint32_t t = strmap_get(&b->term_ids, ix->pool, id, strlen(id));
  if (t != DIRECTORY_NONE) {
    if (ix->terms[t].json.len || !term)
      return t;
  } else {
    GROW(ix->terms, ix->nterms, b->terms_cap);
    t = (uint32_t)ix->nterms++;
    struct dir_term *d = &ix->terms[t];
    memset(d, 0, sizeof *d);
    d->id = pool_str(b, id);
    d->name = d->code = d->vocab = d->description = d->parent_id = DIR_NOSTR;
    d->taxonomy = d->parent = DIRECTORY_NONE;
    strmap_put(&b->term_ids, ix->pool, d->id, t);
  }
  if (term) {
    const char *vocab = directory_term_vocabulary(term);
    const json_t *detail = json_object_get(term, "taxonomy_detail");
    const char *tax_id = jstr(term, "taxonomy_id");
    if (!tax_id)
      tax_id = jstr(detail, "id");
    uint32_t tax =
        tax_id && strlen(tax_id) <= ID_MAX ? tax_put(b, tax_id, detail, vocab) : DIRECTORY_NONE;
    size_t len;
    char *s = dump_object(term, &len);
    struct dir_term *d = &ix->terms[t]; /* after tax_put: no reallocation of terms there */
    d->name = pool_str(b, jstr(term, "name"));
    d->code = pool_str(b, directory_term_code(term));
    d->vocab = pool_str(b, vocab);
    d->description = pool_str(b, jstr(term, "description"));
    d->parent_id = pool_str(b, jstr(term, "parent_id"));
    d->kind = (uint8_t)directory_term_kind(term);
    d->taxonomy = tax;
    d->json = blob_plain(b, s, len);
    free(s);
  }
  return t;
}

bool directory_builder_add_taxonomy(struct directory_builder *b, const json_t *taxonomy, char *err,
                                    size_t errlen)
{
  const char *id = jstr(taxonomy, "id"), *name = jstr(taxonomy, "name");
  if (!json_is_object(taxonomy) || !id || !*id || strlen(id) > ID_MAX || !name || !*name) {
    snprintf(err, errlen, "a taxonomy has no usable \"id\" and \"name\"");
    return false;
  }
  json_t *clean = clean_copy(taxonomy);
  tax_put(b, id, clean, name);
  size_t i;
  const json_t *term;
  json_array_foreach(json_object_get(clean, "taxonomy_terms"), i, term)
  {
    const char *tid = jstr(term, "id");
    if (!tid || strlen(tid) > ID_MAX)
      continue;
    json_t *copy = json_deep_copy(term);
    if (!jstr(copy, "taxonomy_id"))
      json_object_set_new(copy, "taxonomy_id", json_string(id));
    if (!jstr(copy, "taxonomy"))
      json_object_set_new(copy, "taxonomy", json_string(name));
    term_put(b, tid, copy);
    json_decref(copy);
  }
  json_decref(clean);
  return true;
}

/* --- Words --- */

static void word_add(void *cls, const char *w, size_t n)
{
  struct directory_builder *b = cls;
  struct directory_index *ix = b->ix;
  uint32_t w_id = strmap_get(&b->words, ix->pool, w, n);
  if (w_id == DIRECTORY_NONE) {
    w_id = (uint32_t)ix->nwords++;
    strmap_put(&b->words, ix->pool, pool_add(b, w, n), w_id);
  }
  GROW(b->svc_words, b->nsvc_words, b->svc_words_cap);
  b->svc_words[b->nsvc_words++] = w_id;
}

static void words_of(struct directory_builder *b, const char *text)
{
  if (text)
    dir_words(text, SIZE_MAX, word_add, b);
}

static int cmp_u32(const void *a, const void *b)
{
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* Record the words collected for service s (deduplicated). */
static void words_commit(struct directory_builder *b, uint32_t s)
{
  if (b->nsvc_words > 1)
    qsort(b->svc_words, b->nsvc_words, sizeof *b->svc_words, cmp_u32);
  for (size_t i = 0; i < b->nsvc_words; i++) {
    if (i && b->svc_words[i] == b->svc_words[i - 1])
      continue;
    if (b->npairs + 2 > b->pairs_cap) {
      b->pairs_cap = b->pairs_cap ? b->pairs_cap * 2 : 4096;
      b->pairs = xrealloc(b->pairs, b->pairs_cap * sizeof *b->pairs);
    }
    b->pairs[b->npairs++] = b->svc_words[i];
    b->pairs[b->npairs++] = s;
  }
  b->nsvc_words = 0;
}

/* --- Services --- */

static bool coord_ok(const json_t *v, double lim, double *out)
{
  if (!json_is_number(v))
    return false;
  double d = json_number_value(v);
  if (!(d >= -lim && d <= lim))
    return false;
  *out = d;
  return true;
}

/* Who holds an id already, for the rule in claims.h: the id of the service. */
static const char *taken_service(void *cls, const char *id)
{
  const struct directory_builder *b = cls;
  uint32_t s = strmap_get(&b->svc_ids, b->ix->pool, id, strlen(id));
  return s == DIRECTORY_NONE ? NULL : dir_str(b->ix, b->ix->svcs[s].id);
}

static const char *taken_place(void *cls, const char *sal_id)
{
  const struct directory_builder *b = cls;
  uint32_t i = strmap_get(&b->sal_ids, b->ix->pool, sal_id, strlen(sal_id));
  return i == DIRECTORY_NONE ? NULL : dir_str(b->ix, b->ix->svcs[b->ix->sals[i].service].id);
}

/* Check what would make the service unusable, before anything is changed;
 * the ids it may not share are checked by the rule in claims.h. */
static bool service_check(struct directory_builder *b, const json_t *svc, char *err, size_t errlen)
{
  const char *id = jstr(svc, "id");
  if (!json_is_object(svc)) {
    snprintf(err, errlen, "a service is not a JSON object");
    return false;
  }
  if (!id || !*id || strlen(id) > ID_MAX) {
    const char *name = jstr(svc, "name") ? jstr(svc, "name") : "none";
    snprintf(err, errlen, "a service has no usable \"id\" (name: %.*s)",
             (int)utf8_prefix(name, strlen(name), 80), name);
    return false;
  }
  if (!jstr(svc, "name") || !*jstr(svc, "name")) {
    snprintf(err, errlen, "service %s has no \"name\"", id);
    return false;
  }
  if (b->ix->pool_len + b->hot_len > (size_t)UINT32_MAX / 2) {
    snprintf(err, errlen, "the directory is too large to hold in memory (over 2 GB of text)");
    return false;
  }
  struct directory_taken taken = {taken_service, taken_place, b};
  struct directory_refusal why;
  if (!directory_claims_check(svc, &taken, &why)) {
    snprintf(err, errlen, "service %s: %s: %s", id, why.path, why.message);
    return false;
  }
  return true;
}

static void add_sal(struct directory_builder *b, uint32_t s, const char *svc_id, const json_t *sal)
{
  struct directory_index *ix = b->ix;
  const json_t *loc = json_object_get(sal, "location");
  if (!json_is_object(loc))
    loc = NULL;
  json_t *inner = scalars_of(sal, NULL);
  json_object_set_new(inner, "service_id", json_string(svc_id));
  if (!jstr(inner, "location_id") && jstr(loc, "id"))
    json_object_set_new(inner, "location_id", json_string(jstr(loc, "id")));
  json_t *nested = json_object();
  const char *k;
  const json_t *v;
  json_object_foreach((json_t *)sal, k, v)
  {
    if ((json_is_object(v) || json_is_array(v)) && strcmp(k, "location") != 0 &&
        strcmp(k, "service") != 0)
      json_object_set(nested, k, (json_t *)v);
  }
  json_t *loc_list = loc ? scalars_of(loc, NULL) : NULL;
  size_t in_n, ne_n, ll_n, lf_n;
  char *in_s = dump_inner(inner, &in_n), *ne_s = dump_inner(nested, &ne_n),
       *ll_s = dump_object(loc_list, &ll_n), *lf_s = dump_object(loc, &lf_n);

  GROW(ix->sals, ix->nsals, b->sals_cap);
  struct dir_sal *d = &ix->sals[ix->nsals];
  memset(d, 0, sizeof *d);
  const char *sid = jstr(sal, "id");
  d->id = pool_str(b, sid);
  d->service = s;
  double lat, lon;
  if (loc && coord_ok(json_object_get(loc, "latitude"), 90, &lat) &&
      coord_ok(json_object_get(loc, "longitude"), 180, &lon)) {
    d->located = 1;
    d->lat = (int32_t)lround(lat * DIR_COORD_SCALE);
    d->lon = (int32_t)lround(lon * DIR_COORD_SCALE);
    ix->svcs[s].located = 1;
  }
  d->inner = blob_hot(b, in_s, in_n);
  d->nested = blob_cold(b, ne_s, ne_n);
  d->loc_list = blob_hot(b, ll_s, ll_n);
  /* Empty when the same as loc_list: pool_hot() points it there. */
  if (lf_n != ll_n)
    d->loc_full = blob_cold(b, lf_s, lf_n);
  strmap_put(&b->sal_ids, ix->pool, d->id, (uint32_t)ix->nsals++);

  /* Words of the place: its name and town. */
  words_of(b, jstr(loc, "name"));
  const json_t *addrs = json_object_get(loc, "addresses");
  size_t i;
  const json_t *a;
  json_array_foreach(addrs, i, a)
  {
    words_of(b, jstr(a, "city"));
    words_of(b, jstr(a, "postal_code"));
  }
  free(in_s);
  free(ne_s);
  free(ll_s);
  free(lf_s);
  json_decref(inner);
  json_decref(nested);
  json_decref(loc_list);
}

static void add_terms(struct directory_builder *b, uint32_t s, const json_t *attrs)
{
  struct directory_index *ix = b->ix;
  struct dir_service *d = &ix->svcs[s];
  d->term_first = (uint32_t)ix->nterms_of;
  size_t i;
  const json_t *a;
  json_array_foreach(attrs, i, a)
  {
    const json_t *term = json_object_get(a, "taxonomy_term");
    const char *tid = jstr(term, "id");
    if (!tid)
      tid = jstr(a, "taxonomy_term_id");
    if (!tid || strlen(tid) > ID_MAX)
      continue;
    uint32_t t = term_put(b, tid, json_is_object(term) ? term : NULL);
    bool dup = false;
    for (size_t j = d->term_first; j < ix->nterms_of && !dup; j++)
      dup = ix->terms_of[j] == t;
    if (dup)
      continue;
    GROW(ix->terms_of, ix->nterms_of, b->terms_of_cap);
    ix->terms_of[ix->nterms_of++] = t;
    words_of(b, dir_str(ix, ix->terms[t].name));
  }
  d->term_count = (uint32_t)(ix->nterms_of - d->term_first);
}

static void add_schedules(struct directory_builder *b, uint32_t s, const json_t *scheds)
{
  struct directory_index *ix = b->ix;
  struct dir_service *d = &ix->svcs[s];
  d->sched_first = (uint32_t)ix->nscheds;
  size_t i;
  const json_t *sc;
  json_array_foreach(scheds, i, sc)
  {
    const char *byday = jstr(sc, "byday");
    unsigned days = byday ? directory_parse_days(byday) : 0x7f;
    GROW(ix->scheds, ix->nscheds, b->scheds_cap);
    struct dir_sched *x = &ix->scheds[ix->nscheds++];
    x->days = (uint8_t)days;
    x->open = (int16_t)directory_parse_time(jstr(sc, "opens_at"));
    x->close = (int16_t)directory_parse_time(jstr(sc, "closes_at"));
  }
  d->sched_count = (uint32_t)(ix->nscheds - d->sched_first);
}

bool directory_builder_add_service(struct directory_builder *b, const json_t *service, char *err,
                                   size_t errlen)
{
  if (!service_check(b, service, err, errlen))
    return false;
  struct directory_index *ix = b->ix;
  /* Only references are taken from svc below, never changes made to it. */
  json_t *svc = is_clean(service) ? json_incref((json_t *)service) : clean_copy(service);
  const char *id = jstr(svc, "id");
  const json_t *org = json_object_get(svc, "organization");
  if (!json_is_object(org))
    org = NULL;

  /* Split into parts. */
  json_t *inner = scalars_of(svc, NULL);
  if (!jstr(inner, "organization_id") && jstr(org, "id"))
    json_object_set_new(inner, "organization_id", json_string(jstr(org, "id")));
  json_t *nested = json_object();
  const char *k;
  const json_t *v;
  json_object_foreach(svc, k, v)
  {
    if ((json_is_object(v) || json_is_array(v)) && strcmp(k, "organization") != 0 &&
        strcmp(k, "service_at_locations") != 0)
      json_object_set(nested, k, (json_t *)v);
  }
  size_t in_n, ne_n;
  char *in_s = dump_inner(inner, &in_n), *ne_s = dump_inner(nested, &ne_n);

  if (!b->z_ready && !ix->dict) {
    /* The first service's detail parts are the sample every later one is
     * deflated against: services share keys, vocabularies and phrasing. */
    char *full = json_dumps(svc, DIR_JSON_FLAGS);
    dict_set(b, full, strlen(full));
    free(full);
  }

  GROW(ix->svcs, ix->nsvcs, b->svcs_cap);
  uint32_t s = (uint32_t)ix->nsvcs++;
  struct dir_service *d = &ix->svcs[s];
  memset(d, 0, sizeof *d);
  d->id = pool_str(b, id);
  d->name = pool_str(b, jstr(svc, "name"));
  d->inner = blob_hot(b, in_s, in_n);
  d->nested = blob_cold(b, ne_s, ne_n);
  d->status = (uint8_t)status_of(jstr(svc, "status"));
  const json_t *mn = json_object_get(svc, "minimum_age"), *mx = json_object_get(svc, "maximum_age");
  if (json_is_number(mn)) {
    d->has_min_age = 1;
    d->min_age = (float)json_number_value(mn);
  }
  if (json_is_number(mx)) {
    d->has_max_age = 1;
    d->max_age = (float)json_number_value(mx);
  }
  int64_t t;
  d->last_modified = DIR_NOSTR;
  if (directory_parse_datetime(jstr(svc, "last_modified"), &t)) {
    d->has_modified = 1;
    d->modified = t;
    d->last_modified = pool_str(b, jstr(svc, "last_modified"));
  }
  strmap_put(&b->svc_ids, ix->pool, d->id, s);

  const char *org_id = jstr(inner, "organization_id");
  uint32_t o = org_id && strlen(org_id) <= ID_MAX ? org_put(b, org_id, org) : DIRECTORY_NONE;
  ix->svcs[s].org = o;

  words_of(b, jstr(svc, "name"));
  words_of(b, jstr(svc, "alternate_name"));
  words_of(b, jstr(svc, "description"));
  words_of(b, jstr(org, "name"));

  ix->svcs[s].sal_first = (uint32_t)ix->nsals;
  const json_t *sals = json_object_get(svc, "service_at_locations");
  size_t i;
  const json_t *sal;
  json_array_foreach(sals, i, sal)
  {
    if (json_is_object(sal))
      add_sal(b, s, id, sal);
  }
  ix->svcs[s].sal_count = (uint32_t)(ix->nsals - ix->svcs[s].sal_first);
  add_terms(b, s, json_object_get(svc, "attributes"));
  add_schedules(b, s, json_object_get(svc, "schedules"));
  for (uint32_t j = 0; j < ix->svcs[s].term_count; j++)
    if (ix->terms[ix->terms_of[ix->svcs[s].term_first + j]].kind == DIRECTORY_KIND_STAGE)
      ix->svcs[s].has_stage = 1;
  words_commit(b, s);

  free(in_s);
  free(ne_s);
  json_decref(inner);
  json_decref(nested);
  json_decref(svc);
  return true;
}

bool directory_builder_add_postcode(struct directory_builder *b, const char *pc, double lat,
                                    double lon)
{
  char norm[POSTCODE_MAX];
  uint32_t key;
  if (postcode_normalise(pc, norm) != POSTCODE_OK || !postcode_pack(norm, &key))
    return false;
  if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180))
    return false;
  struct directory_index *ix = b->ix;
  GROW(ix->postcodes, ix->npostcodes, b->pc_cap);
  struct dir_postcode *p = &ix->postcodes[ix->npostcodes++];
  p->key = key;
  p->lat = (int32_t)lround(lat * DIR_COORD_SCALE);
  p->lon = (int32_t)lround(lon * DIR_COORD_SCALE);
  return true;
}

/* --- Finishing --- */

/* qsort has no context argument: the pool being sorted over is passed here.
 * Building happens on one thread at a time per builder, but two builders could
 * run at once, so this is thread-local. */
static _Thread_local const struct directory_index *sort_ix;

static int cmp_svc_name(const void *a, const void *b)
{
  const struct dir_service *x = &sort_ix->svcs[*(const uint32_t *)a];
  const struct dir_service *y = &sort_ix->svcs[*(const uint32_t *)b];
  int c = strcasecmp(sort_ix->pool + x->name, sort_ix->pool + y->name);
  return c ? c : strcmp(sort_ix->pool + x->id, sort_ix->pool + y->id);
}

static int cmp_org_name(const void *a, const void *b)
{
  const struct dir_org *x = &sort_ix->orgs[*(const uint32_t *)a];
  const struct dir_org *y = &sort_ix->orgs[*(const uint32_t *)b];
  const char *xn = x->name == DIR_NOSTR ? "" : sort_ix->pool + x->name;
  const char *yn = y->name == DIR_NOSTR ? "" : sort_ix->pool + y->name;
  int c = strcasecmp(xn, yn);
  return c ? c : strcmp(sort_ix->pool + x->id, sort_ix->pool + y->id);
}

static int cmp_tax_name(const void *a, const void *b)
{
  const struct dir_taxonomy *x = &sort_ix->taxes[*(const uint32_t *)a];
  const struct dir_taxonomy *y = &sort_ix->taxes[*(const uint32_t *)b];
  int c = strcasecmp(sort_ix->pool + x->name, sort_ix->pool + y->name);
  return c ? c : strcmp(sort_ix->pool + x->id, sort_ix->pool + y->id);
}

static int cmp_term(const void *a, const void *b)
{
  const struct dir_term *x = &sort_ix->terms[*(const uint32_t *)a];
  const struct dir_term *y = &sort_ix->terms[*(const uint32_t *)b];
  const char *xv = x->vocab == DIR_NOSTR ? "" : sort_ix->pool + x->vocab;
  const char *yv = y->vocab == DIR_NOSTR ? "" : sort_ix->pool + y->vocab;
  int c = strcmp(xv, yv);
  if (c)
    return c;
  const char *xn = x->name == DIR_NOSTR ? "" : sort_ix->pool + x->name;
  const char *yn = y->name == DIR_NOSTR ? "" : sort_ix->pool + y->name;
  c = strcasecmp(xn, yn);
  return c ? c : strcmp(sort_ix->pool + x->id, sort_ix->pool + y->id);
}

/* Sorting ids: arrays of record numbers compared through an id getter. */
static _Thread_local uint32_t (*sort_id_of)(const struct directory_index *, uint32_t);

static int cmp_by_id(const void *a, const void *b)
{
  return strcmp(sort_ix->pool + sort_id_of(sort_ix, *(const uint32_t *)a),
                sort_ix->pool + sort_id_of(sort_ix, *(const uint32_t *)b));
}

static uint32_t *ids_sorted(struct directory_index *ix, size_t n,
                            uint32_t (*id_of)(const struct directory_index *, uint32_t))
{
  uint32_t *r = xmalloc((n ? n : 1) * sizeof *r);
  for (size_t i = 0; i < n; i++)
    r[i] = (uint32_t)i;
  sort_ix = ix;
  sort_id_of = id_of;
  qsort(r, n, sizeof *r, cmp_by_id);
  return r;
}

/* Order by cmp; returns order[new] = old and fills rank[old] = new. */
static uint32_t *order_by(struct directory_index *ix, size_t n,
                          int (*cmp)(const void *, const void *), uint32_t **rank)
{
  uint32_t *order = xmalloc((n ? n : 1) * sizeof *order);
  for (size_t i = 0; i < n; i++)
    order[i] = (uint32_t)i;
  sort_ix = ix;
  qsort(order, n, sizeof *order, cmp);
  *rank = xmalloc((n ? n : 1) * sizeof **rank);
  for (size_t i = 0; i < n; i++)
    (*rank)[order[i]] = (uint32_t)i;
  return order;
}

#define PERMUTE(arr, n, order)                                                                     \
  do {                                                                                             \
    __typeof__(arr) tmp_ = xmalloc(((n) ? (n) : 1) * sizeof *(arr));                               \
    for (size_t i_ = 0; i_ < (n); i_++)                                                            \
      tmp_[i_] = (arr)[(order)[i_]];                                                               \
    free(arr);                                                                                     \
    (arr) = tmp_;                                                                                  \
  } while (0)

static int cmp_u64(const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* The postcode tree over the sorted postcodes (see index_internal.h). */
static void build_pc_tree(struct directory_index *ix)
{
  size_t count[DIR_PC_LEVELS_MAX]; /* keys in level i, before padding */
  int levels = 0;
  count[levels++] = (ix->npostcodes + DIR_PC_STEP - 1) / DIR_PC_STEP;
  while (count[levels - 1] > DIR_PC_FAN && levels < DIR_PC_LEVELS_MAX) {
    count[levels] = (count[levels - 1] + DIR_PC_FAN - 1) / DIR_PC_FAN;
    levels++;
  }
  size_t len = 0;
  for (int l = levels - 1; l >= 0; l--) {
    ix->pc_level[l] = len;
    len += (count[l] + DIR_PC_FAN - 1) / DIR_PC_FAN * DIR_PC_FAN;
  }
  ix->pc_tree = aligned_alloc(64, len * sizeof *ix->pc_tree); /* len: whole nodes of 64 bytes */
  if (!ix->pc_tree)
    fatal("out of memory (%zu bytes)", len * sizeof *ix->pc_tree);
  ix->pc_tree_len = len;
  ix->pc_levels = levels;
  for (size_t i = 0; i < len; i++)
    ix->pc_tree[i] = UINT32_MAX;
  uint32_t *l0 = ix->pc_tree + ix->pc_level[0];
  for (size_t i = 0; i < count[0]; i++)
    l0[i] = ix->postcodes[i * DIR_PC_STEP].key;
  for (int l = 1; l < levels; l++) {
    const uint32_t *below = ix->pc_tree + ix->pc_level[l - 1];
    uint32_t *lv = ix->pc_tree + ix->pc_level[l];
    for (size_t i = 0; i < count[l]; i++)
      lv[i] = below[i * DIR_PC_FAN];
  }
}

static void finish_postcodes(struct directory_index *ix)
{
  /* Postcodes added twice keep the last centroid: a stable order is needed, so
   * sort (key, position) pairs by packing the position into the sort. */
  size_t n = ix->npostcodes;
  if (!n)
    return;
  uint64_t *tmp = xmalloc(n * sizeof *tmp);
  for (size_t i = 0; i < n; i++)
    tmp[i] = (uint64_t)ix->postcodes[i].key << 32 | (uint64_t)i;
  /* Radix sort on 64-bit keys would do; qsort is fast enough at 2.7 million. */
  struct dir_postcode *out = xmalloc(n * sizeof *out);
  qsort(tmp, n, sizeof *tmp, cmp_u64);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    const struct dir_postcode *p = &ix->postcodes[tmp[i] & 0xffffffffu];
    if (m && out[m - 1].key == p->key)
      out[m - 1] = *p;
    else
      out[m++] = *p;
  }
  free(tmp);
  free(ix->postcodes);
  ix->postcodes = xrealloc(out, m * sizeof *out);
  ix->npostcodes = m;
  build_pc_tree(ix);
}

static _Thread_local const uint32_t *sort_woff;

static int cmp_word_idx(const void *a, const void *b)
{
  return strcmp(sort_ix->pool + sort_woff[*(const uint32_t *)a],
                sort_ix->pool + sort_woff[*(const uint32_t *)b]);
}

static void finish_words(struct directory_builder *b, const uint32_t *svc_rank)
{
  struct directory_index *ix = b->ix;
  size_t nw = ix->nwords;
  uint32_t *woff = xmalloc((nw ? nw : 1) * sizeof *woff);
  for (size_t i = 0; i < b->words.cap; i++)
    if (b->words.s[i].key != DIR_NOSTR)
      woff[b->words.s[i].val] = b->words.s[i].key;
  uint32_t *order = xmalloc((nw ? nw : 1) * sizeof *order);
  for (size_t i = 0; i < nw; i++)
    order[i] = (uint32_t)i;
  sort_ix = ix;
  sort_woff = woff;
  qsort(order, nw, sizeof *order, cmp_word_idx);
  uint32_t *rank = xmalloc((nw ? nw : 1) * sizeof *rank);
  ix->words = xmalloc((nw ? nw : 1) * sizeof *ix->words);
  for (size_t i = 0; i < nw; i++) {
    rank[order[i]] = (uint32_t)i;
    ix->words[i] = woff[order[i]];
  }
  ix->word_first = xcalloc(nw + 1, sizeof *ix->word_first);
  size_t np = b->npairs / 2;
  for (size_t i = 0; i < np; i++)
    ix->word_first[rank[b->pairs[2 * i]] + 1]++;
  for (size_t i = 0; i < nw; i++)
    ix->word_first[i + 1] += ix->word_first[i];
  ix->postings = xmalloc((np ? np : 1) * sizeof *ix->postings);
  uint32_t *fill = xmalloc((nw ? nw : 1) * sizeof *fill);
  memcpy(fill, ix->word_first, nw * sizeof *fill);
  for (size_t i = 0; i < np; i++)
    ix->postings[fill[rank[b->pairs[2 * i]]]++] = svc_rank[b->pairs[2 * i + 1]];
  for (size_t i = 0; i < nw; i++)
    if (ix->word_first[i + 1] - ix->word_first[i] > 1)
      qsort(ix->postings + ix->word_first[i], ix->word_first[i + 1] - ix->word_first[i],
            sizeof *ix->postings, cmp_u32);
  free(fill);
  free(rank);
  free(order);
  free(woff);
  free(b->pairs);
  b->pairs = NULL;
  b->npairs = 0;
}

/* The grid of located places: the smallest cells (from DIR_GRID_DEG, doubled)
 * whose table over the places' bounding box has at most DIR_GRID_MAX_CELLS. */
static void finish_grid(struct directory_index *ix)
{
  size_t n = 0;
  double lat_min = 90, lat_max = -90, lon_min = 180, lon_max = -180;
  for (size_t i = 0; i < ix->nsals; i++) {
    const struct dir_sal *s = &ix->sals[i];
    if (!s->located)
      continue;
    double lat = s->lat / DIR_COORD_SCALE, lon = s->lon / DIR_COORD_SCALE;
    lat_min = fmin(lat_min, lat);
    lat_max = fmax(lat_max, lat);
    lon_min = fmin(lon_min, lon);
    lon_max = fmax(lon_max, lon);
    n++;
  }
  double cell = DIR_GRID_DEG;
  int32_t row0 = 0, col0 = 0, nrows = 1, ncols = 1;
  if (n) {
    for (;;) {
      row0 = (int32_t)floor((lat_min + 90) / cell);
      col0 = (int32_t)floor((lon_min + 180) / cell);
      nrows = (int32_t)floor((lat_max + 90) / cell) - row0 + 1;
      ncols = (int32_t)floor((lon_max + 180) / cell) - col0 + 1;
      if ((double)nrows * ncols <= DIR_GRID_MAX_CELLS)
        break;
      cell *= 2;
    }
  }
  size_t ncells = (size_t)nrows * (size_t)ncols;
  uint32_t *key = xmalloc((n ? n : 1) * sizeof *key);
  free(ix->cell_start);
  ix->cell_start = xcalloc(ncells + 1, sizeof *ix->cell_start);
  for (size_t i = 0, m = 0; i < ix->nsals; i++) {
    const struct dir_sal *s = &ix->sals[i];
    if (!s->located)
      continue;
    int32_t r = (int32_t)floor((s->lat / DIR_COORD_SCALE + 90) / cell) - row0;
    int32_t c = (int32_t)floor((s->lon / DIR_COORD_SCALE + 180) / cell) - col0;
    r = r < 0 ? 0 : r >= nrows ? nrows - 1 : r;
    c = c < 0 ? 0 : c >= ncols ? ncols - 1 : c;
    key[m] = (uint32_t)r * (uint32_t)ncols + (uint32_t)c;
    ix->cell_start[key[m] + 1]++;
    m++;
  }
  for (size_t k = 0; k < ncells; k++)
    ix->cell_start[k + 1] += ix->cell_start[k];
  uint32_t *fill = xmalloc((ncells ? ncells : 1) * sizeof *fill);
  memcpy(fill, ix->cell_start, ncells * sizeof *fill);
  ix->grid = xmalloc((n ? n : 1) * sizeof *ix->grid);
  /* Places go in by number within each cell, so the order is fixed. */
  for (size_t i = 0, m = 0; i < ix->nsals; i++) {
    const struct dir_sal *s = &ix->sals[i];
    if (!s->located)
      continue;
    struct dir_grid_point *g = &ix->grid[fill[key[m++]]++];
    double lat = s->lat / DIR_COORD_SCALE * (M_PI / 180.0);
    double lon = s->lon / DIR_COORD_SCALE * (M_PI / 180.0);
    g->x = cos(lat) * cos(lon);
    g->y = cos(lat) * sin(lon);
    g->z = sin(lat);
    g->sal = (uint32_t)i;
    g->service = s->service;
  }
  free(fill);
  free(key);
  free(ix->gq);
  ix->gq = xmalloc((n ? n : 1) * sizeof *ix->gq);
  for (size_t i = 0; i < n; i++)
    ix->gq[i] = (struct dir_grid_q){(int32_t)lround(ix->grid[i].x * DIR_GQ_SCALE),
                                    (int32_t)lround(ix->grid[i].y * DIR_GQ_SCALE),
                                    (int32_t)lround(ix->grid[i].z * DIR_GQ_SCALE)};
  ix->ngrid = n;
  ix->cell = cell;
  ix->row0 = row0;
  ix->col0 = col0;
  ix->nrows = nrows;
  ix->ncols = ncols;
  ix->edge_cos = xmalloc(((size_t)nrows + 1) * sizeof(double));
  ix->edge_sin_half = xmalloc(((size_t)nrows + 1) * sizeof(double));
  ix->edge_cos_half = xmalloc(((size_t)nrows + 1) * sizeof(double));
  for (int32_t e = 0; e <= nrows; e++) {
    double lat = ((row0 + e) * cell - 90) * (M_PI / 180.0);
    ix->edge_cos[e] = cos(lat);
    ix->edge_sin_half[e] = sin(lat / 2);
    ix->edge_cos_half[e] = cos(lat / 2);
  }
  ix->one_place_per_service = true;
  for (size_t s = 0; s < ix->nsvcs && ix->one_place_per_service; s++) {
    unsigned located = 0;
    for (uint32_t k = 0; k < ix->svcs[s].sal_count; k++)
      located += ix->sals[ix->svcs[s].sal_first + k].located;
    ix->one_place_per_service = located <= 1;
  }
}

/* Place one location's hot parts: its fields, its location, and, the first
 * time its service comes up, the service's fields, written as the one run of
 * JSON a list answer sends for it:
 *   <inner>,"location":<loc_list>,"service":{<service inner>
 * The service's inner blob then points inside that run. */
static void pool_hot_sal(struct directory_builder *b, uint32_t i, uint8_t *svc_placed)
{
  struct directory_index *ix = b->ix;
  struct dir_sal *d = &ix->sals[i];
  struct dir_service *s = &ix->svcs[d->service];
  d->inner = hot_to_pool(b, d->inner);
  if (d->loc_list.len) {
    static const char loc[] = ",\"location\":";
    pool_raw(b, loc, sizeof loc - 1);
    d->loc_list = hot_to_pool(b, d->loc_list);
  }
  if (!d->loc_full.len)
    d->loc_full = d->loc_list;
  if (!svc_placed[d->service]) {
    static const char svc[] = ",\"service\":{";
    pool_raw(b, svc, sizeof svc - 1);
    s->inner = hot_to_pool(b, s->inner);
    svc_placed[d->service] = 1;
    d->run = (uint32_t)(ix->pool_len - d->inner.off);
    if (s->org != DIRECTORY_NONE) {
      d->org_off = ix->orgs[s->org].list.off;
      d->org_len = ix->orgs[s->org].list.len;
    }
  }
  pool_add(b, "", 0); /* a NUL to end the run */
}

/* Write the hot parts to the pool, the located places in grid order: the
 * places near one another, which one search answers with, then lie together
 * in memory, each answer one stretch of bytes instead of parts scattered
 * over the whole index. */
static void pool_hot(struct directory_builder *b)
{
  struct directory_index *ix = b->ix;
  uint8_t *svc_placed = xcalloc(ix->nsvcs ? ix->nsvcs : 1, 1);
  for (size_t g = 0; g < ix->ngrid; g++)
    pool_hot_sal(b, ix->grid[g].sal, svc_placed);
  for (size_t i = 0; i < ix->nsals; i++)
    if (!ix->sals[i].located)
      pool_hot_sal(b, (uint32_t)i, svc_placed);
  for (size_t s = 0; s < ix->nsvcs; s++)
    if (!svc_placed[s]) {
      ix->svcs[s].inner = hot_to_pool(b, ix->svcs[s].inner);
      pool_add(b, "", 0);
    }
  free(svc_placed);
  free(b->hot);
  b->hot = NULL;
  b->hot_len = b->hot_cap = 0;
}

struct directory_index *directory_builder_finish(struct directory_builder *b)
{
  struct directory_index *ix = b->ix;
  uint32_t *rank;

  /* A broader term known only as some term's parent_id still groups its
   * narrower terms: give it an unlisted record. */
  for (size_t i = 0, n = ix->nterms; i < n; i++) {
    uint32_t pid = ix->terms[i].parent_id;
    if (pid != DIR_NOSTR && strlen(ix->pool + pid) <= ID_MAX) {
      char id[ID_MAX + 1];
      snprintf(id, sizeof id, "%s", ix->pool + pid);
      term_put(b, id, NULL);
    }
  }

  /* Services by name. */
  uint32_t *order = order_by(ix, ix->nsvcs, cmp_svc_name, &rank);
  PERMUTE(ix->svcs, ix->nsvcs, order);
  for (size_t i = 0; i < ix->nsals; i++)
    ix->sals[i].service = rank[ix->sals[i].service];
  finish_words(b, rank);
  free(order);
  free(rank);

  /* Organisations by name, each with its services in name order. */
  order = order_by(ix, ix->norgs, cmp_org_name, &rank);
  PERMUTE(ix->orgs, ix->norgs, order);
  for (size_t i = 0; i < ix->nsvcs; i++)
    if (ix->svcs[i].org != DIRECTORY_NONE)
      ix->svcs[i].org = rank[ix->svcs[i].org];
  free(order);
  free(rank);
  for (size_t i = 0; i < ix->nsvcs; i++)
    if (ix->svcs[i].org != DIRECTORY_NONE)
      ix->orgs[ix->svcs[i].org].svc_count++;
  uint32_t at = 0;
  for (size_t o = 0; o < ix->norgs; o++) {
    ix->orgs[o].svc_first = at;
    at += ix->orgs[o].svc_count;
    ix->orgs[o].svc_count = 0;
  }
  ix->org_services = xmalloc((at ? at : 1) * sizeof *ix->org_services);
  for (size_t i = 0; i < ix->nsvcs; i++) {
    struct dir_org *g = ix->svcs[i].org == DIRECTORY_NONE ? NULL : &ix->orgs[ix->svcs[i].org];
    if (g)
      ix->org_services[g->svc_first + g->svc_count++] = (uint32_t)i;
  }

  /* Taxonomies by name; terms by vocabulary and name. */
  order = order_by(ix, ix->ntaxes, cmp_tax_name, &rank);
  PERMUTE(ix->taxes, ix->ntaxes, order);
  for (size_t i = 0; i < ix->nterms; i++)
    if (ix->terms[i].taxonomy != DIRECTORY_NONE)
      ix->terms[i].taxonomy = rank[ix->terms[i].taxonomy];
  free(order);
  free(rank);
  order = order_by(ix, ix->nterms, cmp_term, &rank);
  PERMUTE(ix->terms, ix->nterms, order);
  for (size_t i = 0; i < ix->nterms_of; i++)
    ix->terms_of[i] = rank[ix->terms_of[i]];
  free(order);
  free(rank);
  for (size_t i = 0; i < ix->nterms_of; i++)
    ix->terms[ix->terms_of[i]].services++;

  /* Lookup tables, then term parents (which need them). */
  ix->svc_by_id = ids_sorted(ix, ix->nsvcs, dir_id_svc);
  ix->sal_by_id = ids_sorted(ix, ix->nsals, dir_id_sal);
  ix->org_by_id = ids_sorted(ix, ix->norgs, dir_id_org);
  ix->tax_by_id = ids_sorted(ix, ix->ntaxes, dir_id_tax);
  ix->term_by_id = ids_sorted(ix, ix->nterms, dir_id_term);
  for (size_t i = 0; i < ix->nterms; i++)
    if (ix->terms[i].parent_id != DIR_NOSTR) {
      uint32_t p = dir_find_sorted(ix, ix->term_by_id, ix->nterms, dir_id_term,
                                   ix->pool + ix->terms[i].parent_id);
      ix->terms[i].parent = p == i ? DIRECTORY_NONE : p;
    }

  finish_grid(ix);
  pool_hot(b);
  finish_postcodes(ix);
  if (ix->pool_len)
    ix->pool = xrealloc(ix->pool, ix->pool_len);
  /* Searches read these at random: huge pages spare a page-table walk on
   * nearly every read. */
  mem_hugepages(ix->pool, ix->pool_len);
  mem_hugepages(ix->svcs, ix->nsvcs * sizeof *ix->svcs);
  mem_hugepages(ix->sals, ix->nsals * sizeof *ix->sals);
  mem_hugepages(ix->grid, ix->ngrid * sizeof *ix->grid);
  mem_hugepages(ix->gq, ix->ngrid * sizeof *ix->gq);
  mem_hugepages(ix->cell_start,
                ((size_t)ix->nrows * (size_t)ix->ncols + 1) * sizeof *ix->cell_start);
  mem_hugepages(ix->postcodes, ix->npostcodes * sizeof *ix->postcodes);
  b->ix = NULL;
  directory_builder_free(b);
  return ix;
}
