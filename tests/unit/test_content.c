/* test_content.c: content documents (front matter, Markdown with raw HTML
 * escaped) and the built-in content with a --content folder overlay. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "content/content.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool parse(const char *text, struct content_doc *d, char *err, size_t errlen)
{
  return content_doc_parse(text, strlen(text), d, err, errlen);
}

static void front_matter(void **state)
{
  (void)state;
  struct content_doc d;
  char err[256] = "";
  assert_true(parse("---\n"
                    "title: Bonding with your baby\n"
                    "description:   Small, everyday moments: talk, sing, play.  \n"
                    "\n"
                    "nav: bonding\r\n"
                    "---\n"
                    "# Hello\n\nSome *text*.\n",
                    &d, err, sizeof err));
  assert_int_equal(d.nmeta, 3);
  assert_string_equal(content_doc_meta(&d, "title"), "Bonding with your baby");
  /* Value: leading and trailing blanks trimmed, later colons kept. */
  assert_string_equal(content_doc_meta(&d, "description"),
                      "Small, everyday moments: talk, sing, play.");
  assert_string_equal(content_doc_meta(&d, "nav"), "bonding");
  assert_null(content_doc_meta(&d, "missing"));
  assert_non_null(strstr(d.html, "<h1>Hello</h1>"));
  assert_non_null(strstr(d.html, "<em>text</em>"));
  assert_null(strstr(d.html, "title:"));
  content_doc_free(&d);
}

static void no_front_matter(void **state)
{
  (void)state;
  struct content_doc d;
  char err[256];
  assert_true(parse("Just a paragraph.\n", &d, err, sizeof err));
  assert_int_equal(d.nmeta, 0);
  assert_string_equal(d.html, "<p>Just a paragraph.</p>\n");
  content_doc_free(&d);
  assert_true(parse("", &d, err, sizeof err));
  assert_string_equal(d.html, "");
  content_doc_free(&d);
}

static void malformed_front_matter(void **state)
{
  (void)state;
  struct content_doc d;
  char err[256] = "";
  assert_false(parse("---\ntitle: x\nmore: y\n", &d, err, sizeof err));
  assert_non_null(strstr(err, "not closed"));
  assert_false(parse("---\ntitle: x\njust words\n---\nbody\n", &d, err, sizeof err));
  assert_non_null(strstr(err, "line 3"));
  assert_false(parse("---\n: empty key\n---\n", &d, err, sizeof err));
  assert_non_null(strstr(err, "line 2"));
  char many[2048] = "---\n";
  for (int i = 0; i < 33; i++)
    snprintf(many + strlen(many), sizeof many - strlen(many), "k%d: v\n", i);
  strcat(many, "---\n");
  assert_false(parse(many, &d, err, sizeof err));
  assert_non_null(strstr(err, "more than 32 keys"));
  /* A failed parse leaves nothing to free. */
  assert_int_equal(d.nmeta, 0);
  assert_null(d.html);
}

static void raw_html_is_escaped(void **state)
{
  (void)state;
  struct content_doc d;
  char err[256];
  assert_true(parse("---\ntitle: t\n---\n"
                    "<script>alert(1)</script>\n\n"
                    "Text with <img src=x onerror=alert(1)> inline.\n\n"
                    "<div onclick=\"x()\">block</div>\n",
                    &d, err, sizeof err));
  assert_null(strstr(d.html, "<script"));
  assert_null(strstr(d.html, "<img"));
  assert_null(strstr(d.html, "<div"));
  assert_non_null(strstr(d.html, "&lt;script&gt;"));
  assert_non_null(strstr(d.html, "&lt;img"));
  content_doc_free(&d);
}

static void markdown_features(void **state)
{
  (void)state;
  struct buf b = BUF_INIT;
  const char *md = "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ and https://example.org and "
                   "[link](/bonding \"T\")\n";
  assert_true(content_markdown(md, strlen(md), &b));
  assert_non_null(strstr(buf_cstr(&b), "<table>"));
  assert_non_null(strstr(buf_cstr(&b), "<del>old</del>"));
  assert_non_null(strstr(buf_cstr(&b), "<a href=\"https://example.org\">"));
  assert_non_null(strstr(buf_cstr(&b), "<a href=\"/bonding\" title=\"T\">link</a>"));
  buf_free(&b);
}

static void built_in_content(void **state)
{
  (void)state;
  char err[256];
  struct content *c = content_load(NULL, err, sizeof err);
  assert_non_null(c);
  const struct content_file *home = content_get(c, "pages/home.md");
  assert_non_null(home);
  assert_int_equal(strlen(home->data), home->len);
  assert_null(content_get(c, "pages/no-such-page.md"));
  const struct content_file *const *list;
  size_t n = content_list(c, "pages/", &list);
  assert_true(n >= 1);
  for (size_t i = 0; i < n; i++) {
    assert_true(strncmp(list[i]->name, "pages/", 6) == 0);
    if (i)
      assert_true(strcmp(list[i - 1]->name, list[i]->name) < 0);
  }
  assert_int_equal(content_list(c, "no-such-prefix/", &list), 0);
  content_free(c);
}

static void write_file(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void overlay_replaces_and_adds(void **state)
{
  (void)state;
  char dir[] = "/tmp/firstdays-content-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char p[256], q[256], r[256], hidden[256];
  snprintf(p, sizeof p, "%s/pages", dir);
  assert_int_equal(mkdir(p, 0700), 0);
  snprintf(q, sizeof q, "%s/pages/home.md", dir);
  write_file(q, "---\ntitle: Our own home\ndescription: d\n---\nLocal text.\n");
  snprintf(r, sizeof r, "%s/pages/zz-local-extra.md", dir);
  write_file(r, "---\ntitle: Extra\ndescription: d\n---\nMore.\n");
  snprintf(hidden, sizeof hidden, "%s/pages/.hidden.md", dir);
  write_file(hidden, "ignored");

  char err[256];
  struct content *builtin = content_load(NULL, err, sizeof err);
  assert_non_null(builtin);
  const struct content_file *const *list;
  size_t nbuiltin = content_list(builtin, "pages/", &list);

  struct content *c = content_load(dir, err, sizeof err);
  assert_non_null(c);
  const struct content_file *home = content_get(c, "pages/home.md");
  assert_non_null(home);
  assert_non_null(strstr(home->data, "Our own home"));
  const struct content_file *extra = content_get(c, "pages/zz-local-extra.md");
  assert_non_null(extra);
  assert_string_equal(extra->data, "---\ntitle: Extra\ndescription: d\n---\nMore.\n");
  assert_null(content_get(c, "pages/.hidden.md"));
  /* One file replaced, one added. */
  assert_int_equal(content_list(c, "pages/", &list), nbuiltin + 1);
  content_free(c);
  content_free(builtin);

  unlink(q);
  unlink(r);
  unlink(hidden);
  rmdir(p);
  rmdir(dir);
}

static void missing_overlay_dir(void **state)
{
  (void)state;
  char err[256] = "";
  assert_null(content_load("/nonexistent/content", err, sizeof err));
  assert_non_null(strstr(err, "cannot open content folder /nonexistent/content"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(front_matter),        cmocka_unit_test(no_front_matter),
      cmocka_unit_test(malformed_front_matter), cmocka_unit_test(raw_html_is_escaped),
      cmocka_unit_test(markdown_features),   cmocka_unit_test(built_in_content),
      cmocka_unit_test(overlay_replaces_and_adds), cmocka_unit_test(missing_overlay_dir),
  };
  return cmocka_run_group_tests_name("content", tests, NULL, NULL);
}
