/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* signals: the mask, the signalfd, SIGPIPE, SIGCHLD and the subreaper. */
#include "signals.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "fdio.h"
#include "reaper.h"
#include "spawn.h"

/* The signals that stop a run: promise-run ends by them after clean-up. */
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };

int signals_init(struct signals *signals)
{
	sigset_t handled;

	signals->fd = -1;
	/*
	 * SIGXFSZ too: a file over RLIMIT_FSIZE is an EFBIG for that file,
	 * said and undone like a full disk, not the death of the run.
	 */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR ||
	    signal(SIGXFSZ, SIG_IGN) == SIG_ERR ||
	    signal(SIGCHLD, SIG_DFL) == SIG_ERR)
		return -1;
	/* After SIGPIPE is ignored: every child gets it back as default. */
	signals->ignored = spawn_ignored_signals();
	sigemptyset(&handled);
	sigaddset(&handled, SIGCHLD);
	for (size_t i = 0; i < sizeof stop_signals / sizeof *stop_signals; i++)
		if (!(signals->ignored >> (stop_signals[i] - 1) & 1))
			sigaddset(&handled, stop_signals[i]);
	if (sigprocmask(SIG_BLOCK, &handled, NULL) < 0)
		return -1;
	signals->fd = signalfd(-1, &handled, SFD_CLOEXEC | SFD_NONBLOCK);
	if (signals->fd < 0)
		return -1;
	if (reaper_become_subreaper() < 0) {
		signals_release(signals);
		return -1;
	}
	return 0;
}

void signals_read(const struct signals *signals, struct signals_news *news)
{
	struct signalfd_siginfo info;

	memset(news, 0, sizeof *news);
	while (fdio_read(signals->fd, &info, sizeof info) ==
	       (ssize_t)sizeof info) {
		if (info.ssi_signo == SIGCHLD) {
			news->child = true;
		} else {
			news->stop = (int)info.ssi_signo;
			news->stops++;
		}
	}
}

void signals_release(struct signals *signals)
{
	fdio_close_quietly(signals->fd);
	signals->fd = -1;
}

void signals_die_by(int signo)
{
	sigset_t only;

	(void)fflush(NULL);
	if (signal(signo, SIG_DFL) == SIG_ERR)
		return;
	sigemptyset(&only);
	sigaddset(&only, signo);
	/* Raised while blocked, it is pending: unblocking delivers it. */
	(void)raise(signo);
	(void)sigprocmask(SIG_UNBLOCK, &only, NULL);
}
