/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* failure: what failed, and the one wording of error numbers. */
#include "failure.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsat.h"

int failure_set(struct failure *failure, const char *doing, const char *path,
                int error)
{
	free(failure->path);
	*failure = (struct failure){
		.doing = doing,
		.path = path ? strdup(path) : NULL,
		.error = error,
	};
	return -1;
}

void failure_describe(const struct failure *failure, char *buffer,
                      size_t size)
{
	const char *reason = failure_reason(failure->error);

	if (failure->path)
		snprintf(buffer, size, "cannot %s '%s': %s", failure->doing,
			 failure->path, reason);
	else
		snprintf(buffer, size, "cannot %s: %s", failure->doing, reason);
}

const char *failure_reason(int error)
{
	switch (error) {
	case FSAT_NOT_REGULAR:
		return "not a regular file";
	case FSAT_LINKED:
		return "has other hard links, so it is not written";
	case FSAT_NOT_OWNED:
		return "belongs to another user, so it is not written";
	case FSAT_TOO_BIG:
		return "too big";
	case ELOOP:
		return "a symbolic link, which is not followed in an instance home";
	case EXDEV:
		return "outside the instance home";
	}
	return strerror(error);
}

void failure_release(struct failure *failure)
{
	free(failure->path);
	*failure = (struct failure){ 0 };
}
