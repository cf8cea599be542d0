/* test_directory.c: the directory index and directory_search() on the fixture
 * dataset in tests/fixtures/directory (12 services, 13 places, 14 postcodes).
 * Distances in the worked examples were computed independently with the
 * haversine formula (R = 6,371,008.8 m) from the fixture coordinates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "directory/files.h"
#include "directory/index.h"

#define FIXTURE "tests/fixtures/directory"

static struct directory_index *ix;
static double origin_lat, origin_lon; /* SW1A 1AA */

static int setup(void **state)
{
  (void)state;
  struct directory_builder *b = directory_builder_new();
  struct directory_load_report rep;
  memset(&rep, 0, sizeof rep);
  char err[512];
  if (!directory_load_dir(b, FIXTURE, &rep, err, sizeof err)) {
    fprintf(stderr, "fixture: %s\n", err);
    directory_builder_free(b);
    return -1;
  }
  if (rep.services != 12 || rep.services_skipped || rep.postcodes != 14 ||
      rep.postcodes_skipped != 2) {
    fprintf(stderr, "fixture: %zu services (%zu skipped), %zu postcodes (%zu skipped): %s\n",
            rep.services, rep.services_skipped, rep.postcodes, rep.postcodes_skipped,
            rep.first_problem);
    directory_builder_free(b);
    return -1;
  }
  ix = directory_builder_finish(b);
  if (!directory_postcode_find(ix, "SW1A 1AA", &origin_lat, &origin_lon))
    return -1;
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  directory_index_unref(ix);
  return 0;
}

/* Run q; return the names of the hits joined by "|" (static buffer). */
static struct directory_result last;
static struct arena arena;
static const char *run(struct directory_query *q)
{
  static char names[4096];
  arena_free(&arena);
  arena_init(&arena);
  directory_search(ix, q, &arena, &last);
  names[0] = '\0';
  for (size_t i = 0; i < last.nhits; i++) {
    if (i)
      strcat(names, "|");
    strcat(names, directory_service_name(ix, last.hits[i].service));
  }
  return names;
}

static struct directory_query query(void)
{
  struct directory_query q;
  memset(&q, 0, sizeof q);
  return q;
}

static void haversine_worked_examples(void **state)
{
  (void)state;
  /* SW1A 1AA to EH1 2NG (fixture centroids): 533,782.8 m. */
  assert_true(fabs(directory_distance_m(51.50101, -0.14159, 55.9486, -3.1999) - 533782.8) < 1);
  /* One degree of latitude along a meridian: R * pi / 180 = 111,195.08 m. */
  assert_true(fabs(directory_distance_m(50, -1, 51, -1) - 111195.08) < 0.1);
  assert_true(directory_distance_m(51.5, -0.1, 51.5, -0.1) == 0);
  /* Symmetric, and antipodes are half the circumference. */
  assert_true(fabs(directory_distance_m(10, 20, -10, -160) - M_PI * 6371008.8) < 1);
}

static void builds_every_table(void **state)
{
  (void)state;
  struct directory_stats st;
  directory_index_stats(ix, &st);
  assert_int_equal(st.services, 12);
  assert_int_equal(st.service_at_locations, 13);
  assert_int_equal(st.located, 11);
  assert_int_equal(st.organizations, 5);
  assert_int_equal(st.taxonomies, 4);
  assert_int_equal(st.terms, 19); /* 18 used, and the DfE parent known by id only */
  assert_int_equal(st.postcodes, 14);
  assert_true(st.words > 50);
  /* Services are held in name order. */
  assert_string_equal(directory_service_name(ix, 0), "Baby Loss Bereavement Line");
  assert_string_equal(directory_service_name(ix, 11), "Toddler Sleep Clinic");
}

static void postcode_lookup(void **state)
{
  (void)state;
  double lat, lon;
  assert_true(directory_postcode_find(ix, "EH1 2NG", &lat, &lon));
  assert_true(fabs(lat - 55.9486) < 1e-6 && fabs(lon + 3.1999) < 1e-6);
  assert_true(directory_postcode_find(ix, "GIR 0AA", &lat, &lon));
  assert_false(directory_postcode_find(ix, "SW1A 0PW", &lat, &lon)); /* terminated */
  assert_false(directory_postcode_find(ix, "ZZ1 1ZZ", &lat, &lon));
  assert_false(directory_postcode_find(ix, "sw1a1aa", &lat, &lon)); /* not normalised */
}

