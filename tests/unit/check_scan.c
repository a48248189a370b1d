/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* scan: a promise folder, given as a descriptor, to its sorted lists. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "scan.h"
#include "suites.h"

/* A temporary promise folder, open. */
struct folder {
	char *path;
	int fd;
};

static struct folder folder_make(void)
{
	struct folder folder = { .path = helper_temp_folder() };

	folder.fd = helper_open_folder(folder.path);
	return folder;
}

static void folder_remove(struct folder *folder)
{
	close(folder->fd);
	helper_remove_tree(folder->path);
}

/* The promises of the list, "name" a line. */
static char *promise_names(const struct promise_list *list)
{
	struct helper_output output;

	helper_output_open(&output);
	for (size_t i = 0; i < list->count; i++)
		fprintf(output.out, "%s\n", list->promises[i].name);
	return helper_output_close(&output);
}

/* The skipped entries of the list, "name: reason" a line. */
static char *skipped_names(const struct promise_list *list)
{
	struct helper_output output;

	helper_output_open(&output);
	for (size_t i = 0; i < list->skipped_count; i++)
		fprintf(output.out, "%s: %s\n", list->skipped[i].name,
			scan_skip_reason_text(list->skipped[i].reason));
	return helper_output_close(&output);
}

#define ASSERT_TEXT(make, list, expected) do { \
	char *text_ = make(list); \
	ck_assert_str_eq(text_, expected); \
	free(text_); \
} while (0)

START_TEST(test_scan_lists_executable_files_in_byte_order)
{
	struct folder folder = folder_make();
	struct promise_list list;

	helper_write_file(folder.fd, "b.sh", "#!/bin/sh\n", 0755);
	helper_write_file(folder.fd, "a.sh", "#!/bin/sh\n", 0700);
	helper_write_file(folder.fd, "B.py", "", 0755);
	helper_write_file(folder.fd, "\xc3\xa9.sh", "", 0755);
	ck_assert_int_eq(scan_dir(folder.fd, NULL, &list), 0);
	ASSERT_TEXT(promise_names, &list, "B.py\na.sh\nb.sh\n\xc3\xa9.sh\n");
	ck_assert_uint_eq(list.skipped_count, 0);
	ck_assert_str_eq(list.promises[1].title, "a");
	ck_assert_uint_eq(list.promises[1].file.mode, S_IFREG | 0700);
	ck_assert_uint_eq(list.promises[1].file.owner, geteuid());
	ck_assert_uint_eq(list.promises[1].file.group, getegid());
	ck_assert_int_gt(list.promises[1].file.mtime, 0);
	ck_assert(!list.promises[1].title_taken_later);
	scan_release(&list);
	ck_assert_ptr_null(list.promises);
	ck_assert_uint_eq(list.count, 0);
	folder_remove(&folder);
}
END_TEST

START_TEST(test_scan_skips_what_is_not_a_promise_with_its_reason)
{
	struct folder folder = folder_make();
	struct promise_list list;

	helper_write_file(folder.fd, "run.sh", "", 0755);
	helper_write_file(folder.fd, "notes.txt", "", 0644);
	ck_assert_int_eq(mkdirat(folder.fd, "folder", 0755), 0);
	ck_assert_int_eq(mkfifoat(folder.fd, "fifo", 0755), 0);
	ck_assert_int_eq(symlinkat("nowhere", folder.fd, "dangling"), 0);
	ck_assert_int_eq(symlinkat("loop", folder.fd, "loop"), 0);
	ck_assert_int_eq(symlinkat("folder", folder.fd, "to-folder"), 0);
	ck_assert_int_eq(scan_dir(folder.fd, NULL, &list), 0);
	ASSERT_TEXT(promise_names, &list, "run.sh\n");
	ASSERT_TEXT(skipped_names, &list,
		    "dangling: dangling link\n"
		    "fifo: not a regular file\n"
		    "folder: not a regular file\n"
		    "loop: dangling link\n"
		    "notes.txt: not executable\n"
		    "to-folder: not a regular file\n");
	scan_release(&list);
	folder_remove(&folder);
}
END_TEST

