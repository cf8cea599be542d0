/* area.h: places a person names instead of a full postcode, turned into a
 * point to search around: a postcode district (the outward code, "DM1") from
 * the postcode table, and a town from the towns of the directory's own
 * places. Pure: reads only the immutable index. */
#ifndef FD_DIRECTORY_AREA_H
#define FD_DIRECTORY_AREA_H
#include "index.h"
#include <stdbool.h>
#include <stddef.h>

#define DIRECTORY_OUTWARD_MAX 5  /* "AA9A" and its NUL */
#define DIRECTORY_TOWN_SCAN 2000 /* places read at most to place a town */

/* Normalise in (any case, spaces around it) into out as an outward code
 * ("dm1 " -> "DM1") when it has the shape of one (A9, A99, AA9, AA99, A9A,
 * AA9A with the letters the Royal Mail rules allow). False otherwise (out ""). */
bool directory_outward_normalise(const char *in, char out[DIRECTORY_OUTWARD_MAX]);

/* The centre of the postcodes of outward code out (normalised, "DM1"): the
 * mean of their centroids, into *lat and *lon. Returns how many postcodes the
 * table has in that district; 0 (and *lat, *lon untouched) when none. */
size_t directory_outward_centre(const struct directory_index *ix, const char *outward, double *lat,
                                double *lon);

/* The centre of a town: the mean position of the directory's places whose
 * address city is town (compared without regard to case or the spaces around
 * it), into *lat and *lon, and the town's name as the data writes it into
 * *name (arena memory). Reads at most DIRECTORY_TOWN_SCAN places. Returns how
 * many places are in that town; 0 when none (outputs untouched). */
size_t directory_town_centre(const struct directory_index *ix, const char *town, struct arena *a,
                             double *lat, double *lon, const char **name);

#endif
