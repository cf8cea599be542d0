/* directory_bench.c: in-process timings of the directory index, linked with
 * build/libfirstdays.a by bench/directory.sh.
 *
 *   directory_bench DIR [QUERIES] [URLS_OUT]
 *
 * Builds the index from DIR/services.ndjson and DIR/postcodes.csv, then times
 * QUERIES postcode searches (service_at_location unit, 10 km, first page of
 * 10) from live postcodes picked at random, alone and with the JSON of the
 * page written out. The baseline, measured in the same run on the same
 * queries, is the obvious way without an index: the haversine distance to
 * every located place, then the nearest ten. Prints percentiles, the ratios,
 * and the index size; with URLS_OUT also writes the query postcodes for the
 * HTTP benchmark (one per line, URL-encoded). */
#include "directory/files.h"
#include "directory/index.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RADIUS_M 10000.0
#define PAGE 10

static double now_us(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
  size_t i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
  return v[i < n ? i : n - 1];
}

static long rss_kb(void)
{
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  while (f && fgets(line, sizeof line, f))
    if (strncmp(line, "VmRSS:", 6) == 0)
      kb = atol(line + 6);
  if (f)
    fclose(f);
  return kb;
}

/* xorshift64*: the same queries on every run. */
static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next_rand(void)
{
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return rng * 2685821657736338717ull;
}

struct near {
  double d;
  uint32_t sal;
};

static int cmp_near(const void *a, const void *b)
{
  const struct near *x = a, *y = b;
  return x->d < y->d ? -1 : x->d > y->d;
}

/* The benchmarked query: places within 10 km of a point, first page of 10. */
static struct directory_query near_query(double lat, double lon)
{
  struct directory_query q;
  memset(&q, 0, sizeof q);
  q.unit = DIRECTORY_UNIT_SERVICE_AT_LOCATION;
  q.has_origin = true;
  q.lat = lat;
  q.lon = lon;
  q.proximity_m = RADIUS_M;
  q.page = 1;
  q.per_page = PAGE;
  return q;
}