START_TEST(test_scan_follows_a_link_to_an_executable_file)
{
	struct folder folder = folder_make();
	struct promise_list list;

	helper_write_file(folder.fd, "real.sh", "", 0750);
	ck_assert_int_eq(symlinkat("real.sh", folder.fd, "link.sh"), 0);
	ck_assert_int_eq(scan_dir(folder.fd, NULL, &list), 0);
	ASSERT_TEXT(promise_names, &list, "link.sh\nreal.sh\n");
	ck_assert_uint_eq(list.promises[0].file.mode, S_IFREG | 0750);
	/* Both have the title of their own names: no title shared. */
	ck_assert_str_eq(list.promises[0].title, "link");
	scan_release(&list);
	folder_remove(&folder);
}
END_TEST

START_TEST(test_scan_includes_hidden_files)
{
	struct folder folder = folder_make();
	struct promise_list list;

	helper_write_file(folder.fd, ".hidden", "", 0755);
	helper_write_file(folder.fd, ".check.sh", "", 0755);
	ck_assert_int_eq(scan_dir(folder.fd, NULL, &list), 0);
	ASSERT_TEXT(promise_names, &list, ".check.sh\n.hidden\n");
	ck_assert_str_eq(list.promises[0].title, ".check");
	ck_assert_str_eq(list.promises[1].title, ".hidden");
	scan_release(&list);
	folder_remove(&folder);
}
END_TEST

START_TEST(test_scan_marks_promises_that_share_a_title)
{
	struct folder folder = folder_make();
	struct promise_list list;

	helper_write_file(folder.fd, "check.sh", "", 0755);
	helper_write_file(folder.fd, "check", "", 0755);
	helper_write_file(folder.fd, "check.py", "", 0755);
	helper_write_file(folder.fd, "other.sh", "", 0755);
	ck_assert_int_eq(scan_dir(folder.fd, NULL, &list), 0);
	ASSERT_TEXT(promise_names, &list, "check\ncheck.py\ncheck.sh\nother.sh\n");
	for (size_t i = 0; i < 3; i++)
		ck_assert_str_eq(list.promises[i].title, "check");
	/* The last in byte order takes the title: the others are shadowed. */
	ck_assert(list.promises[0].title_taken_later);
	ck_assert(list.promises[1].title_taken_later);
	ck_assert(!list.promises[2].title_taken_later);
	ck_assert(!list.promises[3].title_taken_later);
	scan_release(&list);
	folder_remove(&folder);
}
END_TEST

START_TEST(test_scan_has_promise_finds_each_name_and_only_those)
{
	static struct promise promises[] = {
		{ .name = "B.py" }, { .name = "a.sh" }, { .name = "b" },
		{ .name = "b.sh" }, { .name = "c" },
	};
	const struct promise_list list = { .promises = promises, .count = 5 };
	const struct promise_list empty = { 0 };

	for (size_t i = 0; i < 5; i++)
		ck_assert(scan_has_promise(&list, promises[i].name));
	ck_assert(!scan_has_promise(&list, "A"));
	ck_assert(!scan_has_promise(&list, "a"));
	ck_assert(!scan_has_promise(&list, "b.s"));
	ck_assert(!scan_has_promise(&list, "d"));
	ck_assert(!scan_has_promise(&empty, "a.sh"));
}
END_TEST

START_TEST(test_scan_decides_by_mode_bits_for_another_runner)
{
	struct folder folder = folder_make();
	struct credentials other = { .uid = geteuid() + 4242,
				     .gid = getegid() + 4242,
				     .user = "other" };
	struct promise_list list;

	helper_write_file(folder.fd, "all.sh", "", 0755);
	helper_write_file(folder.fd, "mine.sh", "", 0754);
	ck_assert_int_eq(scan_dir(folder.fd, &other, &list), 0);
	ASSERT_TEXT(promise_names, &list, "all.sh\n");
	ASSERT_TEXT(skipped_names, &list, "mine.sh: not executable\n");
	scan_release(&list);
	/* Without a runner, the kernel decides for promise-run's own user. */
	ck_assert_int_eq(scan_dir(folder.fd, NULL, &list), 0);
	ASSERT_TEXT(promise_names, &list, "all.sh\nmine.sh\n");
	scan_release(&list);
	folder_remove(&folder);
}
END_TEST

