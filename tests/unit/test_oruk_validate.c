/* test_oruk_validate.c: the ORUK 3.0 service checker, rule by rule. Each test
 * breaks one thing in a good service and expects exactly one problem, at the
 * right path, with a message that says what to fix. The demo directory must
 * pass with no problems. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "content/content.h"
#include "directory/import.h"
#include "directory/oruk_validate.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SID "2f6b3c1e-8d4a-4c1b-9f2e-7a5d6c4b3a21"
#define OID "9a1d2c3b-4e5f-4a6b-8c7d-0e1f2a3b4c5d"
#define LID "5b2c1d0e-3f4a-4b5c-9d6e-7f8a9b0c1d2e"
#define SAL "7c3d2e1f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
#define CID "1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b"

/* A good service touching every nested object the checker knows. */
static const char good_service[] =
    "{\"id\":\"" SID "\",\"organization_id\":\"" OID "\",\"name\":\"Baby clinic\","
    "\"description\":\"Weighing and advice.\",\"url\":\"https://example.org/baby-clinic\","
    "\"email\":\"clinic@example.org\",\"status\":\"active\",\"minimum_age\":0,\"maximum_age\":2,"
    "\"assured_date\":\"2026-09-01\",\"last_modified\":\"2026-09-01T09:00:00.000Z\","
    "\"schedules\":[{\"id\":\"0a1b2c3d-4e5f-4061-8273-8495a6b7c8d9\",\"service_id\":\"" SID "\","
    "\"service_at_location_id\":\"" SAL "\",\"freq\":\"WEEKLY\",\"interval\":1,"
    "\"byday\":\"MO,WE\",\"opens_at\":\"09:30\",\"closes_at\":\"11:30:00\","
    "\"valid_from\":\"2026-01-01\",\"valid_to\":\"2026-12-31\"}],"
    "\"service_areas\":[{\"id\":\"1b2c3d4e-5f60-4172-8394-a5b6c7d8e9f0\",\"name\":\"Demo area\","
    "\"extent_type\":\"text\"}],"
    "\"service_at_locations\":[{\"id\":\"" SAL "\",\"service_id\":\"" SID
    "\",\"location_id\":\"" LID "\",\"location\":{\"id\":\"" LID
    "\",\"location_type\":\"physical\",\"name\":\"Hub\","
    "\"latitude\":54.4,\"longitude\":-0.95,\"addresses\":[{\"id\":\"2c3d4e5f-6071-4283-94a5-"
    "b6c7d8e9f0a1\",\"location_id\":\"" LID "\",\"address_1\":\"12 Market Street\","
    "\"city\":\"Demoford\",\"state_province\":\"Demoshire\",\"postal_code\":\"DM1 1AB\","
    "\"country\":\"GB\",\"address_type\":\"physical\"}],\"accessibility\":[{\"id\":\"3d4e5f60-"
    "7182-4394-a5b6-c7d8e9f0a1b2\",\"location_id\":\"" LID "\",\"description\":\"Step-free\"}]}}],"
    "\"organization\":{\"id\":\"" OID "\",\"name\":\"Demo Trust\",\"description\":\"A trust.\","
    "\"website\":\"https://example.org/\",\"organization_identifiers\":[{\"id\":\"4e5f6071-8293-"
    "44a5-b6c7-d8e9f0a1b2c3\",\"organization_id\":\"" OID "\",\"identifier_type\":\"Charity "
    "number\",\"identifier\":\"000000\"}]},"
    "\"cost_options\":[{\"id\":\"5f607182-93a4-45b6-c7d8-e9f0a1b2c3d4\",\"option\":\"Free\","
    "\"amount\":0}],"
    "\"contacts\":[{\"id\":\"" CID "\",\"service_id\":\"" SID "\",\"name\":\"Reception\","
    "\"phones\":[{\"id\":\"60718293-a4b5-46c7-98d9-f0a1b2c3d4e5\",\"contact_id\":\"" CID "\","
    "\"number\":\"01632 960100\"}]}],"
    "\"attributes\":[{\"id\":\"718293a4-b5c6-47d8-a9f0-a1b2c3d4e5f6\",\"link_id\":\"" SID "\","
    "\"link_type\":\"need\",\"taxonomy_term_id\":\"8293a4b5-c6d7-48e9-b0a1-b2c3d4e5f6a7\","
    "\"taxonomy_term\":{\"id\":\"8293a4b5-c6d7-48e9-b0a1-b2c3d4e5f6a7\",\"name\":\"Feeding\","
    "\"description\":\"Help with feeding.\"}}]}";

