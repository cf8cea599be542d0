/* urgent.h: the urgent-help routes (UK), read from content/urgent/routes.json
 * (the national routes, built in) and a deployment's additions.
 *
 * The national routes can never be hidden by a deployment's content: they are
 * always read from the built-in file. A deployment adds routes in
 * urgent/local.json, or in its own urgent/routes.json that keeps every
 * national route exactly as built in; a file that drops or changes a national
 * route is refused with a message naming it (app_init then sets it aside and
 * the built-in file serves, with /healthz "degraded"). Pure: takes content,
 * never files. Source of every national fact: reference clinical.md
 * section 10 (each route carries its sources). */
#ifndef FD_URGENT_H
#define FD_URGENT_H
#include <stdbool.h>
#include <stddef.h>

struct content;

#define URGENT_MAX_SIGNS 8
#define URGENT_MAX_SOURCES 8
#define URGENT_MAX_ROUTES 32

/* What a route helps with: a bit set. */
enum urgent_topic {
  URGENT_TOPIC_MENTAL_HEALTH = 1u << 0, /* "mental-health" */
  URGENT_TOPIC_PREGNANCY = 1u << 1,     /* "pregnancy" */
  URGENT_TOPIC_BABY = 1u << 2,          /* "baby" */
};

struct urgent_route {
  const char *id;         /* "111" */
  const char *level;      /* "emergency", "urgent" or "non-urgent" (NHS care-card levels) */
  unsigned topics;        /* enum urgent_topic bits */
  const char *name;       /* "NHS 111" */
  const char *action;     /* "Call 111 and choose the mental health option" */
  const char *link_text;  /* the link's words on a card (emergency), or NULL: action */
  const char *href;       /* "tel:111", or NULL */
  const char *when;       /* when to use it, as a phrase starting "if ..." */
  const char *details;    /* hours, cost, other ways in, or NULL */
  const char *short_text; /* in a sentence: "call 111 and choose the mental health option" */
  const char *signs[URGENT_MAX_SIGNS]; /* emergency: the signs listed on the card */
  size_t nsigns;
  const char *sources[URGENT_MAX_SOURCES];
  size_t nsources;
  bool local; /* added by the deployment */
};

struct urgent_set {
  struct urgent_route routes[URGENT_MAX_ROUTES]; /* national first, in file order, then local */
  size_t n, nnational;
  const char *emergency_heading; /* "Call 999 or go to A&E now if:" */
  const char *urgent_heading;    /* "Get help today if you are struggling:" */
  void *docs[3];                 /* parsed documents the strings point into (owned) */
  size_t ndocs;
};

/* The national routes, then the deployment's: the built-in
 * urgent/routes.json always, a deployment's urgent/routes.json when it keeps
 * every national route unchanged, and urgent/local.json when present. Returns
 * NULL with a message starting "content/<file>: " in err. Free with
 * urgent_free(). */
struct urgent_set *urgent_load(const struct content *c, char *err, size_t errlen);
/* The same from texts: national (the built-in urgent/routes.json), overlay
 * (a deployment's urgent/routes.json, or NULL) and local (urgent/local.json,
 * or NULL). Used by urgent_load and the tests. */
struct urgent_set *urgent_parse(const char *national, size_t national_len, const char *overlay,
                                size_t overlay_len, const char *local, size_t local_len, char *err,
                                size_t errlen);
void urgent_free(struct urgent_set *s);
/* The national routes from the file built into the binary, parsed once and
 * kept for the life of the process: what a page shows when it has no loaded
 * set. Never NULL (a broken built-in file aborts; test_urgent checks it). */
const struct urgent_set *urgent_builtin(void);
/* The route with this id, or NULL. */
const struct urgent_route *urgent_find(const struct urgent_set *s, const char *id);
/* "call 111 and choose the mental health option, call Samaritans on 116 123
 * or call 999 if a life is at risk now": the short phrases of the routes
 * named by ids (unknown ids left out), joined with commas and "or". Into out. */
void urgent_join_short(const struct urgent_set *s, const char *const *ids, size_t n, char *out,
                       size_t outlen);

#endif
