/* claims.h: the ids a service takes in the directory index, and the rule for
 * when the index has to leave a service out because one of them is taken.
 *
 * The index holds each service once by its id and each service_at_location
 * once by its id, under one service. A service whose id, or one of whose
 * service_at_location ids, another service has taken already (or that repeats
 * one of its own) cannot be added, and the index leaves it out. The index
 * builder (build.c) and `firstdays import` (import.c) both decide with
 * directory_claims_check(), so that the import refuses exactly what the server
 * would leave out, and says why; each keeps the ids taken in its own tables. Location, contact and other nested ids may
 * be shared; the index does not look them up. */
#ifndef FD_DIRECTORY_CLAIMS_H
#define FD_DIRECTORY_CLAIMS_H
#include <jansson.h>
#include <stdbool.h>

/* Longest id the index keeps, in bytes. */
#define DIRECTORY_ID_MAX 64

struct directory_claims;

/* Why a service cannot take its ids. */
struct directory_refusal {
  char path[64];     /* the field: "id", "service_at_locations[2].id" */
  char id[72];       /* the id in question ("" when it is missing) */
  char holder[72];   /* the service that has it already ("" when none does) */
  char message[320]; /* what is wrong, naming the ids */
};

/* Who holds an id already, asked by the rule: each returns the id of the
 * service that took it, or NULL when none has. */
struct directory_taken {
  const char *(*service)(void *cls, const char *service_id);
  const char *(*place)(void *cls, const char *service_at_location_id);
  void *cls;
};

/* The rule: whether the index can take service (a JSON object with a string
 * "id"; borrowed), given the ids taken so far. Returns false and fills in why
 * for an id already taken (by the service named in why->holder), a
 * service_at_location without a usable id (a string of 1 to DIRECTORY_ID_MAX
 * bytes), or one repeated within the service. Records nothing: a caller that
 * adds the service records its ids itself (the index builder in its own
 * tables; the import through directory_claims_take). */
bool directory_claims_check(const json_t *service, const struct directory_taken *taken,
                            struct directory_refusal *why);

/* An empty set of claims. Free with directory_claims_free(). */
struct directory_claims *directory_claims_new(void);
void directory_claims_free(struct directory_claims *c);

/* The rule over this set: when directory_claims_check allows service, its id
 * and its service_at_locations' ids are taken and true is returned; else
 * nothing is taken and why says what is wrong. */
bool directory_claims_take(struct directory_claims *c, const json_t *service,
                           struct directory_refusal *why);

/* Whether a service with exactly this id has taken its ids. */
bool directory_claims_holds(const struct directory_claims *c, const char *service_id);

#endif
