/* commands.c: subcommands contributed by capabilities (import, export, ...).
 * Each adds one row to the table below. */
#include "commands.h"
#include "directory/import.h"
#include "store/copy.h"

static const struct command extra[] = {
    {"import", directory_cmd_import, "import directory services (ORUK) or postcodes (ONSPD)"},
    {"export", directory_cmd_export, "export the directory as ORUK NDJSON"},
    {"db", store_cmd_db, "copy a SQLite database into PostgreSQL (db copy)"},
    {NULL, NULL, NULL},
};

const struct command *extra_commands(size_t *n)
{
  *n = 0;
  for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
    if (extra[i].name)
      (*n)++;
  return extra;
}
