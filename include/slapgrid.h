/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * slapgrid: the files slapgrid (slapos.core) keeps for each promise in
 * INSTANCE_HOME/.slapgrid/promise, written and read the way slapos.core
 * writes and reads them, so that both can take turns on one instance:
 *
 *   result/TITLE.status.json  {"title", "name", "path", "execution-time",
 *                              "result": {"type", "failed", "date",
 *                              "message"}}
 *   log/TITLE.log             "YYYY-MM-DD HH:MM:SS - LEVEL - EPOCH-NNN -
 *                              MESSAGE", local time; the lines after the
 *                              first of a message as they are
 *   cache/TITLE               {"is_tested", "is_anomaly_detected",
 *                              "periodicity" (minutes), "next_run_after",
 *                              "timestamp", "module_file",
 *                              "module_file_mtime"}
 *
 * Pure functions: formatting into memory, parsing from memory.  The
 * parsers take any bytes (the files are the instance user's).
 */
#ifndef PROMISE_RUN_SLAPGRID_H
#define PROMISE_RUN_SLAPGRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

/* What ends a promise's file name: result/TITLE.status.json, log/TITLE.log. */
#define SLAPGRID_RESULT_SUFFIX ".status.json"
#define SLAPGRID_LOG_SUFFIX ".log"

/*
 * "EPOCH-NNN": a run's transaction id, NNN from 100 to 999 (`random`
 * itself when it is one of those, else brought into that range).
 */
#define SLAPGRID_TRANSACTION_SIZE 32

void slapgrid_transaction_id(time_t start, unsigned random, char *id,
                             size_t size);

/* The date of a result file: "2026-11-24T21:54:46+0000" (UTC). */
void slapgrid_result_date(time_t when, char *buffer, size_t size);

/* What a result file holds. */
struct slapgrid_result {
	const char *title, *name, *path;
	double execution_time;
	bool anomaly_type;          /* "Anomaly Result", else "Test Result" */
	bool failed;
	time_t date;
	const char *message;
};

/* Writes a result file's JSON text; 0, or -1 (ENOMEM). */
int slapgrid_format_result(FILE *out, const struct slapgrid_result *result);

/*
 * Appends one log record: "DATE - LEVEL - ID - MESSAGE\n", DATE in local
 * time.  0, or -1.
 */
int slapgrid_format_log_record(FILE *out, time_t when, const char *level,
                               const char *transaction, const char *message);

/* The record slapgrid's wrapper writes when it stops a promise. */
int slapgrid_format_terminating(FILE *out, time_t when,
                                const char *transaction, const char *name);

/* What a cache file holds. */
struct slapgrid_cache {
	double periodicity;         /* seconds */
	double timestamp;           /* Unix seconds, when the run started */
	const char *module_file;    /* the promise's path */
	double module_file_mtime;
};

int slapgrid_format_cache(FILE *out, const struct slapgrid_cache *cache);

/*
 * Reads the newest runs of a log from its last `size` bytes, newest
 * first: failed[i] says whether run i had an ERROR or CRITICAL record.
 * `whole`: the text starts at the file's start (else its first line may
 * be cut, and is not read).  Returns the number of runs found, at most
 * `wanted`.
 */
size_t slapgrid_parse_log(const char *text, size_t size, bool whole,
                          bool *failed, size_t wanted);

/* A previous result, as read back. */
struct slapgrid_previous {
	bool failed;
	bool anomaly_type;          /* "Anomaly Result", else a "Test Result" */
	char *message;              /* malloc'd; NULL when absent */
	time_t date;                /* 0 when absent or bad */
	double execution_time;      /* seconds; 0 when absent or bad */
};

/* Reads a result file's text; 0, or -1 when it is not one. */
int slapgrid_parse_result(const char *text, size_t size,
                          struct slapgrid_previous *previous);

/* Reads a cache file's next_run_after; 0, or -1 when there is none. */
int slapgrid_parse_cache(const char *text, size_t size,
                         double *next_run_after);

#endif
