/* index.c: the directory index's lifetime, lookups and JSON writers. The
 * writers only concatenate parts serialised by jansson when the index was
 * built (and inflate the deflated ones); the numbers they add (distance) are
 * printed with a fixed format. */
#include "index_internal.h"
#include "postcode.h"
#include "../lib/util.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct directory_index *directory_index_empty(void)
{
  struct directory_index *ix = xcalloc(1, sizeof *ix);
  atomic_init(&ix->refs, 1);
  ix->cell = DIR_GRID_DEG;
  ix->nrows = ix->ncols = 1;
  ix->cell_start = xcalloc(2, sizeof *ix->cell_start);
  return ix;
}

void directory_index_ref(struct directory_index *ix)
{
  atomic_fetch_add_explicit(&ix->refs, 1, memory_order_relaxed);
}

void directory_index_unref(struct directory_index *ix)
{
  if (!ix || atomic_fetch_sub_explicit(&ix->refs, 1, memory_order_acq_rel) != 1)
    return;
  free(ix->pool);
  free(ix->dict);
  free(ix->svcs);
  free(ix->sals);
  free(ix->orgs);
  free(ix->taxes);
  free(ix->terms);
  free(ix->terms_of);
  free(ix->scheds);
  free(ix->org_services);
  free(ix->svc_by_id);
  free(ix->sal_by_id);
  free(ix->org_by_id);
  free(ix->tax_by_id);
  free(ix->term_by_id);
  free(ix->cell_start);
  free(ix->edge_cos);
  free(ix->edge_sin_half);
  free(ix->edge_cos_half);
  free(ix->grid);
  free(ix->gq);
  free(ix->postcodes);
  free(ix->pc_tree);
  free(ix->words);
  free(ix->word_first);
  free(ix->postings);
  free(ix);
}

void directory_index_stats(const struct directory_index *ix, struct directory_stats *out)
{
  memset(out, 0, sizeof *out);
  out->services = ix->nsvcs;
  out->service_at_locations = ix->nsals;
  out->located = ix->ngrid;
  out->organizations = ix->norgs;
  out->taxonomies = ix->ntaxes;
  out->terms = ix->nterms;
  out->postcodes = ix->npostcodes;
  out->words = ix->nwords;
  out->json_plain = ix->json_plain;
  out->json_packed = ix->json_packed;
  out->json_unpacked = ix->json_unpacked;
  out->bytes = ix->pool_len + ix->dict_len + ix->nsvcs * (sizeof *ix->svcs + 4) +
               ix->nsals * (sizeof *ix->sals + 4) + ix->norgs * (sizeof *ix->orgs + 4) +
               ix->nterms * (sizeof *ix->terms + 4) + ix->nterms_of * 4 +
               ix->nscheds * sizeof *ix->scheds + ix->ngrid * (sizeof *ix->grid + sizeof *ix->gq) +
               ((size_t)ix->nrows * ix->ncols + 1) * 4 + ix->npostcodes * sizeof *ix->postcodes +
               ix->pc_tree_len * sizeof *ix->pc_tree + ix->nwords * 8 +
               (ix->nwords ? ix->word_first[ix->nwords] * 4 : 0);
}

/* --- Words --- */

void dir_words(const char *text, size_t max, void (*fn)(void *cls, const char *w, size_t n),
               void *cls)
{
  char w[DIR_WORD_MAX];
  size_t n = 0;
  for (size_t i = 0;; i++) {
    unsigned char c = i < max ? (unsigned char)text[i] : 0;
    if (c >= 'A' && c <= 'Z')
      c = (unsigned char)(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
      if (n < sizeof w)
        w[n++] = (char)c;
      continue;
    }
    if (c == '\'' && n) /* "mum's" is one word */
      continue;
    if (n) {
      /* Never cut a UTF-8 sequence in two. */
      while (n == sizeof w && ((unsigned char)w[n - 1] & 0xc0) == 0x80)
        n--;
      if (n && (unsigned char)w[n - 1] >= 0xc0)
        n--;
      if (n)
        fn(cls, w, n);
      n = 0;
    }
    if (!c)
      break;
  }
}

