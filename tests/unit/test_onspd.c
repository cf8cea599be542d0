/* test_onspd.c: the streaming ONSPD/NSPL postcode CSV reader: header lookup by
 * name, quoted fields, skipped rows (terminated, no location, Northern
 * Ireland, unreadable), postcode normalisation, and the same result whatever
 * the chunk size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "directory/onspd.h"
#include <stdio.h>
#include <string.h>

struct got {
  struct store_postcode pcs[64];
  size_t n;
  size_t stop_after; /* 0: never stop */
};

static bool take(void *cls, const struct store_postcode *pc)
{
  struct got *g = cls;
  if (g->n < 64)
    g->pcs[g->n++] = *pc;
  return !g->stop_after || g->n < g->stop_after;
}

/* Feed text in chunks of chunk bytes (0: all at once) and finish. */
static enum onspd_status run(const char *text, size_t chunk, bool allow_bt, struct got *g,
                             struct onspd_stats *stats, char *err, size_t errlen)
{
  struct onspd *p = onspd_new(take, g, allow_bt);
  size_t len = strlen(text), off = 0;
  enum onspd_status st = ONSPD_OK;
  while (st == ONSPD_OK && off < len) {
    size_t n = chunk && chunk < len - off ? chunk : len - off;
    st = onspd_feed(p, text + off, n);
    off += n;
  }
  if (st == ONSPD_OK)
    st = onspd_finish(p);
  if (stats)
    *stats = *onspd_stats(p);
  if (err)
    snprintf(err, errlen, "%s", onspd_error(p));
  onspd_free(p);
  return st;
}

/* An ONSPD-shaped extract: the real column order (abridged), one row of each kind. */
static const char
    onspd_csv[] =
        "\xEF\xBB\xBF\"pcd\",\"pcd2\",\"pcds\",\"dointr\",\"doterm\",\"oscty\",\"oslaua\","
        "\"osgrdind\","
        "\"ctry\",\"lat\",\"long\",\"icb\"\r\n"
        "\"AB1 0AA\",\"AB1  0AA\",\"AB1 "
        "0AA\",\"198001\",\"199606\",\"S99999999\",\"S12000033\",\"1\","
        "\"S92000003\",57.101474,-2.242851,\"S99999999\"\r\n" /* terminated */
        "\"AB101AA\",\"AB10 1AA\",\"AB10 1AA\",\"199606\",\"\",\"S99999999\",\"S12000033\",\"1\","
        "\"S92000003\",57.149606,-2.096916,\"S99999999\"\r\n" /* kept */
        "\"GY1 1AA\",\"GY1  1AA\",\"GY1 1AA\",\"199606\",\"\",\"\",\"\",\"9\",\"L93000001\","
        "99.999999,0.000000,\"\"\r\n" /* osgrdind 9 */
        "\"JE2 3AB\",\"JE2  3AB\",\"JE2 3AB\",\"199606\",\"\",\"\",\"\",\"1\",\"L93000001\","
        "99.999999,0.000000,\"\"\r\n" /* lat sentinel */
        "\"BT1 1AA\",\"BT1  1AA\",\"BT1 1AA\",\"199606\",\"\",\"N99999999\",\"N09000003\",\"1\","
        "\"N92000002\",54.598723,-5.930126,\"\"\r\n" /* Northern Ireland */
        "\"sw1a1aa\",\"SW1A 1AA\",\" sw1a1aa \",\"198001\",\"\",\"E99999999\",\"E09000033\",\"1\","
        "\"E92000001\",51.501009,-0.141588,\"E54000027\"\r\n" /* normalised */
        "\"ZZ\",\"ZZ\",\"NOT A "
        "PC\",\"198001\",\"\",\"\",\"\",\"1\",\"E92000001\",51.5,-0.1,\"\"\r\n" /* unreadable */
        "\"EC1A1BB\",\"EC1A 1BB\",\"EC1A 1BB\",\"198001\",\"\",\"E99999999\",\"E09000001\",\"1\","
        "\"E92000001\",51.520249,-0.097562,\"E54000027\""; /* last row, no line break */

static void check_onspd_result(enum onspd_status st, const struct got *g,
                               const struct onspd_stats *s)
{
  assert_int_equal(st, ONSPD_OK);
  assert_int_equal(s->rows, 8);
  assert_int_equal(s->kept, 3);
  assert_int_equal(s->terminated, 1);
  assert_int_equal(s->no_location, 2);
  assert_int_equal(s->excluded, 1);
  assert_int_equal(s->unreadable, 1);
  assert_int_equal(s->first_unreadable_line, 8);
  assert_int_equal(g->n, 3);
  assert_string_equal(g->pcs[0].pc, "AB10 1AA");
  assert_true(g->pcs[0].lat > 57.1496 && g->pcs[0].lat < 57.1497);
  assert_true(g->pcs[0].lon < -2.0969 && g->pcs[0].lon > -2.0970);
  assert_string_equal(g->pcs[1].pc, "SW1A 1AA");
  assert_string_equal(g->pcs[2].pc, "EC1A 1BB");
}

static void test_onspd_rows(void **state)
{
  (void)state;
  struct got g = {.n = 0};
  struct onspd_stats s;
  check_onspd_result(run(onspd_csv, 0, false, &g, &s, NULL, 0), &g, &s);
}

static void test_any_chunk_size(void **state)
{
  (void)state;
  size_t sizes[] = {1, 2, 3, 7, 64};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    struct got g = {.n = 0};
    struct onspd_stats s;
    check_onspd_result(run(onspd_csv, sizes[i], false, &g, &s, NULL, 0), &g, &s);
  }
}

