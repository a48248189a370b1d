/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* fsat: files reached beneath a folder descriptor, links never followed. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "failure.h"
#include "fsat.h"
#include "helpers.h"
#include "suites.h"

/* A temporary folder holding sub/file ("content") and link -> sub. */
struct tree {
	char *path;
	int fd;
};

static struct tree tree_make(void)
{
	struct tree tree = { .path = helper_temp_folder() };
	int sub;

	tree.fd = helper_open_folder(tree.path);
	ck_assert_int_eq(mkdirat(tree.fd, "sub", 0755), 0);
	ck_assert_int_eq(fchmodat(tree.fd, "sub", 0755, 0), 0);
	sub = openat(tree.fd, "sub", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(sub, 0);
	helper_write_file(sub, "file", "content", 0644);
	close(sub);
	ck_assert_int_eq(symlinkat("sub", tree.fd, "link"), 0);
	return tree;
}

static void tree_remove(struct tree *tree)
{
	close(tree->fd);
	helper_remove_tree(tree->path);
}

/* fsat_open for reading must fail with `error`. */
static void assert_open_refused(int dir_fd, const char *path, int error)
{
	errno = 0;
	ck_assert_int_eq(fsat_open(dir_fd, path, O_RDONLY, 0), -1);
	ck_assert_msg(errno == error, "%s: errno %d, not %d", path, errno, error);
}

START_TEST(test_fsat_open_reads_a_file_beneath_its_folder)
{
	struct tree tree = tree_make();
	char buffer[16] = "";
	int fd = fsat_open(tree.fd, "sub/file", O_RDONLY, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(read(fd, buffer, sizeof buffer - 1), 7);
	ck_assert_str_eq(buffer, "content");
	ck_assert_int_eq(fcntl(fd, F_GETFD), FD_CLOEXEC);
	close(fd);
	tree_remove(&tree);
}
END_TEST

START_TEST(test_fsat_open_refuses_a_symbolic_link_with_eloop)
{
	struct tree tree = tree_make();

	ck_assert_int_eq(symlinkat("file", tree.fd, "sub/file-link"), 0);
	assert_open_refused(tree.fd, "link/file", ELOOP);
	assert_open_refused(tree.fd, "sub/file-link", ELOOP);
	assert_open_refused(tree.fd, "link", ELOOP);
	tree_remove(&tree);
}
END_TEST

START_TEST(test_fsat_open_refuses_climbing_out_and_absolute_paths_with_exdev)
{
	struct tree tree = tree_make();

	assert_open_refused(tree.fd, "../x", EXDEV);
	assert_open_refused(tree.fd, "sub/../../x", EXDEV);
	assert_open_refused(tree.fd, "/etc/passwd", EXDEV);
	assert_open_refused(tree.fd, "missing", ENOENT);
	tree_remove(&tree);
}
END_TEST

START_TEST(test_fsat_open_writable_creates_with_exactly_the_mode_asked)
{
	struct tree tree = tree_make();
	bool created = false;
	struct stat status;
	int fd;

	umask(0);
	fd = fsat_open_writable(tree.fd, "new", O_WRONLY, 0640, geteuid(),
				&created);
	ck_assert_int_ge(fd, 0);
	ck_assert(created);
	ck_assert_int_eq(fstat(fd, &status), 0);
	ck_assert_uint_eq(status.st_mode & 07777, 0640);
	close(fd);

	umask(077);
	fd = fsat_open_writable(tree.fd, "other", O_WRONLY, 0644, geteuid(),
				&created);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &status), 0);
	ck_assert_uint_eq(status.st_mode & 07777, 0644);
	close(fd);
	umask(022);
	tree_remove(&tree);
}
END_TEST

START_TEST(test_fsat_open_writable_opens_an_existing_file_as_it_is)
{
	struct tree tree = tree_make();
	bool created = true;
	struct stat status;
	char *content;
	int fd;

	fd = fsat_open_writable(tree.fd, "sub/file", O_WRONLY | O_APPEND, 0600,
				FSAT_ANY_OWNER, &created);
	ck_assert_int_ge(fd, 0);
	ck_assert(!created);
	ck_assert_int_eq(write(fd, "+", 1), 1);
	ck_assert_int_eq(fstat(fd, &status), 0);
	ck_assert_uint_eq(status.st_mode & 07777, 0644);
	close(fd);
	content = helper_read_file(tree.fd, "sub/file");
	ck_assert_str_eq(content, "content+");
	free(content);
	tree_remove(&tree);
}
END_TEST

