/* copy.h: `firstdays db copy`, from a SQLite database into PostgreSQL
 * (src/store/copy.c). */
#ifndef FD_STORE_COPY_H
#define FD_STORE_COPY_H

/* The db subcommand; argv[0] is "db". Returns the exit code: 0 copied and
 * checked, 1 failed (message on stderr), 2 a usage error. */
int store_cmd_db(int argc, char **argv);

#endif