/* --- Blobs --- */

void dir_blob_write(const struct directory_index *ix, const struct dir_blob *b, struct buf *out)
{
  if (!b->len)
    return;
  if (!b->raw) {
    buf_append(out, ix->pool + b->off, b->len);
    return;
  }
  z_stream z;
  memset(&z, 0, sizeof z);
  if (inflateInit2(&z, -15) != Z_OK)
    fatal("directory: zlib inflateInit2 failed");
  if (inflateSetDictionary(&z, ix->dict, (uInt)ix->dict_len) != Z_OK)
    fatal("directory: zlib inflateSetDictionary failed");
  buf_reserve(out, b->raw);
  z.next_in = (Bytef *)ix->pool + b->off;
  z.avail_in = b->len;
  z.next_out = (Bytef *)out->data + out->len;
  z.avail_out = b->raw;
  int rc = inflate(&z, Z_FINISH);
  if (rc != Z_STREAM_END || z.total_out != b->raw)
    fatal("directory: a deflated part of the index is damaged");
  out->len += b->raw;
  out->data[out->len] = '\0';
  inflateEnd(&z);
}

/* --- Lookups --- */

uint32_t dir_id_svc(const struct directory_index *ix, uint32_t i)
{
  return ix->svcs[i].id;
}
uint32_t dir_id_sal(const struct directory_index *ix, uint32_t i)
{
  return ix->sals[i].id;
}
uint32_t dir_id_org(const struct directory_index *ix, uint32_t i)
{
  return ix->orgs[i].id;
}
uint32_t dir_id_tax(const struct directory_index *ix, uint32_t i)
{
  return ix->taxes[i].id;
}
uint32_t dir_id_term(const struct directory_index *ix, uint32_t i)
{
  return ix->terms[i].id;
}

