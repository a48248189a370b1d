/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * value: the parsing of option and configuration values, shared by the
 * command line and the configuration file so both accept exactly the same
 * spellings.  Pure functions; they never print.
 */
#ifndef PROMISE_RUN_VALUE_H
#define PROMISE_RUN_VALUE_H

#include <stddef.h>

/* The longest duration promise-run accepts: 31 days, in seconds. */
#define VALUE_MAX_SECONDS 2678400.0

/* The most promises promise-run runs at once. */
#define VALUE_MAX_JOBS 4096

/*
 * Parses a decimal number of seconds ("20", "0.5") into *seconds, to the
 * nanosecond (the clocks' resolution: "0.0000000001" is 0).  Returns 0,
 * or -1 when `text` is not a finite number from 0 to VALUE_MAX_SECONDS
 * with nothing after it.
 */
int value_parse_seconds(const char *text, double *seconds);

/* Parses a whole number of jobs from 1 to VALUE_MAX_JOBS; 0 or -1. */
int value_parse_jobs(const char *text, unsigned *jobs);

/*
 * Writes `seconds` (to the nanosecond, as value_parse_seconds gives) as
 * the shortest plain decimal that reads back as the same number ("0.2",
 * "20", "2678400").
 */
void value_format_seconds(double seconds, char *text, size_t size);

#endif