static void radius_sorted_by_distance(void **state)
{
  (void)state;
  struct directory_query q = query();
  q.has_origin = true;
  q.lat = origin_lat;
  q.lon = origin_lon;
  q.proximity_m = 2000;
  /* 997 m, 1648 m (two services at one hospital: name order), 1985 m (two again). */
  assert_string_equal(run(&q), "Riverside Family Hub|Maternity Unit and Community "
                               "Midwives|Perinatal Mental Health Team|Health Visiting "
                               "Service|Toddler Sleep Clinic");
  assert_int_equal(last.total, 5);
  assert_true(fabs(last.hits[0].distance_m - 997) < 1);
  assert_true(fabs(last.hits[1].distance_m - 1648) < 1);
  assert_true(fabs(last.hits[4].distance_m - 1985) < 1);
  for (size_t i = 1; i < last.nhits; i++)
    assert_true(last.hits[i].distance_m >= last.hits[i - 1].distance_m);

  q.proximity_m = 990; /* just short of the nearest */
  assert_string_equal(run(&q), "");
  assert_int_equal(last.total, 0);

  /* 10 km: the volunteers' East London base (5,042 m) but not Greenwich (10,034 m). */
  q.proximity_m = 10000;
  run(&q);
  assert_int_equal(last.total, 8);
  assert_string_equal(directory_service_name(ix, last.hits[7].service), "Home Visiting Volunteers");
  assert_true(fabs(last.hits[7].distance_m - 5042) < 1);
}

static void radius_units_and_dedup(void **state)
{
  (void)state;
  struct directory_query q = query();
  q.has_origin = true;
  q.lat = origin_lat;
  q.lon = origin_lon;
  q.proximity_m = 10100;
  q.unit = DIRECTORY_UNIT_SERVICE_AT_LOCATION;
  run(&q);
  assert_int_equal(last.total, 9); /* both places of the volunteers */
  assert_true(last.hits[8].sal != DIRECTORY_NONE);
  assert_true(fabs(last.hits[8].distance_m - 10034) < 1);
  q.unit = DIRECTORY_UNIT_SERVICE;
  run(&q);
  assert_int_equal(last.total, 8); /* one hit per service, at its nearest place */
  assert_true(fabs(last.hits[7].distance_m - 5042) < 1);
  /* Far away: Edinburgh from London, 534 km. */
  q.proximity_m = 600000;
  run(&q);
  assert_int_equal(last.total, 10);
  assert_string_equal(directory_service_name(ix, last.hits[9].service), "Edinburgh Family Support");
}

static void origin_without_radius_orders_everything(void **state)
{
  (void)state;
  struct directory_query q = query();
  q.has_origin = true;
  q.lat = origin_lat;
  q.lon = origin_lon;
  run(&q);
  assert_int_equal(last.total, 12);
  assert_string_equal(directory_service_name(ix, last.hits[0].service), "Riverside Family Hub");
  /* Services with no place come last, in name order, with no distance. */
  assert_string_equal(directory_service_name(ix, last.hits[10].service),
                      "Baby Loss Bereavement Line");
  assert_true(last.hits[10].distance_m < 0);
  assert_string_equal(directory_service_name(ix, last.hits[11].service),
                      "Talking Therapies for New Parents");
}

static void need_filter_includes_narrower_terms(void **state)
{
  (void)state;
  struct directory_query q = query();
  q.need = "feeding";
  assert_string_equal(run(&q),
                      "Cardiff Baby and Me Group|Infant Feeding Drop-in|Riverside Family Hub");
  q.active_only = true;
  assert_string_equal(run(&q), "Infant Feeding Drop-in|Riverside Family Hub");
  q.need = "701188db-050e-5a03-835e-10909e767645"; /* by id as well as by its short name */
  assert_string_equal(run(&q), "Infant Feeding Drop-in|Riverside Family Hub");
  q.need = "breastfeeding";
  assert_string_equal(run(&q), "");
  q.need = "pregnancy"; /* a stage is not a need */
  assert_string_equal(run(&q), "");
  q.need = NULL;
  /* DfE "Pregnancy, birth and early years" (known only as a parent_id) takes in
   * its narrower categories. */
  q.taxonomy_term = "eebd1209-7fbf-5ad5-bdd7-425324039c2d";
  assert_string_equal(run(&q), "Infant Feeding Drop-in|Maternity Unit and Community Midwives");
  q.taxonomy_term = "Midwife and maternity";
  assert_string_equal(run(&q), "Maternity Unit and Community Midwives");
  q.taxonomy_term = "4b5a3f2e-0000-0000-0000-000000000000";
  assert_string_equal(run(&q), "");
  q.taxonomy_term = "bereavement";
  assert_string_equal(run(&q), "Baby Loss Bereavement Line");
  q.taxonomy_term = NULL;
  q.taxonomy_id = "1ab5a877-4ed3-5df9-bda0-563a9d4a96b3"; /* any DfE category */
  assert_string_equal(run(&q), "Infant Feeding Drop-in|Maternity Unit and Community Midwives");
}

static void stage_filter_keeps_unstaged_services(void **state)
{
  (void)state;
  struct directory_query q = query();
  q.stage = "1-2-years";
  q.active_only = true;
  /* Tagged 1-2-years, plus the two with no stage tag at all. */
  assert_string_equal(run(&q), "Baby Loss Bereavement Line|Health Visiting Service|Home Visiting "
                               "Volunteers|Parent-Infant Relationship Team|Riverside Family "
                               "Hub|Talking Therapies for New Parents|Toddler Sleep Clinic");
  q.stage = "pregnancy";
  assert_string_equal(run(&q), "Baby Loss Bereavement Line|Health Visiting Service|Home Visiting "
                               "Volunteers|Maternity Unit and Community Midwives|Parent-Infant "
                               "Relationship Team|Perinatal Mental Health Team|Riverside Family "
                               "Hub|Talking Therapies for New Parents");
}

