/* content.c: built-in content with an optional directory overlay, and Markdown
 * rendering through md4c. */
#include "content.h"
#include "embedded.h"
#include "../lib/util.h"
#include <dirent.h>
#include <errno.h>
#include <md4c-html.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct content {
  struct content_file *files;
  const struct content_file **sorted; /* the files not hidden, by name */
  size_t n, cap, nsorted;
  char **owned; /* overlay buffers we must free */
  size_t nowned;
};

static void add_file(struct content *c, const char *name, const char *data, size_t len, bool own)
{
  for (size_t i = 0; i < c->n; i++) {
    if (strcmp(c->files[i].name, name) == 0) {
      if (own && !c->files[i].local) {
        c->files[i].builtin_data = c->files[i].data;
        c->files[i].builtin_len = c->files[i].len;
      }
      c->files[i].data = data;
      c->files[i].len = len;
      c->files[i].local = own;
      goto owned;
    }
  }
  if (c->n == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 64;
    c->files = xrealloc(c->files, c->cap * sizeof *c->files);
  }
  c->files[c->n] = (struct content_file){.name = xstrdup(name), .data = data, .len = len,
                                         .local = own};
  c->n++;
owned:
  if (own) {
    c->owned = xrealloc(c->owned, (c->nowned + 1) * sizeof *c->owned);
    c->owned[c->nowned++] = (char *)data;
  }
}

static bool overlay_dir(struct content *c, const char *root, const char *rel, char *err,
                        size_t errlen)
{
  char path[4096];
  snprintf(path, sizeof path, "%s%s%s", root, *rel ? "/" : "", rel);
  DIR *d = opendir(path);
  if (!d) {
    snprintf(err, errlen, "cannot open content folder %s: %s", path, strerror(errno));
    return false;
  }
  struct dirent *e;
  bool ok = true;
  while (ok && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char sub[4096], full[4096];
    snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
    snprintf(full, sizeof full, "%s/%s", root, sub);
    struct stat st;
    if (stat(full, &st) != 0)
      continue;
    if (S_ISDIR(st.st_mode)) {
      ok = overlay_dir(c, root, sub, err, errlen);
    } else if (S_ISREG(st.st_mode)) {
      size_t len;
      char *data = file_read_all(full, &len);
      if (!data) {
        snprintf(err, errlen, "cannot read content file %s: %s", full, strerror(errno));
        ok = false;
      } else {
        add_file(c, sub, data, len, true);
      }
    }
  }
  closedir(d);
  return ok;
}

static int cmp_file(const void *a, const void *b)
{
  const struct content_file *x = *(const struct content_file *const *)a;
  const struct content_file *y = *(const struct content_file *const *)b;
  return strcmp(x->name, y->name);
}

/* The files not hidden, sorted by name, for content_get and content_list. */
static void sort_files(struct content *c)
{
  c->nsorted = 0;
  for (size_t i = 0; i < c->n; i++)
    if (!c->files[i].hidden)
      c->sorted[c->nsorted++] = &c->files[i];
  qsort(c->sorted, c->nsorted, sizeof *c->sorted, cmp_file);
}

struct content *content_load(const char *dir, char *err, size_t errlen)
{
  struct content *c = xcalloc(1, sizeof *c);
  for (unsigned long i = 0; i < embedded_count; i++) {
    const struct embedded_file *f = &embedded_files[i];
    if (str_starts(f->name, "content/"))
      add_file(c, f->name + 8, (const char *)f->data, f->len, false);
  }
  if (dir && !overlay_dir(c, dir, "", err, errlen)) {
    content_free(c);
    return NULL;
  }
  c->sorted = xmalloc((c->n ? c->n : 1) * sizeof *c->sorted);
  sort_files(c);
  return c;
}

const char *content_local_named(const struct content *c, const char *msg)
{
  const char *best = NULL;
  for (size_t i = 0; i < c->n; i++)
    if (c->files[i].local && !c->files[i].hidden && strstr(msg, c->files[i].name) &&
        (!best || strlen(c->files[i].name) > strlen(best)))
      best = c->files[i].name;
  return best;
}

