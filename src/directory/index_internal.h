/* index_internal.h: the layout of the directory index, shared by build.c
 * (which fills it), search.c and index.c (which read it). Not for other modules.
 *
 * All strings and serialised JSON live in one byte pool addressed by 32-bit
 * offsets. JSON parts are "blobs": raw bytes, or raw deflate with a preset
 * dictionary sampled from the first services when that saves space. Parts read
 * by list and search responses are never deflated. */
#ifndef FD_DIRECTORY_INDEX_INTERNAL_H
#define FD_DIRECTORY_INDEX_INTERNAL_H
#include "index.h"
#include <stdatomic.h>

#define DIR_NOSTR UINT32_MAX
#define DIR_GRID_DEG 0.01          /* grid cell size in degrees, about 1.1 km north-south */
#define DIR_GRID_MAX_CELLS 4000000 /* cells are made larger until the table fits */
#define DIR_COORD_SCALE 1e7        /* coordinates are held in 1e-7 degrees (about 1 cm) */
#define DIR_PC_STEP 16             /* postcodes per key of level 0 of the postcode tree */
#define DIR_PC_FAN 16              /* keys per node of the postcode tree: one cache line */
#define DIR_PC_LEVELS_MAX 8

struct dir_blob {
  uint32_t off, len; /* bytes in the pool */
  uint32_t raw;      /* 0: plain; otherwise deflated and raw is the inflated length */
};

enum dir_status { DIR_ACTIVE, DIR_INACTIVE, DIR_DEFUNCT, DIR_CLOSED_FOR_NOW, DIR_STATUS_OTHER };

struct dir_sched {
  uint8_t days;        /* bit 0 Monday .. bit 6 Sunday */
  int16_t open, close; /* minutes after midnight, -1 unknown */
};

struct dir_service {
  uint32_t id, name;      /* pool strings */
  uint32_t last_modified; /* pool string as given, or DIR_NOSTR */
  uint32_t org;           /* organisation number or DIRECTORY_NONE */
  struct dir_blob inner;  /* one-to-one fields, without the braces */
  struct dir_blob nested; /* other nested fields, without the braces (may be deflated) */
  uint32_t sal_first, sal_count;
  uint32_t term_first, term_count; /* into terms_of */
  uint32_t sched_first, sched_count;
  float min_age, max_age;
  int64_t modified;
  uint8_t status;
  uint8_t has_min_age : 1, has_max_age : 1, has_modified : 1, has_stage : 1, located : 1;
};

struct dir_sal {
  uint32_t id; /* pool string */
  uint32_t service;
  int32_t lat, lon; /* 1e-7 degrees */
  uint8_t located;
  struct dir_blob inner;    /* "id", "service_id", "location_id" and other one-to-one fields */
  struct dir_blob nested;   /* other nested fields of the service_at_location */
  struct dir_blob loc_list; /* location, one-to-one fields only */
  struct dir_blob loc_full; /* location, fully nested */
  /* When not 0: the list form of this place, without its braces, the
   * organisation and the distance, is this many bytes of the pool from
   * inner.off: inner, location and the service's inner in one run. */
  uint32_t run;
  /* With a run: where its service's organisation's list JSON lies in the
   * pool (len 0: none), so writing it needs no visit to the organisation's
   * record. */
  uint32_t org_off, org_len;
};

struct dir_org {
  uint32_t id, name;
  struct dir_blob list, full;    /* len 0 for an organisation known only by id */
  uint32_t svc_first, svc_count; /* into org_services */
};

struct dir_taxonomy {
  uint32_t id, name;
  uint8_t stub;         /* known only from its terms; a full description replaces it */
  struct dir_blob json; /* without taxonomy_terms */
};

struct dir_term {
  uint32_t id, name, code, vocab, description, parent_id; /* pool strings or DIR_NOSTR */
  uint32_t taxonomy, parent;                              /* numbers or DIRECTORY_NONE */
  uint8_t kind;                                           /* enum directory_kind */
  struct dir_blob json;                                   /* len 0: known only by id */
  uint32_t services;
};

/* A located place as a point on the unit sphere. The squared chord between
 * two such points, divided by 4, is exactly the haversine term
 * a = sin^2(theta / 2), with no trigonometry at search time. */
struct dir_grid_point {
  double x, y, z;
  uint32_t sal, service;
};

