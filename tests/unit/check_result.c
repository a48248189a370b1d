/* result, env and monotime: the small pure modules. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "credentials.h"
#include "env.h"
#include "monotime.h"
#include "result.h"
#include "suites.h"

/* The wait status of a child that runs `how` (0..255: exit; <0: signal). */
static int wait_status_of(int how)
{
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (how < 0) {
			signal(-how, SIG_DFL);
			raise(-how);
		}
		_exit(how < 0 ? 0 : how);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return status;
}

START_TEST(test_result_decodes_exit_codes)
{
	struct promise_result result = { 0 };

	result_set_wait_status(&result, wait_status_of(0));
	ck_assert_int_eq(result.exit_code, 0);
	ck_assert_int_eq(result.signal, 0);
	result_set_wait_status(&result, wait_status_of(127));
	ck_assert_int_eq(result.exit_code, 127);
	result_set_wait_status(&result, wait_status_of(255));
	ck_assert_int_eq(result.exit_code, 255);
}
END_TEST

START_TEST(test_result_decodes_killing_signals)
{
	struct promise_result result = { 0 };

	result_set_wait_status(&result, wait_status_of(-SIGKILL));
	ck_assert_int_eq(result.exit_code, RESULT_NO_EXIT_CODE);
	ck_assert_int_eq(result.signal, SIGKILL);
	result_set_wait_status(&result, wait_status_of(-SIGTERM));
	ck_assert_int_eq(result.signal, SIGTERM);
}
END_TEST

START_TEST(test_result_status_names_are_the_spec_words)
{
	ck_assert_str_eq(result_status_name(PROMISE_OK), "ok");
	ck_assert_str_eq(result_status_name(PROMISE_FAILED), "failed");
	ck_assert_str_eq(result_status_name(PROMISE_TIMEOUT), "timeout");
	ck_assert_str_eq(result_status_name(PROMISE_ERROR), "error");
}
END_TEST

START_TEST(test_env_sets_instance_home_once)
{
	char *base[] = { "A=1", "INSTANCE_HOME=/old", "B=2",
			 "INSTANCE_HOMEX=keep", NULL };
	char **envp = env_build(base, "/srv/home", false, NULL);
	size_t homes = 0, count = 0;

	for (; envp[count]; count++)
		if (strncmp(envp[count], "INSTANCE_HOME=", 14) == 0) {
			homes++;
			ck_assert_str_eq(envp[count], "INSTANCE_HOME=/srv/home");
		}
	ck_assert_uint_eq(homes, 1);
	ck_assert_uint_eq(count, 4);
	env_free(envp);
}
END_TEST

START_TEST(test_env_clean_keeps_only_the_list)
{
	char *base[] = { "A=1", "PATH=/p", "TZ=UTC", "HOME=/root", NULL };
	struct credentials user = { .change = true, .uid = 1000, .gid = 1000,
				    .user = "alice", .home = "/home/alice",
				    .shell = "/bin/bash" };
	char **envp = env_build(base, "/srv/h", true, &user);
	const char *expected[] = { "INSTANCE_HOME=/srv/h", "HOME=/home/alice",
				   "USER=alice", "LOGNAME=alice",
				   "SHELL=/bin/bash", "PATH=/p", "TZ=UTC", NULL };

	for (size_t i = 0; expected[i]; i++)
		ck_assert_str_eq(envp[i], expected[i]);
	ck_assert_ptr_null(envp[7]);
	env_free(envp);
}
END_TEST

START_TEST(test_env_for_another_user_replaces_its_variables)
{
	char *base[] = { "A=1", "HOME=/root", "USER=root", NULL };
	struct credentials user = { .change = true, .uid = 1000, .gid = 1000,
				    .user = "alice", .home = "/home/alice",
				    .shell = "/bin/sh" };
	char **envp = env_build(base, "/srv/h", false, &user);
	size_t count = 0, homes = 0;

	for (; envp[count]; count++)
		homes += strncmp(envp[count], "HOME=", 5) == 0;
	ck_assert_uint_eq(homes, 1);
	ck_assert_str_eq(envp[1], "HOME=/home/alice");
	ck_assert_str_eq(envp[5], "A=1");
	ck_assert_uint_eq(count, 6);
	env_free(envp);
}
END_TEST

START_TEST(test_monotime_adds_and_compares)
{
	struct timespec start = { .tv_sec = 10, .tv_nsec = 900000000 };
	struct timespec later = monotime_add(start, 0.2);

	ck_assert_int_eq(later.tv_sec, 11);
	ck_assert_int_eq(later.tv_nsec, 100000000);
	ck_assert(monotime_before(start, later));
	ck_assert(!monotime_before(later, start));
	ck_assert(!monotime_before(start, start));
	ck_assert_double_eq_tol(monotime_seconds(start, later), 0.2, 1e-9);
	struct timespec left = monotime_until(start, later);

	ck_assert_int_eq(left.tv_sec, 0);
	ck_assert_int_eq(left.tv_nsec, 200000000);
	left = monotime_until(later, start);
	ck_assert_int_eq(left.tv_sec, 0);
	ck_assert_int_eq(left.tv_nsec, 0);
}
END_TEST

