/* test_oruk_reader.c: the ORUK record reader decides a file's shape from its
 * first value, never from the length of a line: a page on one line larger
 * than a record is still a page; an NDJSON line longer than a record is
 * refused by its line number and read past without being kept (the reader's
 * buffer stays at the record limit however long the line); the lines after it
 * are read as usual. Also pretty-printed pages and services, a broken first
 * line, and a multi-line value that is too large. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "directory/oruk_reader.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A file made of parts, the middle one a run of one byte repeated n times,
 * produced on the fly so that a 64 MiB line costs the test no memory. */
struct gen {
  const char *head, *tail;
  char fill;
  size_t fill_n;
  size_t pos; /* bytes produced so far */
};

static ssize_t gen_read(void *cookie, char *out, size_t size)
{
  struct gen *g = cookie;
  size_t hl = strlen(g->head), tl = strlen(g->tail), total = hl + g->fill_n + tl, n = 0;
  while (n < size && g->pos < total) {
    size_t p = g->pos;
    if (p < hl) {
      size_t k = hl - p < size - n ? hl - p : size - n;
      memcpy(out + n, g->head + p, k);
      n += k;
      g->pos += k;
    } else if (p < hl + g->fill_n) {
      size_t k = hl + g->fill_n - p < size - n ? hl + g->fill_n - p : size - n;
      memset(out + n, g->fill, k);
      n += k;
      g->pos += k;
    } else {
      size_t k = total - p < size - n ? total - p : size - n;
      memcpy(out + n, g->tail + (p - hl - g->fill_n), k);
      n += k;
      g->pos += k;
    }
  }
  return (ssize_t)n;
}

static FILE *gen_open(struct gen *g)
{
  cookie_io_functions_t io = {.read = gen_read};
  FILE *f = fopencookie(g, "r", io);
  assert_non_null(f);
  return f;
}

struct got {
  enum oruk_rec_kind kind[16];
  char label[16][96];
  char message[16][512];
  size_t text_len[16];
  size_t n;
  size_t max_cap; /* the largest the text buffer grew */
};

static void read_all(FILE *f, struct got *g)
{
  memset(g, 0, sizeof *g);
  struct oruk_reader *r = oruk_reader_new(f);
  struct buf text = BUF_INIT;
  struct oruk_rec rec;
  enum oruk_rec_kind k;
  while ((k = oruk_reader_next(r, &rec, &text)) != ORUK_REC_END) {
    assert_true(g->n < 16);
    g->kind[g->n] = k;
    snprintf(g->label[g->n], sizeof g->label[0], "%s", rec.label);
    snprintf(g->message[g->n], sizeof g->message[0], "%s", rec.message);
    g->text_len[g->n] = k == ORUK_REC_TEXT ? text.len : 0;
    if (k == ORUK_REC_JSON)
      json_decref(rec.value);
    g->n++;
    if (text.cap > g->max_cap)
      g->max_cap = text.cap;
  }
  buf_free(&text);
  oruk_reader_free(r);
  fclose(f);
}

static const char service[] = "{\"id\":\"00000000-0000-4000-8000-000000000001\",\"name\":\"A\"}";

/* A page on one line, 5 MiB long: more than a record, so the old reader took
 * it for an over-long NDJSON line. */
static void test_one_line_page_over_record_limit(void **state)
{
  (void)state;
  struct gen g = {.head = "{\"total_items\":3,\"contents\":[{\"id\":\"a\",\"name\":\"", .fill = 'x',
                  .fill_n = 5u << 20, .tail = "\"},{\"id\":\"b\"},{\"id\":\"c\"}]}\n"};
  struct got got;
  read_all(gen_open(&g), &got);
  assert_int_equal(got.n, 3);
  for (size_t i = 0; i < 3; i++)
    assert_int_equal(got.kind[i], ORUK_REC_JSON);
  assert_string_equal(got.label[0], "contents[0]");
  assert_string_equal(got.label[2], "contents[2]");
}

/* "contents" may come after the other page fields, or first. */
static void test_one_line_page_small(void **state)
{
  (void)state;
  char text[512];
  snprintf(text, sizeof text, "{\"contents\":[%s,%s],\"total_items\":2}\n", service, service);
  struct got got;
  read_all(fmemopen(text, strlen(text), "r"), &got);
  assert_int_equal(got.n, 2);
  assert_int_equal(got.kind[0], ORUK_REC_JSON);
  assert_string_equal(got.label[1], "contents[1]");
}

/* A 64 MiB NDJSON line between two good ones: refused by its line number with
 * the limit, and the reader's buffer never grows past the record limit. */
static void test_long_ndjson_line_is_read_past(void **state)
{
  (void)state;
  char head[256];
  snprintf(head, sizeof head, "%s\n{\"id\":\"", service);
  char tail[256];
  snprintf(tail, sizeof tail, "\"}\n%s\n", service);
  struct gen g = {.head = head, .fill = 'y', .fill_n = 64u << 20, .tail = tail};
  struct got got;
  read_all(gen_open(&g), &got);
  assert_int_equal(got.n, 3);
  assert_int_equal(got.kind[0], ORUK_REC_TEXT);
  assert_string_equal(got.label[0], "line 1");
  assert_int_equal(got.kind[1], ORUK_REC_MESSAGE);
  assert_non_null(strstr(got.message[1], "line 2: the line is longer than 4 MiB (4194304 bytes)"));
  assert_int_equal(got.kind[2], ORUK_REC_TEXT);
  assert_string_equal(got.label[2], "line 3");
  assert_int_equal(got.text_len[2], strlen(service));
  assert_true(got.max_cap <= 2 * ORUK_READER_MAX_RECORD + 1);
}

