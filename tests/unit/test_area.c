/* test_area.c: a postcode district or a town as a point to search around
 * (src/directory/area.c), on the fixture dataset in tests/fixtures/directory
 * and on a small index built here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "directory/area.h"
#include "directory/files.h"
#include "directory/index.h"

static void outward_codes_are_normalised(void **state)
{
  (void)state;
  char out[DIRECTORY_OUTWARD_MAX];
  assert_true(directory_outward_normalise("dm1", out));
  assert_string_equal(out, "DM1");
  assert_true(directory_outward_normalise("  sw1a ", out));
  assert_string_equal(out, "SW1A");
  assert_true(directory_outward_normalise("SE10", out));
  assert_true(directory_outward_normalise("W1A", out));
  assert_false(directory_outward_normalise("", out));
  assert_string_equal(out, "");
  assert_false(directory_outward_normalise("D", out));
  assert_false(directory_outward_normalise("DM1 1AB", out)); /* a whole postcode */
  assert_false(directory_outward_normalise("Demoford", out));
  assert_false(directory_outward_normalise("1DM", out));
  assert_false(directory_outward_normalise("QM1", out)); /* Q never starts a postcode */
  assert_false(directory_outward_normalise("DM1<", out));
}

/* Three postcodes in DM1, one in DM10 and one in DM2: DM1's centre is the
 * mean of its three, and DM10 (another shape of outward code) is apart. */
static void district_centre_is_the_mean_of_its_postcodes(void **state)
{
  (void)state;
  struct directory_builder *b = directory_builder_new();
  assert_true(directory_builder_add_postcode(b, "DM1 1AA", 54.0, -1.0));
  assert_true(directory_builder_add_postcode(b, "DM1 9ZZ", 54.2, -1.2));
  assert_true(directory_builder_add_postcode(b, "DM1 0AB", 54.1, -0.8));
  assert_true(directory_builder_add_postcode(b, "DM10 1AA", 50.0, 0.0));
  assert_true(directory_builder_add_postcode(b, "DM2 1AA", 55.0, -2.0));
  struct directory_index *ix = directory_builder_finish(b);
  double lat = 0, lon = 0;
  assert_int_equal(directory_outward_centre(ix, "DM1", &lat, &lon), 3);
  assert_true(fabs(lat - 54.1) < 1e-6);
  assert_true(fabs(lon - -1.0) < 1e-6);
  assert_int_equal(directory_outward_centre(ix, "DM10", &lat, &lon), 1);
  assert_true(fabs(lat - 50.0) < 1e-6);
  lat = 99;
  assert_int_equal(directory_outward_centre(ix, "DM3", &lat, &lon), 0);
  assert_true(lat == 99); /* untouched */
  assert_int_equal(directory_outward_centre(ix, "SW1A", &lat, &lon), 0);
  directory_index_unref(ix);
}

static void towns_come_from_the_places(void **state)
{
  (void)state;
  struct directory_builder *b = directory_builder_new();
  struct directory_load_report rep;
  memset(&rep, 0, sizeof rep);
  char err[512];
  assert_true(directory_load_dir(b, "tests/fixtures/directory", &rep, err, sizeof err));
  struct directory_index *ix = directory_builder_finish(b);
  struct arena a;
  arena_init(&a);
  double lat = 0, lon = 0;
  const char *name = NULL;
  /* Edinburgh Family Support is the one place in Edinburgh. */
  assert_int_equal(directory_town_centre(ix, "  edinburgh ", &a, &lat, &lon, &name), 1);
  assert_string_equal(name, "Edinburgh");
  assert_true(lat > 55.9 && lat < 56.0);
  assert_true(directory_town_centre(ix, "London", &a, &lat, &lon, &name) > 5);
  assert_true(lat > 51.4 && lat < 51.6);
  /* A word that begins a town's name is not the town; nor is a service's name. */
  assert_int_equal(directory_town_centre(ix, "Edin", &a, &lat, &lon, &name), 0);
  assert_int_equal(directory_town_centre(ix, "Riverside", &a, &lat, &lon, &name), 0);
  assert_int_equal(directory_town_centre(ix, "", &a, &lat, &lon, &name), 0);
  arena_free(&a);
  directory_index_unref(ix);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(outward_codes_are_normalised),
      cmocka_unit_test(district_centre_is_the_mean_of_its_postcodes),
      cmocka_unit_test(towns_come_from_the_places),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
