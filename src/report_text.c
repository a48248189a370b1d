/* report_text: the report for people, one line per promise. */
#include "report_text.h"

#include <string.h>

#define COLOR_GREEN "\033[32m"
#define COLOR_RED "\033[31m"
#define COLOR_YELLOW "\033[33m"
#define COLOR_DIM "\033[2m"
#define COLOR_BOLD "\033[1m"
#define COLOR_RESET "\033[0m"

/* Where messages start: under the promise name. */
static const char message_indent[] = "                  ";

static void put_colored(FILE *out, bool color, const char *code,
                        const char *text, int width)
{
	if (color)
		fprintf(out, "%s%-*s%s", code, width, text, COLOR_RESET);
	else
		fprintf(out, "%-*s", width, text);
}

/* A file name on one line: control characters would break the layout. */
static void put_name(FILE *out, const char *name)
{
	for (const unsigned char *c = (const unsigned char *)name; *c; c++)
		fputc(*c < 0x20 || *c == 0x7f ? '?' : *c, out);
}

/* The message, every line indented under the name. */
static void put_message(FILE *out, const char *message)
{
	while (*message) {
		size_t line = strcspn(message, "\n");

		fprintf(out, "%s%.*s\n", message_indent, (int)line, message);
		message += line;
		if (*message == '\n')
			message++;
	}
}

static const char *status_color(enum promise_status status)
{
	switch (status) {
	case PROMISE_OK:
		return COLOR_GREEN;
	case PROMISE_TIMEOUT:
		return COLOR_YELLOW;
	case PROMISE_FAILED:
	case PROMISE_ERROR:
		break;
	}
	return COLOR_RED;
}

static void put_header(struct text_report *report)
{
	if (report->header_written)
		return;
	fputs("== ", report->out);
	put_name(report->out, report->home);
	fputc('\n', report->out);
	report->header_written = true;
}

void text_report_begin(struct text_report *report, FILE *out, bool color,
                       enum cli_verbosity verbosity, const char *home)
{
	*report = (struct text_report){
		.out = out,
		.color = color,
		.verbosity = verbosity,
		.home = home,
	};
	if (verbosity != CLI_QUIET)
		put_header(report);
}

void text_report_promise(struct text_report *report,
                         const struct promise *promise,
                         const struct promise_result *result)
{
	bool works = result_works(result);
	FILE *out = report->out;

	if (result->disabled) {
		if (report->verbosity == CLI_QUIET)
			return;
		put_header(report);
		put_colored(out, report->color, COLOR_DIM, "disabled",
			    (int)sizeof message_indent - 1);
		put_name(out, promise->name);
		fputs(": disabled in config\n", out);
		return;
	}
	report->promises++;
	if (!works)
		report->not_working++;
	if (works && report->verbosity == CLI_QUIET)
		return;
	put_header(report);
	put_colored(out, report->color, status_color(result->status),
		    result_status_name(result->status), 8);
	fprintf(out, "%7.3fs  ", result->execution_time);
	put_name(out, promise->name);
	if (result->status == PROMISE_FAILED && result->signal)
		fprintf(out, " (killed by signal %d, SIG%s)", result->signal,
			sigabbrev_np(result->signal) ? sigabbrev_np(result->signal)
						     : "?");
	else if (result->status == PROMISE_FAILED)
		fprintf(out, " (exit code %d)", result->exit_code);
	fputc('\n', out);
	if (!works || report->verbosity == CLI_VERBOSE)
		put_message(out, result->message);
}

void text_report_skipped(struct text_report *report,
                         const struct promise_list *list)
{
	if (report->verbosity != CLI_VERBOSE)
		return;
	for (size_t i = 0; i < list->skipped_count; i++) {
		put_colored(report->out, report->color, COLOR_DIM, "skipped",
			    (int)sizeof message_indent - 1);
		put_name(report->out, list->skipped[i].name);
		fprintf(report->out, ": %s\n",
			scan_skip_reason_text(list->skipped[i].reason));
	}
}

void text_report_end(struct text_report *report)
{
	bool works = report->not_working == 0;

	if (works && report->verbosity == CLI_QUIET)
		return;
	put_header(report);
	put_name(report->out, report->home);
	fputs(": ", report->out);
	put_colored(report->out, report->color,
		    works ? COLOR_GREEN COLOR_BOLD : COLOR_RED COLOR_BOLD,
		    works ? "working" : "not working", 0);
	if (works)
		fprintf(report->out, " (%zu promise%s)\n", report->promises,
			report->promises == 1 ? "" : "s");
	else
		fprintf(report->out, " (%zu of %zu promise%s %s not work)\n",
			report->not_working, report->promises,
			report->promises == 1 ? "" : "s",
			report->not_working == 1 ? "does" : "do");
}

void text_report_verdict(FILE *out, bool color, enum cli_verbosity verbosity,
                         size_t instances, size_t not_working)
{
	bool works = not_working == 0;

	if (works && verbosity == CLI_QUIET)
		return;
	put_colored(out, color,
		    works ? COLOR_GREEN COLOR_BOLD : COLOR_RED COLOR_BOLD,
		    works ? "working" : "not working", 0);
	if (works)
		fprintf(out, " (%zu instances)\n", instances);
	else
		fprintf(out, " (%zu of %zu instances %s not work)\n",
			not_working, instances, not_working == 1 ? "does" : "do");
}

void text_report_list(FILE *out, const char *home,
                      const struct promise_list *list, const double *timeouts,
                      const char *const *sources,
                      const struct promise_result *results)
{
	size_t runnable = 0;

	fputs("== ", out);
	put_name(out, home);
	fputc('\n', out);
	for (size_t i = 0; i < list->count; i++) {
		char limit[64];

		if (results[i].disabled) {
			fputs("disabled                          ", out);
			put_name(out, list->promises[i].name);
			fputs(": disabled in config\n", out);
			continue;
		}
		if (results[i].done) {
			fputs("refused                           ", out);
			put_name(out, list->promises[i].name);
			fprintf(out, ": %s\n", results[i].message);
			continue;
		}
		runnable++;
		snprintf(limit, sizeof limit, "%gs (%s)", timeouts[i],
			 sources[i]);
		fprintf(out, "promise  timeout %-24s  ", limit);
		put_name(out, list->promises[i].name);
		fputc('\n', out);
	}
	for (size_t i = 0; i < list->skipped_count; i++) {
		fprintf(out, "%-34s", "skipped");
		put_name(out, list->skipped[i].name);
		fprintf(out, ": %s\n",
			scan_skip_reason_text(list->skipped[i].reason));
	}
	fprintf(out, "%zu promise%s to run, %zu not run, %zu skipped\n",
		runnable, runnable == 1 ? "" : "s", list->count - runnable,
		list->skipped_count);
}
