/* content.h: the content files (Markdown pages, awareness-week years, resources,
 * schedules, instruments). The defaults are built into the binary; a
 * deployment's --content DIR overlays them file by file (a file in DIR with the
 * same relative path replaces the built-in one; new files are added).
 * The struct content is immutable once loaded and shared by all threads. */
#ifndef FD_CONTENT_H
#define FD_CONTENT_H
#include "../lib/buf.h"
#include <stdbool.h>
#include <stddef.h>

struct content;

struct content_file {
  const char *name; /* relative path, e.g. "pages/bonding.md" */
  const char *data; /* NUL-terminated */
  size_t len;
  bool local;       /* from the deployment's folder, not built in */
  const char *builtin_data; /* the built-in file it replaces, or NULL */
  size_t builtin_len;
  bool hidden;      /* set aside by content_set_aside: neither listed nor found */
};

/* Load built-in content, then overlay dir (may be NULL). On a read error
 * returns NULL and writes a message naming the file into err. Caller frees
 * with content_free(). */
struct content *content_load(const char *dir, char *err, size_t errlen);
void content_free(struct content *c);
/* The deployment's own file that the message msg names (the longest such
 * name), or NULL when it names none: the loaders' messages start with the
 * file's name. */
const char *content_local_named(const struct content *c, const char *msg);
/* Set the deployment's file name aside, after it failed to load: the
 * built-in file of that name takes its place again, or, where there is
 * none, the name is no longer there. False when name is not a file of the
 * deployment's. Call only while loading, before the content is shared. */
bool content_set_aside(struct content *c, const char *name);
/* Look up a file by relative path; NULL when absent. */
const struct content_file *content_get(const struct content *c, const char *name);
/* All files whose name starts with prefix, sorted by name. Returns the count;
 * *out points into c (do not free). */
size_t content_list(const struct content *c, const char *prefix,
                    const struct content_file *const **out);

/* A Markdown document with optional front matter:
 *   ---
 *   title: Bonding with your baby
 *   description: ...
 *   ---
 *   body
 * Front matter keys are lower-case words; values run to the end of the line. */
struct content_doc {
  char *keys[32];
  char *vals[32];
  size_t nmeta;
  char *html; /* rendered body (md4c, raw HTML in the source is not passed through) */
};
/* Parse and render. Returns false with a message in err when the front matter
 * is malformed. Caller frees with content_doc_free(). */
bool content_doc_parse(const char *text, size_t len, struct content_doc *d, char *err,
                       size_t errlen);
void content_doc_free(struct content_doc *d);
/* Front matter value for key, or NULL. */
const char *content_doc_meta(const struct content_doc *d, const char *key);
/* Render Markdown to HTML, appending to out. Raw HTML in the input is escaped. */
bool content_markdown(const char *md, size_t len, struct buf *out);

#endif
