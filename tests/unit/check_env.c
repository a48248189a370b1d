/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* env: the environment a promise runs with, for each kind. */
#include <stdlib.h>
#include <string.h>

#include "credentials.h"
#include "env.h"
#include "suites.h"

static char *const base[] = {
	"PATH=/usr/bin:/bin", "HOME=/root", "USER=root", "LANG=C.UTF-8",
	"LC_ALL=C", "LC_TIME=fr_FR.UTF-8", "TZ=Europe/Paris",
	"SLAPGRID_INSTANCE_ROOT=/srv/slapgrid", "SECRET_TOKEN=x", "FOO=1",
	"INSTANCE_HOME=/elsewhere", "PROMISE_RUN=/old/promise-run",
	"LANGUAGE=fr", "LCX=1", "PATHX=1", "LC_=odd", NULL,
};

static struct credentials other_user = {
	.change = true, .uid = 1000, .gid = 1000, .user = "slapuser0",
	.home = "/srv/slapgrid/slappart0", .shell = "/bin/bash",
};

static struct credentials same_user = {
	.change = false, .uid = 0, .gid = 0, .user = "root",
	.home = "/root", .shell = "/bin/sh",
};

/* The environment built from `spec`, one assignment a line. */
static char *built(const struct env_spec *spec)
{
	char **envp = env_build(spec);
	size_t size = 1;
	char *text;

	ck_assert_ptr_nonnull(envp);
	for (size_t i = 0; envp[i]; i++)
		size += strlen(envp[i]) + 1;
	text = malloc(size);
	ck_assert_ptr_nonnull(text);
	text[0] = '\0';
	for (size_t i = 0; envp[i]; i++) {
		strcat(text, envp[i]);
		strcat(text, "\n");
	}
	env_free(envp);
	return text;
}

#define ASSERT_ENV(spec, expected) do { \
	char *text_ = built(spec); \
	ck_assert_str_eq(text_, expected); \
	free(text_); \
} while (0)

START_TEST(test_env_inherited_passes_everything_but_its_own_variables)
{
	struct env_spec spec = { .base = base, .kind = ENV_INHERITED,
				 .home = "/srv/slapgrid/slappart0",
				 .self = "/usr/bin/promise-run",
				 .user = &same_user };

	ASSERT_ENV(&spec,
		   "INSTANCE_HOME=/srv/slapgrid/slappart0\n"
		   "PROMISE_RUN=/usr/bin/promise-run\n"
		   "PATH=/usr/bin:/bin\nHOME=/root\nUSER=root\nLANG=C.UTF-8\n"
		   "LC_ALL=C\nLC_TIME=fr_FR.UTF-8\nTZ=Europe/Paris\n"
		   "SLAPGRID_INSTANCE_ROOT=/srv/slapgrid\nSECRET_TOKEN=x\nFOO=1\n"
		   "LANGUAGE=fr\nLCX=1\nPATHX=1\nLC_=odd\n");
}
END_TEST

START_TEST(test_env_inherited_sets_the_variables_of_another_user)
{
	struct env_spec spec = { .base = base, .kind = ENV_INHERITED,
				 .home = "/srv/slapgrid/slappart0",
				 .self = "/usr/bin/promise-run",
				 .user = &other_user };

	ASSERT_ENV(&spec,
		   "INSTANCE_HOME=/srv/slapgrid/slappart0\n"
		   "PROMISE_RUN=/usr/bin/promise-run\n"
		   "HOME=/srv/slapgrid/slappart0\nUSER=slapuser0\n"
		   "LOGNAME=slapuser0\nSHELL=/bin/bash\n"
		   "PATH=/usr/bin:/bin\nLANG=C.UTF-8\n"
		   "LC_ALL=C\nLC_TIME=fr_FR.UTF-8\nTZ=Europe/Paris\n"
		   "SLAPGRID_INSTANCE_ROOT=/srv/slapgrid\nSECRET_TOKEN=x\nFOO=1\n"
		   "LANGUAGE=fr\nLCX=1\nPATHX=1\nLC_=odd\n");
}
END_TEST

