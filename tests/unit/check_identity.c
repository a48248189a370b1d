/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* identity: a user's filesystem identity, with none of root's power. */
#include <linux/capability.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "credentials.h"
#include "identity.h"
#include "suites.h"

/* This thread's effective capabilities, the low word and the high one. */
static unsigned long long effective(void)
{
	struct __user_cap_header_struct header = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct caps[_LINUX_CAPABILITY_U32S_3];

	ck_assert_int_eq(syscall(SYS_capget, &header, caps), 0);
	return (unsigned long long)caps[1].effective << 32 | caps[0].effective;
}

START_TEST(test_identity_of_a_user_has_no_capability_and_gives_roots_back)
{
	struct credentials nobody = { .change = true, .uid = 3999999,
				      .gid = 3999998, .user = "3999999" };
	unsigned long long roots;

	if (geteuid() != 0)
		return;     /* needs root: nothing changes without it */
	/* Each test runs in a process of its own: the switch stays there. */
	ck_assert_int_eq(identity_init(), 0);
	roots = effective();
	ck_assert_int_eq(identity_become(&nobody), 0);
	ck_assert_uint_eq((unsigned)setfsuid((uid_t)-1), 3999999);
	ck_assert_uint_eq(effective(), 0);
	identity_restore();
	ck_assert_uint_eq((unsigned)setfsuid((uid_t)-1), 0);
	ck_assert_uint_eq(effective(), roots);
	/* And again, for the next home. */
	ck_assert_int_eq(identity_become(&nobody), 0);
	ck_assert_uint_eq(effective(), 0);
	identity_restore();
	ck_assert_uint_eq(effective(), roots);
}
END_TEST

Suite *identity_suite(void)
{
	Suite *suite = suite_create("identity");
	TCase *tc = tcase_create("identity");

	tcase_add_test(tc, test_identity_of_a_user_has_no_capability_and_gives_roots_back);
	suite_add_tcase(suite, tc);
	return suite;
}
