/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * scheduler: its decisions, which are pure functions of numbers and
 * times: which home gets a free slot (pool), when promises must stop and
 * what a deadline keeps (deadline), how a wait for a lock backs off.
 */
#include <stdlib.h>

#include "deadline.h"
#include "helpers.h"
#include "home.h"
#include "pool.h"
#include "suites.h"

/* --- deadline --- */

START_TEST(test_a_deadline_keeps_at_most_a_fifth_of_a_second_or_half)
{
	ck_assert(deadline_reserve(10) == DEADLINE_RESERVE);
	ck_assert(deadline_reserve(0.4) == 0.2);
	ck_assert(deadline_reserve(0.2) == 0.1);
	/* Promises end by the start plus the deadline less the reserve. */
	struct timespec end = deadline_end(helper_time(100, 0), 10);

	ck_assert_int_eq(end.tv_sec, 109);
	ck_assert_int_eq(end.tv_nsec, 800000000);
}
END_TEST

START_TEST(test_a_deadline_must_leave_time_to_stop_a_promise)
{
	/* 1 s: 0.2 kept, then a 0.5 s kill-after and the 0.1 s drain fit. */
	ck_assert(deadline_leaves_time(1, 0.5));
	/* 0.7 - 0.2 = 0.5 is not more than 0.5 + 0.1. */
	ck_assert(!deadline_leaves_time(0.7, 0.5));
	ck_assert(!deadline_leaves_time(0.1, 0));
	ck_assert(deadline_leaves_time(0.3, 0));
}
END_TEST

START_TEST(test_a_promise_is_asked_to_stop_its_kill_after_and_drain_before_the_end)
{
	struct timespec stop = deadline_stop_time(helper_time(50, 0), 1);

	ck_assert_int_eq(stop.tv_sec, 48);
	ck_assert_int_eq(stop.tv_nsec, 900000000);
	/* {0, 0} means "no stop" to the runner: never given. */
	stop = deadline_stop_time(helper_time(1, 100000000), 1);
	ck_assert(stop.tv_sec != 0 || stop.tv_nsec != 0);
}
END_TEST

START_TEST(test_a_lock_wait_is_bounded_by_its_timeout_or_the_deadline)
{
	ck_assert(deadline_wait_bounded(true, 30));
	ck_assert(deadline_wait_bounded(false, 0));
	/* Without --wait-timeout, a deadline bounds the wait instead. */
	ck_assert(!deadline_wait_bounded(false, 30));
}
END_TEST

START_TEST(test_lock_events_that_give_no_lock_back_off_doubling_to_the_retry)
{
	double backoff = deadline_lock_backoff(0, true, true);

	ck_assert(backoff == DEADLINE_BACKOFF_FIRST);
	ck_assert(deadline_lock_retry(backoff) == backoff);
	for (int i = 0; i < 5; i++)
		backoff = deadline_lock_backoff(backoff, true, true);
	ck_assert(backoff == 32 * DEADLINE_BACKOFF_FIRST);
	for (int i = 0; i < 10; i++)
		backoff = deadline_lock_backoff(backoff, true, true);
	ck_assert(backoff == DEADLINE_LOCK_RETRY);
	/* A try without events, or no home left waiting, ends it. */
	ck_assert(deadline_lock_backoff(backoff, false, true) == 0);
	ck_assert(deadline_lock_backoff(backoff, true, false) == 0);
	ck_assert(deadline_lock_retry(0) == DEADLINE_LOCK_RETRY);
}
END_TEST

/* --- pool --- */

#define HOMES 4

/* Homes, each with `queued` promises queued, `running` running, cap 8. */
struct node {
	struct home homes[HOMES];
	struct home_report reports[HOMES];
	struct pool pool;
};

static void set_home(struct node *node, size_t i, enum home_phase phase,
                     size_t queued, unsigned running)
{
	struct home *home = &node->homes[i];

	home->report = &node->reports[i];
	home->phase = phase;
	home->files.cap = 8;
	home->running = running;
	node->reports[i].list.count = 10;
	home->next = 10 - queued;
}

/* A node of HOMES homes, the first `opened` of them opened and running. */
static void new_node(struct node *node, unsigned slots, size_t opened)
{
	*node = (struct node){ 0 };
	for (size_t i = 0; i < HOMES; i++)
		set_home(node, i, i < opened ? HOME_RUNNING : HOME_NEW, 10, 0);
	pool_init(&node->pool, slots, HOMES);
	node->pool.reached = opened;
}

