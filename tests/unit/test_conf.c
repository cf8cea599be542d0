/* test_conf.c: configuration defaults, the key = value file reader, and the
 * errors for unknown keys and bad values (with the line number). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/conf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Write text to a fresh temporary file; returns its malloc'd path. */
static char *write_temp(const char *text)
{
  char *path = strdup("/tmp/firstdays-conf-XXXXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  size_t n = strlen(text);
  assert_int_equal(write(fd, text, n), (ssize_t)n);
  close(fd);
  return path;
}

/* Load text as a config file over the defaults; returns the result, err filled. */
static bool load(struct config *cfg, const char *text, char *err, size_t errlen)
{
  char *path = write_temp(text);
  conf_defaults(cfg);
  bool ok = conf_load_file(cfg, path, err, errlen);
  unlink(path);
  free(path);
  return ok;
}

static void defaults(void **state)
{
  (void)state;
  struct config cfg;
  conf_defaults(&cfg);
  assert_string_equal(cfg.listen, "127.0.0.1:8080");
  assert_string_equal(cfg.db_path, "firstdays.db");
  assert_null(cfg.content_dir);
  assert_string_equal(cfg.org_name, "Demo Family Hub");
  assert_string_equal(cfg.service_name, "firstdays");
  assert_string_equal(cfg.area_name, "Demo area");
  assert_null(cfg.logo_path);
  assert_string_equal(cfg.colour, "#005eb8");
  assert_string_equal(cfg.base_url, "http://127.0.0.1:8080");
  assert_null(cfg.contact_phone);
  assert_null(cfg.contact_email);
  assert_null(cfg.contact_address);
  assert_null(cfg.epds_wording);
  assert_int_equal(cfg.epds_threshold, 13);
  assert_false(cfg.quiet);
  /* 0 means "use the built-in limit" for these. */
  assert_int_equal(cfg.threads, 0);
  assert_int_equal(cfg.max_connections, 0);
  assert_int_equal(cfg.per_ip, 0);
  assert_int_equal(cfg.timeout_s, 0);
  conf_free(&cfg);
}

static void file_with_comments(void **state)
{
  (void)state;
  struct config cfg;
  char err[512] = "";
  bool ok = load(&cfg,
                 "# Our family hub\n"
                 "\n"
                 "   # an indented comment\n"
                 "org_name = Riverside Family Hub\n"
                 "area_name=Riverside\n"
                 "colour = #AB12cd   \n"
                 "base_url = https://families.example.org\n"
                 "contact_phone = 01234 567890\r\n"
                 "contact_email = hello@example.org\n"
                 "contact_address = 1 High Street, Riverside = town\n"
                 "listen = 0.0.0.0:9000\n"
                 "threads = 4\n"
                 "max_connections = 1000\n"
                 "per_ip_connections = 10\n"
                 "timeout = 15\n"
                 "epds_threshold = 10\n"
                 "quiet = yes\n"
                 "db = /var/lib/firstdays/firstdays.db\n"
                 "content = /etc/firstdays/content\n"
                 "logo = /etc/firstdays/logo.svg\n"
                 "epds_wording = /etc/firstdays/epds.json\n"
                 "service_name = Little Steps",
                 err, sizeof err);
  assert_true(ok);
  assert_string_equal(err, "");
  assert_string_equal(cfg.org_name, "Riverside Family Hub");
  assert_string_equal(cfg.area_name, "Riverside");
  assert_string_equal(cfg.colour, "#AB12cd");
  assert_string_equal(cfg.base_url, "https://families.example.org");
  assert_string_equal(cfg.contact_phone, "01234 567890"); /* CR of a CRLF line dropped */
  assert_string_equal(cfg.contact_address, "1 High Street, Riverside = town");
  assert_string_equal(cfg.listen, "0.0.0.0:9000");
  assert_int_equal(cfg.threads, 4);
  assert_int_equal(cfg.max_connections, 1000);
  assert_int_equal(cfg.per_ip, 10);
  assert_int_equal(cfg.timeout_s, 15);
  assert_int_equal(cfg.epds_threshold, 10);
  assert_true(cfg.quiet);
  assert_string_equal(cfg.db_path, "/var/lib/firstdays/firstdays.db");
  assert_string_equal(cfg.content_dir, "/etc/firstdays/content");
  assert_string_equal(cfg.logo_path, "/etc/firstdays/logo.svg");
  assert_string_equal(cfg.epds_wording, "/etc/firstdays/epds.json");
  assert_string_equal(cfg.service_name, "Little Steps"); /* last line without newline */
  conf_free(&cfg);
}

static void empty_value_clears_optional_string(void **state)
{
  (void)state;
  struct config cfg;
  char err[512];
  assert_true(load(&cfg, "contact_phone = 0800 000\ncontact_phone =\n", err, sizeof err));
  assert_null(cfg.contact_phone);
  conf_free(&cfg);
}

static void unknown_key_names_the_line(void **state)
{
  (void)state;
  struct config cfg;
  char err[512] = "";
  assert_false(load(&cfg, "# comment\norg_name = A\n\norganisation = B\n", err, sizeof err));
  assert_non_null(strstr(err, "line 4"));
  assert_non_null(strstr(err, "unknown setting 'organisation'"));
  conf_free(&cfg);
}

static void line_without_equals(void **state)
{
  (void)state;
  struct config cfg;
  char err[512] = "";
  assert_false(load(&cfg, "org_name = A\norg_name B\n", err, sizeof err));
  assert_non_null(strstr(err, "line 2"));
  assert_non_null(strstr(err, "key = value"));
  conf_free(&cfg);
}

/* The header's text is white on the configured colour: a colour without WCAG
 * AA contrast (4.5:1) is refused with the ratio and what is needed. */
static void colour_needs_contrast(void **state)
{
  (void)state;
  static const struct {
    const char *colour, *ratio; /* ratio NULL: accepted */
  } cases[] = {
      {"#ffff00", "1.07:1"}, {"#fff", "1.00:1"},  {"#f00", "3.99:1"},
      {"#777777", "4.47:1"}, {"#767676", NULL},   {"#005eb8", NULL},
      {"#AB12cd", NULL},     {"#000000", NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct config cfg;
    conf_defaults(&cfg);
    char err[512] = "";
    bool ok = conf_set(&cfg, "colour", cases[i].colour, err, sizeof err);
    if (!cases[i].ratio) {
      assert_true(ok);
      assert_string_equal(cfg.colour, cases[i].colour);
    } else {
      assert_false(ok);
      assert_non_null(strstr(err, cases[i].colour));
      assert_non_null(strstr(err, cases[i].ratio));
      assert_non_null(strstr(err, "needs at least 4.5:1"));
      assert_string_equal(cfg.colour, "#005eb8"); /* unchanged */
    }
    conf_free(&cfg);
  }
}

static void bad_values_rejected(void **state)
{
  (void)state;
  static const struct {
    const char *line, *expect;
  } cases[] = {
      {"colour = blue", "colour must be a hex colour"},
      {"colour = #12345", "colour must be a hex colour"},
      {"colour = #12345g", "colour must be a hex colour"},
      {"colour = 005eb8", "colour must be a hex colour"},
      {"base_url = ftp://example.org", "base_url must start with http:// or https://"},
      {"base_url = example.org", "base_url must start with http://"},
      {"threads = -1", "threads must be a whole number from 0 to 256"},
      {"threads = 257", "threads must be a whole number"},
      {"threads = four", "threads must be a whole number"},
      {"threads =", "threads must be a whole number"},
      {"timeout = 3601", "timeout must be a whole number from 0 to 3600"},
      {"timeout = 1.5", "timeout must be a whole number"},
      {"max_connections = 99999999999", "max_connections must be a whole number"},
      {"per_ip_connections = 0x10", "per_ip_connections must be a whole number"},
      {"epds_threshold = 12", "epds_threshold must be 13 (default) or 10"},
      {"quiet = maybe", "quiet must be yes or no"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct config cfg;
    char err[512] = "", text[256];
    snprintf(text, sizeof text, "# line 1\n%s\n", cases[i].line);
    assert_false(load(&cfg, text, err, sizeof err));
    if (!strstr(err, cases[i].expect) || !strstr(err, "line 2"))
      fail_msg("for '%s' got '%s'", cases[i].line, err);
    conf_free(&cfg);
  }
}

static void first_error_stops_reading(void **state)
{
  (void)state;
  struct config cfg;
  char err[512] = "";
  assert_false(load(&cfg, "colour = red\norg_name = Later\n", err, sizeof err));
  assert_non_null(strstr(err, "line 1"));
  assert_string_equal(cfg.org_name, "Demo Family Hub");
  assert_string_equal(cfg.colour, "#005eb8"); /* a bad value leaves the old one */
  conf_free(&cfg);
}

static void missing_file(void **state)
{
  (void)state;
  struct config cfg;
  char err[512] = "";
  conf_defaults(&cfg);
  assert_false(conf_load_file(&cfg, "/nonexistent/firstdays.conf", err, sizeof err));
  assert_non_null(strstr(err, "cannot read config file /nonexistent/firstdays.conf"));
  conf_free(&cfg);
}

static void set_directly(void **state)
{
  (void)state;
  struct config cfg;
  char err[512] = "";
  conf_defaults(&cfg);
  assert_true(conf_set(&cfg, "org_name", "Flag Hub", err, sizeof err));
  assert_string_equal(cfg.org_name, "Flag Hub");
  assert_true(conf_set(&cfg, "quiet", "true", err, sizeof err));
  assert_true(cfg.quiet);
  assert_true(conf_set(&cfg, "quiet", "no", err, sizeof err));
  assert_false(cfg.quiet);
  assert_false(conf_set(&cfg, "ORG_NAME", "x", err, sizeof err)); /* keys are case-sensitive */
  assert_non_null(strstr(err, "unknown setting 'ORG_NAME'"));
  conf_free(&cfg);
  /* conf_free leaves nothing behind and may be called twice. */
  assert_null(cfg.org_name);
  conf_free(&cfg);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(defaults),
      cmocka_unit_test(file_with_comments),
      cmocka_unit_test(empty_value_clears_optional_string),
      cmocka_unit_test(unknown_key_names_the_line),
      cmocka_unit_test(line_without_equals),
      cmocka_unit_test(bad_values_rejected),
      cmocka_unit_test(colour_needs_contrast),
      cmocka_unit_test(first_error_stops_reading),
      cmocka_unit_test(missing_file),
      cmocka_unit_test(set_directly),
  };
  return cmocka_run_group_tests_name("conf", tests, NULL, NULL);
}