struct collected {
  char lines[32][600];
  size_t n;
};

static void collect(void *cls, const char *path, const char *message)
{
  struct collected *c = cls;
  if (c->n < 32)
    snprintf(c->lines[c->n++], sizeof c->lines[0], "%s: %s", path, message);
}

static json_t *load(const char *text)
{
  json_error_t jerr;
  json_t *v = json_loads(text, 0, &jerr);
  if (!v)
    fail_msg("bad test JSON: %s at %d:%d", jerr.text, jerr.line, jerr.column);
  return v;
}

static json_t *good(void)
{
  return load(good_service);
}

/* Run the checker; exactly one problem, whose line starts with want_path and
 * contains want_text. */
static void expect_one(json_t *svc, const struct oruk_vocab *vocab, const char *want_path,
                       const char *want_text)
{
  struct collected c = {.n = 0};
  size_t n = oruk_validate_service(svc, vocab, collect, &c);
  char prefix[300];
  snprintf(prefix, sizeof prefix, "%s: ", want_path);
  bool ok = n == 1 && strncmp(c.lines[0], prefix, strlen(prefix)) == 0 &&
            strstr(c.lines[0], want_text) != NULL;
  if (!ok) {
    fprintf(stderr, "    wanted one problem at '%s' saying '%s', got %zu:\n", want_path, want_text,
            n);
    for (size_t i = 0; i < c.n; i++)
      fprintf(stderr, "    problem: %s\n", c.lines[i]);
  }
  assert_true(ok);
  json_decref(svc);
}

static json_t *at(json_t *root, const char *dotted)
{
  /* "service_at_locations.0.location" style */
  char buf[256];
  snprintf(buf, sizeof buf, "%s", dotted);
  json_t *v = root;
  for (char *save, *tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save))
    v = json_is_array(v) ? json_array_get(v, (size_t)atoi(tok)) : json_object_get(v, tok);
  assert_non_null(v);
  return v;
}

static void test_good_service_passes(void **state)
{
  (void)state;
  json_t *svc = good();
  struct collected c = {.n = 0};
  size_t n = oruk_validate_service(svc, NULL, collect, &c);
  for (size_t i = 0; i < c.n; i++)
    fprintf(stderr, "    problem: %s\n", c.lines[i]);
  assert_int_equal(n, 0);
  json_decref(svc);
}

static void test_required_fields(void **state)
{
  (void)state;
  json_t *s = good();
  json_object_del(s, "name");
  expect_one(s, NULL, "name", "required field is missing; give the service's public name");
  s = good();
  json_object_del(s, "status");
  expect_one(s, NULL, "status", "give one of: active, inactive, defunct, temporarily closed");
  s = good();
  json_object_del(s, "organization_id");
  expect_one(s, NULL, "organization_id", "give the id of the organization");
  s = good();
  json_object_del(s, "organization");
  expect_one(s, NULL, "organization", "nest the organization object");
  s = good();
  json_object_set_new(s, "name", json_string(""));
  expect_one(s, NULL, "name", "required field is missing");
  s = good();
  json_object_del(at(s, "organization"), "description");
  expect_one(s, NULL, "organization.description", "give a short description");
  s = good();
  json_object_del(at(s, "service_at_locations.0.location.addresses.0"), "postal_code");
  expect_one(s, NULL, "service_at_locations[0].location.addresses[0].postal_code",
             "give the postcode");
  s = good();
  json_object_del(at(s, "contacts.0.phones.0"), "number");
  expect_one(s, NULL, "contacts[0].phones[0].number", "give the phone number");
  s = good();
  json_object_del(at(s, "attributes.0.taxonomy_term"), "name");
  expect_one(s, NULL, "attributes[0].taxonomy_term.name", "give the term's name");
  s = good();
  json_object_del(at(s, "service_at_locations.0"), "location");
  json_object_del(at(s, "schedules.0"), "service_at_location_id");
  expect_one(s, NULL, "service_at_locations[0].location", "nest the location object");
}