START_TEST(test_the_home_that_runs_fewest_gets_the_slot)
{
	struct node node;

	/* More homes queue than slots: the next home is not opened. */
	new_node(&node, 2, 3);
	node.homes[0].running = 2;
	node.homes[1].running = 1;
	node.homes[2].running = 1;
	/* 1 and 2 run as few: the first in turn among them. */
	ck_assert_uint_eq(pool_next(&node.pool, node.homes), 1);
	pool_took(&node.pool, 1);
	ck_assert_uint_eq(pool_next(&node.pool, node.homes), 2);
}
END_TEST

START_TEST(test_turns_go_round_the_homes_among_equals)
{
	struct node node;
	size_t order[6];

	new_node(&node, 2, 3);
	/* Three queued homes, more than the 2 slots: the fourth waits. */
	for (size_t k = 0; k < 6; k++) {
		order[k] = pool_next(&node.pool, node.homes);
		pool_took(&node.pool, order[k]);
	}
	for (size_t k = 0; k < 6; k++)
		ck_assert_uint_eq(order[k], k % 3);
}
END_TEST

START_TEST(test_the_next_home_opens_while_no_more_homes_than_slots_queue)
{
	struct node node;

	new_node(&node, 2, 2);
	node.homes[0].running = node.homes[1].running = 1;
	/* Two queued, two slots: the next home, running none, is opened. */
	ck_assert_uint_eq(pool_next(&node.pool, node.homes), 2);
	node.pool.slots = 1;
	ck_assert_uint_eq(pool_next(&node.pool, node.homes), 0);
}
END_TEST

START_TEST(test_a_home_at_its_cap_or_waiting_gets_no_slot)
{
	struct node node;

	new_node(&node, 4, 4);
	node.pool.reached = HOMES;
	node.homes[0].files.cap = 1;
	node.homes[0].running = 1;
	node.homes[1].phase = HOME_WAITING;
	node.homes[2].stopping = true;
	ck_assert_uint_eq(pool_next(&node.pool, node.homes), 3);
	node.homes[3].next = 10;        /* all given out */
	ck_assert_uint_eq(pool_next(&node.pool, node.homes), HOMES);
}
END_TEST

START_TEST(test_homes_all_given_out_leave_the_turn)
{
	struct node node;

	new_node(&node, 2, 3);
	set_home(&node, 0, HOME_DONE, 0, 0);
	set_home(&node, 1, HOME_RUNNING, 0, 1);
	pool_advance(&node.pool, node.homes);
	ck_assert_uint_eq(node.pool.first_open, 2);
	/* A home not started yet keeps its place. */
	set_home(&node, 2, HOME_WAITING, 10, 0);
	pool_advance(&node.pool, node.homes);
	ck_assert_uint_eq(node.pool.first_open, 2);
	ck_assert_uint_eq(pool_next(&node.pool, node.homes), 3);
}
END_TEST

Suite *scheduler_suite(void)
{
	Suite *suite = suite_create("scheduler");
	TCase *deadline = tcase_create("deadline");
	TCase *pool = tcase_create("pool");

	tcase_add_test(deadline, test_a_deadline_keeps_at_most_a_fifth_of_a_second_or_half);
	tcase_add_test(deadline, test_a_deadline_must_leave_time_to_stop_a_promise);
	tcase_add_test(deadline, test_a_promise_is_asked_to_stop_its_kill_after_and_drain_before_the_end);
	tcase_add_test(deadline, test_a_lock_wait_is_bounded_by_its_timeout_or_the_deadline);
	tcase_add_test(deadline, test_lock_events_that_give_no_lock_back_off_doubling_to_the_retry);
	tcase_add_test(pool, test_the_home_that_runs_fewest_gets_the_slot);
	tcase_add_test(pool, test_turns_go_round_the_homes_among_equals);
	tcase_add_test(pool, test_the_next_home_opens_while_no_more_homes_than_slots_queue);
	tcase_add_test(pool, test_a_home_at_its_cap_or_waiting_gets_no_slot);
	tcase_add_test(pool, test_homes_all_given_out_leave_the_turn);
	suite_add_tcase(suite, deadline);
	suite_add_tcase(suite, pool);
	return suite;
}
