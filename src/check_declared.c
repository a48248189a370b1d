/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* check_declared: promise-run check FILE, a declared check run once. */
#include "check_declared.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "complain.h"
#include "fdio.h"

enum check_status check_declared(const struct declared_check *check,
                                 char *message, size_t message_size)
{
	switch (check->kind) {
	case DECLARED_URL:
		return check_url(&check->options.url, message, message_size);
	case DECLARED_PORT:
		return check_port(&check->options.port, message, message_size);
	case DECLARED_CERT:
		return check_cert(&check->options.cert, message, message_size);
	case DECLARED_FILE:
		return check_file(&check->options.file, message, message_size);
	}
	snprintf(message, message_size, "no such check");
	return CHECK_USAGE;
}

/* Opens `path` as a regular file, never hanging on a FIFO; -1 with errno. */
static int open_regular(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat status;

	if (fd < 0)
		return -1;
	if (fstat(fd, &status) < 0) {
		fdio_close_quietly(fd);
		return -1;
	}
	if (!S_ISREG(status.st_mode)) {
		close(fd);
		errno = S_ISDIR(status.st_mode) ? EISDIR : EINVAL;
		return -1;
	}
	return fd;
}

/*
 * Reads `fd` from its start, at most DECLARED_MAX_SIZE bytes and one more
 * (to tell a larger file).  The text (malloc'd), or NULL with errno.
 */
static char *read_whole(int fd, size_t *size)
{
	char *text = malloc(DECLARED_MAX_SIZE + 1);
	ssize_t got;

	*size = 0;
	if (!text)
		return NULL;
	while (*size < DECLARED_MAX_SIZE + 1) {
		got = fdio_pread(fd, text + *size, DECLARED_MAX_SIZE + 1 - *size,
				 (off_t)*size);
		if (got < 0) {
			free(text);
			return NULL;
		}
		if (got == 0)
			break;
		*size += (size_t)got;
	}
	return text;
}

static char *read_declared(const char *path, size_t *size)
{
	int fd = open_regular(path);
	char *text;

	if (fd < 0)
		return NULL;
	text = read_whole(fd, size);
	fdio_close_quietly(fd);
	return text;
}

/*
 * Whether `head`, a file's first bytes, starts with "#!.../promise-run
 * check" (blanks as the kernel reads them): a declared check of
 * promise-run's, whichever copy of it.
 */
bool check_declared_is_ours(const char *head)
{
	static const char name[] = "promise-run";
	const char *end = strchr(head, '\n'), *word;

	if (strncmp(head, "#!", 2) != 0 || !end)
		return false;
	while (end > head && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end - head < 2 + (long)strlen(DECLARED_COMMAND) + 1 ||
	    strncmp(end - strlen(DECLARED_COMMAND), DECLARED_COMMAND,
		    strlen(DECLARED_COMMAND)) != 0)
		return false;
	end -= strlen(DECLARED_COMMAND);
	if (end[-1] != ' ' && end[-1] != '\t')
		return false;
	while (end > head + 2 && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	word = end;
	while (word > head + 2 && word[-1] != '/' && word[-1] != ' ' &&
	       word[-1] != '\t')
		word--;
	return (size_t)(end - word) == sizeof name - 1 &&
	       strncmp(word, name, sizeof name - 1) == 0;
}

int check_declared_load(const char *path, struct declared_check *check)
{
	char head[DECLARED_MAX_FIRST_LINE + 2], error[512], *text;
	int fd = open_regular(path), status = -1;
	ssize_t got;
	size_t size;

	if (fd < 0)
		return -1;
	/* Most promises are programs: their first bytes are enough. */
	got = fdio_pread(fd, head, sizeof head - 1, 0);
	if (got > 0) {
		head[got] = '\0';
		if (check_declared_is_ours(head) &&
		    (text = read_whole(fd, &size))) {
			status = declared_parse(text, size, path, check, error,
						sizeof error);
			free(text);
		}
	}
	fdio_close_quietly(fd);
	return status;
}

static const char check_declared_usage[] =
	"Usage: promise-run check FILE\n"
	"Runs the check that FILE declares, once: the first line of FILE is\n"
	"'#!PATH check' (PATH: promise-run's), so that executing FILE runs\n"
	"it; then 'key = value' lines: url (status, body, follow-redirects),\n"
	"host and port, file (max-age); timeout, certificate-days, ca,\n"
	"client-certificate, client-key, insecure.  See promise-run(1).\n"
	"Exit status: that of check-url, check-port, check-cert or check-file\n"
	"(0 works, 1 not reachable, 2 unexpected answer); 3 when FILE cannot\n"
	"be read or declares no valid check.\n";

int check_declared_read(const char *path, struct declared_check *check,
                        char *message, size_t message_size)
{
	size_t size;
	char *text = read_declared(path, &size);
	int status;

	if (!text) {
		snprintf(message, message_size, "cannot read '%s': %s", path,
			 errno == EINVAL ? "not a regular file"
					 : strerror(errno));
		return -1;
	}
	status = declared_parse(text, size, path, check, message,
				message_size);
	free(text);
	return status;
}

int check_declared_main(int argc, char **argv)
{
	struct declared_check check;
	char message[2048];
	int status;

	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		return checks_help(check_declared_usage);
	if (argc != 2 || !*argv[1]) {
		complain_check(argv[0], "one FILE expected (see --help)");
		return CHECK_USAGE;
	}
	if (check_declared_read(argv[1], &check, message, sizeof message) < 0) {
		complain_check(argv[0], "%s", message);
		return CHECK_USAGE;
	}
	status = checks_say(argv[0], check_declared(&check, message,
						    sizeof message), message);
	declared_release(&check);
	return status;
}