static void referral_and_organisation(void **state)
{
  (void)state;
  struct directory_query q = query();
  q.referral = "professionals-only";
  assert_string_equal(run(&q), "Parent-Infant Relationship Team");
  q.referral = "via-health-visitor";
  assert_string_equal(run(&q), "Home Visiting Volunteers|Perinatal Mental Health Team|Toddler "
                               "Sleep Clinic");
  q.referral = NULL;
  char org[64];
  uint32_t s = directory_service_find(ix, directory_service_id(ix, 0)); /* the bereavement line */
  assert_int_equal(s, 0);
  json_t *j = directory_service_json(ix, s);
  snprintf(org, sizeof org, "%s", json_string_value(json_object_get(j, "organization_id")));
  json_decref(j);
  q.organization_id = org;
  assert_string_equal(run(&q), "Baby Loss Bereavement Line|Home Visiting Volunteers");
  q.organization_id = "00000000-0000-4000-8000-000000000000";
  assert_string_equal(run(&q), "");
}

static void text_search(void **state)
{
  (void)state;
  struct directory_query q = query();
  q.text = "toddler sleep";
  assert_string_equal(run(&q), "Toddler Sleep Clinic");
  q.text = "sleep clinic"; /* the health visitors' place is a clinic too */
  assert_string_equal(run(&q), "Health Visiting Service|Toddler Sleep Clinic");
  q.text = "SLEEP";
  /* The name, and the health visitors' "Crying and sleep" term. */
  assert_string_equal(run(&q), "Health Visiting Service|Toddler Sleep Clinic");
  q.text = "breastfeed"; /* a word prefix */
  assert_string_equal(run(&q), "Infant Feeding Drop-in|Riverside Family Hub");
  q.text = "a line for the bereavement"; /* stop words are ignored */
  assert_string_equal(run(&q), "Baby Loss Bereavement Line");
  q.text = "mum's helicopter";
  assert_string_equal(run(&q), "");
  q.text = "edinburgh"; /* the town of a place */
  assert_string_equal(run(&q), "Edinburgh Family Support");
  q.text = "   ";
  run(&q);
  assert_int_equal(last.total, 12);
}

static void age_containment(void **state)
{
  (void)state;
  struct directory_query q = query();
  q.has_min_age = q.has_max_age = true;
  q.min_age = 1;
  q.max_age = 2;
  run(&q);
  assert_int_equal(last.total, 12); /* 11 with no ages, and the clinic for ages 1 to 2 */
  q.min_age = 0;
  run(&q);
  assert_int_equal(last.total, 11); /* the clinic does not cover 0 */
  q.min_age = 1.5;
  q.max_age = 3;
  run(&q);
  assert_int_equal(last.total, 11); /* nor 3 */
  q.has_max_age = false;
  run(&q);
  assert_int_equal(last.total, 12);
}

static void schedule_and_modified(void **state)
{
  (void)state;
  struct directory_query q = query();
  q.day_mask = 1u << 3; /* Thursday */
  q.has_start = true;
  q.start_min = 10 * 60;
  assert_string_equal(run(&q), "Baby Loss Bereavement Line|Infant Feeding Drop-in");
  q.has_end = true;
  q.end_min = 12 * 60;
  assert_string_equal(run(&q), "Infant Feeding Drop-in");
  q = query();
  q.has_modified_after = true;
  assert_true(directory_parse_datetime("2025-03-05T09:00:00Z", &q.modified_after));
  assert_string_equal(run(&q), "Baby Loss Bereavement Line|Parent-Infant Relationship "
                               "Team|Perinatal Mental Health Team");
  int64_t t;
  assert_true(directory_parse_datetime("2025-03-05", &t));
  assert_true(directory_parse_datetime("2025-03-05T10:00:00+01:00", &t));
  assert_int_equal(t, q.modified_after);
  assert_true(directory_parse_datetime("2025-03-05T09:00:00.123Z", &t));
  assert_false(directory_parse_datetime("2025-02-30", &t));
  assert_false(directory_parse_datetime("yesterday", &t));
  assert_false(directory_parse_datetime("2025-03-05T9:00", &t));
  assert_int_equal(directory_parse_time("09:30"), 570);
  assert_int_equal(directory_parse_time("23:59:59"), 1439);
  assert_int_equal(directory_parse_time("9:30"), -1);
  assert_int_equal(directory_parse_time("25:00"), -1);
  assert_int_equal(directory_parse_days("MO,WE,FR"), 0x15);
  assert_int_equal(directory_parse_days("su"), 0x40);
  assert_int_equal(directory_parse_days("XX"), 0);
}

static void located_filter(void **state)
{
  (void)state;
  struct directory_query q = query();
  q.located = DIRECTORY_LOCATED_NONE;
  assert_string_equal(run(&q), "Baby Loss Bereavement Line|Talking Therapies for New Parents");
  q.located = DIRECTORY_LOCATED_ONLY;
  run(&q);
  assert_int_equal(last.total, 10);
  /* With a radius, places without coordinates can never be inside it. */
  q.has_origin = true;
  q.lat = origin_lat;
  q.lon = origin_lon;
  q.proximity_m = 1e6;
  q.located = DIRECTORY_LOCATED_NONE;
  run(&q);
  assert_int_equal(last.total, 0);
}

