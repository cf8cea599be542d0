/* search.c: directory_search(). Filters combine with AND. A radius search
 * reads only the grid cells that cover the bounding box of the circle, checks
 * each candidate against the box, then computes the exact haversine distance.
 * Other searches walk the services in name order and keep only the requested
 * page, so a listing costs one pass and no sorting. */
#include "index_internal.h"
#include "../lib/util.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEG_TO_RAD (M_PI / 180.0)
#define METRES_PER_DEGREE (DIRECTORY_EARTH_RADIUS_M * DEG_TO_RAD)
#define MAX_PARENT_DEPTH 32
#define MAX_QUERY_WORDS 8

/* asin(sqrt(a)) for 0 <= a <= 1. Below sqrt(a) = 0.05 (a distance or a
 * circle's half-width up to 637 km), by the series
 * x + x^3/6 + 3x^5/40 + 5x^7/112: every term left out is positive and
 * together they are below 1e-13 radians (under a micrometre on the ground,
 * far inside the 1e-9 degree margins of the circle's columns), so the result
 * is never more than that below the true value. It costs a few
 * multiplications instead of a call to asin. */
static inline double asin_sqrt(double a)
{
  double x = sqrt(a);
  if (x >= 0.05)
    return asin(x);
  return x * (1 + a * (1.0 / 6 + a * (3.0 / 40 + a * (5.0 / 112))));
}

double directory_distance_m(double lat1, double lon1, double lat2, double lon2)
{
  double p1 = lat1 * DEG_TO_RAD, p2 = lat2 * DEG_TO_RAD;
  double dp = (lat2 - lat1) * DEG_TO_RAD, dl = (lon2 - lon1) * DEG_TO_RAD;
  double sp = sin(dp / 2), sl = sin(dl / 2);
  double a = sp * sp + cos(p1) * cos(p2) * sl * sl;
  if (a > 1)
    a = 1;
  return 2 * DIRECTORY_EARTH_RADIUS_M * asin_sqrt(a);
}

/* Filters turned into sets once per query. */
struct resolved {
  bool nothing;                            /* some filter can match nothing */
  uint8_t *need, *term, *stage, *referral; /* per term: 1 if it satisfies the filter */
  uint32_t tax, org;                       /* DIRECTORY_NONE: not filtered */
  uint64_t *text;                          /* per service bit, or NULL */
  bool sched;
};

/* Terms whose id is value, or whose code is value (within kind unless kind is
 * DIRECTORY_KIND_OTHER and any is true), and every narrower term. NULL if none. */
static uint8_t *term_set(const struct directory_index *ix, const char *value, int kind, bool any,
                         struct arena *a)
{
  uint8_t *set = arena_alloc(a, ix->nterms ? ix->nterms : 1);
  bool found = false;
  for (size_t i = 0; i < ix->nterms; i++) {
    const struct dir_term *t = &ix->terms[i];
    if (!any && t->kind != kind)
      continue;
    if (strcmp(ix->pool + t->id, value) == 0 ||
        (t->code != DIR_NOSTR && strcmp(ix->pool + t->code, value) == 0)) {
      set[i] = 1;
      found = true;
    }
  }
  if (!found)
    return NULL;
  for (size_t i = 0; i < ix->nterms; i++) {
    uint32_t p = ix->terms[i].parent;
    for (int depth = 0; p != DIRECTORY_NONE && depth < MAX_PARENT_DEPTH && !set[i]; depth++) {
      if (set[p])
        set[i] = 1;
      p = ix->terms[p].parent;
    }
  }
  return set;
}

static bool is_stop_word(const char *w, size_t n)
{
  static const char *const stop[] = {"a",  "an", "and",  "the", "for", "of", "to", "in",   "on",
                                     "at", "or", "with", "my",  "me",  "i",  "is", "near", "by"};
  for (size_t i = 0; i < ARRAY_LEN(stop); i++)
    if (strlen(stop[i]) == n && memcmp(stop[i], w, n) == 0)
      return true;
  return false;
}

struct text_ctx {
  const struct directory_index *ix;
  struct arena *a;
  uint64_t *result;
  size_t nwords_used;
  bool nothing;
};

/* OR the postings of every indexed word starting with w into a bitmap, then
 * AND that into the result. */
