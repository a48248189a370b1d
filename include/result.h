/*
 * result: what running one promise gave.  The runner fills it in; the
 * reports and state files only read it.
 */
#ifndef PROMISE_RUN_RESULT_H
#define PROMISE_RUN_RESULT_H

#include <stdbool.h>
#include <time.h>

enum promise_status {
	PROMISE_OK,         /* exited 0 */
	PROMISE_FAILED,     /* exited non-zero or was killed by a signal */
	PROMISE_TIMEOUT,    /* reached its timeout */
	PROMISE_ERROR,      /* could not be executed */
};

#define RESULT_NO_EXIT_CODE (-1)

struct promise_result {
	bool done;                  /* false if never run, or interrupted */
	bool disabled;              /* not run: skip = yes in the config */
	enum promise_status status;
	int exit_code;              /* 0..255, or RESULT_NO_EXIT_CODE */
	int signal;                 /* the killing signal, or 0 */
	double execution_time;      /* seconds */
	time_t ended;               /* wall clock, when the result was known */
	char *message;              /* UTF-8 text, never NULL once done */
};

/* The name of a status as every format writes it: "ok", "failed", ... */
const char *result_status_name(enum promise_status status);

/* Sets exit_code and signal from a wait status (see waitpid(2)). */
void result_set_wait_status(struct promise_result *result, int wait_status);

/* Whether the promise counts as working. */
bool result_works(const struct promise_result *result);

void result_free(struct promise_result *result);

#endif
