/* scan: which entries of a promise folder are promises. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scan.h"
#include "suites.h"

static char folder[] = "/tmp/promise-run-scan-XXXXXX";

static void make_file(const char *name, mode_t mode)
{
	char path[512];
	int fd;

	snprintf(path, sizeof path, "%s/%s", folder, name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "#!/bin/sh\n", 10), 10);
	close(fd);
	ck_assert_int_eq(chmod(path, mode), 0);
}

static void make_link(const char *name, const char *target)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%s", folder, name);
	ck_assert_int_eq(symlink(target, path), 0);
}

static void setup(void)
{
	strcpy(folder, "/tmp/promise-run-scan-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(folder));
}

static void teardown(void)
{
	char command[600];

	snprintf(command, sizeof command, "rm -rf '%s'", folder);
	ck_assert_int_eq(system(command), 0);
}

START_TEST(test_scan_lists_executables_in_byte_order)
{
	struct promise_list list;

	make_file("b", 0755);
	make_file("B", 0755);
	make_file("a.sh", 0700);
	make_file("\xc3\xa9", 0755);
	make_file(".hidden", 0755);
	ck_assert_int_eq(scan_dir(folder, NULL, &list), 0);
	ck_assert_uint_eq(list.count, 5);
	ck_assert_str_eq(list.promises[0].name, ".hidden");
	ck_assert_str_eq(list.promises[1].name, "B");
	ck_assert_str_eq(list.promises[2].name, "a.sh");
	ck_assert_str_eq(list.promises[3].name, "b");
	ck_assert_str_eq(list.promises[4].name, "\xc3\xa9");
	ck_assert_uint_eq(list.skipped_count, 0);
	scan_free(&list);
}
END_TEST

START_TEST(test_scan_skips_what_is_not_a_promise_with_its_reason)
{
	struct promise_list list;
	char path[512];

	make_file("plain", 0644);
	make_file("target", 0755);
	make_link("good-link", "target");
	make_link("dangling", "does-not-exist");
	make_link("loop", "loop");
	snprintf(path, sizeof path, "%s/folder", folder);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_eq(scan_dir(folder, NULL, &list), 0);
	ck_assert_uint_eq(list.count, 2);
	ck_assert_str_eq(list.promises[0].name, "good-link");
	ck_assert_str_eq(list.promises[1].name, "target");
	ck_assert_uint_eq(list.skipped_count, 4);
	ck_assert_str_eq(list.skipped[0].name, "dangling");
	ck_assert_int_eq(list.skipped[0].reason, SKIP_DANGLING_LINK);
	ck_assert_str_eq(list.skipped[1].name, "folder");
	ck_assert_int_eq(list.skipped[1].reason, SKIP_NOT_REGULAR_FILE);
	ck_assert_str_eq(list.skipped[2].name, "loop");
	ck_assert_int_eq(list.skipped[2].reason, SKIP_DANGLING_LINK);
	ck_assert_str_eq(list.skipped[3].name, "plain");
	ck_assert_int_eq(list.skipped[3].reason, SKIP_NOT_EXECUTABLE);
	scan_free(&list);
}
END_TEST

START_TEST(test_scan_of_a_missing_folder_is_empty)
{
	struct promise_list list;
	char path[512];

	snprintf(path, sizeof path, "%s/none", folder);
	ck_assert_int_eq(scan_dir(path, NULL, &list), 0);
	ck_assert_uint_eq(list.count, 0);
	ck_assert_uint_eq(list.skipped_count, 0);
	scan_free(&list);
}
END_TEST

START_TEST(test_scan_of_a_file_instead_of_a_folder_fails)
{
	struct promise_list list;
	char path[512];

	make_file("file", 0755);
	snprintf(path, sizeof path, "%s/file", folder);
	ck_assert_int_eq(scan_dir(path, NULL, &list), -1);
	ck_assert_int_eq(errno, ENOTDIR);
}
END_TEST

START_TEST(test_scan_links_promises_with_the_same_title)
{
	struct promise_list list;

	make_file("check.sh", 0755);
	make_file("check.py", 0755);
	make_file("check-x", 0755);
	make_file("check", 0755);
	ck_assert_int_eq(scan_dir(folder, NULL, &list), 0);
	ck_assert_uint_eq(list.count, 4);
	ck_assert_str_eq(list.promises[0].name, "check");
	ck_assert_uint_eq(list.promises[0].same_title_as, SCAN_TITLE_UNIQUE);
	ck_assert_str_eq(list.promises[1].name, "check-x");
	ck_assert_uint_eq(list.promises[1].same_title_as, SCAN_TITLE_UNIQUE);
	ck_assert_str_eq(list.promises[2].name, "check.py");
	ck_assert_uint_eq(list.promises[2].same_title_as, 0);
	ck_assert_str_eq(list.promises[3].name, "check.sh");
	ck_assert_uint_eq(list.promises[3].same_title_as, 0);
	scan_free(&list);
}
END_TEST

static void assert_title(const char *name, const char *expected)
{
	char *title = scan_title(name);

	ck_assert_str_eq(title, expected);
	free(title);
}

START_TEST(test_scan_title_drops_only_the_last_extension)
{
	assert_title("a.sh", "a");
	assert_title("a.b.c", "a.b");
	assert_title("plain", "plain");
	assert_title(".hidden", ".hidden");
	assert_title("..x", "..x");
	assert_title(".hidden.sh", ".hidden");
	assert_title("a.", "a");
}
END_TEST

START_TEST(test_scan_skip_reasons_read_as_the_spec_says)
{
	ck_assert_str_eq(scan_skip_reason_text(SKIP_NOT_EXECUTABLE),
			 "not executable");
	ck_assert_str_eq(scan_skip_reason_text(SKIP_NOT_REGULAR_FILE),
			 "not a regular file");
	ck_assert_str_eq(scan_skip_reason_text(SKIP_DANGLING_LINK),
			 "dangling link");
}
END_TEST

Suite *scan_suite(void)
{
	Suite *suite = suite_create("scan");
	TCase *cases = tcase_create("folder");

	tcase_add_checked_fixture(cases, setup, teardown);
	tcase_add_test(cases, test_scan_lists_executables_in_byte_order);
	tcase_add_test(cases, test_scan_skips_what_is_not_a_promise_with_its_reason);
	tcase_add_test(cases, test_scan_of_a_missing_folder_is_empty);
	tcase_add_test(cases, test_scan_of_a_file_instead_of_a_folder_fails);
	tcase_add_test(cases, test_scan_links_promises_with_the_same_title);
	tcase_add_test(cases, test_scan_title_drops_only_the_last_extension);
	tcase_add_test(cases, test_scan_skip_reasons_read_as_the_spec_says);
	suite_add_tcase(suite, cases);
	return suite;
}