static void test_northern_ireland_when_allowed(void **state)
{
  (void)state;
  struct got g = {.n = 0};
  struct onspd_stats s;
  assert_int_equal(run(onspd_csv, 0, true, &g, &s, NULL, 0), ONSPD_OK);
  assert_int_equal(s.kept, 4);
  assert_int_equal(s.excluded, 0);
  assert_string_equal(g.pcs[1].pc, "BT1 1AA");
}

static void test_quoted_fields(void **state)
{
  (void)state;
  /* Commas, doubled quotes and a line break inside quoted fields; the
   * columns in another order (NSPL-like, with laua); LF line ends. */
  const char *csv = "long,name,pcds,lat,laua,doterm\n"
                    "-1.5,\"Smith, \"\"The\"\" Mill\",\"M1 1AE\",53.48,E08000003,\n"
                    "-1.9,\"two\nlines\",B33 8TH,52.47,E08000025,\"\"\n"
                    "-0.1,x,\"CR2 6XH\",51.33,E09000008,\n";
  struct got g = {.n = 0};
  struct onspd_stats s;
  assert_int_equal(run(csv, 0, false, &g, &s, NULL, 0), ONSPD_OK);
  assert_int_equal(s.rows, 3);
  assert_int_equal(g.n, 3);
  assert_string_equal(g.pcs[0].pc, "M1 1AE");
  assert_string_equal(g.pcs[1].pc, "B33 8TH");
  assert_true(g.pcs[1].lat > 52.46 && g.pcs[1].lat < 52.48);
  assert_string_equal(g.pcs[2].pc, "CR2 6XH");
}

static void test_blank_lines_and_postcode_shapes(void **state)
{
  (void)state;
  const char *csv = "pcds,lat,long\n"
                    "\n"
                    "w1a0ax,51.5,-0.14\n"
                    "DN551PT,53.5,-1.1\n"
                    "GIR 0AA,51.5,-0.1\n"
                    "SW1A 1AAA,51.5,-0.1\n" /* too long */
                    "1A1 1AA,51.5,-0.1\n"   /* outward starts with a digit */
                    "AB1 AAA,51.5,-0.1\n"   /* inward has no digit */
                    "E1 6AN,abc,-0.1\n"     /* latitude not a number */
                    "E1 6AN,,\n";           /* no location */
  struct got g = {.n = 0};
  struct onspd_stats s;
  assert_int_equal(run(csv, 0, false, &g, &s, NULL, 0), ONSPD_OK);
  assert_int_equal(g.n, 3);
  assert_string_equal(g.pcs[0].pc, "W1A 0AX");
  assert_string_equal(g.pcs[1].pc, "DN55 1PT");
  assert_string_equal(g.pcs[2].pc, "GIR 0AA");
  assert_int_equal(s.unreadable, 4);
  assert_int_equal(s.first_unreadable_line, 6);
  assert_int_equal(s.no_location, 1);
}

static void test_missing_headers(void **state)
{
  (void)state;
  char err[512];
  struct got g = {.n = 0};
  assert_int_equal(
      run("pcds,latitude_x,long\nAB10 1AA,57.1,-2.1\n", 0, false, &g, NULL, err, sizeof err),
      ONSPD_BAD_HEADER);
  assert_non_null(strstr(err, "line 1: no lat column"));
  assert_non_null(strstr(err, "pcds, lat and long"));
  assert_non_null(strstr(err, "(this one has: pcds, latitude_x, long)"));
  assert_int_equal(g.n, 0);
  assert_int_equal(run("Postcode Ref,Lat,Long\n", 0, false, &g, NULL, err, sizeof err),
                   ONSPD_BAD_HEADER);
  assert_non_null(strstr(err, "no pcds column"));
  assert_int_equal(run("", 0, false, &g, NULL, err, sizeof err), ONSPD_BAD_HEADER);
  assert_non_null(strstr(err, "the file is empty"));
}

static void test_bad_csv(void **state)
{
  (void)state;
  char err[512];
  struct got g = {.n = 0};
  assert_int_equal(
      run("pcds,lat,long\n\"AB10 1AA,57.1,-2.1\n", 0, false, &g, NULL, err, sizeof err),
      ONSPD_BAD_CSV);
  assert_non_null(strstr(err, "line 2: a quoted field is not closed"));
  char big[3000] = "pcds,lat,long\nAB10 1AA,57.1,";
  memset(big + strlen(big), '1', 1500);
  assert_int_equal(run(big, 0, false, &g, NULL, err, sizeof err), ONSPD_BAD_CSV);
  assert_non_null(strstr(err, "line 2: a field is longer than"));
}

static void test_stop(void **state)
{
  (void)state;
  struct got g = {.n = 0, .stop_after = 2};
  assert_int_equal(run(onspd_csv, 5, false, &g, NULL, NULL, 0), ONSPD_STOPPED);
  assert_int_equal(g.n, 2);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_onspd_rows),
      cmocka_unit_test(test_any_chunk_size),
      cmocka_unit_test(test_northern_ireland_when_allowed),
      cmocka_unit_test(test_quoted_fields),
      cmocka_unit_test(test_blank_lines_and_postcode_shapes),
      cmocka_unit_test(test_missing_headers),
      cmocka_unit_test(test_bad_csv),
      cmocka_unit_test(test_stop),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