START_TEST(test_fsat_open_writable_refuses_a_hard_linked_file)
{
	struct tree tree = tree_make();

	ck_assert_int_eq(linkat(tree.fd, "sub/file", tree.fd, "hard", 0), 0);
	errno = 0;
	ck_assert_int_eq(fsat_open_writable(tree.fd, "hard", O_WRONLY, 0644,
					    FSAT_ANY_OWNER, NULL), -1);
	ck_assert_int_eq(errno, FSAT_LINKED);
	tree_remove(&tree);
}
END_TEST

START_TEST(test_fsat_open_writable_refuses_a_file_of_another_owner)
{
	struct tree tree = tree_make();
	int fd;

	errno = 0;
	ck_assert_int_eq(fsat_open_writable(tree.fd, "sub/file", O_WRONLY, 0644,
					    geteuid() + 1, NULL), -1);
	ck_assert_int_eq(errno, FSAT_NOT_OWNED);
	fd = fsat_open_writable(tree.fd, "sub/file", O_WRONLY, 0644, geteuid(),
				NULL);
	ck_assert_int_ge(fd, 0);
	close(fd);
	tree_remove(&tree);
}
END_TEST

START_TEST(test_fsat_open_writable_refuses_a_symbolic_link)
{
	struct tree tree = tree_make();

	ck_assert_int_eq(symlinkat("sub/file", tree.fd, "file-link"), 0);
	errno = 0;
	ck_assert_int_eq(fsat_open_writable(tree.fd, "file-link", O_WRONLY, 0644,
					    FSAT_ANY_OWNER, NULL), -1);
	ck_assert_int_eq(errno, ELOOP);
	tree_remove(&tree);
}
END_TEST

START_TEST(test_fsat_open_writable_refuses_a_fifo_with_a_reader_without_hanging)
{
	struct tree tree = tree_make();
	int reader;

	ck_assert_int_eq(mkfifoat(tree.fd, "fifo", 0644), 0);
	reader = openat(tree.fd, "fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ck_assert_int_ge(reader, 0);
	errno = 0;
	ck_assert_int_eq(fsat_open_writable(tree.fd, "fifo", O_WRONLY, 0644,
					    FSAT_ANY_OWNER, NULL), -1);
	ck_assert_int_eq(errno, FSAT_NOT_REGULAR);
	close(reader);
	tree_remove(&tree);
}
END_TEST

START_TEST(test_fsat_read_file_reads_the_whole_file)
{
	struct tree tree = tree_make();
	char *content = NULL;
	size_t size = 0;

	ck_assert_int_eq(fsat_read_file(tree.fd, "sub/file", 7, &content, &size), 0);
	ck_assert_uint_eq(size, 7);
	ck_assert_str_eq(content, "content");
	free(content);
	tree_remove(&tree);
}
END_TEST

START_TEST(test_fsat_read_file_refuses_over_the_limit)
{
	struct tree tree = tree_make();
	char *big = malloc(10001);
	static char untouched[] = "untouched";
	char *content = untouched;
	size_t size = 5;

	errno = 0;
	ck_assert_int_eq(fsat_read_file(tree.fd, "sub/file", 6, &content, &size), -1);
	ck_assert_int_eq(errno, FSAT_TOO_BIG);
	ck_assert_ptr_null(content);
	ck_assert_uint_eq(size, 0);
	memset(big, 'x', 10000);
	big[10000] = '\0';
	helper_write_file(tree.fd, "big", big, 0644);
	errno = 0;
	ck_assert_int_eq(fsat_read_file(tree.fd, "big", 5000, &content, &size), -1);
	ck_assert_int_eq(errno, FSAT_TOO_BIG);
	ck_assert_int_eq(fsat_read_file(tree.fd, "big", 10000, &content, &size), 0);
	ck_assert_uint_eq(size, 10000);
	ck_assert_str_eq(content, big);
	free(content);
	free(big);
	tree_remove(&tree);
}
END_TEST

START_TEST(test_fsat_read_file_refuses_a_folder_and_says_enoent_when_missing)
{
	struct tree tree = tree_make();
	char *content;
	size_t size;

	errno = 0;
	ck_assert_int_eq(fsat_read_file(tree.fd, "sub", 100, &content, &size), -1);
	ck_assert_int_eq(errno, FSAT_NOT_REGULAR);
	errno = 0;
	ck_assert_int_eq(fsat_read_file(tree.fd, "sub/none", 100, &content, &size), -1);
	ck_assert_int_eq(errno, ENOENT);
	tree_remove(&tree);
}
END_TEST

START_TEST(test_fsat_open_folder_creates_each_missing_folder_with_its_mode)
{
	struct tree tree = tree_make();
	struct stat status;
	int fd;

	umask(077);
	fd = fsat_open_folder(tree.fd, "sub/a/b", 0751, true);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &status), 0);
	ck_assert(S_ISDIR(status.st_mode));
	ck_assert_uint_eq(status.st_mode & 07777, 0751);
	close(fd);
	ck_assert_int_eq(fstatat(tree.fd, "sub/a", &status, 0), 0);
	ck_assert_uint_eq(status.st_mode & 07777, 0751);
	/* An existing folder keeps its mode. */
	fd = fsat_open_folder(tree.fd, "sub", 0700, true);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &status), 0);
	ck_assert_uint_eq(status.st_mode & 07777, 0755);
	close(fd);
	errno = 0;
	ck_assert_int_eq(fsat_open_folder(tree.fd, "none", 0700, false), -1);
	ck_assert_int_eq(errno, ENOENT);
	errno = 0;
	ck_assert_int_eq(fsat_open_folder(tree.fd, "link/new", 0700, true), -1);
	ck_assert_int_eq(errno, ELOOP);
	umask(022);
	tree_remove(&tree);
}
END_TEST