static void report(const char *label, double *v, size_t n)
{
  qsort(v, n, sizeof *v, cmp_double);
  double sum = 0;
  for (size_t i = 0; i < n; i++)
    sum += v[i];
  printf("%-40s p50 %8.1f us  p90 %8.1f us  p99 %8.1f us  max %8.1f us  mean %8.1f us\n", label,
         pct(v, n, 50), pct(v, n, 90), pct(v, n, 99), v[n - 1], sum / (double)n);
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    fprintf(stderr, "usage: directory_bench DIR [QUERIES] [URLS_OUT]\n");
    return 2;
  }
  size_t nq = argc > 2 ? (size_t)atol(argv[2]) : 20000;
  if (nq < 100)
    nq = 100;
  long rss0 = rss_kb();
  double t0 = now_us();
  struct directory_builder *b = directory_builder_new();
  struct directory_load_report rep;
  memset(&rep, 0, sizeof rep);
  char err[512];
  if (!directory_load_dir(b, argv[1], &rep, err, sizeof err)) {
    fprintf(stderr, "directory_bench: %s\n", err);
    directory_builder_free(b);
    return 1;
  }
  struct directory_index *ix = directory_builder_finish(b);
  double build_s = (now_us() - t0) / 1e6;
  struct directory_stats st;
  directory_index_stats(ix, &st);
  printf("index: %zu services (%zu skipped), %zu places (%zu located), %zu postcodes, %zu words\n",
         st.services, rep.services_skipped, st.service_at_locations, st.located, st.postcodes,
         st.words);
  printf("index: built in %.1f s, %.1f MB held, process RSS %.1f MB (+%.1f MB for the index)\n",
         build_s, (double)st.bytes / 1048576.0, (double)rss_kb() / 1024.0,
         (double)(rss_kb() - rss0) / 1024.0);
  printf("index: JSON held plain %.1f MB; deflated %.1f MB holding %.1f MB\n",
         (double)st.json_plain / 1048576.0, (double)st.json_packed / 1048576.0,
         (double)st.json_unpacked / 1048576.0);
  size_t npc = directory_postcode_count(ix);
  if (!npc || !st.located) {
    fprintf(stderr, "directory_bench: no postcodes or no located services in %s\n", argv[1]);
    return 1;
  }

  /* Origins: random live postcodes. */
  double *lat = malloc(nq * sizeof *lat), *lon = malloc(nq * sizeof *lon);
  char(*pcs)[9] = malloc(nq * sizeof *pcs);
  for (size_t i = 0; i < nq; i++)
    directory_postcode_nth(ix, next_rand() % npc, pcs[i], &lat[i], &lon[i]);
  if (argc > 3) {
    FILE *f = fopen(argv[3], "w");
    for (size_t i = 0; f && i < nq && i < 1000; i++) {
      char *sp = strchr(pcs[i], ' ');
      fprintf(f, "%.*s%%20%s\n", (int)(sp - pcs[i]), pcs[i], sp + 1);
    }
    if (f)
      fclose(f);
  }

  double *t_search = malloc(nq * sizeof(double)), *t_json = malloc(nq * sizeof(double)),
         *t_base = malloc(nq * sizeof(double));
  size_t hits_total = 0, empty = 0, bytes_total = 0;
  struct arena a;
  arena_init(&a);
  struct buf out = BUF_INIT;
  for (size_t i = 0; i < nq; i++) {
    struct directory_query q = near_query(lat[i], lon[i]);
    struct directory_result r;
    double s = now_us();
    directory_search(ix, &q, &a, &r);
    double m = now_us();
    out.len = 0;
    directory_prefetch_hits(ix, r.hits, r.nhits);
    for (size_t k = 0; k < r.nhits; k++)
      directory_write_sal(ix, r.hits[k].sal, DIRECTORY_FORM_LIST, r.hits[k].distance_m, &out);
    double e = now_us();
    t_search[i] = m - s;
    t_json[i] = e - s;
    hits_total += r.total;
    empty += r.total == 0;
    bytes_total += out.len;
    arena_free(&a);
    arena_init(&a);
  }
  buf_free(&out);

  /* Baseline: no index, every located place measured. */
  size_t nsal = directory_sal_count(ix);
  struct near *nv = malloc(nsal * sizeof *nv);
  double *slat = malloc(nsal * sizeof *slat), *slon = malloc(nsal * sizeof *slon);
  uint32_t *sidx = malloc(nsal * sizeof *sidx);
  size_t nloc = 0;
  for (uint32_t k = 0; k < nsal; k++)
    if (directory_sal_point(ix, k, &slat[nloc], &slon[nloc]))
      sidx[nloc++] = k;
  size_t nbase = nq < 2000 ? nq : 2000; /* the scan is slow; 2,000 samples are plenty */
  size_t base_hits = 0;
  for (size_t i = 0; i < nbase; i++) {
    double s = now_us();
    size_t n = 0;
    for (size_t k = 0; k < nloc; k++) {
      double d = directory_distance_m(lat[i], lon[i], slat[k], slon[k]);
      if (d <= RADIUS_M)
        nv[n++] = (struct near){d, sidx[k]};
    }
    qsort(nv, n, sizeof *nv, cmp_near);
    t_base[i] = now_us() - s;
    base_hits += n;
  }
  size_t grid_hits = 0;
  for (size_t i = 0; i < nbase; i++) {
    struct directory_query q = near_query(lat[i], lon[i]);
    struct directory_result r;
    directory_search(ix, &q, &a, &r);
    grid_hits += r.total;
    arena_free(&a);
    arena_init(&a);
  }
  arena_free(&a);

  printf("queries: %zu postcode searches, 10 km, first page of %d; %.1f places within 10 km on "
         "average, %zu with none; %.0f bytes of JSON per page\n",
         nq, PAGE, (double)hits_total / (double)nq, empty, (double)bytes_total / (double)nq);
  report("search (directory_search)", t_search, nq);
  double p99_search = pct(t_search, nq, 99);
  report("search and JSON of the page", t_json, nq);
  report("baseline: scan every place (haversine)", t_base, nbase);
  double p99_base = pct(t_base, nbase, 99);
  printf("check: the scan and the index found the same places: %s (%zu and %zu)\n",
         base_hits == grid_hits ? "yes" : "NO", base_hits, grid_hits);
  printf("ratio: search p99 / scan p99 = %.4f (the index is %.0f times faster)\n",
         p99_search / p99_base, p99_base / p99_search);
  printf("ratio: search p99 / 1 ms budget = %.3f  %s\n", p99_search / 1000.0,
         p99_search < 1000.0 ? "PASS" : "FAIL");
  directory_index_unref(ix);
  free(lat);
  free(lon);
  free(pcs);
  free(t_search);
  free(t_json);
  free(t_base);
  free(nv);
  free(slat);
  free(slon);
  free(sidx);
  return p99_search < 1000.0 && base_hits == grid_hits ? 0 : 1;
}
