/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* credentials: which promise files a user may run, and who runs them. */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "credentials.h"
#include "helpers.h"
#include "suites.h"

/*
 * A gid that no group has, and a uid that no user has, on this machine
 * (a directory of many users may well use 3999999).
 */
static gid_t no_group(void)
{
	gid_t gid = 3999999;

	while (getgrgid(gid))
		gid--;
	return gid;
}

static uid_t no_user(void)
{
	uid_t uid = 3999999;

	while (getpwuid(uid))
		uid--;
	return uid;
}

#define NO_GROUP no_group()

static gid_t user_groups[] = { 1000, 50 };

static struct credentials slapuser = {
	.change = true, .uid = 1000, .gid = 1000,
	.groups = user_groups, .group_count = 2,
	.user = "slapuser0", .home = "/srv/slapgrid/slappart0",
	.shell = "/bin/sh",
};

static struct credentials root = { .uid = 0, .gid = 0, .user = "root" };

static struct file_mode file(mode_t mode, uid_t owner, gid_t group)
{
	return (struct file_mode){ .mode = S_IFREG | mode, .owner = owner,
				   .group = group };
}

/* credentials_check_file's verdict: "" when accepted, else why. */
static const char *verdict(const struct credentials *credentials,
                           struct file_mode mode)
{
	static char why[256];

	strcpy(why, "untouched");
	if (credentials_check_file(credentials, &mode, why, sizeof why) == 0) {
		ck_assert_str_eq(why, "untouched");
		return "";
	}
	return why;
}

START_TEST(test_credentials_accept_a_file_of_root_or_of_the_user)
{
	ck_assert_str_eq(verdict(&slapuser, file(0755, 0, 0)), "");
	ck_assert_str_eq(verdict(&slapuser, file(0700, 1000, 1000)), "");
	ck_assert_str_eq(verdict(&slapuser, file(0775, 1000, 1000)), "");
	ck_assert_str_eq(verdict(&slapuser, file(0775, 0, 0)), "");
	ck_assert_str_eq(verdict(&slapuser, file(0755, 1000, NO_GROUP)), "");
}
END_TEST

START_TEST(test_credentials_refuse_a_file_of_another_owner)
{
	ck_assert_str_eq(verdict(&slapuser, file(0755, 1001, 1000)),
			 "owned by uid 1001, not by root or slapuser0");
	/* The owner is checked first. */
	ck_assert_str_eq(verdict(&slapuser, file(0777, 1001, NO_GROUP)),
			 "owned by uid 1001, not by root or slapuser0");
}
END_TEST

START_TEST(test_credentials_refuse_a_world_writable_file)
{
	ck_assert_str_eq(verdict(&slapuser, file(0757, 1000, 1000)),
			 "writable by every user");
	ck_assert_str_eq(verdict(&root, file(0002, 0, 0)),
			 "writable by every user");
}
END_TEST

START_TEST(test_credentials_refuse_a_file_writable_by_another_group)
{
	char expected[300];
	const struct group *group = NULL;
	gid_t gid;

	snprintf(expected, sizeof expected, "writable by group %u",
		 (unsigned)NO_GROUP);
	ck_assert_str_eq(verdict(&slapuser, file(0775, 1000, NO_GROUP)),
			 expected);
	/* A named group: named in the reason. */
	for (gid = 1; gid < 1000 && !group; gid++)
		group = getgrgid(gid);
	if (!group)
		return;     /* no named group on this system */
	snprintf(expected, sizeof expected, "writable by group '%s'",
		 group->gr_name);
	ck_assert_str_eq(verdict(&slapuser, file(0770, 1000, group->gr_gid)),
			 expected);
}
END_TEST

START_TEST(test_credentials_may_execute_by_the_mode_bits_that_apply)
{
	struct file_mode mode;

	/* The owner's bits alone apply to the owner. */
	mode = file(0700, 1000, 7);
	ck_assert(credentials_may_execute(&slapuser, &mode));
	mode = file(0611, 1000, 1000);
	ck_assert(!credentials_may_execute(&slapuser, &mode));
	/* Then the group's, for the primary and supplementary groups. */
	mode = file(0710, 0, 1000);
	ck_assert(credentials_may_execute(&slapuser, &mode));
	mode = file(0701, 0, 1000);
	ck_assert(!credentials_may_execute(&slapuser, &mode));
	mode = file(0010, 0, 50);
	ck_assert(credentials_may_execute(&slapuser, &mode));
	/* Then the others'. */
	mode = file(0001, 0, 7);
	ck_assert(credentials_may_execute(&slapuser, &mode));
	mode = file(0770, 0, 7);
	ck_assert(!credentials_may_execute(&slapuser, &mode));
}
END_TEST

START_TEST(test_credentials_root_may_execute_with_any_execute_bit)
{
	struct file_mode mode = file(0001, 1000, 1000);

	ck_assert(credentials_may_execute(&root, &mode));
	mode = file(0010, 1000, 1000);
	ck_assert(credentials_may_execute(&root, &mode));
	mode = file(0666, 0, 0);
	ck_assert(!credentials_may_execute(&root, &mode));
}
END_TEST