START_TEST(test_scan_reads_a_used_descriptor_from_its_start)
{
	struct folder folder = folder_make();
	struct promise_list list;

	helper_write_file(folder.fd, "a.sh", "", 0755);
	helper_write_file(folder.fd, "b.sh", "", 0755);
	ck_assert_int_eq(scan_dir(folder.fd, NULL, &list), 0);
	scan_release(&list);
	ck_assert_int_eq(scan_dir(folder.fd, NULL, &list), 0);
	ASSERT_TEXT(promise_names, &list, "a.sh\nb.sh\n");
	scan_release(&list);
	folder_remove(&folder);
}
END_TEST

START_TEST(test_scan_of_a_file_instead_of_a_folder_fails_empty)
{
	struct folder folder = folder_make();
	struct promise_list list;
	int fd;

	helper_write_file(folder.fd, "file", "", 0755);
	fd = openat(folder.fd, "file", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	errno = 0;
	ck_assert_int_eq(scan_dir(fd, NULL, &list), -1);
	ck_assert_int_eq(errno, ENOTDIR);
	ck_assert_uint_eq(list.count, 0);
	ck_assert_ptr_null(list.promises);
	ck_assert_uint_eq(list.skipped_count, 0);
	/* The caller's descriptor stays open. */
	ck_assert_int_eq(fcntl(fd, F_GETFD), FD_CLOEXEC);
	close(fd);
	folder_remove(&folder);
}
END_TEST

START_TEST(test_scan_plugins_lists_python_files_but_init_after_the_skipped)
{
	struct folder folder = folder_make();
	struct promise_list list;
	int plugin_fd;

	helper_write_file(folder.fd, "notes", "", 0644);
	ck_assert_int_eq(mkdirat(folder.fd, "plugin", 0755), 0);
	plugin_fd = openat(folder.fd, "plugin", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(plugin_fd, 0);
	helper_write_file(plugin_fd, "z.py", "", 0644);
	helper_write_file(plugin_fd, "a.py", "", 0644);
	helper_write_file(plugin_fd, "__init__.py", "", 0644);
	helper_write_file(plugin_fd, "__init__x.py", "", 0644);
	helper_write_file(plugin_fd, "b.pyc", "", 0644);
	helper_write_file(plugin_fd, ".py", "", 0644);
	helper_write_file(plugin_fd, "README", "", 0644);
	ck_assert_int_eq(scan_dir(folder.fd, NULL, &list), 0);
	ck_assert_int_eq(scan_plugins(plugin_fd, false, &list), 0);
	ASSERT_TEXT(skipped_names, &list,
		    "notes: not executable\n"
		    "plugin: not a regular file\n"
		    "etc/plugin/a.py: Python plugin: not run (--no-plugins)\n"
		    "etc/plugin/z.py: Python plugin: not run (--no-plugins)\n");
	ck_assert_int_eq(list.skipped[2].reason, SKIP_PLUGIN);
	scan_release(&list);
	close(plugin_fd);
	folder_remove(&folder);
}
END_TEST

START_TEST(test_scan_plugins_as_promises_come_first_titled_without_py)
{
	struct folder folder = folder_make();
	struct promise_list list;
	int plugin_fd;

	helper_write_file(folder.fd, "b-legacy", "", 0755);
	helper_write_file(folder.fd, "a-legacy.sh", "", 0755);
	ck_assert_int_eq(mkdirat(folder.fd, "plugin", 0755), 0);
	plugin_fd = openat(folder.fd, "plugin", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(plugin_fd, 0);
	helper_write_file(plugin_fd, "z-check.py", "", 0644);
	helper_write_file(plugin_fd, "m.check.py", "", 0644);
	helper_write_file(plugin_fd, "__init__.py", "", 0644);
	ck_assert_int_eq(scan_dir(folder.fd, NULL, &list), 0);
	ck_assert_int_eq(scan_plugins(plugin_fd, true, &list), 0);
	ck_assert_uint_eq(list.count, 4);
	ck_assert_uint_eq(list.plugin_count, 2);
	ck_assert_str_eq(list.promises[0].name, "m.check.py");
	ck_assert_str_eq(list.promises[0].title, "m.check");
	ck_assert(list.promises[0].plugin);
	ck_assert_str_eq(list.promises[1].title, "z-check");
	ck_assert_str_eq(list.promises[2].name, "a-legacy.sh");
	ck_assert_str_eq(list.promises[2].title, "a-legacy");
	ck_assert(!list.promises[2].plugin);
	ck_assert_str_eq(list.promises[3].name, "b-legacy");
	/* Both parts are searched. */
	ck_assert(scan_has_promise(&list, "z-check.py"));
	ck_assert(scan_has_promise(&list, "b-legacy"));
	ck_assert(!scan_has_promise(&list, "__init__.py"));
	scan_release(&list);
	close(plugin_fd);
	folder_remove(&folder);
}
END_TEST

START_TEST(test_scan_title_as_python_splitext)
{
	static const char *const names[][2] = {
		{ "a.sh", "a" }, { "a.b.sh", "a.b" }, { "noext", "noext" },
		{ ".hidden", ".hidden" }, { "..x.sh", "..x" }, { "a.", "a" },
		{ ".a.b", ".a" }, { "...", "..." },
	};

	const size_t count = sizeof names / sizeof *names;
	struct folder folder = folder_make();
	struct promise_list list;

	for (size_t i = 0; i < count; i++)
		helper_write_file(folder.fd, names[i][0], "", 0755);
	ck_assert_int_eq(scan_dir(folder.fd, NULL, &list), 0);
	ck_assert_uint_eq(list.count, count);
	for (size_t i = 0; i < count; i++) {
		size_t found = 0;

		while (found < count &&
		       strcmp(list.promises[found].name, names[i][0]) != 0)
			found++;
		ck_assert_uint_lt(found, count);
		ck_assert_str_eq(list.promises[found].title, names[i][1]);
	}
	scan_release(&list);
	folder_remove(&folder);
}
END_TEST

START_TEST(test_scan_skip_reason_words)
{
	ck_assert_str_eq(scan_skip_reason_text(SKIP_NOT_EXECUTABLE), "not executable");
	ck_assert_str_eq(scan_skip_reason_text(SKIP_NOT_REGULAR_FILE), "not a regular file");
	ck_assert_str_eq(scan_skip_reason_text(SKIP_DANGLING_LINK), "dangling link");
	ck_assert_str_eq(scan_skip_reason_text(SKIP_UNREADABLE), "cannot be inspected");
	ck_assert_str_eq(scan_skip_reason_text(SKIP_PLUGIN),
			 "Python plugin: not run (--no-plugins)");
}
END_TEST

Suite *scan_suite(void)
{
	Suite *suite = suite_create("scan");
	TCase *tc = tcase_create("scan");

	tcase_add_test(tc, test_scan_lists_executable_files_in_byte_order);
	tcase_add_test(tc, test_scan_skips_what_is_not_a_promise_with_its_reason);
	tcase_add_test(tc, test_scan_follows_a_link_to_an_executable_file);
	tcase_add_test(tc, test_scan_includes_hidden_files);
	tcase_add_test(tc, test_scan_marks_promises_that_share_a_title);
	tcase_add_test(tc, test_scan_has_promise_finds_each_name_and_only_those);
	tcase_add_test(tc, test_scan_decides_by_mode_bits_for_another_runner);
	tcase_add_test(tc, test_scan_reads_a_used_descriptor_from_its_start);
	tcase_add_test(tc, test_scan_of_a_file_instead_of_a_folder_fails_empty);
	tcase_add_test(tc, test_scan_plugins_lists_python_files_but_init_after_the_skipped);
	tcase_add_test(tc, test_scan_plugins_as_promises_come_first_titled_without_py);
	tcase_add_test(tc, test_scan_title_as_python_splitext);
	tcase_add_test(tc, test_scan_skip_reason_words);
	suite_add_tcase(suite, tc);
	return suite;
}
