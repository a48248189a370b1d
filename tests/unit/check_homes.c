/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* homes: patterns expanded, and the matches root refuses as homes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "homes.h"
#include "suites.h"

/* A folder with a home 'p1' and a link 'p2' to a folder elsewhere. */
static char *home_and_link(void)
{
	char *folder = helper_temp_folder(), *path, *target;

	ck_assert_int_ge(asprintf(&path, "%s/p1", folder), 0);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	free(path);
	ck_assert_int_ge(asprintf(&target, "%s/elsewhere", folder), 0);
	ck_assert_int_eq(mkdir(target, 0755), 0);
	ck_assert_int_ge(asprintf(&path, "%s/p2", folder), 0);
	ck_assert_int_eq(symlink(target, path), 0);
	free(path);
	free(target);
	return folder;
}

/* homes_expand of the one word `pattern`, which must succeed. */
static void expand(const char *pattern, bool as_root, struct homes *homes)
{
	char *const words[] = { (char *)pattern };
	char error[256] = "";

	ck_assert_int_eq(homes_expand(words, 1, as_root, homes, error,
				      sizeof error), 0);
	ck_assert_uint_eq(homes->count, 2);
}

START_TEST(test_homes_without_root_take_every_match)
{
	char *folder = home_and_link(), *pattern;
	struct homes homes;

	ck_assert_int_ge(asprintf(&pattern, "%s/p*", folder), 0);
	expand(pattern, false, &homes);
	ck_assert_ptr_null(homes.refusals[0]);
	ck_assert_ptr_null(homes.refusals[1]);
	homes_release(&homes);
	free(pattern);
	helper_remove_tree(folder);
}
END_TEST

START_TEST(test_homes_as_root_refuse_a_match_that_is_a_link)
{
	char *folder, *pattern, *expected;
	struct homes homes;

	if (geteuid() != 0)
		return;     /* needs root: a folder of root's */
	folder = home_and_link();
	/* With a trailing slash or without, the match names one entry. */
	for (int slash = 0; slash < 2; slash++) {
		ck_assert_int_ge(asprintf(&pattern, "%s/p*%s", folder,
					  slash ? "/" : ""), 0);
		expand(pattern, true, &homes);
		ck_assert_ptr_null(homes.refusals[0]);
		ck_assert_int_ge(asprintf(&expected,
					  "refused instance home '%s': it is a symbolic link (matched by '%s')",
					  homes.paths[1], pattern), 0);
		ck_assert_str_eq(homes.refusals[1], expected);
		free(expected);
		homes_release(&homes);
		free(pattern);
	}
	helper_remove_tree(folder);
}
END_TEST

START_TEST(test_homes_as_root_refuse_the_matches_of_a_folder_others_may_write)
{
	char *folder, *pattern, *expected;
	struct homes homes;

	if (geteuid() != 0)
		return;     /* needs root: a folder of root's */
	folder = home_and_link();
	ck_assert_int_eq(chmod(folder, 01777), 0);
	ck_assert_int_ge(asprintf(&pattern, "%s/p*", folder), 0);
	expand(pattern, true, &homes);
	for (size_t i = 0; i < homes.count; i++) {
		ck_assert_int_ge(asprintf(&expected,
					  "refused instance home '%s': the folder holding it, '%s', is writable by every user (matched by '%s')",
					  homes.paths[i], folder, pattern), 0);
		ck_assert_str_eq(homes.refusals[i], expected);
		free(expected);
	}
	homes_release(&homes);
	free(pattern);
	helper_remove_tree(folder);
}
END_TEST

Suite *homes_suite(void)
{
	Suite *suite = suite_create("homes");
	TCase *tc = tcase_create("homes");

	tcase_add_test(tc, test_homes_without_root_take_every_match);
	tcase_add_test(tc, test_homes_as_root_refuse_a_match_that_is_a_link);
	tcase_add_test(tc, test_homes_as_root_refuse_the_matches_of_a_folder_others_may_write);
	suite_add_tcase(suite, tc);
	return suite;
}