struct dir_grid_q {
  int32_t x, y, z;
};
#define DIR_GQ_SCALE 1073741824.0 /* 2^30: each coordinate within 2^-31 of grid's */

struct dir_postcode {
  uint32_t key; /* postcode_pack() */
  int32_t lat, lon;
};

struct directory_index {
  atomic_size_t refs;
  char *pool;
  size_t pool_len;
  unsigned char *dict; /* preset deflate dictionary */
  size_t dict_len;
  size_t json_plain, json_packed, json_unpacked; /* for directory_index_stats */

  struct dir_service *svcs;
  size_t nsvcs;
  struct dir_sal *sals;
  size_t nsals;
  struct dir_org *orgs;
  size_t norgs;
  struct dir_taxonomy *taxes;
  size_t ntaxes;
  struct dir_term *terms;
  size_t nterms;
  uint32_t *terms_of; /* per service, term numbers */
  size_t nterms_of;
  struct dir_sched *scheds;
  size_t nscheds;
  uint32_t *org_services;

  /* Lookup by id: numbers sorted by the id string. */
  uint32_t *svc_by_id, *sal_by_id, *org_by_id, *tax_by_id, *term_by_id;
  size_t norg_by_id, nterm_by_id;

  /* Radius search: located service_at_locations sorted by grid cell (row
   * major), with what the distance needs beside them so a scan reads memory
   * in order. The grid covers the places' bounding box: cell (r, c) spans
   * latitudes from (row0 + r) * cell - 90 and longitudes from
   * (col0 + c) * cell - 180; its points are grid[cell_start[k]] up to
   * grid[cell_start[k + 1]] with k = r * ncols + c. */
  struct dir_grid_point *grid;
  /* The same points as whole numbers, DIR_GQ_SCALE per unit, a third the
   * size of grid: counting reads only these, and goes back to grid for a
   * point too near the circle's edge to decide this way. */
  struct dir_grid_q *gq;
  size_t ngrid;
  double cell;
  int32_t row0, col0, nrows, ncols;
  uint32_t *cell_start;
  /* For each row edge e (latitude (row0 + e) * cell - 90, e = 0 .. nrows):
   * its cosine, and the sine and cosine of half of it, for the circle's
   * width at that latitude without trigonometry per search. */
  double *edge_cos, *edge_sin_half, *edge_cos_half;
  bool one_place_per_service; /* no service has two located places */

  struct dir_postcode *postcodes;
  size_t npostcodes;
  /* A static search tree over the postcodes. Level 0 holds every
   * DIR_PC_STEP-th key; each level above holds the first key of every node
   * (DIR_PC_FAN keys, one cache line) of the level below, up to a level of
   * one node. Levels are padded to whole nodes with UINT32_MAX. A lookup
   * reads one line per level, the upper ones staying in cache, then one
   * short run of postcodes. */
  uint32_t *pc_tree; /* every level, the top one first; 64-byte aligned */
  size_t pc_tree_len;
  size_t pc_level[DIR_PC_LEVELS_MAX]; /* where level i starts in pc_tree */
  int pc_levels;

  /* Words: sorted strings, and for each the services using it (CSR). */
  uint32_t *words;
  size_t nwords;
  uint32_t *word_first; /* nwords + 1 entries */
  uint32_t *postings;
};

static inline const char *dir_str(const struct directory_index *ix, uint32_t off)
{
  return off == DIR_NOSTR ? NULL : ix->pool + off;
}

/* Id getters and binary search over a by-id table. */
uint32_t dir_id_svc(const struct directory_index *ix, uint32_t i);
uint32_t dir_id_sal(const struct directory_index *ix, uint32_t i);
uint32_t dir_id_org(const struct directory_index *ix, uint32_t i);
uint32_t dir_id_tax(const struct directory_index *ix, uint32_t i);
uint32_t dir_id_term(const struct directory_index *ix, uint32_t i);
uint32_t dir_find_sorted(const struct directory_index *ix, const uint32_t *by_id, size_t n,
                         uint32_t (*id_of)(const struct directory_index *, uint32_t),
                         const char *id);

/* Append blob b of ix to out, inflating it if needed. */
void dir_blob_write(const struct directory_index *ix, const struct dir_blob *b, struct buf *out);
/* Split text into lower-case words; call fn for each (word not NUL-terminated). */
void dir_words(const char *text, size_t max, void (*fn)(void *cls, const char *w, size_t n),
               void *cls);
#define DIR_WORD_MAX 32

#endif