static void test_uuids_at_every_level(void **state)
{
  (void)state;
  json_t *s = good();
  json_object_set_new(s, "id", json_string("svc-1"));
  expect_one(s, NULL, "id", "'svc-1' is not a UUID; give an RFC 4122 UUID");
  s = good();
  json_object_set_new(at(s, "cost_options.0"), "id", json_string("12"));
  expect_one(s, NULL, "cost_options[0].id", "is not a UUID");
  s = good();
  json_object_set_new(at(s, "service_at_locations.0.location.accessibility.0"), "id",
                      json_string("3d4e5f60-7182-4394-a5b6-c7d8e9f0a1bZ"));
  expect_one(s, NULL, "service_at_locations[0].location.accessibility[0].id", "not a UUID");
  s = good();
  json_object_set_new(at(s, "organization"), "parent_organization_id", json_string("root"));
  expect_one(s, NULL, "organization.parent_organization_id", "not a UUID");
}

static void test_enums(void **state)
{
  (void)state;
  json_t *s = good();
  json_object_set_new(s, "status", json_string("closed"));
  expect_one(s, NULL, "status",
             "'closed' is not allowed; use one of: active, inactive, defunct, temporarily closed");
  s = good();
  json_object_set_new(at(s, "service_at_locations.0.location"), "location_type",
                      json_string("building"));
  expect_one(s, NULL, "service_at_locations[0].location.location_type",
             "use one of: physical, postal, virtual");
  s = good();
  json_object_set_new(at(s, "schedules.0"), "freq", json_string("DAILY"));
  expect_one(s, NULL, "schedules[0].freq", "use one of: WEEKLY, MONTHLY");
  s = good();
  json_object_set_new(at(s, "service_areas.0"), "extent_type", json_string("shapefile"));
  expect_one(s, NULL, "service_areas[0].extent_type", "geojson, topojson, kml, text");
}

static void test_numbers(void **state)
{
  (void)state;
  json_t *s = good();
  json_object_set_new(at(s, "service_at_locations.0.location"), "latitude", json_real(100));
  expect_one(s, NULL, "service_at_locations[0].location.latitude",
             "100 is out of range; give a latitude between -90 and 90");
  s = good();
  json_object_set_new(at(s, "service_at_locations.0.location"), "longitude", json_real(-181));
  expect_one(s, NULL, "service_at_locations[0].location.longitude", "between -180 and 180");
  s = good();
  json_object_set_new(at(s, "service_at_locations.0.location"), "latitude", json_string("54.4"));
  expect_one(s, NULL, "service_at_locations[0].location.latitude",
             "expected a number, found text; write it without quotes");
  s = good();
  json_object_del(at(s, "service_at_locations.0.location"), "longitude");
  expect_one(s, NULL, "service_at_locations[0].location.longitude",
             "give both latitude and longitude or neither");
  s = good();
  json_object_set_new(at(s, "cost_options.0"), "amount", json_integer(-5));
  expect_one(s, NULL, "cost_options[0].amount", "-5 is out of range; give the cost as a number");
  s = good();
  json_object_set_new(s, "minimum_age", json_integer(3));
  expect_one(s, NULL, "maximum_age", "2 is below minimum_age 3");
  s = good();
  json_object_set_new(s, "maximum_age", json_integer(200));
  expect_one(s, NULL, "maximum_age", "give an age in years between 0 and 130");
  s = good();
  json_object_set_new(at(s, "schedules.0"), "interval", json_real(1.5));
  expect_one(s, NULL, "schedules[0].interval", "not a whole number");
}

