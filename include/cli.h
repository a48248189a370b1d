/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * cli: the command line, from argv to struct cli_options, through
 * settings_table, which has a row for every option: the options
 * that are settings (--timeout, --jobs, --format, ...) fill `settings`;
 * the others (what to do, where to write, who to be) are the command
 * line's own, kept in their fields.  --help is written from the table.
 * The parsed options are never rewritten after.
 *
 * cli_parse never prints: on a bad option or value it returns -1 with a
 * one-line reason in the caller's buffer, and main prints it.
 *
 * Lifecycle: cli_parse, cli_release.
 */
#ifndef PROMISE_RUN_CLI_H
#define PROMISE_RUN_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "settings.h"

enum cli_action { CLI_RUN, CLI_LIST, CLI_HELP, CLI_VERSION };
enum cli_verbosity { CLI_QUIET, CLI_NORMAL, CLI_VERBOSE };
enum cli_color {                /* the names of settings' color choice */
	CLI_COLOR_AUTO = COLOR_AUTO,
	CLI_COLOR_ALWAYS = COLOR_ALWAYS,
	CLI_COLOR_NEVER = COLOR_NEVER,
};

/* A list of words from repeated options; they point into argv. */
struct cli_words {
	const char **words;
	size_t count;
};

struct cli_options {
	enum cli_action action;
	struct setting_values settings; /* the settings the command line gave */
	const char *promise_dir;    /* NULL: INSTANCE_HOME/etc/promise */
	const char *log_folder;     /* NULL: .slapgrid/promise/log */
	enum cli_verbosity verbosity;
	enum cli_color color;
	const char *output;         /* NULL: standard output ("-" too) */
	bool wait;                  /* wait for a locked instance */
	bool force;                 /* ignore periodicity */
	bool no_inline;             /* declared checks as processes */
	const char *config;         /* --config FILE, or NULL */
	bool no_config;             /* read no configuration file */
	const char *user;           /* --user NAME, or NULL */
	struct cli_words only;      /* --only NAME: just those promises */
	struct cli_words keep_env;  /* --keep-env NAME, as root */
	bool inherit_env;           /* as root: the whole environment */
	bool accept_writable;       /* as root: run files others may write */
	char **homes;               /* points into argv */
	size_t home_count;          /* 0: the current directory */
};

/* Parses argv; 0, or -1 with the reason in `error`. */
int cli_parse(int argc, char **argv, struct cli_options *options,
              char *error, size_t error_size);

void cli_release(struct cli_options *options);

/* The text of --help, written from the table. */
const char *cli_usage(void);

/*
 * An internal command, `promise-run options-table` (in neither --help nor
 * the man page): the table's options, one a line, for the tests that
 * check --help, the man page, the reference and the bash completion
 * against it.  Fields separated by tabs, "-" for none:
 *
 *   SPELLING  LONG  ALIAS  SHORT  ARGUMENT  KIND  CHOICES  KEY
 *
 * SPELLING as --help writes it ("-t, --timeout=SECONDS", "--color[=WHEN]"),
 * KIND "seconds", "count", "boolean", "choice", "text", "words" or
 * "action", CHOICES the names separated by commas.
 */
#define CLI_TABLE_COMMAND "options-table"
const char *cli_options_table(void);

#endif
