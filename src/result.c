/* result: the outcome of one promise. */
#include "result.h"

#include <stdlib.h>
#include <sys/wait.h>

const char *result_status_name(enum promise_status status)
{
	switch (status) {
	case PROMISE_OK:
		return "ok";
	case PROMISE_FAILED:
		return "failed";
	case PROMISE_TIMEOUT:
		return "timeout";
	case PROMISE_ERROR:
		return "error";
	}
	return "unknown";
}

void result_set_wait_status(struct promise_result *result, int wait_status)
{
	result->exit_code = RESULT_NO_EXIT_CODE;
	result->signal = 0;
	if (WIFEXITED(wait_status))
		result->exit_code = WEXITSTATUS(wait_status);
	else if (WIFSIGNALED(wait_status))
		result->signal = WTERMSIG(wait_status);
}

bool result_works(const struct promise_result *result)
{
	return result->status == PROMISE_OK;
}

void result_free(struct promise_result *result)
{
	free(result->message);
	result->message = NULL;
}