static void filters_combine_with_and(void **state)
{
  (void)state;
  struct directory_query q = query();
  q.need = "perinatal-mental-health";
  assert_string_equal(run(&q), "Perinatal Mental Health Team|Talking Therapies for New Parents");
  q.referral = "self-referral";
  assert_string_equal(run(&q), "Talking Therapies for New Parents");
  q.referral = "via-gp";
  assert_string_equal(run(&q), "Perinatal Mental Health Team|Talking Therapies for New Parents");
  q.has_origin = true;
  q.lat = origin_lat;
  q.lon = origin_lon;
  q.proximity_m = 5000;
  assert_string_equal(run(&q), "Perinatal Mental Health Team");
  q.stage = "1-2-years"; /* the team serves pregnancy and the first year */
  assert_string_equal(run(&q), "");
  q.stage = NULL;
  q.text = "specialist";
  assert_string_equal(run(&q), "Perinatal Mental Health Team");
  q.text = "volunteers";
  assert_string_equal(run(&q), "");
}

static void pagination(void **state)
{
  (void)state;
  struct directory_query q = query();
  q.per_page = 5;
  q.page = 1;
  assert_string_equal(run(&q), "Baby Loss Bereavement Line|Cardiff Baby and Me Group|Edinburgh "
                               "Family Support|Health Visiting Service|Home Visiting Volunteers");
  assert_int_equal(last.total, 12);
  q.page = 3;
  assert_string_equal(run(&q), "Talking Therapies for New Parents|Toddler Sleep Clinic");
  assert_int_equal(last.total, 12);
  q.page = 4;
  assert_string_equal(run(&q), "");
  assert_int_equal(last.total, 12);
  q.page = (size_t)1 << 62; /* no overflow */
  run(&q);
  assert_int_equal(last.nhits, 0);
  assert_int_equal(last.total, 12);
  /* Service-at-location listing: 13 places. */
  q.unit = DIRECTORY_UNIT_SERVICE_AT_LOCATION;
  q.page = 3;
  q.per_page = 6;
  run(&q);
  assert_int_equal(last.total, 13);
  assert_int_equal(last.nhits, 1);
  /* Radius results paginate in distance order. */
  q.unit = DIRECTORY_UNIT_SERVICE;
  q.has_origin = true;
  q.lat = origin_lat;
  q.lon = origin_lon;
  q.proximity_m = 2000;
  q.per_page = 2;
  q.page = 2;
  assert_string_equal(run(&q), "Perinatal Mental Health Team|Health Visiting Service");
  assert_int_equal(last.total, 5);
  q.page = 3;
  assert_string_equal(run(&q), "Toddler Sleep Clinic");
}

/* The fully nested service written back equals the fixture line it came from. */
static void full_json_round_trips(void **state)
{
  (void)state;
  FILE *f = fopen(FIXTURE "/services.ndjson", "r");
  assert_non_null(f);
  char *line = NULL;
  size_t cap = 0;
  size_t n = 0;
  while (getline(&line, &cap, f) > 0) {
    json_t *want = json_loads(line, 0, NULL);
    assert_non_null(want);
    uint32_t s = directory_service_find(ix, json_string_value(json_object_get(want, "id")));
    assert_true(s != DIRECTORY_NONE);
    json_t *got = directory_service_json(ix, s);
    if (!json_equal(want, got)) {
      char *a = json_dumps(got, JSON_SORT_KEYS | JSON_COMPACT);
      fail_msg("service %zu differs: %s", n, a);
    }
    json_decref(got);
    json_decref(want);
    n++;
  }
  free(line);
  fclose(f);
  assert_int_equal(n, 12);
}

static void list_forms_hold_one_to_one_fields(void **state)
{
  (void)state;
  uint32_t s = 5; /* Infant Feeding Drop-in */
  assert_string_equal(directory_service_name(ix, s), "Infant Feeding Drop-in");
  struct buf b = BUF_INIT;
  directory_write_service(ix, s, DIRECTORY_FORM_LIST, 1234.4, &b);
  json_t *j = json_loads(buf_cstr(&b), 0, NULL);
  assert_non_null(j);
  assert_non_null(json_object_get(j, "organization"));
  assert_null(json_object_get(j, "attributes"));
  assert_null(json_object_get(j, "service_at_locations"));
  assert_null(json_object_get(json_object_get(j, "organization"), "organization_identifiers"));
  assert_int_equal(json_integer_value(json_object_get(j, "distance")), 1234);
  json_decref(j);
  buf_free(&b);

  uint32_t first;
  assert_int_equal(directory_service_sals(ix, s, &first), 1);
  directory_write_sal(ix, first, DIRECTORY_FORM_LIST, -1, &b);
  j = json_loads(buf_cstr(&b), 0, NULL);
  assert_non_null(j);
  json_t *loc = json_object_get(j, "location");
  assert_string_equal(json_string_value(json_object_get(loc, "name")), "Library Community Room");
  assert_null(json_object_get(loc, "addresses"));
  assert_null(json_object_get(j, "distance"));
  assert_string_equal(json_string_value(json_object_get(json_object_get(j, "service"), "name")),
                      "Infant Feeding Drop-in");
  assert_string_equal(json_string_value(json_object_get(j, "service_id")),
                      directory_service_id(ix, s));
  json_decref(j);
  buf_free(&b);

  directory_write_sal(ix, first, DIRECTORY_FORM_FULL, -1, &b);
  j = json_loads(buf_cstr(&b), 0, NULL);
  assert_non_null(j);
  assert_non_null(json_object_get(json_object_get(j, "location"), "addresses"));
  assert_non_null(json_object_get(json_object_get(j, "service"), "attributes"));
  assert_null(json_object_get(json_object_get(j, "service"), "service_at_locations"));
  json_decref(j);
  buf_free(&b);
}