static void test_dates_and_times(void **state)
{
  (void)state;
  json_t *s = good();
  json_object_set_new(s, "assured_date", json_string("01/09/2026"));
  expect_one(s, NULL, "assured_date", "'01/09/2026' is not a date; use YYYY-MM-DD");
  s = good();
  json_object_set_new(s, "assured_date", json_string("2026-02-30"));
  expect_one(s, NULL, "assured_date", "is not a date");
  s = good();
  json_object_set_new(s, "last_modified", json_string("2026-09-01 09:00"));
  expect_one(s, NULL, "last_modified", "use RFC 3339 with a time zone");
  s = good();
  json_object_set_new(at(s, "schedules.0"), "opens_at", json_string("9.30am"));
  expect_one(s, NULL, "schedules[0].opens_at", "is not a time of day; use HH:MM");
  s = good();
  json_object_set_new(at(s, "schedules.0"), "closes_at", json_string("24:00"));
  expect_one(s, NULL, "schedules[0].closes_at", "is not a time of day");
  s = good();
  json_object_set_new(at(s, "schedules.0"), "opens_at", json_string("09:30+01:00"));
  json_object_set_new(at(s, "schedules.0"), "closes_at", json_string("11:30Z"));
  json_object_set_new(s, "last_modified", json_string("2026-09-01T09:00:00+01:00"));
  json_object_set_new(s, "description", json_string("also fine"));
  json_object_set_new(s, "assured_date", json_string("bad"));
  expect_one(s, NULL, "assured_date", "not a date");
  s = good();
  json_object_set_new(at(s, "schedules.0"), "valid_to", json_string("2025-12-31"));
  expect_one(s, NULL, "schedules[0].valid_to", "is before valid_from '2026-01-01'");
}

static void test_formats(void **state)
{
  (void)state;
  json_t *s = good();
  json_object_set_new(s, "email", json_string("clinic at example.org"));
  expect_one(s, NULL, "email", "is not an email address");
  s = good();
  json_object_set_new(s, "url", json_string("www.example.org"));
  expect_one(s, NULL, "url", "is not a URI; give a full address");
  s = good();
  json_object_set_new(at(s, "service_at_locations.0.location.addresses.0"), "country",
                      json_string("UK"));
  json_object_set_new(at(s, "service_at_locations.0.location.addresses.0"), "country",
                      json_string("gb"));
  expect_one(s, NULL, "service_at_locations[0].location.addresses[0].country",
             "two-letter ISO 3166-1 code in capitals, GB in the UK");
  s = good();
  json_object_set_new(at(s, "schedules.0"), "byday", json_string("Monday"));
  expect_one(s, NULL, "schedules[0].byday", "use two-letter days separated by commas");
  s = good();
  json_object_set_new(at(s, "schedules.0"), "byday", json_string("2MO"));
  expect_one(s, NULL, "schedules[0].byday", "only a MONTHLY schedule may do");
  s = good();
  json_object_set_new(at(s, "schedules.0"), "bymonthday", json_string("1,15"));
  expect_one(s, NULL, "schedules[0].bymonthday", "days of the month need freq MONTHLY");
  s = good();
  json_object_set_new(at(s, "schedules.0"), "freq", json_string("MONTHLY"));
  json_object_set_new(at(s, "schedules.0"), "byday", json_string("2MO,-1FR"));
  json_object_set_new(at(s, "schedules.0"), "bymonthday", json_string("1,40"));
  expect_one(s, NULL, "schedules[0].bymonthday", "use numbers from 1 to 31");
  s = good();
  json_object_set_new(s, "name", json_integer(7));
  expect_one(s, NULL, "name", "expected text, found a number; write it in double quotes");
  s = good();
  json_object_set_new(s, "schedules", json_object());
  expect_one(s, NULL, "schedules", "expected a list, found an object");
  s = good();
  json_object_set_new(s, "description", json_null());
  expect_one(s, NULL, "description", "null is not allowed; leave the field out");
}