START_TEST(test_env_reset_keeps_what_sudo_keeps_and_the_keep_env_names)
{
	const char *const keep[] = { "FOO", "MISSING" };
	struct env_spec spec = { .base = base, .kind = ENV_RESET,
				 .keep = keep, .keep_count = 2,
				 .home = "/srv/slapgrid/slappart0",
				 .self = "/usr/bin/promise-run",
				 .user = &other_user };

	ASSERT_ENV(&spec,
		   "INSTANCE_HOME=/srv/slapgrid/slappart0\n"
		   "PROMISE_RUN=/usr/bin/promise-run\n"
		   "HOME=/srv/slapgrid/slappart0\nUSER=slapuser0\n"
		   "LOGNAME=slapuser0\nSHELL=/bin/bash\n"
		   "PATH=/usr/bin:/bin\nLANG=C.UTF-8\n"
		   "LC_ALL=C\nLC_TIME=fr_FR.UTF-8\nTZ=Europe/Paris\n"
		   "SLAPGRID_INSTANCE_ROOT=/srv/slapgrid\nFOO=1\n"
		   "LANGUAGE=fr\nLC_=odd\n");
}
END_TEST

START_TEST(test_env_reset_without_path_gets_the_default_path)
{
	char *const bare[] = { "LANG=C", "SECRET=1", NULL };
	struct env_spec spec = { .base = bare, .kind = ENV_RESET,
				 .home = "/h", .self = "/p",
				 .user = &other_user };

	ASSERT_ENV(&spec,
		   "INSTANCE_HOME=/h\nPROMISE_RUN=/p\n"
		   "HOME=/srv/slapgrid/slappart0\nUSER=slapuser0\n"
		   "LOGNAME=slapuser0\nSHELL=/bin/bash\n"
		   "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
		   "LANG=C\n");
}
END_TEST

START_TEST(test_env_clean_keeps_only_path_and_tz)
{
	struct env_spec spec = { .base = base, .kind = ENV_CLEAN,
				 .home = "/srv/slapgrid/slappart0",
				 .self = "/usr/bin/promise-run",
				 .user = &same_user };

	ASSERT_ENV(&spec,
		   "INSTANCE_HOME=/srv/slapgrid/slappart0\n"
		   "PROMISE_RUN=/usr/bin/promise-run\n"
		   "HOME=/root\nUSER=root\nLOGNAME=root\nSHELL=/bin/sh\n"
		   "PATH=/usr/bin:/bin\nTZ=Europe/Paris\n");
}
END_TEST

START_TEST(test_env_without_self_or_base_or_user)
{
	struct env_spec spec = { .base = base, .kind = ENV_INHERITED,
				 .home = "/h" };

	ASSERT_ENV(&spec,
		   "INSTANCE_HOME=/h\n"
		   "PATH=/usr/bin:/bin\nHOME=/root\nUSER=root\nLANG=C.UTF-8\n"
		   "LC_ALL=C\nLC_TIME=fr_FR.UTF-8\nTZ=Europe/Paris\n"
		   "SLAPGRID_INSTANCE_ROOT=/srv/slapgrid\nSECRET_TOKEN=x\nFOO=1\n"
		   "LANGUAGE=fr\nLCX=1\nPATHX=1\nLC_=odd\n");
	spec = (struct env_spec){ .base = NULL, .kind = ENV_CLEAN, .home = "/h" };
	ASSERT_ENV(&spec,
		   "INSTANCE_HOME=/h\n"
		   "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n");
}
END_TEST

Suite *env_suite(void)
{
	Suite *suite = suite_create("env");
	TCase *tc = tcase_create("env");

	tcase_add_test(tc, test_env_inherited_passes_everything_but_its_own_variables);
	tcase_add_test(tc, test_env_inherited_sets_the_variables_of_another_user);
	tcase_add_test(tc, test_env_reset_keeps_what_sudo_keeps_and_the_keep_env_names);
	tcase_add_test(tc, test_env_reset_without_path_gets_the_default_path);
	tcase_add_test(tc, test_env_clean_keeps_only_path_and_tz);
	tcase_add_test(tc, test_env_without_self_or_base_or_user);
	suite_add_tcase(suite, tc);
	return suite;
}