/* Only the members that are not objects or arrays. */
static json_t *scalars(const json_t *o)
{
  json_t *r = json_object();
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)o, k, v)
  {
    if (!json_is_object(v) && !json_is_array(v))
      json_object_set(r, k, v);
  }
  return r;
}

/* The list form of every place is its full form cut to one-to-one fields at
 * each level, whether it is written from one run of the index (the first
 * place of each service) or in parts (a later place of the same service),
 * located or not; and a service with no places still has its fields. */
static void list_form_is_the_full_form_cut(void **state)
{
  (void)state;
  struct directory_stats st;
  directory_index_stats(ix, &st);
  size_t places = 0, second_places = 0;
  for (uint32_t s = 0; s < st.services; s++) {
    uint32_t first;
    size_t n = directory_service_sals(ix, s, &first);
    for (uint32_t i = first; i < first + n; i++) {
      struct buf b = BUF_INIT;
      directory_write_sal(ix, i, DIRECTORY_FORM_FULL, 12.6, &b);
      json_t *full = json_loads(buf_cstr(&b), 0, NULL);
      assert_non_null(full);
      buf_free(&b);
      json_t *want = scalars(full);
      const json_t *loc = json_object_get(full, "location");
      if (loc)
        json_object_set_new(want, "location", scalars(loc));
      const json_t *svc = json_object_get(full, "service");
      json_t *svc_want = scalars(svc);
      const json_t *org = json_object_get(svc, "organization");
      if (org)
        json_object_set_new(svc_want, "organization", scalars(org));
      json_object_set_new(want, "service", svc_want);
      directory_write_sal(ix, i, DIRECTORY_FORM_LIST, 12.6, &b);
      json_t *got = json_loads(buf_cstr(&b), 0, NULL);
      if (!got || !json_equal(want, got))
        fail_msg("place %u of service %u: list form %s", i, s, buf_cstr(&b));
      assert_int_equal(json_integer_value(json_object_get(got, "distance")), 13);
      buf_free(&b);
      json_decref(got);
      json_decref(want);
      json_decref(full);
      places++;
      second_places += i > first;
    }
  }
  assert_int_equal(places, st.service_at_locations);
  assert_true(second_places > 0);

  /* Built here: a service with no places and no organisation. */
  struct directory_builder *b = directory_builder_new();
  char err[256];
  json_t *svc = json_pack("{s:s, s:s, s:s}", "id", "4f7c4a55-52a3-4c4e-9a43-5d5b8a0f9d10", "name",
                          "Placeless Helpline", "description", "Phone support only.");
  assert_true(directory_builder_add_service(b, svc, err, sizeof err));
  json_decref(svc);
  struct directory_index *one = directory_builder_finish(b);
  struct buf out = BUF_INIT;
  directory_write_service(one, 0, DIRECTORY_FORM_LIST, -1, &out);
  assert_string_equal(buf_cstr(&out), "{\"id\":\"4f7c4a55-52a3-4c4e-9a43-5d5b8a0f9d10\","
                                      "\"name\":\"Placeless Helpline\","
                                      "\"description\":\"Phone support only.\"}");
  buf_free(&out);
  directory_index_unref(one);
}