static void test_foreign_keys(void **state)
{
  (void)state;
  const char *other = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
  json_t *s = good();
  json_object_set_new(at(s, "service_at_locations.0"), "location_id", json_string(other));
  expect_one(s, NULL, "service_at_locations[0].location_id",
             "does not match the id of the nested location it belongs to");
  s = good();
  json_object_set_new(at(s, "schedules.0"), "service_id", json_string(other));
  expect_one(s, NULL, "schedules[0].service_id", "does not match the id of the service");
  s = good();
  json_object_set_new(at(s, "organization"), "id", json_string(other));
  json_object_set_new(at(s, "organization.organization_identifiers.0"), "organization_id",
                      json_string(other));
  expect_one(s, NULL, "organization.id", "does not match the service's organization_id");
  s = good();
  json_object_set_new(at(s, "service_at_locations.0.location.addresses.0"), "location_id",
                      json_string(other));
  expect_one(s, NULL, "service_at_locations[0].location.addresses[0].location_id",
             "the location it belongs to");
  s = good();
  json_object_set_new(at(s, "contacts.0.phones.0"), "contact_id", json_string(other));
  expect_one(s, NULL, "contacts[0].phones[0].contact_id", "the contact it belongs to");
  s = good();
  json_object_set_new(at(s, "schedules.0"), "service_at_location_id", json_string(other));
  expect_one(s, NULL, "schedules[0].service_at_location_id",
             "is not the id of any of this service's service_at_locations");
  s = good();
  json_object_set_new(at(s, "attributes.0"), "link_id", json_string(other));
  expect_one(s, NULL, "attributes[0].link_id", "the service it belongs to");
  s = good();
  json_object_set_new(at(s, "attributes.0"), "taxonomy_term_id", json_string(other));
  expect_one(s, NULL, "attributes[0].taxonomy_term_id", "does not match taxonomy_term.id");
  s = good();
  json_object_del(at(s, "attributes.0"), "taxonomy_term_id");
  json_object_del(at(s, "attributes.0"), "taxonomy_term");
  expect_one(s, NULL, "attributes[0]", "give taxonomy_term_id or a nested taxonomy_term");
  s = good();
  json_array_append(json_object_get(s, "cost_options"), at(s, "cost_options.0"));
  expect_one(s, NULL, "cost_options[1].id", "also the id of entry 0 of this list");
}

static struct oruk_vocab *builtin_vocab(struct content **c)
{
  char err[256];
  *c = content_load(NULL, err, sizeof err);
  assert_non_null(*c);
  struct oruk_vocab *v = directory_vocab_load(*c, err, sizeof err);
  if (!v)
    fail_msg("%s", err);
  return v;
}

static void test_firstdays_terms(void **state)
{
  (void)state;
  struct content *c;
  struct oruk_vocab *v = builtin_vocab(&c);
  const struct oruk_vocab_term *feeding = oruk_vocab_term_by_slug(v, "firstdays needs", "feeding");
  assert_non_null(feeding);
  assert_string_equal(feeding->name, "Feeding");
  assert_non_null(oruk_vocab_term_by_slug(v, "firstdays referral routes", "professionals-only"));
  assert_non_null(oruk_vocab_term_by_slug(v, "firstdays stages", "1-2-years"));
  assert_null(oruk_vocab_term_by_slug(v, "firstdays needs", "no-such-need"));

  /* A term that claims a firstdays taxonomy but is not in it. */
  json_t *s = good();
  json_object_set_new(at(s, "attributes.0.taxonomy_term"), "taxonomy_id",
                      json_string(feeding->taxonomy_id));
  expect_one(s, v, "attributes[0].taxonomy_term.id", "is not a term of the firstdays taxonomy");
  /* A firstdays term filed under another taxonomy. */
  s = good();
  json_t *term = at(s, "attributes.0.taxonomy_term");
  json_object_set_new(term, "id", json_string(feeding->id));
  json_object_set_new(at(s, "attributes.0"), "taxonomy_term_id", json_string(feeding->id));
  json_object_set_new(term, "taxonomy_id", json_string("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"));
  expect_one(s, v, "attributes[0].taxonomy_term.taxonomy_id",
             "is not the taxonomy of term 'feeding'");
  /* The right one passes. */
  s = good();
  term = at(s, "attributes.0.taxonomy_term");
  json_object_set_new(term, "id", json_string(feeding->id));
  json_object_set_new(at(s, "attributes.0"), "taxonomy_term_id", json_string(feeding->id));
  json_object_set_new(term, "taxonomy_id", json_string(feeding->taxonomy_id));
  struct collected col = {.n = 0};
  assert_int_equal(oruk_validate_service(s, v, collect, &col), 0);
  json_decref(s);
  oruk_vocab_free(v);
  content_free(c);
}

static void test_not_an_object(void **state)
{
  (void)state;
  json_t *s = json_string("hello");
  expect_one(s, NULL, "", "a service must be a JSON object, not text");
}

static void test_limits(void **state)
{
  (void)state;
  json_t *s = good();
  char *big = malloc(ORUK_MAX_TEXT + 2);
  memset(big, 'x', ORUK_MAX_TEXT + 1);
  big[ORUK_MAX_TEXT + 1] = '\0';
  json_object_set_new(s, "description", json_string(big));
  free(big);
  expect_one(s, NULL, "description", "too long");
  s = good();
  json_t *many = json_array();
  for (int i = 0; i <= ORUK_MAX_ITEMS; i++)
    json_array_append_new(many, json_object());
  json_object_set_new(s, "funding", many);
  expect_one(s, NULL, "funding", "too long; firstdays takes at most");
}

