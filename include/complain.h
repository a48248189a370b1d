/*
 * complain: promise-run's one-line messages on standard error,
 * "promise-run: cannot read 'x': Permission denied".  Only main and the
 * session that drives a run say anything; library modules return errors.
 */
#ifndef PROMISE_RUN_COMPLAIN_H
#define PROMISE_RUN_COMPLAIN_H

/* Writes "promise-run: " and the formatted message, on one line. */
void complain(const char *format, ...) __attribute__((format(printf, 1, 2)));

#endif