static void organisations_and_taxonomies(void **state)
{
  (void)state;
  assert_int_equal(directory_org_count(ix), 5);
  assert_string_equal(directory_org_name(ix, 0), "Cardiff Demo Baby Groups (demo)");
  struct buf b = BUF_INIT;
  uint32_t o = 2; /* sorted: Cardiff, Demo Council, Demo NHS, Little Steps, Lothian */
  assert_string_equal(directory_org_name(ix, o), "Demo NHS Foundation Trust (demo)");
  const uint32_t *svcs;
  assert_int_equal(directory_org_services(ix, o, &svcs), 6);
  directory_write_org(ix, o, DIRECTORY_FORM_FULL, false, &b);
  json_t *j = json_loads(buf_cstr(&b), 0, NULL);
  assert_non_null(j);
  assert_int_equal(json_array_size(json_object_get(j, "services")), 6);
  json_decref(j);
  buf_free(&b);

  bool found_needs = false;
  for (uint32_t t = 0; t < directory_taxonomy_count(ix); t++) {
    directory_write_taxonomy(ix, t, true, &b);
    j = json_loads(buf_cstr(&b), 0, NULL);
    assert_non_null(j);
    assert_non_null(json_object_get(j, "description"));
    if (strcmp(json_string_value(json_object_get(j, "name")), "firstdays needs") == 0) {
      found_needs = true;
      assert_int_equal(json_array_size(json_object_get(j, "taxonomy_terms")), 8);
    }
    json_decref(j);
    buf_free(&b);
  }
  assert_true(found_needs);
  struct directory_term_info ti;
  bool saw_child = false;
  for (uint32_t t = 0; t < directory_term_count(ix); t++) {
    directory_term_info(ix, t, &ti);
    if (ti.code && strcmp(ti.code, "Infant feeding support (including breastfeeding)") == 0) {
      struct directory_term_info parent;
      assert_true(ti.parent != DIRECTORY_NONE);
      directory_term_info(ix, ti.parent, &parent);
      assert_string_equal(parent.id, "eebd1209-7fbf-5ad5-bdd7-425324039c2d");
      assert_false(parent.listed);
      assert_int_equal(ti.services, 1);
      assert_int_equal(ti.kind, DIRECTORY_KIND_OTHER);
      saw_child = true;
    }
    if (ti.code && strcmp(ti.code, "via-gp") == 0)
      assert_int_equal(ti.kind, DIRECTORY_KIND_REFERRAL);
    if (ti.code && strcmp(ti.code, "1-2-years") == 0)
      assert_int_equal(ti.kind, DIRECTORY_KIND_STAGE);
    if (ti.code && strcmp(ti.code, "feeding") == 0)
      assert_int_equal(ti.kind, DIRECTORY_KIND_NEED);
  }
  assert_true(saw_child);
}

static void builder_refuses_bad_services(void **state)
{
  (void)state;
  struct directory_builder *b = directory_builder_new();
  char err[256];
  json_t *s = json_pack("{s:s}", "name", "No id");
  assert_false(directory_builder_add_service(b, s, err, sizeof err));
  assert_non_null(strstr(err, "id"));
  json_decref(s);
  s = json_pack("{s:s}", "id", "a");
  assert_false(directory_builder_add_service(b, s, err, sizeof err));
  assert_non_null(strstr(err, "name"));
  json_decref(s);
  s = json_pack("{s:s, s:s, s:n, s:s, s:[], s:[{s:s}, {s:s}]}", "id", "a", "name", "A",
                "description", "url", "", "attributes", "service_at_locations", "id", "x", "id",
                "x");
  assert_false(directory_builder_add_service(b, s, err, sizeof err));
  assert_non_null(strstr(err, "twice"));
  json_array_remove(json_object_get(s, "service_at_locations"), 1);
  assert_true(directory_builder_add_service(b, s, err, sizeof err));
  assert_false(directory_builder_add_service(b, s, err, sizeof err)); /* same id again */
  json_decref(s);
  json_t *str = json_string("x");
  assert_false(directory_builder_add_service(b, str, err, sizeof err));
  json_decref(str);
  assert_false(directory_builder_add_postcode(b, "nonsense", 51, 0));
  assert_false(directory_builder_add_postcode(b, "SW1A 1AA", 99.999999, 0));
  assert_true(directory_builder_add_postcode(b, "sw1a1aa", 51, 0));
  assert_true(directory_builder_add_postcode(b, "SW1A 1AA", 52, 1)); /* the last one wins */
  struct directory_index *small = directory_builder_finish(b);
  double lat, lon;
  assert_true(directory_postcode_find(small, "SW1A 1AA", &lat, &lon));
  assert_true(lat == 52 && lon == 1);
  /* Nulls and empty values are gone from the output. */
  struct buf out = BUF_INIT;
  directory_write_service(small, 0, DIRECTORY_FORM_FULL, -1, &out);
  assert_string_equal(buf_cstr(&out), "{\"id\":\"a\",\"name\":\"A\",\"service_at_locations\":[{"
                                      "\"id\":\"x\",\"service_id\":\"a\"}]}");
  buf_free(&out);
  directory_index_unref(small);
}

/* Postcode lookups through every level of the postcode tree (20,000
 * postcodes make three): every postcode added is found with its own
 * centroid, from the first to the last, and postcodes before, between and
 * after them are not. */