START_TEST(test_credentials_for_instance_as_root_is_the_owner_of_the_home)
{
	char *folder;
	int home_fd;
	struct credentials credentials;
	char error[256] = "", name[32];
	uid_t nobody = no_user();
	gid_t nobody_group = no_group();

	if (geteuid() != 0)
		return;     /* needs root: chown, and the root branch */
	folder = helper_temp_folder();
	home_fd = helper_open_folder(folder);

	/* A home of root: promises run as root, unchanged. */
	ck_assert_int_eq(credentials_for_instance(home_fd, folder, NULL,
						  &credentials, error,
						  sizeof error), 0);
	ck_assert(!credentials.change);
	ck_assert_uint_eq(credentials.uid, 0);
	ck_assert_str_eq(credentials.user, "root");
	credentials_release(&credentials);
	ck_assert_ptr_null(credentials.user);

	/* A home of a uid without a passwd entry: that uid, HOME the home. */
	ck_assert_int_eq(fchown(home_fd, nobody, nobody_group), 0);
	ck_assert_int_eq(credentials_for_instance(home_fd, folder, NULL,
						  &credentials, error,
						  sizeof error), 0);
	ck_assert(credentials.change);
	ck_assert_uint_eq(credentials.uid, nobody);
	ck_assert_uint_eq(credentials.gid, nobody_group);
	snprintf(name, sizeof name, "%u", (unsigned)nobody);
	ck_assert_str_eq(credentials.user, name);
	ck_assert_str_eq(credentials.home, folder);
	ck_assert_str_eq(credentials.shell, "/bin/sh");
	ck_assert_uint_eq(credentials.group_count, 0);
	credentials_release(&credentials);

	/* --user names the user whatever owns the home. */
	ck_assert_int_eq(credentials_for_instance(home_fd, folder, "root",
						  &credentials, error,
						  sizeof error), 0);
	ck_assert(!credentials.change);
	ck_assert_str_eq(credentials.user, "root");
	credentials_release(&credentials);
	close(home_fd);
	helper_remove_tree(folder);
}
END_TEST

START_TEST(test_credentials_for_instance_refuses_an_unknown_user)
{
	const char *prefix = "unknown user 'no-such-user-zz'";
	struct credentials credentials;
	char error[256] = "";

	if (geteuid() != 0)
		return;     /* needs root: --user is refused otherwise */
	ck_assert_int_eq(credentials_for_instance(-1, "/nowhere",
						  "no-such-user-zz",
						  &credentials, error,
						  sizeof error), -1);
	/* The lookup's own error, if any, follows after ": ". */
	ck_assert_int_eq(strncmp(error, prefix, strlen(prefix)), 0);
	ck_assert(error[strlen(prefix)] == '\0' ||
		  strncmp(error + strlen(prefix), ": ", 2) == 0);
}
END_TEST

/* credentials_check_root_folder's verdict: "" when accepted, else why. */
static const char *root_folder_verdict(mode_t mode, uid_t owner, gid_t group)
{
	static char why[256];
	struct file_mode folder = { .mode = S_IFDIR | mode, .owner = owner,
				    .group = group };

	strcpy(why, "untouched");
	if (credentials_check_root_folder(&folder, why, sizeof why) == 0) {
		ck_assert_str_eq(why, "untouched");
		return "";
	}
	return why;
}

START_TEST(test_credentials_root_folder_is_roots_alone)
{
	ck_assert_str_eq(root_folder_verdict(0755, 0, 0), "");
	ck_assert_str_eq(root_folder_verdict(0700, 0, 1000), "");
	ck_assert_str_eq(root_folder_verdict(0755, 3999999, 0),
			 "owned by uid 3999999, not by root");
	/* Sticky or not, and root's group too: others could add there. */
	ck_assert_str_eq(root_folder_verdict(01777, 0, 0),
			 "writable by every user");
	ck_assert_str_eq(root_folder_verdict(0775, 0, NO_GROUP),
			 "writable by group 3999999");
	/* The owner is checked first. */
	ck_assert_str_eq(root_folder_verdict(0777, 3999999, NO_GROUP),
			 "owned by uid 3999999, not by root");
}
END_TEST

Suite *credentials_suite(void)
{
	Suite *suite = suite_create("credentials");
	TCase *tc = tcase_create("credentials");

	tcase_add_test(tc, test_credentials_accept_a_file_of_root_or_of_the_user);
	tcase_add_test(tc, test_credentials_refuse_a_file_of_another_owner);
	tcase_add_test(tc, test_credentials_refuse_a_world_writable_file);
	tcase_add_test(tc, test_credentials_refuse_a_file_writable_by_another_group);
	tcase_add_test(tc, test_credentials_may_execute_by_the_mode_bits_that_apply);
	tcase_add_test(tc, test_credentials_root_may_execute_with_any_execute_bit);
	tcase_add_test(tc, test_credentials_for_instance_as_root_is_the_owner_of_the_home);
	tcase_add_test(tc, test_credentials_for_instance_refuses_an_unknown_user);
	tcase_add_test(tc, test_credentials_root_folder_is_roots_alone);
	suite_add_tcase(suite, tc);
	return suite;
}
