/* conf.c: configuration defaults, file reader and setters. */
#include "conf.h"
#include "util.h"
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_str(char **dst, const char *v)
{
  free(*dst);
  *dst = v ? xstrdup(v) : NULL;
}

void conf_defaults(struct config *cfg)
{
  memset(cfg, 0, sizeof *cfg);
  set_str(&cfg->listen, "127.0.0.1:8080");
  set_str(&cfg->db_path, "firstdays.db");
  set_str(&cfg->org_name, "Demo Family Hub");
  set_str(&cfg->service_name, "firstdays");
  set_str(&cfg->area_name, "Demo area");
  set_str(&cfg->colour, "#005eb8");
  set_str(&cfg->base_url, CONF_DEFAULT_BASE_URL);
  cfg->epds_threshold = 13;
  cfg->session_idle_min = 30;
  cfg->session_max_hours = 12;
  set_str(&cfg->key_file, "firstdays.key");
  set_str(&cfg->oidc_name, "Sign in with your organisation's account");
}

/* WCAG 2.2 AA contrast for normal text (1.4.3): the header's text and links
 * are white on the configured colour. */
#define CONF_MIN_CONTRAST 4.5

/* One sRGB channel (0..255) as linear light, as WCAG defines it. */
static double linear_channel(unsigned v)
{
  double c = v / 255.0;
  return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double contrast_with_white(const char *hex)
{
  unsigned rgb[3];
  size_t n = strlen(hex + 1);
  for (int i = 0; i < 3; i++) {
    char part[3] = {hex[1 + (n == 3 ? i : 2 * i)], hex[1 + (n == 3 ? i : 2 * i + 1)], '\0'};
    rgb[i] = (unsigned)strtoul(part, NULL, 16);
  }
  double lum = 0.2126 * linear_channel(rgb[0]) + 0.7152 * linear_channel(rgb[1]) +
               0.0722 * linear_channel(rgb[2]);
  return 1.05 / (lum + 0.05);
}

static bool parse_uint(const char *v, unsigned max, unsigned *out)
{
  if (!*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 9)
    return false;
  unsigned long n = strtoul(v, NULL, 10);
  if (n > max)
    return false;
  *out = (unsigned)n;
  return true;
}

bool conf_set(struct config *cfg, const char *key, const char *v, char *err, size_t errlen)
{
  static const struct {
    const char *key;
    size_t off;
  } strs[] = {
      {"listen", offsetof(struct config, listen)},
      {"db", offsetof(struct config, db_path)},
      {"content", offsetof(struct config, content_dir)},
      {"org_name", offsetof(struct config, org_name)},
      {"service_name", offsetof(struct config, service_name)},
      {"area_name", offsetof(struct config, area_name)},
      {"logo", offsetof(struct config, logo_path)},
      {"colour", offsetof(struct config, colour)},
      {"base_url", offsetof(struct config, base_url)},
      {"contact_phone", offsetof(struct config, contact_phone)},
      {"contact_email", offsetof(struct config, contact_email)},
      {"contact_address", offsetof(struct config, contact_address)},
      {"epds_wording", offsetof(struct config, epds_wording)},
      {"smtp_url", offsetof(struct config, smtp_url)},
      {"smtp_user", offsetof(struct config, smtp_user)},
      {"smtp_password_file", offsetof(struct config, smtp_password_file)},
      {"mail_from", offsetof(struct config, mail_from)},
      {"key_file", offsetof(struct config, key_file)},
      {"oidc_issuer", offsetof(struct config, oidc_issuer)},
      {"oidc_client_id", offsetof(struct config, oidc_client_id)},
      {"oidc_client_secret_file", offsetof(struct config, oidc_client_secret_file)},
      {"oidc_name", offsetof(struct config, oidc_name)},
  };
  for (size_t i = 0; i < ARRAY_LEN(strs); i++) {
    if (strcmp(key, strs[i].key) == 0) {
      if (strcmp(key, "colour") == 0) {
        size_t n = strlen(v);
        if (v[0] != '#' || (n != 7 && n != 4) || strspn(v + 1, "0123456789abcdefABCDEF") != n - 1) {
          snprintf(err, errlen, "colour must be a hex colour such as #005eb8, not '%s'", v);
          return false;
        }
        double ratio = contrast_with_white(v);
        if (ratio < CONF_MIN_CONTRAST) {
          /* Rounded down, so a ratio just short of the minimum never reads as enough. */
          snprintf(err, errlen,
                   "colour %s has a contrast ratio of %.2f:1 with the header's white text; it "
                   "needs at least %.1f:1 (WCAG 2.2 AA, 1.4.3). Choose a darker colour, such as "
                   "#005eb8",
                   v, floor(ratio * 100) / 100, CONF_MIN_CONTRAST);
          return false;
        }
      }
      if (strcmp(key, "smtp_url") == 0 && *v && !str_starts(v, "smtp://") &&
          !str_starts(v, "smtps://")) {
        snprintf(err, errlen, "smtp_url must start with smtp:// or smtps://, not '%s'", v);
        return false;
      }
      if (strcmp(key, "oidc_issuer") == 0 && *v && !str_starts(v, "https://") &&
          !str_starts(v, "http://127.0.0.1") && !str_starts(v, "http://localhost")) {
        snprintf(err, errlen,
                 "oidc_issuer must be an https:// address (http:// only on loopback), not '%s'",
                 v);
        return false;
      }
      if (strcmp(key, "mail_from") == 0 && *v &&
          (!strchr(v, '@') || strpbrk(v, " <>\r\n\t,;\"") != NULL)) {
        snprintf(err, errlen, "mail_from must be one plain address such as firstdays@example.org, not '%s'", v);
        return false;
      }
      if (strcmp(key, "base_url") == 0 && !str_starts(v, "http://") && !str_starts(v, "https://")) {
        snprintf(err, errlen, "base_url must start with http:// or https://, not '%s'", v);
        return false;
      }
      set_str((char **)((char *)cfg + strs[i].off), *v ? v : NULL);
      return true;
    }
  }
  static const struct {
    const char *key;
    size_t off;
    unsigned max;
  } nums[] = {
      {"threads", offsetof(struct config, threads), 256},
      {"max_connections", offsetof(struct config, max_connections), 100000},
      {"per_ip_connections", offsetof(struct config, per_ip), 100000},
      {"timeout", offsetof(struct config, timeout_s), 3600},
      {"head_timeout", offsetof(struct config, head_timeout_s), 3600},
      {"body_timeout", offsetof(struct config, body_timeout_s), 3600},
      {"session_idle_minutes", offsetof(struct config, session_idle_min), 24 * 60},
      {"session_max_hours", offsetof(struct config, session_max_hours), 7 * 24},
  };
  for (size_t i = 0; i < ARRAY_LEN(nums); i++) {
    if (strcmp(key, nums[i].key) == 0) {
      if (!parse_uint(v, nums[i].max, (unsigned *)((char *)cfg + nums[i].off))) {
        snprintf(err, errlen, "%s must be a whole number from 0 to %u, not '%s'", key, nums[i].max, v);
        return false;
      }
      return true;
    }
  }
  if (strcmp(key, "epds_threshold") == 0) {
    if (strcmp(v, "13") != 0 && strcmp(v, "10") != 0) {
      snprintf(err, errlen, "epds_threshold must be 13 (default) or 10 (higher sensitivity), not '%s'", v);
      return false;
    }
    cfg->epds_threshold = atoi(v);
    return true;
  }
  if (strcmp(key, "quiet") == 0 || strcmp(key, "require_2fa") == 0) {
    if (strcmp(v, "yes") && strcmp(v, "no") && strcmp(v, "true") && strcmp(v, "false")) {
      snprintf(err, errlen, "%s must be yes or no, not '%s'", key, v);
      return false;
    }
    *(key[0] == 'q' ? &cfg->quiet : &cfg->require_2fa) = v[0] == 'y' || v[0] == 't';
    return true;
  }
  snprintf(err, errlen, "unknown setting '%s'", key);
  return false;
}

bool conf_load_file(struct config *cfg, const char *path, char *err, size_t errlen)
{
  size_t len;
  char *text = file_read_all(path, &len);
  if (!text) {
    snprintf(err, errlen, "cannot read config file %s: %s", path, strerror(errno));
    return false;
  }
  int lineno = 0;
  bool ok = true;
  /* Walk the lines by hand: blank lines must count towards the line numbers. */
  for (char *line = text, *next; ok && line; line = next) {
    lineno++;
    next = strchr(line, '\n');
    if (next)
      *next++ = '\0';
    char *p = line;
    while (isspace((unsigned char)*p))
      p++;
    size_t n = strlen(p);
    while (n && isspace((unsigned char)p[n - 1]))
      p[--n] = '\0';
    if (!*p || *p == '#')
      continue;
    char *eq = strchr(p, '=');
    if (!eq) {
      snprintf(err, errlen, "%s line %d: expected 'key = value'", path, lineno);
      ok = false;
      break;
    }
    char *k = p, *ke = eq;
    while (ke > k && isspace((unsigned char)ke[-1]))
      ke--;
    *ke = '\0';
    char *v = eq + 1;
    while (isspace((unsigned char)*v))
      v++;
    char sub[256];
    if (!conf_set(cfg, k, v, sub, sizeof sub)) {
      snprintf(err, errlen, "%s line %d: %s", path, lineno, sub);
      ok = false;
    }
  }
  free(text);
  return ok;
}

void conf_free(struct config *cfg)
{
  char **strs[] = {&cfg->listen,        &cfg->db_path,       &cfg->content_dir,
                   &cfg->org_name,      &cfg->service_name,  &cfg->area_name,
                   &cfg->logo_path,     &cfg->colour,        &cfg->base_url,
                   &cfg->contact_phone, &cfg->contact_email, &cfg->contact_address,
                   &cfg->epds_wording,  &cfg->smtp_url,      &cfg->smtp_user,
                   &cfg->smtp_password_file, &cfg->mail_from, &cfg->key_file,
                   &cfg->oidc_issuer,   &cfg->oidc_client_id, &cfg->oidc_client_secret_file,
                   &cfg->oidc_name};
  for (size_t i = 0; i < ARRAY_LEN(strs); i++)
    set_str(strs[i], NULL);
}
