/* statics.c: the static file table and its handler. */
#include "statics.h"
#include "web.h"
#include "../content/embedded.h"
#include "../lib/gz.h"
#include "../lib/util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *ctype_for(const char *name)
{
  static const struct {
    const char *ext, *ctype;
  } t[] = {{".css", "text/css; charset=utf-8"},
           {".js", "application/javascript; charset=utf-8"},
           {".mjs", "application/javascript; charset=utf-8"},
           {".svg", "image/svg+xml"},
           {".png", "image/png"},
           {".ico", "image/x-icon"},
           {".json", "application/manifest+json"},
           {".txt", "text/plain; charset=utf-8"}};
  for (size_t i = 0; i < ARRAY_LEN(t); i++)
    if (str_ends(name, t[i].ext))
      return t[i].ctype;
  return "application/octet-stream";
}

static void add(struct static_files *s, const char *url, const void *data, size_t len, void *owned)
{
  s->files = xrealloc(s->files, (s->n + 1) * sizeof *s->files);
  struct static_file *f = &s->files[s->n++];
  memset(f, 0, sizeof *f);
  f->url = xstrdup(url);
  f->ctype = ctype_for(url);
  f->data = data;
  f->len = len;
  f->owned = owned;
  unsigned long long h = 1469598103934665603ULL;
  const unsigned char *p = data;
  for (size_t i = 0; i < len; i++)
    h = (h ^ p[i]) * 1099511628211ULL;
  snprintf(f->hash, sizeof f->hash, "%016llx", h);
  snprintf(f->etag, sizeof f->etag, "\"%.16s\"", f->hash);
  size_t ulen = strlen(url);
  f->versioned_url = xmalloc(ulen + 4 + sizeof f->hash);
  memcpy(f->versioned_url, url, ulen);
  memcpy(f->versioned_url + ulen, "?v=", 3);
  memcpy(f->versioned_url + ulen + 3, f->hash, sizeof f->hash);
  if (gz_compressible(f->ctype) && len > 256) {
    struct buf out = BUF_INIT;
    if (gz_compress(data, len, 9, &out) && out.len < len) {
      f->gz = buf_take(&out, &f->gz_len);
    } else {
      buf_free(&out);
    }
  }
}

static bool valid_colour(const char *c)
{
  if (!c || c[0] != '#' || (strlen(c) != 7 && strlen(c) != 4))
    return false;
  return strspn(c + 1, "0123456789abcdefABCDEF") == strlen(c) - 1;
}

struct static_files *statics_build(const struct config *cfg, char *err, size_t errlen)
{
  struct static_files *s = xcalloc(1, sizeof *s);
  for (unsigned long i = 0; i < embedded_count; i++) {
    const struct embedded_file *f = &embedded_files[i];
    char url[512];
    if (str_starts(f->name, "static/"))
      snprintf(url, sizeof url, "/%s", f->name);
    else if (str_starts(f->name, "nhsuk/assets/"))
      snprintf(url, sizeof url, "/%s", f->name + 6);
    else if (str_starts(f->name, "nhsuk/"))
      snprintf(url, sizeof url, "/static/%s", f->name);
    else
      continue;
    add(s, url, f->data, f->len, NULL);
  }
  /* The theme: header colour from the configuration. */
  const char *colour = valid_colour(cfg->colour) ? cfg->colour : "#005eb8";
  struct buf theme = BUF_INIT;
  buf_printf(&theme,
             "/* Generated from the deployment's configuration. */\n"
             ".nhsuk-header, .nhsuk-header__navigation { background-color: %s; }\n"
             ".app-urgent-banner { border-left-color: #d5281b; }\n",
             colour);
  size_t tlen;
  char *t = buf_take(&theme, &tlen);
  add(s, "/static/theme.css", t, tlen, t);
  if (cfg->logo_path) {
    size_t llen;
    char *logo = file_read_all(cfg->logo_path, &llen);
    if (!logo) {
      snprintf(err, errlen, "cannot read logo %s: %s", cfg->logo_path, strerror(errno));
      statics_free(s);
      return NULL;
    }
    const char *ext = str_ends(cfg->logo_path, ".svg") ? "svg" : "png";
    if (!str_ends(cfg->logo_path, ".svg") && !str_ends(cfg->logo_path, ".png")) {
      snprintf(err, errlen, "logo %s must be an .svg or .png file", cfg->logo_path);
      free(logo);
      statics_free(s);
      return NULL;
    }
    char url[64];
    snprintf(url, sizeof url, "/static/logo.%s", ext);
    add(s, url, logo, llen, logo);
  }
  return s;
}

void statics_free(struct static_files *s)
{
  if (!s)
    return;
  for (size_t i = 0; i < s->n; i++) {
    free(s->files[i].url);
    free(s->files[i].versioned_url);
    free(s->files[i].gz);
    free(s->files[i].owned);
  }
  free(s->files);
  free(s);
}

const struct static_file *statics_find(const struct static_files *s, const char *url)
{
  for (size_t i = 0; i < s->n; i++)
    if (strcmp(s->files[i].url, url) == 0)
      return &s->files[i];
  return NULL;
}

void web_static(struct http_req *rq, struct http_resp *rs)
{
  const struct static_file *f = statics_find(rq->app->statics, rq->path);
  if (!f) {
    web_render_error(rq, rs, 404, "not_found", "We could not find the file you were looking for.");
    return;
  }
  rs->content_type = f->ctype;
  rs->static_body = f->data;
  rs->static_len = f->len;
  rs->static_gz = f->gz;
  rs->static_gz_len = f->gz_len;
  rs->etag = f->etag;
  const char *v = http_query(rq, "v");
  rs->cache = (v && strcmp(v, f->hash) == 0) ? HTTP_CACHE_IMMUTABLE : HTTP_CACHE_DAY;
}
