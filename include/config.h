/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * config: a configuration file (inih), checked whole before it is used.
 *
 *   [run]              settings of the run, or of the one instance
 *   [promise:NAME]     settings of one promise (NAME: its file name)
 *
 * Which keys a section takes is the settings table's: an instance's own
 * file (etc/promise-run.conf, read as that instance's user) governs that
 * instance only, so a key of the whole run there (format, deadline, ...)
 * is ignored with a warning; the operator's --config file may give every
 * key.  Every error names the file, the line and the key: an unknown
 * section or key, a bad value, a line longer than the parser takes (never
 * split in two), a NUL byte, a syntax error.
 *
 * The module never prints and does no I/O of its own but for the
 * operator's file: an instance's file is read by the caller, as its user,
 * and given as text.
 *
 * Lifecycle: config_parse_text or config_load_file, config_release.
 */
#ifndef PROMISE_RUN_CONFIG_H
#define PROMISE_RUN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "settings.h"

/* The longest configuration file read, in bytes. */
#define CONFIG_MAX_SIZE (64 * 1024)

/* The settings of one [promise:NAME] section. */
struct promise_config {
	char *name;
	int line;                   /* of its first key (inih tells no header) */
	struct setting_values values;
};

struct config {
	char *path;                 /* the file, as messages name it */
	bool operator;              /* --config: may set the whole run */
	struct setting_values run;  /* [run] */
	struct promise_config *promises;
	size_t promise_count;
	char **warnings;            /* "FILE:LINE: ..." for keys ignored */
	char **texts;               /* the values of text keys, owned */
	size_t text_count;
	size_t warning_count;
};

/*
 * Parses configuration `text` of `size` bytes; `name` stands for the file
 * in messages.  0, or -1 with a one-line reason in `error`
 * ("FILE:LINE: ...").
 */
int config_parse_text(const char *text, size_t size, const char *name,
                      bool operator, struct config *config, char *error,
                      size_t error_size);

/* Reads and parses the operator's file `path` (--config). */
int config_load_file(const char *path, struct config *config, char *error,
                     size_t error_size);

/* The settings of the promise `name`, or NULL. */
const struct promise_config *config_find_promise(const struct config *config,
                                                 const char *name);

void config_release(struct config *config);

#endif
