/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* sinks: the text report as results come, documents at the end. */
#include "sinks.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "complain.h"

static bool use_color(enum cli_color mode)
{
	const char *no_color = getenv("NO_COLOR");

	if (no_color && *no_color)
		return false;
	if (mode == CLI_COLOR_AUTO)
		return isatty(STDOUT_FILENO);
	return mode == CLI_COLOR_ALWAYS;
}

int sinks_init(struct sinks *sinks, const struct cli_options *cli,
               enum report_format format, size_t homes)
{
	*sinks = (struct sinks){
		.cli = cli,
		.format = format,
		.streamed = (format == REPORT_TEXT || format == REPORT_JSON_SEQ) &&
			    cli->action == CLI_RUN,
		.color = format == REPORT_TEXT && !cli->output &&
			 use_color(cli->color),
	};
	sinks->out.fd = -1;
	sinks->report.homes = calloc(homes ? homes : 1,
				     sizeof *sinks->report.homes);
	sinks->running = calloc(homes ? homes : 1, sizeof *sinks->running);
	sinks->complete = calloc(homes ? homes : 1, sizeof *sinks->complete);
	sinks->done = calloc(homes ? homes : 1, sizeof *sinks->done);
	if (!sinks->report.homes || !sinks->running || !sinks->complete ||
	    !sinks->done) {
		errno = ENOMEM;
		return -1;
	}
	return outq_init(&sinks->out, cli->output ? -1 : STDOUT_FILENO);
}

/* A streamed report's home begins: the text report's header. */
static void stream_begin(struct sinks *sinks, const struct home_report *report)
{
	if (sinks->format == REPORT_TEXT)
		text_report_begin(&sinks->text_report, outq_stream(&sinks->out),
				  sinks->color, sinks->cli->verbosity, report);
	sinks->text_begun = true;
}

/*
 * A promise of the home being streamed, known (or not to be run); json-seq
 * lists a disabled one in its home's record, as json does.
 */
static void stream_promise(struct sinks *sinks, size_t index)
{
	const struct home_report *report =
		&sinks->report.homes[sinks->text_home];

	if (sinks->format == REPORT_TEXT)
		text_report_promise(&sinks->text_report, index);
	else if (report_listed(report, index) &&
		 report->results[index].status != PROMISE_DISABLED &&
		 report_json_seq_promise(outq_stream(&sinks->out), report,
					 index) < 0)
		sinks->broken = true;
}

/* The home being streamed is complete: its verdict, or its record. */
static void stream_end(struct sinks *sinks, const struct home_report *report)
{
	if (sinks->format == REPORT_TEXT)
		text_report_end(&sinks->text_report);
	else if (report_json_seq_home(outq_stream(&sinks->out), report) < 0)
		sinks->broken = true;
}

/*
 * Writes, in home order, what the streamed report can say now: each
 * result once it and those before it are known, a home's verdict once its
 * every result is in.  A home told and handed over keeps only its counts.
 */
static void advance_text(struct sinks *sinks)
{
	while (sinks->text_home < sinks->report.count) {
		size_t index = sinks->text_home;
		struct home_report *report = &sinks->report.homes[index];

		if (!report->error && !sinks->running[index])
			return;
		if (!sinks->text_begun)
			stream_begin(sinks, report);
		while (!report->error && sinks->text_next < report->list.count) {
			size_t next = sinks->text_next;

			if (!report->results[next].known &&
			    report->plan.entries[next].disposition == PLAN_RUN)
				return;
			stream_promise(sinks, next);
			sinks->text_next++;
		}
		if (!report->error && !sinks->complete[index])
			return;
		stream_end(sinks, report);
		sinks->text_home++;
		sinks->text_next = 0;
		sinks->text_begun = false;
		if (sinks->done[index])
			report_home_drop_details(report);
	}
}

int sinks_open_output(struct sinks *sinks)
{
	if (!sinks->cli->output)
		return 0;
	return atomic_file_open(&sinks->output, sinks->cli->output);
}

void sinks_running(struct sinks *sinks, size_t home)
{
	sinks->running[home] = true;
	if (sinks->streamed)
		advance_text(sinks);
}

void sinks_judged(struct sinks *sinks, size_t home, size_t promise)
{
	(void)promise;      /* read in order, when its turn comes */
	if (sinks->streamed && home == sinks->text_home)
		advance_text(sinks);
}

void sinks_complete(struct sinks *sinks, size_t home)
{
	sinks->complete[home] = true;
	if (sinks->streamed && home == sinks->text_home)
		advance_text(sinks);
}

