/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * settings: every setting promise-run takes, described once.  The table
 * gives each its configuration key, its command-line spelling, the type
 * of its value, its default and where it may be given; the command line
 * (cli) and the configuration files (config) both parse through it, and
 * settings_resolve merges them, recording where each value came from.
 *
 * Where a setting may be given:
 *   SETTING_COMMAND_LINE  an option
 *   SETTING_OPERATOR      [run] of the operator's --config file
 *   SETTING_HOME          [run] of an instance's own etc/promise-run.conf
 *   SETTING_PROMISE       [promise:NAME] of either file
 * A setting of the whole run (format, jobs, deadline, ...) is the
 * operator's: an instance's own file governs that instance only.
 *
 * Precedence: the command line, then [promise:NAME], then [run], then the
 * default.  A timeout or kill-after asked by an instance's own file is
 * capped by max-timeout, so that no instance holds a run back for days.
 */
#ifndef PROMISE_RUN_SETTINGS_H
#define PROMISE_RUN_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

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
	SETTING_COUNT
};

enum setting_type {
	SETTING_SECONDS,            /* 0 to 31 days, decimals allowed */
	SETTING_SECONDS_ABOVE_ZERO,
	SETTING_JOBS_COUNT,         /* 1 to 4096 */
	SETTING_BOOLEAN,            /* yes/no, true/false, on/off, 1/0 */
	SETTING_FORMAT_NAME,        /* enum report_format */
	SETTING_MODE_NAME,          /* enum setting_mode */
	SETTING_CONTAINMENT_NAME,   /* enum setting_containment */
};

enum setting_place {
	SETTING_COMMAND_LINE = 1,
	SETTING_OPERATOR = 2,
	SETTING_HOME = 4,
	SETTING_PROMISE = 8,
};

/* How a promise's result is judged: slapgrid's two modes. */
enum setting_mode { MODE_TEST, MODE_ANOMALY };

/* How promises are kept from leaving processes behind. */
enum setting_containment {
	CONTAINMENT_AUTO,           /* a cgroup each where possible */
	CONTAINMENT_CGROUP,         /* a cgroup each, or no run */
	CONTAINMENT_FREEZE,         /* process groups; orphans frozen, killed */
};

struct setting_spec {
	const char *key;            /* in a configuration file */
	const char *option;         /* --option, or NULL */
	const char *alias;          /* another --option, or NULL */
	char short_option;          /* -x, or 0 */
	const char *flag_value;     /* the option takes no value: this one */
	enum setting_type type;
	unsigned places;            /* enum setting_place bits */
	const char *default_value;  /* parsed like any value; NULL: computed */
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
	};
};

/* One layer of settings (the command line, a section), or their merge. */
struct setting_values {
	struct setting_value values[SETTING_COUNT];
};

/* The table. */
extern const struct setting_spec setting_specs[SETTING_COUNT];

/* The setting of that configuration key, or -1. */
int settings_find_key(const char *key);

/*
 * Parses `text` as a value of setting `id` into *value (given, with
 * `source`); 0, or -1 when it is not one.
 */
int settings_parse(enum setting_id id, const char *text,
                   enum setting_source source, struct setting_value *value);

/* What a value of setting `id` must look like: "a number of seconds". */
const char *settings_expected(enum setting_id id);

/* The keys allowed in `place`, "a, b or c", into `buffer`. */
void settings_keys_allowed(unsigned place, char *buffer, size_t size);

/*
 * Merges the layers into *merged: for each setting, the command line, then
 * `promise` (may be NULL), then `run` (may be NULL), then the default.
 * `home_file`: the file layers are an instance's own, capped by the
 * max-timeout of the command line or the default.
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
#define SETTING_JOBS_FLOOR 16
#define SETTING_JOBS_CEILING 64
unsigned settings_default_jobs(long processors);

/* "default", "config" or "command line". */
const char *settings_source_name(enum setting_source source);

#endif