static void text_word(void *cls, const char *w, size_t n)
{
  struct text_ctx *c = cls;
  const struct directory_index *ix = c->ix;
  if (is_stop_word(w, n) || c->nwords_used >= MAX_QUERY_WORDS || c->nothing)
    return;
  size_t nb = (ix->nsvcs + 63) / 64;
  uint64_t *bits = arena_alloc(c->a, (nb ? nb : 1) * sizeof *bits);
  size_t lo = 0, hi = ix->nwords;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strncmp(ix->pool + ix->words[mid], w, n) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  bool any = false;
  for (size_t i = lo; i < ix->nwords && strncmp(ix->pool + ix->words[i], w, n) == 0; i++) {
    for (uint32_t p = ix->word_first[i]; p < ix->word_first[i + 1]; p++) {
      uint32_t s = ix->postings[p];
      bits[s / 64] |= (uint64_t)1 << (s % 64);
    }
    any = true;
  }
  if (!any) {
    c->nothing = true;
    return;
  }
  if (!c->result) {
    c->result = bits;
  } else {
    for (size_t i = 0; i < nb; i++)
      c->result[i] &= bits[i];
  }
  c->nwords_used++;
}

static void resolve(const struct directory_index *ix, const struct directory_query *q,
                    struct arena *a, struct resolved *r)
{
  memset(r, 0, sizeof *r);
  r->tax = r->org = DIRECTORY_NONE;
  if (q->need && !(r->need = term_set(ix, q->need, DIRECTORY_KIND_NEED, false, a)))
    r->nothing = true;
  if (q->taxonomy_term &&
      !(r->term = term_set(ix, q->taxonomy_term, DIRECTORY_KIND_OTHER, true, a)))
    r->nothing = true;
  if (q->stage && !(r->stage = term_set(ix, q->stage, DIRECTORY_KIND_STAGE, false, a)))
    r->nothing = true;
  if (q->referral && !(r->referral = term_set(ix, q->referral, DIRECTORY_KIND_REFERRAL, false, a)))
    r->nothing = true;
  if (q->taxonomy_id && (r->tax = dir_find_sorted(ix, ix->tax_by_id, ix->ntaxes, dir_id_tax,
                                                  q->taxonomy_id)) == DIRECTORY_NONE)
    r->nothing = true;
  if (q->organization_id && (r->org = dir_find_sorted(ix, ix->org_by_id, ix->norgs, dir_id_org,
                                                      q->organization_id)) == DIRECTORY_NONE)
    r->nothing = true;
  if (q->text && !r->nothing) {
    struct text_ctx c = {ix, a, NULL, 0, false};
    dir_words(q->text, strnlen(q->text, DIRECTORY_MAX_TEXT), text_word, &c);
    if (c.nothing)
      r->nothing = true;
    r->text = c.result;
  }
  r->sched = q->day_mask || q->has_start || q->has_end;
}

static bool schedule_ok(const struct directory_index *ix, const struct dir_service *s,
                        const struct directory_query *q)
{
  for (uint32_t i = 0; i < s->sched_count; i++) {
    const struct dir_sched *x = &ix->scheds[s->sched_first + i];
    if (q->day_mask && !(x->days & q->day_mask))
      continue;
    if (q->has_start && (x->open < 0 || x->open < q->start_min))
      continue;
    if (q->has_end && (x->close < 0 || x->close > q->end_min))
      continue;
    return true;
  }
  return false;
}

static bool service_ok(const struct directory_index *ix, uint32_t si,
                       const struct directory_query *q, const struct resolved *r)
{
  const struct dir_service *s = &ix->svcs[si];
  if (q->active_only && s->status != DIR_ACTIVE)
    return false;
  if (r->org != DIRECTORY_NONE && s->org != r->org)
    return false;
  if (r->text && !(r->text[si / 64] >> (si % 64) & 1))
    return false;
  if (q->has_min_age && s->has_min_age && s->min_age > q->min_age)
    return false;
  if (q->has_max_age && s->has_max_age && s->max_age < q->max_age)
    return false;
  if (q->has_modified_after && (!s->has_modified || s->modified < q->modified_after))
    return false;
  if (r->sched && !schedule_ok(ix, s, q))
    return false;
  if (r->need || r->term || r->stage || r->referral || r->tax != DIRECTORY_NONE) {
    bool need = false, term = false, stage = false, referral = false, tax = false;
    for (uint32_t i = 0; i < s->term_count; i++) {
      uint32_t t = ix->terms_of[s->term_first + i];
      need |= r->need && r->need[t];
      term |= r->term && r->term[t];
      stage |= r->stage && r->stage[t];
      referral |= r->referral && r->referral[t];
      tax |= ix->terms[t].taxonomy == r->tax && r->tax != DIRECTORY_NONE;
    }
    if ((r->need && !need) || (r->term && !term) || (r->referral && !referral) ||
        (r->tax != DIRECTORY_NONE && !tax))
      return false;
    if (r->stage && s->has_stage && !stage)
      return false;
  }
  return true;
}

