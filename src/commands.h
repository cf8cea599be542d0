/* commands.h: the subcommand table entry shared by main.c and commands.c. */
#ifndef FD_COMMANDS_H
#define FD_COMMANDS_H
#include <stddef.h>

struct command {
  const char *name;
  int (*fn)(int argc, char **argv); /* argv[0] is the command name; returns the exit code */
  const char *summary;
};

/* Subcommands contributed by capabilities (src/commands.c). */
const struct command *extra_commands(size_t *n);

#endif