void sinks_done(struct sinks *sinks, size_t home)
{
	sinks->done[home] = true;
	if (!sinks->streamed)
		return;
	/* Told already: its details may go. */
	if (home < sinks->text_home)
		report_home_drop_details(&sinks->report.homes[home]);
	else
		advance_text(sinks);
}

void sinks_say(const char *message)
{
	complain("%s", message);
}

/* After a stop: what finished of the homes begun, without verdicts. */
static void finish_text_after_stop(struct sinks *sinks)
{
	for (; sinks->text_home < sinks->report.count; sinks->text_home++) {
		const struct home_report *report =
			&sinks->report.homes[sinks->text_home];

		if (!report->results)
			break;
		if (!sinks->text_begun)
			stream_begin(sinks, report);
		for (; sinks->text_next < report->list.count; sinks->text_next++)
			if (report->results[sinks->text_next].known)
				stream_promise(sinks, sinks->text_next);
		sinks->text_next = 0;
		sinks->text_begun = false;
	}
}

/* The one document of the run, or the listing, once everything is known. */
static int render(struct sinks *sinks, FILE *out, bool stopped)
{
	const struct run_report *report = &sinks->report;

	if (sinks->cli->action == CLI_LIST) {
		if (sinks->format == REPORT_JSON)
			return report_list_json(out, report);
		for (size_t i = 0; i < report->count; i++)
			text_report_list(out, &report->homes[i]);
		text_report_containment(out, report);
		return 0;
	}
	switch (sinks->format) {
	case REPORT_TEXT:
		if (stopped)
			finish_text_after_stop(sinks);
		else if (report->count > 1)
			text_report_verdict(out, sinks->color,
					    sinks->cli->verbosity, report);
		return 0;
	case REPORT_JSON:
		return report_json(out, report);
	case REPORT_TAP:
		return report_tap(out, report);
	case REPORT_JUNIT:
		return report_junit(out, report);
	case REPORT_PROMETHEUS:
		return report_prometheus(out, report);
	case REPORT_NAGIOS:
		return report_nagios(out, report);
	case REPORT_JSON_SEQ:
		if (stopped)
			finish_text_after_stop(sinks);
		return report_json_seq_run(out, report);
	}
	return 0;
}

/* A write error on the report: a reader gone is SIGPIPE's, others said. */
static void write_failed(struct sinks *sinks, const char *what)
{
	if (errno == EPIPE) {
		/* A reader that went away: end as SIGPIPE would. */
		sinks->stop_signal = SIGPIPE;
		return;
	}
	complain("cannot write %s: %s", what, strerror(errno));
	sinks->broken = true;
}

/* Writes to standard output what is queued or rendered: 0, or -1. */
static int write_stdout(struct sinks *sinks)
{
	if (sinks->streamed)
		return outq_drain(&sinks->out);
	return fflush(stdout) == EOF || ferror(stdout) ? -1 : 0;
}

/* --output: the whole report in the file, or nothing. */
static void write_file(struct sinks *sinks, struct atomic_file *file,
                       int status)
{
	if (sinks->streamed && status == 0)
		status = outq_copy(&sinks->out, file->stream);
	if (status < 0 || atomic_file_close(file, true) < 0 ||
	    atomic_file_commit(file) < 0) {
		char *what;

		if (asprintf(&what, "'%s'", sinks->cli->output) < 0)
			what = NULL;
		write_failed(sinks, what ? what : "the output file");
		free(what);
	}
}

void sinks_write(struct sinks *sinks, bool stopped)
{
	struct atomic_file *file = &sinks->output;
	FILE *out = sinks->streamed ? outq_stream(&sinks->out)
		    : file->stream ? file->stream : stdout;
	int status = render(sinks, out, stopped);

	if (status < 0) {
		complain("cannot build the report: %s", strerror(errno));
		sinks->broken = true;
	}
	if (file->stream)
		write_file(sinks, file, status);
	else if (write_stdout(sinks) < 0)
		write_failed(sinks, "the report");
	atomic_file_discard(file);
}

void sinks_release(struct sinks *sinks)
{
	for (size_t i = 0; i < sinks->report.count; i++)
		report_home_release(&sinks->report.homes[i]);
	free(sinks->report.homes);
	free(sinks->report.host);
	free(sinks->running);
	free(sinks->complete);
	free(sinks->done);
	outq_release(&sinks->out);
	atomic_file_discard(&sinks->output);
}
