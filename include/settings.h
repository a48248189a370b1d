/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * settings: every option of the command line and every key of the
 * configuration files, described once, in one table (settings_table).
 * A row gives an option's spellings (--long, its alias, -x), the name of
 * its argument, its kind of value (with the names of a choice), its
 * default, its words in --help; and for a setting, which the
 * configuration files may also give, its key and where it may be given.
 * The command line (cli) and the configuration files (config) both parse
 * through it, --help is written from it (cli_usage), and settings_resolve
 * merges the layers of settings, recording where each value came from.
 *
 * Where a setting may be given:
 *   SETTING_COMMAND_LINE  an option
 *   SETTING_OPERATOR      [run] of the operator's --config file
 *   SETTING_HOME          [run] of an instance's own etc/promise-run.conf
 *   SETTING_PROMISE       [promise:NAME] of either file
 * A setting of the whole run (format, deadline, ...) is the operator's: an
 * instance's own file governs that instance only.  An option that is no
 * setting (--output, --wait, ...) is the command line's alone: cli keeps
 * its value, and the module that uses it applies its default (a row's
 * default is then only what --help says of it).
 *
 * Precedence: the command line, then [promise:NAME], then [run], then the
 * default; but what an instance's own file asks is bounded, as its row's
 * `bound` says: a timeout or kill-after by max-timeout, so that no
 * instance holds a run back for days; jobs by the run's own, which an
 * instance may only lower.
 *
 * The module depends on value alone: it never prints and does no I/O
 * (but for the processor count of the jobs default).
 */
#ifndef PROMISE_RUN_SETTINGS_H
#define PROMISE_RUN_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

/* The settings, in the order messages list their keys. */
enum setting_id {
	SETTING_TIMEOUT,
	SETTING_KILL_AFTER,
	SETTING_JOBS,
	SETTING_FORMAT,
	SETTING_CLEAN_ENV,
	SETTING_STATE,
	SETTING_MODE,
	SETTING_PERIODICITY,
	SETTING_DEADLINE,
	SETTING_MAX_TIMEOUT,
	SETTING_SKIP,
	SETTING_NAGIOS_LEVELS,
	SETTING_CONTAINMENT,
	SETTING_WAIT_TIMEOUT,
	SETTING_PLUGINS,
	SETTING_PLUGIN_PYTHON,
	SETTING_PLUGIN_RUNNER,
	SETTING_COUNT
};

/* The options that are no setting: the command line's own. */
enum option_id {
	OPTION_PROMISE_DIR = SETTING_COUNT,
	OPTION_OUTPUT,
	OPTION_FORCE,
	OPTION_NO_INLINE,
	OPTION_ONLY,
	OPTION_LOG_FOLDER,
	OPTION_WAIT,
	OPTION_CONFIG,
	OPTION_NO_CONFIG,
	OPTION_KEEP_ENV,
	OPTION_INHERIT_ENV,
	OPTION_ACCEPT_WRITABLE,
	OPTION_USER,
	OPTION_QUIET,
	OPTION_VERBOSE,
	OPTION_LIST,
	OPTION_COLOR,
	OPTION_HELP,
	OPTION_VERSION,
	OPTION_COUNT                /* the rows of the table */
};

/* What a row's value is. */
enum setting_kind {
	SETTING_SECONDS,            /* 0 to 31 days, decimals allowed */
	SETTING_SECONDS_ABOVE_ZERO,
	SETTING_JOBS_COUNT,         /* 1 to 4096 */
	SETTING_BOOLEAN,            /* yes/no, true/false, on/off, 1/0 */
	SETTING_CHOICE,             /* one of the row's `choices` */
	SETTING_TEXT,               /* a word that is not empty */
	SETTING_WORDS,              /* the same, repeatable, each kept */
	SETTING_ACTION,             /* no value: what promise-run does */
};

enum setting_place {
	SETTING_COMMAND_LINE = 1,
	SETTING_OPERATOR = 2,
	SETTING_HOME = 4,
	SETTING_PROMISE = 8,
};

/* How a value from an instance's own file is bounded. */
enum setting_bound {
	SETTING_UNBOUNDED,
	SETTING_BY_MAX_TIMEOUT,     /* lowered to max-timeout (`capped`) */
	SETTING_WITHIN_THE_RUN,     /* at most the run's own: it may only lower it */
};

/* The choices; each list of names in settings.c is in this order. */

/* --format. */
enum report_format {
	REPORT_TEXT,
	REPORT_JSON,
	REPORT_JSON_SEQ,            /* json records as the run goes (RFC 7464) */
	REPORT_TAP,
	REPORT_JUNIT,
	REPORT_PROMETHEUS,
	REPORT_NAGIOS,
};