static void postcode_lookup_across_runs(void **state)
{
  (void)state;
  enum { N = 20000 };
  static const char present[] = "ABDEFGHJLN", absent[] = "PQRSTUWXYZ";
  struct directory_builder *b = directory_builder_new();
  char pc[16];
  /* 20 districts of 10 sectors of 100 units, added in reverse to exercise
   * the sort. */
  for (int i = N - 1; i >= 0; i--) {
    snprintf(pc, sizeof pc, "AB%d %d%c%c", 1 + i / 1000, i / 100 % 10, present[i / 10 % 10],
             present[i % 10]);
    assert_true(directory_builder_add_postcode(b, pc, 50 + i / 100000.0, -1 - i / 100000.0));
  }
  struct directory_index *pix = directory_builder_finish(b);
  assert_int_equal(directory_postcode_count(pix), N);
  double lat, lon;
  for (int i = 0; i < N; i++) {
    snprintf(pc, sizeof pc, "AB%d %d%c%c", 1 + i / 1000, i / 100 % 10, present[i / 10 % 10],
             present[i % 10]);
    assert_true(directory_postcode_find(pix, pc, &lat, &lon));
    assert_true(fabs(lat - (50 + i / 100000.0)) < 1e-6 && fabs(lon - (-1 - i / 100000.0)) < 1e-6);
    snprintf(pc, sizeof pc, "AB%d %d%c%c", 1 + i / 1000, i / 100 % 10, present[i / 10 % 10],
             absent[i % 10]);
    assert_false(directory_postcode_find(pix, pc, &lat, &lon));
  }
  assert_false(directory_postcode_find(pix, "AA1 1AA", &lat, &lon));  /* before the first */
  assert_false(directory_postcode_find(pix, "AB21 0AA", &lat, &lon)); /* just after the last */
  assert_false(directory_postcode_find(pix, "ZE3 9ZZ", &lat, &lon));  /* far after it */
  directory_index_unref(pix);
}

/* Counting reads a whole-number copy of the places; a place a millimetre
 * inside or outside the circle is still counted exactly as the distance
 * says, through the check on the full coordinates near the edge. */
static void count_decides_places_at_the_edge(void **state)
{
  (void)state;
  enum { N = 300 };
  struct directory_builder *b = directory_builder_new();
  uint64_t seed = 7;
  char err[256];
  double lat[N], lon[N], d[N];
  const double olat = 51.5, olon = -0.12;
  for (int i = 0; i < N; i++) {
    char id[40];
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    /* Whole 1e-7 degrees, as the index keeps them, within about 15 km. */
    lat[i] = (double)(515000000 - 1350000 + (int64_t)(seed >> 40) % 2700000) / 1e7;
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    lon[i] = (double)(-1200000 - 2150000 + (int64_t)(seed >> 40) % 4300000) / 1e7;
    d[i] = directory_distance_m(olat, olon, lat[i], lon[i]);
    snprintf(id, sizeof id, "e%04d", i);
    json_t *svc = json_pack("{s:s, s:s, s:[{s:s, s:{s:s, s:f, s:f}}]}", "id", id, "name", id,
                            "service_at_locations", "id", id, "location", "id", id, "latitude",
                            lat[i], "longitude", lon[i]);
    assert_true(directory_builder_add_service(b, svc, err, sizeof err));
    json_decref(svc);
  }
  struct directory_index *e = directory_builder_finish(b);
  struct arena a;
  arena_init(&a);
  for (int i = 0; i < N; i++)
    for (int side = -1; side <= 1; side += 2) {
      double r = d[i] + side * 0.001;
      if (r <= 0)
        continue;
      size_t want = 0;
      for (int j = 0; j < N; j++)
        want += d[j] <= r;
      struct directory_query q = query();
      q.has_origin = true;
      q.lat = olat;
      q.lon = olon;
      q.proximity_m = r;
      q.per_page = 1;
      struct directory_result res;
      directory_search(e, &q, &a, &res);
      if (res.total != want)
        fail_msg("place %d at %.4f m, radius %.4f m: counted %zu, want %zu", i, d[i], r, res.total,
                 want);
    }
  arena_free(&a);
  directory_index_unref(e);
}

/* The fast path (a page of the nearest places with no other filter, counted
 * by cells) gives what the plain scan gives, on 8,000 random places around
 * London: a filter that excludes nothing (maximum_age 0) forces the scan. */