/* For the service unit, located is whether the service has any place with
 * coordinates; for the service_at_location unit, whether that place has. */
static bool located_ok(const struct directory_query *q, bool located)
{
  return q->located == DIRECTORY_LOCATED_ANY || (q->located == DIRECTORY_LOCATED_ONLY) == located;
}

/* Candidates while searching (malloc'd). key orders them: the haversine
 * term a (radius search) or metres (ordering by distance), INFINITY when the
 * distance is unknown. */
struct cand {
  double key;
  uint32_t service, sal;
};

struct cands {
  struct cand *v;
  size_t n, cap;
  bool in_arena; /* v is arena memory of a capacity known in advance */
  size_t keep;   /* when not 0: keep only the keep smallest, v is a max-heap of them */
};

static void heap_offer(struct cands *h, struct cand c);

static inline void cands_push(struct cands *h, double key, uint32_t s, uint32_t sal)
{
  if (h->keep) {
    /* Most candidates of a dense area are farther than the worst kept. */
    if (h->n == h->keep && key > h->v[0].key)
      return;
    heap_offer(h, (struct cand){key, s, sal});
    return;
  }
  if (h->n == h->cap) {
    if (h->in_arena)
      fatal("directory: more candidates than places in the box");
    h->cap = h->cap ? h->cap * 2 : 256;
    h->v = xrealloc(h->v, h->cap * sizeof *h->v);
  }
  h->v[h->n++] = (struct cand){key, s, sal};
}

static int cmp_cand(const void *a, const void *b)
{
  const struct cand *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  if (x->service != y->service)
    return x->service < y->service ? -1 : 1;
  return (x->sal > y->sal) - (x->sal < y->sal);
}

static void sift_down(struct cand *v, size_t n, size_t i)
{
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, big = i;
    if (l < n && cmp_cand(&v[l], &v[big]) > 0)
      big = l;
    if (r < n && cmp_cand(&v[r], &v[big]) > 0)
      big = r;
    if (big == i)
      return;
    struct cand t = v[i];
    v[i] = v[big];
    v[big] = t;
    i = big;
  }
}

/* Add c to the max-heap of the h->keep smallest candidates. */
static void heap_offer(struct cands *h, struct cand c)
{
  struct cand *v = h->v;
  if (h->n < h->keep) {
    size_t i = h->n++;
    while (i > 0 && cmp_cand(&c, &v[(i - 1) / 2]) > 0) {
      v[i] = v[(i - 1) / 2];
      i = (i - 1) / 2;
    }
    v[i] = c;
    return;
  }
  if (cmp_cand(&c, &v[0]) >= 0)
    return;
  v[0] = c;
  sift_down(v, h->n, 0);
}

/* Put the k smallest of v[0..n) first, in order: a heap of the k smallest
 * so far, then a sort of those k (all of v when k >= n). */
static void select_smallest(struct cand *v, size_t n, size_t k)
{
  if (n < 2)
    return;
  if (k >= n && n <= 32) { /* a page's worth: insertion sort beats qsort */
    for (size_t i = 1; i < n; i++) {
      struct cand t = v[i];
      size_t j = i;
      for (; j > 0 && cmp_cand(&t, &v[j - 1]) < 0; j--)
        v[j] = v[j - 1];
      v[j] = t;
    }
    return;
  }
  if (k >= n) {
    qsort(v, n, sizeof *v, cmp_cand);
    return;
  }
  for (size_t i = k / 2; i-- > 0;)
    sift_down(v, k, i);
  for (size_t i = k; i < n; i++)
    if (cmp_cand(&v[i], &v[0]) < 0) {
      struct cand t = v[0];
      v[0] = v[i];
      v[i] = t;
      sift_down(v, k, 0);
    }
  qsort(v, k, sizeof *v, cmp_cand);
}

/* One candidate per service, its nearest (smallest key): an open-addressing
 * table from service to position. */