START_TEST(test_failure_reason_words_the_refusals)
{
	ck_assert_str_eq(failure_reason(FSAT_NOT_REGULAR), "not a regular file");
	ck_assert_str_eq(failure_reason(FSAT_LINKED),
			 "has other hard links, so it is not written");
	ck_assert_str_eq(failure_reason(FSAT_NOT_OWNED),
			 "belongs to another user, so it is not written");
	ck_assert_str_eq(failure_reason(FSAT_TOO_BIG), "too big");
	ck_assert_str_eq(failure_reason(ELOOP),
			 "a symbolic link, which is not followed in an instance home");
	ck_assert_str_eq(failure_reason(EXDEV), "outside the instance home");
	ck_assert_str_eq(failure_reason(ENOENT), "No such file or directory");
}
END_TEST

START_TEST(test_fsat_open_writable_refuses_a_fifo_without_a_reader_as_not_regular)
{
	char *folder = helper_temp_folder();
	int dir_fd = helper_open_folder(folder);

	ck_assert_int_eq(mkfifoat(dir_fd, "fifo", 0644), 0);
	errno = 0;
	ck_assert_int_eq(fsat_open_writable(dir_fd, "fifo", O_WRONLY, 0644,
					    FSAT_ANY_OWNER, NULL), -1);
	ck_assert_int_eq(errno, FSAT_NOT_REGULAR);
	close(dir_fd);
	helper_remove_tree(folder);
}
END_TEST

Suite *fsat_suite(void)
{
	Suite *suite = suite_create("fsat");
	TCase *tc = tcase_create("fsat");

	tcase_add_test(tc, test_fsat_open_reads_a_file_beneath_its_folder);
	tcase_add_test(tc, test_fsat_open_refuses_a_symbolic_link_with_eloop);
	tcase_add_test(tc, test_fsat_open_refuses_climbing_out_and_absolute_paths_with_exdev);
	tcase_add_test(tc, test_fsat_open_writable_creates_with_exactly_the_mode_asked);
	tcase_add_test(tc, test_fsat_open_writable_opens_an_existing_file_as_it_is);
	tcase_add_test(tc, test_fsat_open_writable_refuses_a_hard_linked_file);
	tcase_add_test(tc, test_fsat_open_writable_refuses_a_file_of_another_owner);
	tcase_add_test(tc, test_fsat_open_writable_refuses_a_symbolic_link);
	tcase_add_test(tc, test_fsat_open_writable_refuses_a_fifo_with_a_reader_without_hanging);
	tcase_add_test(tc, test_fsat_read_file_reads_the_whole_file);
	tcase_add_test(tc, test_fsat_read_file_refuses_over_the_limit);
	tcase_add_test(tc, test_fsat_read_file_refuses_a_folder_and_says_enoent_when_missing);
	tcase_add_test(tc, test_fsat_open_folder_creates_each_missing_folder_with_its_mode);
	tcase_add_test(tc, test_failure_reason_words_the_refusals);
	tcase_add_test(tc, test_fsat_open_writable_refuses_a_fifo_without_a_reader_as_not_regular);
	suite_add_tcase(suite, tc);
	return suite;
}
