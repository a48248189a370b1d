/*
 * cli: the command line, from argv to struct cli_options.
 *
 * cli_parse never prints: on a bad option or value it returns -1 with a
 * one-line reason in the caller's buffer, and main prints it.
 */
#ifndef PROMISE_RUN_CLI_H
#define PROMISE_RUN_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "checks.h"
#include "report.h"

#define CLI_DEFAULT_TIMEOUT 20.0
#define CLI_DEFAULT_KILL_AFTER 1.0

enum cli_action { CLI_RUN, CLI_LIST, CLI_HELP, CLI_VERSION };
enum cli_verbosity { CLI_QUIET, CLI_NORMAL, CLI_VERBOSE };
enum cli_color { CLI_COLOR_AUTO, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER };

struct cli_options {
	enum cli_action action;
	double timeout;
	double kill_after;
	unsigned jobs;
	const char *promise_dir;    /* NULL: INSTANCE_HOME/etc/promise */
	enum cli_verbosity verbosity;
	enum cli_color color;
	enum report_format format;
	const char *output;         /* NULL: standard output */
	bool state;                 /* write result files, take the lock */
	bool wait;                  /* wait for a locked instance */
	const char *config;         /* --config FILE, or NULL */
	const char *user;           /* --user NAME, or NULL */
	bool clean_env;
	/* Which settings the command line gave: they win over the file. */
	bool timeout_given, kill_after_given, jobs_given, format_given,
	     state_given;
	char **homes;               /* points into argv */
	size_t home_count;          /* 0: the current directory */
};

/* What argv asks for: its first word names a subcommand, or not. */
enum cli_command {
	CLI_COMMAND_RUN,            /* promise-run [OPTION]... [HOME]... */
	CLI_COMMAND_CHECK_URL,      /* promise-run check-url URL ... */
	CLI_COMMAND_CHECK_PORT,     /* promise-run check-port HOST PORT ... */
};

enum cli_command cli_command(int argc, char **argv);

/*
 * The options of `promise-run check-url` and `check-port` (argv[0] is the
 * subcommand): 0, or -1 with the reason in `error` (a usage error, exit 3).
 * With --help, the usage is in `error` and *help is set.
 */
int cli_parse_check_url(int argc, char **argv,
                        struct check_url_options *options, bool *help,
                        char *error, size_t error_size);
int cli_parse_check_port(int argc, char **argv,
                         struct check_port_options *options, bool *help,
                         char *error, size_t error_size);

/* Parses argv; 0, or -1 with the reason in `error`. */
int cli_parse(int argc, char **argv, struct cli_options *options,
              char *error, size_t error_size);

/* The text of --help. */
const char *cli_usage(void);

#endif