static void dedup_services(struct cands *h, struct arena *a)
{
  size_t cap = 16;
  while (cap < 2 * h->n)
    cap *= 2;
  uint32_t *slot = arena_alloc(a, cap * sizeof *slot); /* position + 1; 0 empty */
  size_t m = 0;
  for (size_t i = 0; i < h->n; i++) {
    const struct cand *c = &h->v[i];
    size_t j = (c->service * 2654435761u) & (cap - 1);
    while (slot[j] && h->v[slot[j] - 1].service != c->service)
      j = (j + 1) & (cap - 1);
    if (!slot[j]) {
      h->v[m] = *c;
      slot[j] = (uint32_t)++m;
    } else if (cmp_cand(c, &h->v[slot[j] - 1]) < 0) {
      h->v[slot[j] - 1] = *c;
    }
  }
  h->n = m;
}

/* Window of the requested page: [*from, *to) of total. */
static void page_window(const struct directory_query *q, size_t total, size_t *from, size_t *to)
{
  size_t page = q->page ? q->page : 1;
  if (!q->per_page) {
    *from = 0;
    *to = total;
    return;
  }
  if (page - 1 > SIZE_MAX / q->per_page) {
    *from = *to = total;
    return;
  }
  *from = (page - 1) * q->per_page;
  if (*from > total)
    *from = total;
  *to = total - *from < q->per_page ? total : *from + q->per_page;
}

/* Order the candidates (one per service for the service unit) and copy the
 * page into the arena, turning keys into metres. */
static void finish_ordered(const struct directory_query *q, struct cands *h, bool key_is_a,
                           struct arena *a, struct directory_result *out)
{
  if (q->unit == DIRECTORY_UNIT_SERVICE && h->n)
    dedup_services(h, a);
  size_t from, to;
  page_window(q, h->n, &from, &to);
  select_smallest(h->v, h->n, to);
  out->total = h->n;
  out->nhits = to - from;
  out->hits = arena_alloc(a, (out->nhits ? out->nhits : 1) * sizeof *out->hits);
  for (size_t i = 0; i < out->nhits; i++) {
    const struct cand *c = &h->v[from + i];
    double d = c->key == INFINITY ? -1
               : key_is_a         ? 2 * DIRECTORY_EARTH_RADIUS_M * asin_sqrt(c->key)
                                  : c->key;
    out->hits[i] = (struct directory_hit){c->service, c->sal, d};
  }
  if (!h->in_arena)
    free(h->v);
}

/* True when some filter looks at the service itself (not only where it is). */
static bool filters_services(const struct directory_query *q, const struct resolved *r)
{
  return q->active_only || r->org != DIRECTORY_NONE || r->text || q->has_min_age ||
         q->has_max_age || q->has_modified_after || r->sched || r->need || r->term || r->stage ||
         r->referral || r->tax != DIRECTORY_NONE;
}

/* A circle on the grid: the origin as a unit vector, the haversine bound,
 * and the rows and columns of cells its bounding box touches. */
struct circle {
  double qlat, qlon, qx, qy, qz; /* degrees, and the unit vector */
  double qcos, qsin_half, qcos_half;
  double a_max;           /* inside when the haversine term a <= a_max */
  double gq_margin;       /* how far a computed from gq may be from a computed from grid */
  bool empty;             /* misses the grid */
  bool full_width;        /* the box spans every longitude (near a pole, or huge) */
  int32_t r0, r1, c0, c1; /* cell rows and columns, clamped to the grid */
  double per_deg;         /* cells per degree */
  double qcol;            /* the origin's longitude in columns of the grid */
};

static int32_t clamp32(double v, int32_t lo, int32_t hi)
{
  return v < lo ? lo : v > hi ? hi : (int32_t)v;
}