/* How a promise's result is judged: slapgrid's two modes. */
enum setting_mode { MODE_TEST, MODE_ANOMALY };

/* How promises are kept from leaving processes behind. */
enum setting_containment {
	CONTAINMENT_AUTO,           /* a cgroup each where possible */
	CONTAINMENT_CGROUP,         /* a cgroup each, or no run */
	CONTAINMENT_FREEZE,         /* process groups; orphans frozen, killed */
};

/* --color: when the text report is coloured. */
enum setting_color { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* One row: an option, a configuration key, or both. */
struct setting_spec {
	int id;                     /* enum setting_id or enum option_id */
	/* On the command line. */
	const char *option;         /* --option, or NULL: a key only */
	const char *alias;          /* another --option, or NULL */
	char short_option;          /* -x, or 0 */
	const char *argument;       /* "SECONDS", "FILE", ...; NULL: takes none */
	bool optional;              /* the argument only as --option=VALUE */
	const char *flag_value;     /* the value of the option given alone */
	/* The value. */
	enum setting_kind kind;
	const char *const *choices; /* SETTING_CHOICE: names, NULL at the end */
	const char *expected;       /* SETTING_TEXT, _WORDS: "a folder" */
	const char *refused;        /* SETTING_TEXT, _WORDS: characters refused */
	const char *default_value;  /* parsed like any value (a setting's) */
	const char *default_note;   /* what --help adds to the default */
	const char *help;           /* what --help says of the option */
	/* In the configuration files: settings only. */
	const char *key;            /* the key, or NULL: the command line's */
	unsigned places;            /* enum setting_place bits */
	enum setting_bound bound;
};

enum setting_source { SOURCE_DEFAULT, SOURCE_CONFIG, SOURCE_COMMAND_LINE };

struct setting_value {
	bool given;                 /* set in this layer */
	bool capped;                /* lowered to max-timeout */
	enum setting_source source;
	union {
		double seconds;
		unsigned count;
		bool flag;
		int choice;             /* enum report_format, setting_mode, ... */
		const char *text;       /* SETTING_TEXT, _WORDS: the text parsed */
	};
};

/* One layer of settings (the command line, a section), or their merge. */
struct setting_values {
	struct setting_value values[SETTING_COUNT];
};

/* The table: every row, in the order --help lists the options. */
extern const struct setting_spec settings_table[OPTION_COUNT];

/* The row of a setting or an option (enum setting_id or option_id). */
const struct setting_spec *settings_spec(int id);

/* The setting of that configuration key, or -1. */
int settings_find_key(const char *key);

/*
 * Parses `text` as a value of row `id` into *value (given, with
 * `source`); 0, or -1 when it is not one.  A value of SETTING_TEXT or
 * SETTING_WORDS points to `text`; SETTING_ACTION takes any text.
 */
int settings_parse(int id, const char *text, enum setting_source source,
                   struct setting_value *value);

/*
 * What a value of row `id` must look like, "a number of seconds" or
 * "test or anomaly": a constant, or written into `buffer`.
 */
const char *settings_expected(int id, char *buffer, size_t size);

/* The names of a choice, "a, b or c", into `buffer`. */
void settings_choices(const char *const *choices, char *buffer, size_t size);

/* The keys allowed in `place`, "a, b or c", into `buffer`. */
void settings_keys_allowed(unsigned place, char *buffer, size_t size);

/*
 * Merges the layers into *merged: for each setting, the command line, then
 * `promise` (may be NULL), then `run` (may be NULL), then the default.
 * `home_file`: the file layers are an instance's own, bounded as their
 * rows say: timeout and kill-after lowered to the max-timeout of the
 * command line or the default (`capped`); jobs at most the command line's
 * or the default, so that a home's own `jobs` caps that home within the
 * run's pool.
 */
void settings_resolve(const struct setting_values *command_line,
                      const struct setting_values *run,
                      const struct setting_values *promise, bool home_file,
                      struct setting_values *merged);

/*
 * The default of --jobs for that many processors online (0 or less: not
 * known): 8 per processor, from 16 to 64.  Promises mostly wait (on the
 * network, on a service), so slots are cheap in time; each costs the
 * memory of one promise (about 1.5 MiB for a shell script, 10 MiB for a
 * Python one), hence the ceiling.  See the README.
 */
#define SETTING_JOBS_PER_PROCESSOR 8
#define SETTING_JOBS_FLOOR 16
#define SETTING_JOBS_CEILING 64
unsigned settings_default_jobs(long processors);

/* "default", "config" or "command line". */
const char *settings_source_name(enum setting_source source);

#endif
