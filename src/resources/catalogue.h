/* catalogue.h: the curated list of external resources shown on /resources,
 * loaded from content/resources.json, and the pure filter behind the page's
 * stage and topic choices. Immutable once loaded; shared by all threads. */
#ifndef FD_CATALOGUE_H
#define FD_CATALOGUE_H
#include "../content/content.h"
#include <stdbool.h>
#include <stddef.h>

#define CATALOGUE_MAX_TERMS 32 /* stages or topics: each is one bit of a mask */

struct catalogue_term {
  char *id;    /* used in the query string: "pregnancy", "play-and-talk" */
  char *label; /* shown to people: "Pregnancy", "Play and talk" */
};

struct catalogue_entry {
  char *title;
  char *url; /* http(s) address, checked at load */
  char *organisation;
  char *description; /* in our own words */
  unsigned stages;   /* bit i set: stages[i] applies */
  unsigned topics;   /* bit i set: topics[i] applies */
};

struct resource_catalogue {
  struct catalogue_term *stages;
  size_t nstages;
  struct catalogue_term *topics;
  size_t ntopics;
  struct catalogue_entry *entries; /* in the order of the file */
  size_t n;
};

/* Parse the JSON text of a catalogue. file names the source in messages. On
 * a problem returns NULL and err names the file, the resource and the field.
 * Caller frees with catalogue_free(). */
struct resource_catalogue *catalogue_parse(const char *json, size_t len, const char *file,
                                           char *err, size_t errlen);
/* Parse content/resources.json from loaded content (missing file: an error). */
struct resource_catalogue *catalogue_load(const struct content *c, char *err, size_t errlen);
void catalogue_free(struct resource_catalogue *cat);

/* What the visitor asked for: an index into stages / topics, or -1 for any. */
struct catalogue_query {
  int stage;
  int topic;
};

enum catalogue_status {
  CATALOGUE_OK = 0,
  CATALOGUE_BAD_STAGE = 1 << 0, /* stage is not one of the stage ids */
  CATALOGUE_BAD_TOPIC = 1 << 1, /* topic is not one of the topic ids */
};

/* Turn the raw query values (NULL or "" meaning any; ids compared without
 * regard to case) into a query. Returns CATALOGUE_OK, or a mask of the bad
 * parts; the good parts are still filled in so the form can keep them. */
unsigned catalogue_query_parse(const struct resource_catalogue *cat, const char *stage,
                               const char *topic, struct catalogue_query *q);
/* Indexes of the entries matching q, in file order, written to out (room for
 * cat->n). Returns how many match. */
size_t catalogue_filter(const struct resource_catalogue *cat, struct catalogue_query q,
                        size_t *out);

#endif