static void circle_init(const struct directory_index *ix, double lat, double lon, double radius,
                        struct circle *c)
{
  memset(c, 0, sizeof *c);
  c->qlat = lat;
  c->qlon = lon;
  double rlat = lat * DEG_TO_RAD, rlon = lon * DEG_TO_RAD;
  c->qx = cos(rlat) * cos(rlon);
  c->qy = cos(rlat) * sin(rlon);
  c->qz = sin(rlat);
  c->qcos = cos(rlat);
  c->qsin_half = sin(rlat / 2);
  c->qcos_half = cos(rlat / 2);
  double half = radius / (2 * DIRECTORY_EARTH_RADIUS_M);
  c->a_max = half >= M_PI / 2 ? 1 : sin(half) * sin(half);
  /* Each gq coordinate is within e = 2^-31 of grid's, so a point's a from gq
   * is within e * sqrt(3a) (plus rounding) of its a from grid: within this
   * margin of a_max, the point is decided from grid. */
  c->gq_margin = 4 * sqrt(3.0) * (0.5 / DIR_GQ_SCALE) * sqrt(c->a_max) + 1e-15;
  double dlat = radius / METRES_PER_DEGREE;
  double lat_lo = fmax(lat - dlat, -90), lat_hi = fmin(lat + dlat, 90);
  double far = fmax(fabs(lat_lo), fabs(lat_hi));
  double lon_lo = -180, lon_hi = 180;
  c->full_width = true;
  if (far < 89.5) {
    double dlon = dlat / cos(far * DEG_TO_RAD);
    if (lon - dlon >= -180 && lon + dlon <= 180) {
      lon_lo = lon - dlon;
      lon_hi = lon + dlon;
      c->full_width = false;
    }
  }
  double r0 = floor((lat_lo + 90) / ix->cell) - ix->row0;
  double r1 = floor((lat_hi + 90) / ix->cell) - ix->row0;
  double c0 = floor((lon_lo + 180) / ix->cell) - ix->col0;
  double c1 = floor((lon_hi + 180) / ix->cell) - ix->col0;
  c->per_deg = 1 / ix->cell;
  c->qcol = (lon + 180) * c->per_deg - ix->col0;
  c->empty = !ix->ngrid || r1 < 0 || r0 >= ix->nrows || c1 < 0 || c0 >= ix->ncols;
  c->r0 = clamp32(r0, 0, ix->nrows - 1);
  c->r1 = clamp32(r1, 0, ix->nrows - 1);
  c->c0 = clamp32(c0, 0, ix->ncols - 1);
  c->c1 = clamp32(c1, 0, ix->ncols - 1);
}

static inline double point_a(const struct circle *c, const struct dir_grid_point *g)
{
  double dx = g->x - c->qx, dy = g->y - c->qy, dz = g->z - c->qz;
  return (dx * dx + dy * dy + dz * dz) / 4;
}

/* sin((lat - qlat) / 2) for the latitude of row edge e, by the difference
 * formula from the tables. */
static double edge_sin_half_diff(const struct directory_index *ix, const struct circle *c,
                                 int32_t e)
{
  return ix->edge_sin_half[e] * c->qcos_half - ix->edge_cos_half[e] * c->qsin_half;
}

/* The width in degrees of longitude at which sin^2(dlon / 2) = s (0 <= s < 1). */
static double width_deg(double s)
{
  return asin_sqrt(s) * (360 / M_PI);
}

/* Points of row r, columns a..b, within the circle, counted from the small
 * whole-number copy of the grid. */
static size_t count_cells(const struct directory_index *ix, const struct circle *c, int32_t r,
                          int32_t a, int32_t b)
{
  size_t k = (size_t)r * (size_t)ix->ncols;
  size_t n = 0;
  double lo = c->a_max - c->gq_margin, hi = c->a_max + c->gq_margin;
  for (uint32_t i = ix->cell_start[k + (size_t)a]; i < ix->cell_start[k + (size_t)b + 1]; i++) {
    const struct dir_grid_q *g = &ix->gq[i];
    double dx = g->x * (1 / DIR_GQ_SCALE) - c->qx, dy = g->y * (1 / DIR_GQ_SCALE) - c->qy,
           dz = g->z * (1 / DIR_GQ_SCALE) - c->qz;
    double pa = (dx * dx + dy * dy + dz * dz) / 4;
    if (pa <= lo || (pa <= hi && point_a(c, &ix->grid[i]) <= c->a_max))
      n++;
  }
  return n;
}

/* Points of row r, columns a..b, within the circle: pushed to out (when out)
 * and counted, filtered by the service filters when check. */
static size_t scan_cells(const struct directory_index *ix, const struct circle *c, int32_t r,
                         int32_t a, int32_t b, const struct directory_query *q,
                         const struct resolved *res, bool check, struct cands *out)
{
  if (a > b)
    return 0;
  if (!out && !check)
    return count_cells(ix, c, r, a, b);
  size_t k = (size_t)r * (size_t)ix->ncols;
  size_t n = 0;
  for (uint32_t i = ix->cell_start[k + (size_t)a]; i < ix->cell_start[k + (size_t)b + 1]; i++) {
    const struct dir_grid_point *g = &ix->grid[i];
    double pa = point_a(c, g);
    if (pa > c->a_max || (check && !service_ok(ix, g->service, q, res)))
      continue;
    n++;
    if (out)
      cands_push(out, pa, g->service, g->sal);
  }
  return n;
}