static void radius_page_matches_the_scan(void **state)
{
  (void)state;
  struct directory_builder *b = directory_builder_new();
  uint64_t seed = 42;
  char err[256];
  for (int i = 0; i < 8000; i++) {
    char id[40], sal[40];
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    double lat = 51.2 + (double)(seed >> 11) / 9007199254740992.0 * 0.6;
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    double lon = -0.6 + (double)(seed >> 11) / 9007199254740992.0 * 0.9;
    if (i % 7 == 0) { /* clusters at exactly the same place */
      lat = 51.5;
      lon = -0.12;
    }
    snprintf(id, sizeof id, "s%05d", i);
    snprintf(sal, sizeof sal, "p%05d", i);
    json_t *svc =
        json_pack("{s:s, s:s, s:s, s:[{s:s, s:{s:s, s:s, s:f, s:f}}]}", "id", id, "name", id,
                  "status", "active", "service_at_locations", "id", sal, "location", "id", sal,
                  "location_type", "physical", "latitude", lat, "longitude", lon);
    assert_true(directory_builder_add_service(b, svc, err, sizeof err));
    json_decref(svc);
  }
  struct directory_index *big = directory_builder_finish(b);
  struct arena a;
  arena_init(&a);
  for (int t = 0; t < 400; t++) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    struct directory_query q = query();
    q.has_origin = true;
    q.lat = 51.1 + (double)(seed >> 40) / 16777216.0 * 0.8;
    q.lon = -0.7 + (double)((seed >> 16) & 0xffffff) / 16777216.0 * 1.1;
    if (t % 5 == 0) {
      q.lat = 51.5;
      q.lon = -0.12;
    }
    q.proximity_m = 100 + (double)(seed % 60000); /* up to 60 km: most boxes hold over 4,096 */
    q.unit = t % 2 ? DIRECTORY_UNIT_SERVICE_AT_LOCATION : DIRECTORY_UNIT_SERVICE;
    q.per_page = 1 + (size_t)(t % 25);
    q.page = 1 + (size_t)(t % 4);
    struct directory_result fast, slow;
    directory_search(big, &q, &a, &fast);
    q.has_max_age = true;
    q.max_age = 0;
    directory_search(big, &q, &a, &slow);
    assert_int_equal(fast.total, slow.total);
    assert_int_equal(fast.nhits, slow.nhits);
    for (size_t i = 0; i < fast.nhits; i++) {
      assert_int_equal(fast.hits[i].sal, slow.hits[i].sal);
      assert_true(fabs(fast.hits[i].distance_m - slow.hits[i].distance_m) < 1e-6);
      assert_true(fast.hits[i].distance_m <= q.proximity_m);
    }
    /* And the count is what the haversine formula says. */
    size_t want = 0;
    for (uint32_t k = 0; k < directory_sal_count(big); k++) {
      double lat, lon;
      assert_true(directory_sal_point(big, k, &lat, &lon));
      want += directory_distance_m(q.lat, q.lon, lat, lon) <= q.proximity_m;
    }
    assert_true(fast.total == want || fast.total + 1 == want || fast.total == want + 1);
    arena_free(&a);
    arena_init(&a);
  }
  arena_free(&a);
  directory_index_unref(big);
}

/* Numbers go out as they came in: a latitude of 51.997385 is written
 * 51.997385, not as the 17 digits of the nearest double. */
static void numbers_keep_their_digits(void **state)
{
  (void)state;
  struct directory_builder *b = directory_builder_new();
  char err[256];
  json_t *svc = json_pack("{s:s, s:s, s:[{s:s, s:{s:s, s:f, s:f}}]}", "id", "n1", "name", "N",
                          "service_at_locations", "id", "p1", "location", "id", "l1", "latitude",
                          51.997385, "longitude", -1.803215);
  assert_true(directory_builder_add_service(b, svc, err, sizeof err));
  json_decref(svc);
  struct directory_index *e = directory_builder_finish(b);
  for (int f = 0; f < 2; f++) {
    struct buf out = BUF_INIT;
    directory_write_sal(e, 0, f ? DIRECTORY_FORM_FULL : DIRECTORY_FORM_LIST, -1, &out);
    assert_non_null(strstr(buf_cstr(&out), "\"latitude\":51.997385,\"longitude\":-1.803215"));
    buf_free(&out);
  }
  directory_index_unref(e);
}

static void empty_index(void **state)
{
  (void)state;
  struct directory_index *e = directory_index_empty();
  struct directory_query q = query();
  struct arena a;
  struct directory_result r;
  arena_init(&a);
  directory_search(e, &q, &a, &r);
  assert_int_equal(r.total, 0);
  q.has_origin = true;
  q.proximity_m = 1000;
  directory_search(e, &q, &a, &r);
  assert_int_equal(r.total, 0);
  q.text = "anything";
  q.need = "feeding";
  directory_search(e, &q, &a, &r);
  assert_int_equal(r.total, 0);
  arena_free(&a);
  double lat, lon;
  assert_false(directory_postcode_find(e, "SW1A 1AA", &lat, &lon));
  directory_index_unref(e);
}

int main(void)
{
  arena_init(&arena);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(haversine_worked_examples),
      cmocka_unit_test(builds_every_table),
      cmocka_unit_test(postcode_lookup),
      cmocka_unit_test(radius_sorted_by_distance),
      cmocka_unit_test(radius_units_and_dedup),
      cmocka_unit_test(origin_without_radius_orders_everything),
      cmocka_unit_test(need_filter_includes_narrower_terms),
      cmocka_unit_test(stage_filter_keeps_unstaged_services),
      cmocka_unit_test(referral_and_organisation),
      cmocka_unit_test(text_search),
      cmocka_unit_test(age_containment),
      cmocka_unit_test(schedule_and_modified),
      cmocka_unit_test(located_filter),
      cmocka_unit_test(filters_combine_with_and),
      cmocka_unit_test(pagination),
      cmocka_unit_test(full_json_round_trips),
      cmocka_unit_test(list_forms_hold_one_to_one_fields),
      cmocka_unit_test(list_form_is_the_full_form_cut),
      cmocka_unit_test(organisations_and_taxonomies),
      cmocka_unit_test(builder_refuses_bad_services),
      cmocka_unit_test(radius_page_matches_the_scan),
      cmocka_unit_test(count_decides_places_at_the_edge),
      cmocka_unit_test(postcode_lookup_across_runs),
      cmocka_unit_test(numbers_keep_their_digits),
      cmocka_unit_test(empty_index),
  };
  int rc = cmocka_run_group_tests(tests, setup, teardown);
  arena_free(&arena);
  return rc;
}
