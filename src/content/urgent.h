/* urgent.h: urgent-help routes (UK). Built into the binary as C data, not a
 * content file, so that no missing or broken file can ever hide them.
 * Source: reference clinical.md section 10 (each entry names its sources). */
#ifndef FD_URGENT_H
#define FD_URGENT_H
#include <stddef.h>

struct urgent_route {
  const char *name;    /* "NHS 111" */
  const char *action;  /* "Call 111 and choose the mental health option" */
  const char *href;    /* "tel:111" */
  const char *when;    /* when to use it */
  const char *details; /* hours, cost, other ways in */
};

extern const struct urgent_route urgent_routes[];
extern const size_t urgent_routes_count;

#endif