/* Places within the circle. With count_only, cells wholly inside the circle
 * are counted from the cell table without reading their points (a cell whose
 * four corners are inside is inside); the others are read point by point.
 * Otherwise every place inside is pushed to out. */
static size_t scan_circle(const struct directory_index *ix, const struct circle *c,
                          const struct directory_query *q, const struct resolved *res, bool check,
                          bool count_only, struct cands *out)
{
  if (c->empty)
    return 0;
  /* The rows lie far apart in memory and each read would wait for the last.
   * So rows go in blocks: first the columns of each row are worked out and
   * its cell bounds asked for, then the first places of each stretch to
   * read are asked for, and only then is anything read. */
  enum { BLOCK = 32 };
  struct row_plan {
    int32_t r, o0, o1; /* columns that can hold places inside */
    int32_t i0, i1;    /* columns wholly inside, counted without reading; none if i0 > i1 */
  } plan[BLOCK];
  size_t total = 0;
  for (int32_t rb = c->r0; rb <= c->r1; rb += BLOCK) {
    int32_t re = c->r1 - rb >= BLOCK ? rb + BLOCK - 1 : c->r1;
    size_t np = 0;
    /* At each row edge of the block: a_max less the square of the sine of
     * half its latitude difference from the origin, and (when counting) the
     * bound that gives on sin^2(dlon / 2) for places at that latitude to be
     * inside, negative when the circle does not reach it. Each edge serves
     * the rows either side of it. */
    double reach[BLOCK + 1], bound[BLOCK + 1];
    bool inner = count_only && !c->full_width;
    for (int32_t e = rb; e <= re + 1; e++) {
      double sp = edge_sin_half_diff(ix, c, e);
      double den = ix->edge_cos[e] * c->qcos;
      reach[e - rb] = c->a_max - sp * sp;
      if (inner)
        bound[e - rb] = den <= 0 ? -1 : reach[e - rb] / den;
    }
    for (int32_t r = rb; r <= re; r++) {
      struct row_plan *p = &plan[np];
      int32_t j = r - rb;
      /* The columns that can hold a place inside: as wide as the circle is
       * anywhere within the row's latitudes (the smallest latitude
       * difference over the smallest cosine). Cutting the box's corners this
       * way spares reading places that cannot be inside. */
      p->o0 = c->c0;
      p->o1 = c->c1;
      if (!c->full_width) {
        double lat_lo = (ix->row0 + r) * ix->cell - 90, lat_hi = lat_lo + ix->cell;
        double n = c->qlat < lat_lo ? reach[j] : c->qlat > lat_hi ? reach[j + 1] : c->a_max;
        double den = fmin(ix->edge_cos[r], ix->edge_cos[r + 1]) * c->qcos;
        if (den > 0) {
          if (n < 0)
            continue; /* the circle misses the row */
          double sb = n / den;
          if (sb < 1) {
            double w = (width_deg(sb) + 1e-9) * c->per_deg;
            p->o0 = clamp32(floor(c->qcol - w), c->c0, c->c1);
            p->o1 = clamp32(floor(c->qcol + w), c->c0, c->c1);
          }
        }
      }
      p->r = r;
      p->i0 = 1;
      p->i1 = 0;
      if (inner) {
        /* Both edges of the row inside means the interior columns are
         * those whose edges are within the narrower of the two half-widths. */
        double sb = fmin(bound[j], bound[j + 1]);
        if (sb > 0) {
          double w = ((sb >= 1 ? 180 : width_deg(sb)) - 1e-9) * c->per_deg;
          p->i0 = clamp32(ceil(c->qcol - w), p->o0, p->o1 + 1);
          p->i1 = clamp32(floor(c->qcol + w) - 1, p->o0 - 1, p->o1);
        }
      }
      const uint32_t *row = ix->cell_start + (size_t)r * (size_t)ix->ncols;
      __builtin_prefetch(row + p->o0);
      __builtin_prefetch(row + p->o1 + 1);
      if (p->i0 <= p->i1) {
        __builtin_prefetch(row + p->i0);
        __builtin_prefetch(row + p->i1 + 1);
      }
      np++;
    }
    for (size_t i = 0; i < np; i++) {
      const struct row_plan *p = &plan[i];
      const uint32_t *row = ix->cell_start + (size_t)p->r * (size_t)ix->ncols;
      if (count_only && !check) {
        __builtin_prefetch(ix->gq + row[p->o0]);
        if (p->i0 <= p->i1)
          __builtin_prefetch(ix->gq + row[p->i1 + 1]);
      } else {
        __builtin_prefetch(ix->grid + row[p->o0]);
        if (p->i0 <= p->i1)
          __builtin_prefetch(ix->grid + row[p->i1 + 1]);
      }
    }
    for (size_t i = 0; i < np; i++) {
      const struct row_plan *p = &plan[i];
      if (p->i0 > p->i1) {
        total += scan_cells(ix, c, p->r, p->o0, p->o1, q, res, check, count_only ? NULL : out);
        continue;
      }
      const uint32_t *row = ix->cell_start + (size_t)p->r * (size_t)ix->ncols;
      total += row[p->i1 + 1] - row[p->i0];
      total += scan_cells(ix, c, p->r, p->o0, p->i0 - 1, q, res, check, NULL);
      total += scan_cells(ix, c, p->r, p->i1 + 1, p->o1, q, res, check, NULL);
    }
  }
  return total;
}

