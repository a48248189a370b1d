/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* The helpers every unit suite shares. */
#include "helpers.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *helper_temp_folder(void)
{
	const char *tmp = getenv("TMPDIR");
	char *path;

	/* TMPDIR is the machine's: where it gives no folder, /tmp does. */
	if (tmp && tmp[0] == '/') {
		ck_assert_int_ge(asprintf(&path, "%s/promise-run-unit.XXXXXX",
					  tmp), 0);
		if (mkdtemp(path))
			return path;
		free(path);
	}
	path = strdup("/tmp/promise-run-unit.XXXXXX");
	ck_assert_ptr_nonnull(path);
	ck_assert_msg(mkdtemp(path) != NULL, "mkdtemp: %s", strerror(errno));
	return path;
}

static int remove_entry(const char *path, const struct stat *status,
                        int type, struct FTW *where)
{
	(void)status;
	(void)type;
	(void)where;
	return remove(path) < 0 ? -1 : 0;
}

void helper_remove_tree(char *path)
{
	ck_assert_msg(nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0,
		      "cannot remove %s: %s", path, strerror(errno));
	free(path);
}

int helper_open_folder(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	return fd;
}

void helper_write_file(int dir_fd, const char *name, const char *text,
                       mode_t mode)
{
	size_t size = strlen(text);
	int fd = openat(dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			mode);

	ck_assert_msg(fd >= 0, "create %s: %s", name, strerror(errno));
	ck_assert_int_eq(write(fd, text, size), (ssize_t)size);
	/* Exactly `mode`, whatever the umask. */
	ck_assert_int_eq(fchmod(fd, mode), 0);
	ck_assert_int_eq(close(fd), 0);
}

char *helper_read_file(int dir_fd, const char *name)
{
	int fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC);
	char *text = NULL;
	size_t size = 0;
	ssize_t got;

	ck_assert_msg(fd >= 0, "open %s: %s", name, strerror(errno));
	do {
		text = realloc(text, size + 4097);
		ck_assert_ptr_nonnull(text);
		got = read(fd, text + size, 4096);
		ck_assert_int_ge(got, 0);
		size += (size_t)got;
	} while (got > 0);
	text[size] = '\0';
	close(fd);
	return text;
}

void helper_output_open(struct helper_output *output)
{
	output->text = NULL;
	output->size = 0;
	output->out = open_memstream(&output->text, &output->size);
	ck_assert_ptr_nonnull(output->out);
}

char *helper_output_close(struct helper_output *output)
{
	ck_assert_int_eq(fclose(output->out), 0);
	output->out = NULL;
	return output->text;
}

struct timespec helper_time(time_t seconds, long nanoseconds)
{
	return (struct timespec){ .tv_sec = seconds, .tv_nsec = nanoseconds };
}

/* The length of the line at `text`, at most 300 (a Check message is short). */
static int line_length(const char *text)
{
	size_t length = strcspn(text, "\n");

	return length > 300 ? 300 : (int)length;
}

void helper_assert_same_text(const char *got, const char *expected)
{
	const char *line_got = got, *line_expected = expected;
	int line = 1;

	if (strcmp(got, expected) == 0)
		return;
	for (size_t i = 0; got[i] && got[i] == expected[i]; i++)
		if (got[i] == '\n') {
			line++;
			line_got = got + i + 1;
			line_expected = expected + i + 1;
		}
	ck_abort_msg("line %d differs:\n got      '%.*s'\n expected '%.*s'", line,
		     line_length(line_got), line_got,
		     line_length(line_expected), line_expected);
}