uint32_t dir_find_sorted(const struct directory_index *ix, const uint32_t *by_id, size_t n,
                         uint32_t (*id_of)(const struct directory_index *, uint32_t),
                         const char *id)
{
  size_t lo = 0, hi = n;
  if (!id)
    return DIRECTORY_NONE;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(ix->pool + id_of(ix, by_id[mid]), id);
    if (c == 0)
      return by_id[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return DIRECTORY_NONE;
}

size_t directory_service_count(const struct directory_index *ix)
{
  return ix->nsvcs;
}

size_t directory_sal_count(const struct directory_index *ix)
{
  return ix->nsals;
}

uint32_t directory_service_find(const struct directory_index *ix, const char *id)
{
  return dir_find_sorted(ix, ix->svc_by_id, ix->nsvcs, dir_id_svc, id);
}

uint32_t directory_sal_find(const struct directory_index *ix, const char *id)
{
  return dir_find_sorted(ix, ix->sal_by_id, ix->nsals, dir_id_sal, id);
}

const char *directory_service_id(const struct directory_index *ix, uint32_t s)
{
  return ix->pool + ix->svcs[s].id;
}

const char *directory_service_name(const struct directory_index *ix, uint32_t s)
{
  return ix->pool + ix->svcs[s].name;
}

const char *directory_service_last_modified(const struct directory_index *ix, uint32_t s)
{
  return dir_str(ix, ix->svcs[s].last_modified);
}

uint32_t directory_sal_service(const struct directory_index *ix, uint32_t sal)
{
  return ix->sals[sal].service;
}

bool directory_sal_point(const struct directory_index *ix, uint32_t sal, double *lat, double *lon)
{
  const struct dir_sal *s = &ix->sals[sal];
  if (!s->located)
    return false;
  *lat = s->lat / DIR_COORD_SCALE;
  *lon = s->lon / DIR_COORD_SCALE;
  return true;
}

size_t directory_service_sals(const struct directory_index *ix, uint32_t s, uint32_t *first)
{
  *first = ix->svcs[s].sal_first;
  return ix->svcs[s].sal_count;
}

bool directory_postcode_find(const struct directory_index *ix, const char *norm, double *lat,
                             double *lon)
{
  uint32_t key;
  if (!postcode_pack(norm, &key))
    return false;
  /* Down the tree: in each node, the last key at most key leads to the node
   * below; at level 0 it gives the run of postcodes to read. */
  size_t node = 0;
  for (int l = ix->pc_levels - 1; l >= 0; l--) {
    const uint32_t *k = ix->pc_tree + ix->pc_level[l] + node * DIR_PC_FAN;
    unsigned n = 0;
    for (int i = 0; i < DIR_PC_FAN; i++)
      n += k[i] <= key;
    if (!n)
      return false; /* before the first postcode */
    node = node * DIR_PC_FAN + n - 1;
  }
  if (!ix->pc_levels)
    return false;
  size_t first = node * DIR_PC_STEP;
  size_t end = first + DIR_PC_STEP < ix->npostcodes ? first + DIR_PC_STEP : ix->npostcodes;
  for (size_t i = first; i < end; i++)
    if (ix->postcodes[i].key == key) {
      *lat = ix->postcodes[i].lat / DIR_COORD_SCALE;
      *lon = ix->postcodes[i].lon / DIR_COORD_SCALE;
      return true;
    }
  return false;
}

size_t directory_postcode_count(const struct directory_index *ix)
{
  return ix->npostcodes;
}

bool directory_postcode_nth(const struct directory_index *ix, size_t i, char out[9], double *lat,
                            double *lon)
{
  if (i >= ix->npostcodes || !postcode_unpack(ix->postcodes[i].key, out))
    return false;
  *lat = ix->postcodes[i].lat / DIR_COORD_SCALE;
  *lon = ix->postcodes[i].lon / DIR_COORD_SCALE;
  return true;
}

/* --- Writers --- */

/* ,"distance":N with N the whole metres. Written by hand: printf's
 * floating-point path costs more than the rest of a search response. */
static void put_distance(struct buf *out, double distance_m)
{
  if (!(distance_m >= 0) || distance_m > 1e15)
    return;
  buf_puts(out, ",\"distance\":");
  buf_put_uint(out, (unsigned long long)llround(distance_m));
}

/* Members of a service (no braces): one-to-one fields, the organisation, and
 * for FULL the nested fields. */
static void service_members(const struct directory_index *ix, const struct dir_service *s,
                            enum directory_form f, struct buf *out)
{
  dir_blob_write(ix, &s->inner, out);
  if (s->org != DIRECTORY_NONE) {
    const struct dir_org *g = &ix->orgs[s->org];
    const struct dir_blob *ob = f == DIRECTORY_FORM_FULL ? &g->full : &g->list;
    if (ob->len) {
      buf_puts(out, ",\"organization\":");
      dir_blob_write(ix, ob, out);
    }
  }
  if (f == DIRECTORY_FORM_FULL && s->nested.len) {
    buf_putc(out, ',');
    dir_blob_write(ix, &s->nested, out);
  }
}

void directory_write_service(const struct directory_index *ix, uint32_t s, enum directory_form f,
                             double distance_m, struct buf *out)
{
  const struct dir_service *d = &ix->svcs[s];
  buf_putc(out, '{');
  service_members(ix, d, f, out);
  if (f == DIRECTORY_FORM_FULL && d->sal_count) {
    buf_puts(out, ",\"service_at_locations\":[");
    for (uint32_t i = 0; i < d->sal_count; i++) {
      const struct dir_sal *sal = &ix->sals[d->sal_first + i];
      buf_puts(out, i ? ",{" : "{");
      dir_blob_write(ix, &sal->inner, out);
      if (sal->loc_full.len) {
        buf_puts(out, ",\"location\":");
        dir_blob_write(ix, &sal->loc_full, out);
      }
      if (sal->nested.len) {
        buf_putc(out, ',');
        dir_blob_write(ix, &sal->nested, out);
      }
      buf_putc(out, '}');
    }
    buf_putc(out, ']');
  }
  put_distance(out, distance_m);
  buf_putc(out, '}');
}

static void prefetch_blob(const struct directory_index *ix, const struct dir_blob *b)
{
  for (uint32_t o = 0; o < b->len; o += 64)
    __builtin_prefetch(ix->pool + b->off + o);
}

void directory_prefetch_hits(const struct directory_index *ix, const struct directory_hit *hits,
                             size_t n)
{
  /* In waves, each asking for what the one before found: the records, then
   * the JSON they point to, then (for a place without a run) the
   * organisations' JSON. */
  for (size_t i = 0; i < n; i++) {
    if (hits[i].sal != DIRECTORY_NONE)
      __builtin_prefetch(&ix->sals[hits[i].sal]);
    else
      __builtin_prefetch(&ix->svcs[hits[i].service]);
  }
  bool all_runs = true;
  for (size_t i = 0; i < n; i++) {
    const struct dir_sal *d = hits[i].sal != DIRECTORY_NONE ? &ix->sals[hits[i].sal] : NULL;
    if (d && d->run) {
      prefetch_blob(ix, &(struct dir_blob){d->inner.off, d->run, 0});
      prefetch_blob(ix, &(struct dir_blob){d->org_off, d->org_len, 0});
      continue;
    }
    all_runs = false;
    prefetch_blob(ix, &ix->svcs[hits[i].service].inner);
    if (d) {
      prefetch_blob(ix, &d->inner);
      prefetch_blob(ix, &d->loc_list);
    }
  }
  for (size_t i = 0; i < n && !all_runs; i++) {
    if (hits[i].sal != DIRECTORY_NONE && ix->sals[hits[i].sal].run)
      continue;
    uint32_t org = ix->svcs[hits[i].service].org;
    if (org != DIRECTORY_NONE)
      prefetch_blob(ix, &ix->orgs[org].list);
  }
}

void directory_write_sal(const struct directory_index *ix, uint32_t sal, enum directory_form f,
                         double distance_m, struct buf *out)
{
  const struct dir_sal *d = &ix->sals[sal];
  buf_putc(out, '{');
  if (f == DIRECTORY_FORM_LIST && d->run) {
    /* The place, its location and its service's fields lie in one run. */
    buf_append(out, ix->pool + d->inner.off, d->run);
    if (d->org_len) {
      buf_puts(out, ",\"organization\":");
      buf_append(out, ix->pool + d->org_off, d->org_len);
    }
    buf_putc(out, '}');
    put_distance(out, distance_m);
    buf_putc(out, '}');
    return;
  }
  const struct dir_blob *loc = f == DIRECTORY_FORM_FULL ? &d->loc_full : &d->loc_list;
  dir_blob_write(ix, &d->inner, out);
  if (loc->len) {
    buf_puts(out, ",\"location\":");
    dir_blob_write(ix, loc, out);
  }
  if (f == DIRECTORY_FORM_FULL && d->nested.len) {
    buf_putc(out, ',');
    dir_blob_write(ix, &d->nested, out);
  }
  buf_puts(out, ",\"service\":{");
  service_members(ix, &ix->svcs[d->service], f, out);
  buf_putc(out, '}');
  put_distance(out, distance_m);
  buf_putc(out, '}');
}

/* Parse what a writer produced. */
static json_t *parse_written(struct buf *b)
{
  json_t *j = json_loadb(b->data ? b->data : "", b->len, 0, NULL);
  buf_free(b);
  if (!j)
    fatal("directory: the index holds JSON that does not parse");
  return j;
}

json_t *directory_service_json(const struct directory_index *ix, uint32_t s)
{
  struct buf b = BUF_INIT;
  directory_write_service(ix, s, DIRECTORY_FORM_FULL, -1, &b);
  return parse_written(&b);
}

json_t *directory_sal_location_json(const struct directory_index *ix, uint32_t sal)
{
  const struct dir_sal *d = &ix->sals[sal];
  if (!d->loc_full.len)
    return json_object();
  struct buf b = BUF_INIT;
  dir_blob_write(ix, &d->loc_full, &b);
  return parse_written(&b);
}

/* --- Organisations, taxonomies, terms --- */

size_t directory_org_count(const struct directory_index *ix)
{
  return ix->norgs;
}

uint32_t directory_org_find(const struct directory_index *ix, const char *id)
{
  uint32_t o = dir_find_sorted(ix, ix->org_by_id, ix->norgs, dir_id_org, id);
  /* An organisation known only by the id its services give is not listed. */
  return o != DIRECTORY_NONE && ix->orgs[o].list.len ? o : DIRECTORY_NONE;
}

const char *directory_org_name(const struct directory_index *ix, uint32_t o)
{
  return dir_str(ix, ix->orgs[o].name);
}

size_t directory_org_services(const struct directory_index *ix, uint32_t o,
                              const uint32_t **services)
{
  *services = ix->org_services + ix->orgs[o].svc_first;
  return ix->orgs[o].svc_count;
}

/* Write a blob that is a JSON object, minus its closing brace. */
static void write_open(const struct directory_index *ix, const struct dir_blob *b, struct buf *out)
{
  dir_blob_write(ix, b, out);
  if (out->len && out->data[out->len - 1] == '}')
    out->data[--out->len] = '\0';
}

void directory_write_org(const struct directory_index *ix, uint32_t o, enum directory_form f,
                         bool full_services, struct buf *out)
{
  const struct dir_org *g = &ix->orgs[o];
  if (f == DIRECTORY_FORM_LIST || !g->svc_count) {
    dir_blob_write(ix, f == DIRECTORY_FORM_LIST ? &g->list : &g->full, out);
    return;
  }
  write_open(ix, &g->full, out);
  buf_puts(out, ",\"services\":[");
  for (uint32_t i = 0; i < g->svc_count; i++) {
    if (i)
      buf_putc(out, ',');
    directory_write_service(ix, ix->org_services[g->svc_first + i],
                            full_services ? DIRECTORY_FORM_FULL : DIRECTORY_FORM_LIST, -1, out);
  }
  buf_puts(out, "]}");
}

size_t directory_taxonomy_count(const struct directory_index *ix)
{
  return ix->ntaxes;
}

uint32_t directory_taxonomy_find(const struct directory_index *ix, const char *id)
{
  return dir_find_sorted(ix, ix->tax_by_id, ix->ntaxes, dir_id_tax, id);
}

const char *directory_taxonomy_name(const struct directory_index *ix, uint32_t t)
{
  return dir_str(ix, ix->taxes[t].name);
}

void directory_write_taxonomy(const struct directory_index *ix, uint32_t t, bool with_terms,
                              struct buf *out)
{
  if (!with_terms) {
    dir_blob_write(ix, &ix->taxes[t].json, out);
    return;
  }
  write_open(ix, &ix->taxes[t].json, out);
  bool first = true;
  for (size_t i = 0; i < ix->nterms; i++) {
    if (ix->terms[i].taxonomy != t || !ix->terms[i].json.len)
      continue;
    buf_puts(out, first ? ",\"taxonomy_terms\":[" : ",");
    dir_blob_write(ix, &ix->terms[i].json, out);
    first = false;
  }
  buf_puts(out, first ? "}" : "]}");
}

size_t directory_term_count(const struct directory_index *ix)
{
  return ix->nterms;
}

uint32_t directory_term_find(const struct directory_index *ix, const char *id)
{
  return dir_find_sorted(ix, ix->term_by_id, ix->nterms, dir_id_term, id);
}

void directory_write_term(const struct directory_index *ix, uint32_t t, struct buf *out)
{
  dir_blob_write(ix, &ix->terms[t].json, out);
}

void directory_term_info(const struct directory_index *ix, uint32_t t,
                         struct directory_term_info *out)
{
  const struct dir_term *d = &ix->terms[t];
  out->id = dir_str(ix, d->id);
  out->name = dir_str(ix, d->name);
  out->code = dir_str(ix, d->code);
  out->vocabulary = dir_str(ix, d->vocab);
  out->description = dir_str(ix, d->description);
  out->taxonomy = d->taxonomy;
  out->parent = d->parent;
  out->services = d->services;
  out->listed = d->json.len != 0;
  out->kind = (enum directory_kind)d->kind;
}