/* Places in the cells the circle's box touches: an upper bound on the hits. */
static size_t box_count(const struct directory_index *ix, const struct circle *c)
{
  size_t n = 0;
  if (c->empty)
    return 0;
  for (int32_t r = c->r0; r <= c->r1; r++) {
    size_t k = (size_t)r * (size_t)ix->ncols;
    n += ix->cell_start[k + (size_t)c->c1 + 1] - ix->cell_start[k + (size_t)c->c0];
  }
  return n;
}

static void search_radius(const struct directory_index *ix, const struct directory_query *q,
                          const struct resolved *r, struct arena *a, struct cands *h)
{
  struct circle c;
  circle_init(ix, q->lat, q->lon, q->proximity_m, &c);
  size_t bound = box_count(ix, &c);
  h->v = arena_alloc(a, (bound ? bound : 1) * sizeof *h->v);
  h->cap = bound;
  h->in_arena = true;
  scan_circle(ix, &c, q, r, filters_services(q, r), false, h);
}

/* The common search, a page of the places nearest a postcode with no other
 * filter, without reading most of them: the total is counted by cells, then
 * only a circle just large enough to hold the page is read. Returns false
 * when the query is not of that kind. */
static bool search_radius_page(const struct directory_index *ix, const struct directory_query *q,
                               const struct resolved *r, struct arena *a,
                               struct directory_result *out)
{
  if (filters_services(q, r) || !q->per_page ||
      (q->unit == DIRECTORY_UNIT_SERVICE && !ix->one_place_per_service))
    return false;
  struct circle c;
  circle_init(ix, q->lat, q->lon, q->proximity_m, &c);
  /* Counting by cells is quicker than reading the box even when it holds few
   * places (measured with bench/directory.sh: 12.3 against 15.9 us for the
   * search and its page at 100,000 services). */
  if (c.full_width)
    return false;
  size_t total = scan_circle(ix, &c, q, r, false, true, NULL);
  size_t from, to;
  page_window(q, total, &from, &to);
  /* Only the first `to` in order are needed: keep them in a heap while
   * reading, so a dense area costs a comparison per place. */
  struct cands h = {NULL, 0, to, true, to};
  h.v = arena_alloc(a, (to ? to : 1) * sizeof *h.v);
  if (to > from && to < total) {
    /* Read a circle that should hold a little more than `to` places, larger
     * until it does. Once it holds `to`, they are the nearest: every place
     * outside it is farther than every place inside. The first guess takes
     * the places as evenly spread over the whole circle; as they gather in
     * towns, the origin's own cell, when denser, gives a smaller one. */
    double radius = q->proximity_m;
    double rk = radius * fmin(1, 1.2 * sqrt((double)to / (double)total));
    int32_t row = (int32_t)floor((q->lat + 90) / ix->cell) - ix->row0;
    int32_t col = (int32_t)floor((q->lon + 180) / ix->cell) - ix->col0;
    if (row >= 0 && row < ix->nrows && col >= 0 && col < ix->ncols) {
      size_t k = (size_t)row * (size_t)ix->ncols + (size_t)col;
      double in_cell = ix->cell_start[k + 1] - ix->cell_start[k];
      double side = ix->cell * METRES_PER_DEGREE;
      double cell_m2 = side * side * cos(q->lat * DEG_TO_RAD);
      if (in_cell > 0 && cell_m2 > 0)
        rk = fmin(rk, fmax(side / 4, 1.2 * sqrt((double)to * cell_m2 / (M_PI * in_cell))));
    }
    for (;;) {
      circle_init(ix, q->lat, q->lon, rk, &c);
      h.n = 0;
      scan_circle(ix, &c, q, r, false, false, &h);
      if (h.n >= to || rk >= radius)
        break;
      rk = fmin(rk * 1.5, radius);
    }
  } else if (to > from) {
    scan_circle(ix, &c, q, r, false, false, &h);
  }
  finish_ordered(q, &h, true, a, out);
  out->total = total; /* finish_ordered counted only the smaller circle */
  return true;
}

