/* pages.h: the Markdown pages under content/pages/, rendered once at start. */
#ifndef FD_PAGES_H
#define FD_PAGES_H
#include "../content/content.h"
#include <stdbool.h>
#include <stddef.h>

struct page {
  char *slug;        /* "bonding" for content/pages/bonding.md, served at /bonding */
  char *title;       /* front matter "title" (required) */
  char *description; /* front matter "description" (required) */
  char *nav;         /* front matter "nav" (optional) */
  char *html;        /* rendered body */
  bool quick_exit;   /* front matter "quick_exit: yes": an "Exit this page" button (H5) */
};

struct page_cache {
  struct page *pages;
  size_t n;
};

/* Render every .md file under content/pages/. A page without a title or description, or
 * with malformed front matter, is an error naming the file. */
struct page_cache *pages_build(const struct content *c, char *err, size_t errlen);
void pages_free(struct page_cache *pc);
const struct page *pages_find(const struct page_cache *pc, const char *slug);

#endif
