/* entry.h: reading the facts a person needs from one fully nested ORUK
 * service (jansson): how to be referred, who it is for, when it was last
 * checked, phone numbers, opening times. firstdays carries its own facts as
 * ORUK attributes (docs/directory-data.md): one attribute per need, stage and
 * referral route, whose taxonomy_term is in the firstdays vocabulary for it
 * (see directory_term_kind()); a referral route's "value" says what to do.
 * The date an entry was last checked is its assured_date.
 * Pure: no I/O. Returned strings are borrowed from the service object. */
#ifndef FD_DIRECTORY_ENTRY_H
#define FD_DIRECTORY_ENTRY_H
#include "index.h"
#include "../lib/date.h"
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct directory_referral {
  const char *code;         /* term code, e.g. "self-referral"; may be NULL */
  const char *name;         /* term name, e.g. "Refer yourself" */
  const char *instructions; /* the attribute's value; may be NULL */
};

/* The service's attribute terms of one kind, in the order given; up to max
 * into out (borrowed taxonomy_term objects). Returns the count. */
size_t directory_entry_terms(const json_t *service, enum directory_kind kind, const json_t **out,
                             size_t max);
/* Referral routes, up to max. Returns the count. */
size_t directory_entry_referrals(const json_t *service, struct directory_referral *out, size_t max);
/* When the entry was last checked: assured_date ("the date that the
 * information about the service was last checked"), else an attribute whose
 * term is "last-checked" (its value), else the date of last_modified. False
 * if none parses. */
bool directory_entry_last_checked(const json_t *service, struct date *out);
/* Phone numbers of the service: service.phones, contacts[].phones and the
 * phones of its locations, without repeats, up to max. */
size_t directory_entry_phones(const json_t *service, const char **out, size_t max);
/* One schedule as a sentence into out: its description if it has one, else
 * built from byday, opens_at and closes_at ("Monday to Friday, 9am to 5pm").
 * "" when the schedule says nothing usable. */
void directory_entry_schedule_text(const json_t *schedule, char *out, size_t n);
/* A time "HH:MM[:SS]" for people: "9am", "9:30am", "midday", "midnight". */
void directory_entry_time_text(int minutes, char *out, size_t n);
/* True for an http:// or https:// address, safe to put in a link. */
bool directory_entry_web_url(const char *url);

#endif