/* Every matching hit with its distance from the origin (or none). */
static void search_all_by_distance(const struct directory_index *ix,
                                   const struct directory_query *q, const struct resolved *r,
                                   struct cands *h)
{
  for (uint32_t s = 0; s < ix->nsvcs; s++) {
    const struct dir_service *d = &ix->svcs[s];
    if (!located_ok(q, d->located) || !service_ok(ix, s, q, r))
      continue;
    bool any = false;
    for (uint32_t i = 0; i < d->sal_count; i++) {
      const struct dir_sal *sal = &ix->sals[d->sal_first + i];
      if (q->unit == DIRECTORY_UNIT_SERVICE_AT_LOCATION && !located_ok(q, sal->located))
        continue;
      double dist = sal->located ? directory_distance_m(q->lat, q->lon, sal->lat / DIR_COORD_SCALE,
                                                        sal->lon / DIR_COORD_SCALE)
                                 : INFINITY;
      cands_push(h, dist, s, d->sal_first + i);
      any = true;
    }
    if (q->unit == DIRECTORY_UNIT_SERVICE && !any)
      cands_push(h, INFINITY, s, DIRECTORY_NONE);
  }
}

/* Natural order: count every match and keep only the page. */
static void search_listing(const struct directory_index *ix, const struct directory_query *q,
                           const struct resolved *r, struct arena *a, struct directory_result *out)
{
  size_t from, to, total = 0;
  page_window(q, SIZE_MAX, &from, &to);
  struct cands h = {NULL, 0, 0, false, 0};
  for (uint32_t s = 0; s < ix->nsvcs; s++) {
    const struct dir_service *d = &ix->svcs[s];
    if (!service_ok(ix, s, q, r))
      continue;
    if (q->unit == DIRECTORY_UNIT_SERVICE) {
      if (!located_ok(q, d->located))
        continue;
      if (total >= from && total < to)
        cands_push(&h, 0, s, DIRECTORY_NONE);
      total++;
      continue;
    }
    for (uint32_t i = 0; i < d->sal_count; i++) {
      if (!located_ok(q, ix->sals[d->sal_first + i].located))
        continue;
      if (total >= from && total < to)
        cands_push(&h, 0, s, d->sal_first + i);
      total++;
    }
  }
  out->total = total;
  out->nhits = h.n;
  out->hits = arena_alloc(a, (h.n ? h.n : 1) * sizeof *out->hits);
  for (size_t i = 0; i < h.n; i++)
    out->hits[i] = (struct directory_hit){h.v[i].service, h.v[i].sal, -1};
  free(h.v);
}

void directory_search(const struct directory_index *ix, const struct directory_query *q,
                      struct arena *a, struct directory_result *out)
{
  struct resolved r;
  memset(out, 0, sizeof *out);
  resolve(ix, q, a, &r);
  if (r.nothing || (q->has_origin && q->proximity_m > 0 && q->located == DIRECTORY_LOCATED_NONE)) {
    out->hits = arena_alloc(a, sizeof *out->hits);
    return;
  }
  if (!q->has_origin) {
    search_listing(ix, q, &r, a, out);
    return;
  }
  if (q->proximity_m > 0 && search_radius_page(ix, q, &r, a, out))
    return;
  struct cands h = {NULL, 0, 0, false, 0};
  if (q->proximity_m > 0)
    search_radius(ix, q, &r, a, &h);
  else
    search_all_by_distance(ix, q, &r, &h);
  finish_ordered(q, &h, q->proximity_m > 0, a, out);
}