static void test_canonicalise(void **state)
{
  (void)state;
  json_t *v = load("{\"a\":null,\"b\":\"\",\"c\":[],\"d\":{},\"e\":{\"f\":null},\"g\":[null,1,{}],"
                   "\"h\":0,\"i\":false,\"j\":\"x\"}");
  oruk_canonicalise(v);
  char *out = json_dumps(v, JSON_COMPACT);
  assert_string_equal(out, "{\"g\":[1,{}],\"h\":0,\"i\":false,\"j\":\"x\"}");
  free(out);
  json_decref(v);
  assert_true(oruk_is_uuid(SID));
  assert_true(oruk_is_uuid("2F6B3C1E-8D4A-4C1B-9F2E-7A5D6C4B3A21"));
  assert_false(oruk_is_uuid("2f6b3c1e8d4a4c1b9f2e7a5d6c4b3a21"));
  assert_false(oruk_is_uuid("2f6b3c1e-8d4a-4c1b-9f2e-7a5d6c4b3a2"));
}

/* Every service of the demo directory is valid and carries the firstdays
 * additions: a need, a stage, a referral route with instructions, the demo
 * flag, a last-checked date, and "demo" in the description. */
static void test_demo_directory_is_valid(void **state)
{
  (void)state;
  struct content *c;
  struct oruk_vocab *v = builtin_vocab(&c);
  const struct content_file *f = content_get(c, "demo/directory.ndjson");
  assert_non_null(f);
  const char *p = f->data;
  size_t services = 0;
  while (*p) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    json_error_t jerr;
    json_t *s = json_loadb(p, len, JSON_REJECT_DUPLICATES, &jerr);
    assert_non_null(s);
    struct collected col = {.n = 0};
    size_t n = oruk_validate_service(s, v, collect, &col);
    for (size_t i = 0; i < col.n; i++)
      fprintf(stderr, "    %s: %s\n", json_string_value(json_object_get(s, "name")), col.lines[i]);
    assert_int_equal(n, 0);
    bool need = false, stage = false, route = false, demo = false;
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(s, "attributes"), i, a)
    {
      const char *type = json_string_value(json_object_get(a, "link_type"));
      const struct oruk_vocab_term *t =
          oruk_vocab_term_by_id(v, json_string_value(json_object_get(a, "taxonomy_term_id")));
      assert_non_null(t);
      need |= strcmp(type, "need") == 0 && strcmp(t->taxonomy, "firstdays needs") == 0;
      stage |= strcmp(type, "stage") == 0 && strcmp(t->taxonomy, "firstdays stages") == 0;
      if (strcmp(type, "referral_route") == 0) {
        assert_string_equal(t->taxonomy, "firstdays referral routes");
        assert_true(json_string_length(json_object_get(a, "value")) > 10);
        route = true;
      }
      demo |= strcmp(type, "listing_flag") == 0 && strcmp(t->slug, "demo") == 0;
    }
    assert_true(need && stage && route && demo);
    assert_non_null(json_object_get(s, "assured_date"));
    assert_non_null(strstr(json_string_value(json_object_get(s, "description")), "Demo listing"));
    json_decref(s);
    services++;
    p = nl ? nl + 1 : p + len;
  }
  assert_true(services >= 35 && services <= 50);
  oruk_vocab_free(v);
  content_free(c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_good_service_passes),
      cmocka_unit_test(test_required_fields),
      cmocka_unit_test(test_uuids_at_every_level),
      cmocka_unit_test(test_enums),
      cmocka_unit_test(test_numbers),
      cmocka_unit_test(test_dates_and_times),
      cmocka_unit_test(test_formats),
      cmocka_unit_test(test_foreign_keys),
      cmocka_unit_test(test_firstdays_terms),
      cmocka_unit_test(test_not_an_object),
      cmocka_unit_test(test_limits),
      cmocka_unit_test(test_canonicalise),
      cmocka_unit_test(test_demo_directory_is_valid),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