bool content_set_aside(struct content *c, const char *name)
{
  for (size_t i = 0; i < c->n; i++) {
    struct content_file *f = &c->files[i];
    if (!f->local || f->hidden || strcmp(f->name, name) != 0)
      continue;
    if (f->builtin_data) {
      f->data = f->builtin_data;
      f->len = f->builtin_len;
      f->local = false;
    } else {
      f->hidden = true;
      sort_files(c);
    }
    return true;
  }
  return false;
}

void content_free(struct content *c)
{
  if (!c)
    return;
  for (size_t i = 0; i < c->n; i++)
    free((char *)c->files[i].name);
  for (size_t i = 0; i < c->nowned; i++)
    free(c->owned[i]);
  free(c->owned);
  free(c->files);
  free(c->sorted);
  free(c);
}

const struct content_file *content_get(const struct content *c, const char *name)
{
  size_t lo = 0, hi = c->nsorted;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int r = strcmp(c->sorted[mid]->name, name);
    if (r == 0)
      return c->sorted[mid];
    if (r < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

size_t content_list(const struct content *c, const char *prefix,
                    const struct content_file *const **out)
{
  size_t plen = strlen(prefix), first = c->nsorted, count = 0;
  for (size_t i = 0; i < c->nsorted; i++) {
    if (strncmp(c->sorted[i]->name, prefix, plen) == 0) {
      if (first == c->nsorted)
        first = i;
      count++;
    } else if (first != c->nsorted) {
      break;
    }
  }
  *out = first < c->nsorted ? &c->sorted[first] : NULL;
  return count;
}

static void md_out(const MD_CHAR *text, MD_SIZE size, void *ud)
{
  buf_append(ud, text, size);
}

bool content_markdown(const char *md, size_t len, struct buf *out)
{
  unsigned parser = MD_FLAG_NOHTML | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH |
                    MD_FLAG_PERMISSIVEURLAUTOLINKS | MD_FLAG_PERMISSIVEEMAILAUTOLINKS;
  return md_html(md, (MD_SIZE)len, md_out, out, parser, 0) == 0;
}

bool content_doc_parse(const char *text, size_t len, struct content_doc *d, char *err,
                       size_t errlen)
{
  memset(d, 0, sizeof *d);
  const char *p = text, *end = text + len;
  if (len >= 4 && strncmp(p, "---\n", 4) == 0) {
    p += 4;
    int line = 2;
    for (;;) {
      const char *nl = memchr(p, '\n', (size_t)(end - p));
      if (!nl) {
        snprintf(err, errlen, "front matter is not closed with a line '---'");
        content_doc_free(d);
        return false;
      }
      if (nl - p == 3 && strncmp(p, "---", 3) == 0) {
        p = nl + 1;
        break;
      }
      if (nl > p) {
        const char *colon = memchr(p, ':', (size_t)(nl - p));
        if (!colon || colon == p) {
          snprintf(err, errlen, "front matter line %d is not 'key: value'", line);
          content_doc_free(d);
          return false;
        }
        if (d->nmeta == ARRAY_LEN(d->keys)) {
          snprintf(err, errlen, "front matter has more than %zu keys", ARRAY_LEN(d->keys));
          content_doc_free(d);
          return false;
        }
        const char *v = colon + 1;
        while (v < nl && (*v == ' ' || *v == '\t'))
          v++;
        const char *ve = nl;
        while (ve > v && (ve[-1] == ' ' || ve[-1] == '\r'))
          ve--;
        d->keys[d->nmeta] = xstrndup(p, (size_t)(colon - p));
        d->vals[d->nmeta] = xstrndup(v, (size_t)(ve - v));
        d->nmeta++;
      }
      p = nl + 1;
      line++;
    }
  }
  struct buf out = BUF_INIT;
  if (!content_markdown(p, (size_t)(end - p), &out)) {
    buf_free(&out);
    snprintf(err, errlen, "the Markdown could not be rendered");
    content_doc_free(d);
    return false;
  }
  d->html = buf_take(&out, NULL);
  return true;
}

void content_doc_free(struct content_doc *d)
{
  for (size_t i = 0; i < d->nmeta; i++) {
    free(d->keys[i]);
    free(d->vals[i]);
  }
  free(d->html);
  memset(d, 0, sizeof *d);
}

const char *content_doc_meta(const struct content_doc *d, const char *key)
{
  for (size_t i = 0; i < d->nmeta; i++)
    if (strcmp(d->keys[i], key) == 0)
      return d->vals[i];
  return NULL;
}