static struct credentials alice = { .uid = 1000, .gid = 1000, .user = "alice" };

static struct file_mode file(mode_t mode, uid_t owner, gid_t group)
{
	return (struct file_mode){ .mode = S_IFREG | mode, .owner = owner,
				   .group = group };
}

START_TEST(test_credentials_accept_files_of_root_or_the_user)
{
	char why[128];
	struct file_mode mine = file(0755, 1000, 1000);
	struct file_mode roots = file(0755, 0, 0);
	struct file_mode own_group = file(0775, 1000, 1000);

	ck_assert_int_eq(credentials_check_file(&alice, &mine, why, sizeof why), 0);
	ck_assert_int_eq(credentials_check_file(&alice, &roots, why, sizeof why), 0);
	ck_assert_int_eq(credentials_check_file(&alice, &own_group, why, sizeof why), 0);
}
END_TEST

START_TEST(test_credentials_refuse_files_others_could_write)
{
	char why[128];
	struct file_mode foreign = file(0755, 1001, 1000);
	struct file_mode everyone = file(0757, 1000, 1000);
	struct file_mode group = file(0775, 1000, 4242);

	ck_assert_int_eq(credentials_check_file(&alice, &foreign, why, sizeof why), -1);
	ck_assert_str_eq(why, "owned by uid 1001, not by root or alice");
	ck_assert_int_eq(credentials_check_file(&alice, &everyone, why, sizeof why), -1);
	ck_assert_str_eq(why, "writable by every user");
	ck_assert_int_eq(credentials_check_file(&alice, &group, why, sizeof why), -1);
	ck_assert_str_eq(why, "writable by group 4242");
}
END_TEST

START_TEST(test_credentials_execute_bits_for_owner_group_and_others)
{
	gid_t groups[] = { 50 };
	struct credentials bob = { .uid = 1000, .gid = 1000, .groups = groups,
				   .group_count = 1 };
	struct credentials root = { .uid = 0, .gid = 0 };
	struct file_mode owner_only = file(0700, 1000, 7);
	struct file_mode group_only = file(0070, 1, 50);
	struct file_mode others_only = file(0001, 1, 7);
	struct file_mode owner_denied = file(0077, 1000, 50);
	struct file_mode nobody = file(0644, 1, 7);

	ck_assert(credentials_may_execute(&bob, &owner_only));
	ck_assert(credentials_may_execute(&bob, &group_only));
	ck_assert(credentials_may_execute(&bob, &others_only));
	/* The owner's bits decide for the owner, even against the group's. */
	ck_assert(!credentials_may_execute(&bob, &owner_denied));
	ck_assert(!credentials_may_execute(&bob, &nobody));
	ck_assert(credentials_may_execute(&root, &others_only));
	ck_assert(!credentials_may_execute(&root, &nobody));
}
END_TEST

Suite *credentials_suite(void)
{
	Suite *suite = suite_create("credentials");
	TCase *cases = tcase_create("files");

	tcase_add_test(cases, test_credentials_accept_files_of_root_or_the_user);
	tcase_add_test(cases, test_credentials_refuse_files_others_could_write);
	tcase_add_test(cases, test_credentials_execute_bits_for_owner_group_and_others);
	suite_add_tcase(suite, cases);
	return suite;
}

Suite *result_suite(void)
{
	Suite *suite = suite_create("result");
	TCase *cases = tcase_create("wait status");

	tcase_add_test(cases, test_result_decodes_exit_codes);
	tcase_add_test(cases, test_result_decodes_killing_signals);
	tcase_add_test(cases, test_result_status_names_are_the_spec_words);
	suite_add_tcase(suite, cases);
	return suite;
}

Suite *env_suite(void)
{
	Suite *suite = suite_create("env");
	TCase *cases = tcase_create("environment");

	tcase_add_test(cases, test_env_sets_instance_home_once);
	tcase_add_test(cases, test_env_clean_keeps_only_the_list);
	tcase_add_test(cases, test_env_for_another_user_replaces_its_variables);
	suite_add_tcase(suite, cases);
	return suite;
}

Suite *monotime_suite(void)
{
	Suite *suite = suite_create("monotime");
	TCase *cases = tcase_create("arithmetic");

	tcase_add_test(cases, test_monotime_adds_and_compares);
	suite_add_tcase(suite, cases);
	return suite;
}