/* The same when the long line is the first: it is no page, so it is an
 * NDJSON line, refused as line 1, and the file goes on as NDJSON. */
static void test_long_first_line(void **state)
{
  (void)state;
  char tail[256];
  snprintf(tail, sizeof tail, "\"}\n%s\n", service);
  struct gen g = {.head = "{\"id\":\"", .fill = 'z', .fill_n = 9u << 20, .tail = tail};
  struct got got;
  read_all(gen_open(&g), &got);
  assert_int_equal(got.n, 2);
  assert_int_equal(got.kind[0], ORUK_REC_MESSAGE);
  assert_non_null(strstr(got.message[0], "line 1: the line is longer than 4 MiB"));
  assert_int_equal(got.kind[1], ORUK_REC_TEXT);
  assert_string_equal(got.label[1], "line 2");
  assert_true(got.max_cap <= 2 * ORUK_READER_MAX_RECORD + 1);
}

/* A line of exactly the limit is a record; one byte more is refused. */
static void test_limit_is_inclusive(void **state)
{
  (void)state;
  for (size_t extra = 0; extra < 2; extra++) {
    const char *head = "{\"id\":\"", *tail = "\"}\n";
    struct gen g = {.head = head, .fill = 'q',
                    .fill_n = ORUK_READER_MAX_RECORD - strlen(head) - 2 + extra, .tail = tail};
    struct got got;
    read_all(gen_open(&g), &got);
    assert_int_equal(got.n, 1);
    assert_int_equal(got.kind[0], extra ? ORUK_REC_MESSAGE : ORUK_REC_TEXT);
    if (!extra)
      assert_int_equal(got.text_len[0], ORUK_READER_MAX_RECORD);
  }
}

static void test_pretty_page_and_service(void **state)
{
  (void)state;
  const char *page = "{\n  \"total_items\": 1,\n  \"contents\": [\n    {\"id\": \"a\"}\n  ]\n}\n";
  struct got got;
  read_all(fmemopen((void *)page, strlen(page), "r"), &got);
  assert_int_equal(got.n, 1);
  assert_int_equal(got.kind[0], ORUK_REC_JSON);
  assert_string_equal(got.label[0], "contents[0]");
  const char *one = "{\n  \"id\": \"a\",\n  \"name\": \"A\"\n}\n";
  read_all(fmemopen((void *)one, strlen(one), "r"), &got);
  assert_int_equal(got.n, 1);
  assert_int_equal(got.kind[0], ORUK_REC_JSON);
  assert_string_equal(got.label[0], "record 1");
  /* Text after a whole document is refused with its place. */
  const char *two = "{\n  \"id\": \"a\"\n}\n{\"id\": \"b\"}\n";
  read_all(fmemopen((void *)two, strlen(two), "r"), &got);
  assert_int_equal(got.n, 1);
  assert_int_equal(got.kind[0], ORUK_REC_MESSAGE);
  assert_non_null(strstr(got.message[0], "line 4, column 1: unexpected text after the end"));
  const char *page_then = "{\"contents\":[]}\n{\"id\":\"b\"}\n";
  read_all(fmemopen((void *)page_then, strlen(page_then), "r"), &got);
  assert_int_equal(got.n, 1);
  assert_non_null(strstr(got.message[0], "line 2, column 1: unexpected text"));
}

/* A first line that is broken JSON on its own makes the file NDJSON, so the
 * lines after it are still read and checked one by one. */
static void test_broken_first_line(void **state)
{
  (void)state;
  char text[512];
  snprintf(text, sizeof text, "{\"id\" \"a\", [\n%s\n", service);
  struct got got;
  read_all(fmemopen(text, strlen(text), "r"), &got);
  assert_int_equal(got.n, 2);
  assert_int_equal(got.kind[0], ORUK_REC_TEXT);
  assert_string_equal(got.label[0], "line 1");
  assert_string_equal(got.label[1], "line 2");
}

/* A value over several lines that is no page may be no larger than a record. */
static void test_big_multiline_value(void **state)
{
  (void)state;
  struct gen g = {.head = "{\n\"id\": \"", .fill = 'w', .fill_n = 5u << 20, .tail = "\"\n}\n"};
  struct got got;
  read_all(gen_open(&g), &got);
  assert_int_equal(got.n, 1);
  assert_int_equal(got.kind[0], ORUK_REC_MESSAGE);
  assert_non_null(strstr(got.message[0], "is not a page with \"contents\"; a service must be"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_one_line_page_over_record_limit),
      cmocka_unit_test(test_one_line_page_small),
      cmocka_unit_test(test_long_ndjson_line_is_read_past),
      cmocka_unit_test(test_long_first_line),
      cmocka_unit_test(test_limit_is_inclusive),
      cmocka_unit_test(test_pretty_page_and_service),
      cmocka_unit_test(test_broken_first_line),
      cmocka_unit_test(test_big_multiline_value),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
