/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* outq: output queued in memory, written when the descriptor takes it. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "helpers.h"
#include "outq.h"
#include "suites.h"

/* A pipe whose read end does not block. */
static void make_pipe(int fds[2])
{
	ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
	ck_assert_int_eq(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
}

/* The bytes waiting in the pipe. */
static int waiting(int read_fd)
{
	int count = -1;

	ck_assert_int_eq(ioctl(read_fd, FIONREAD, &count), 0);
	return count;
}

START_TEST(test_outq_queues_output_until_the_descriptor_is_ready)
{
	struct outq queue;
	char buffer[16] = "";
	int fds[2];

	make_pipe(fds);
	ck_assert_int_eq(outq_init(&queue, fds[1]), 0);
	ck_assert(!outq_pending(&queue));
	fputs("hello", outq_stream(&queue));
	ck_assert(outq_pending(&queue));
	ck_assert_int_eq(waiting(fds[0]), 0);
	outq_write_ready(&queue);
	ck_assert(!outq_pending(&queue));
	ck_assert_int_eq(read(fds[0], buffer, sizeof buffer), 5);
	ck_assert_str_eq(buffer, "hello");
	outq_release(&queue);
	ck_assert_int_eq(queue.fd, -1);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

START_TEST(test_outq_poll_asks_for_pollout_on_its_descriptor)
{
	struct outq queue;
	struct pollfd poll;
	int fds[2];

	make_pipe(fds);
	ck_assert_int_eq(outq_init(&queue, fds[1]), 0);
	poll = outq_poll(&queue);
	ck_assert_int_eq(poll.fd, fds[1]);
	ck_assert_int_eq(poll.events, POLLOUT);
	outq_release(&queue);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

START_TEST(test_outq_writes_at_most_pipe_buf_per_call_to_a_pipe)
{
	size_t size = 3 * PIPE_BUF + 10;
	char *data = malloc(size), *back = malloc(size);
	struct outq queue;
	int fds[2];

	for (size_t i = 0; i < size; i++)
		data[i] = (char)('a' + i % 26);
	make_pipe(fds);
	ck_assert_int_eq(outq_init(&queue, fds[1]), 0);
	ck_assert_uint_eq(fwrite(data, 1, size, outq_stream(&queue)), size);
	ck_assert(outq_pending(&queue));
	outq_write_ready(&queue);
	ck_assert_int_eq(waiting(fds[0]), PIPE_BUF);
	outq_write_ready(&queue);
	ck_assert_int_eq(waiting(fds[0]), 2 * PIPE_BUF);
	ck_assert(outq_pending(&queue));
	ck_assert_int_eq(outq_drain(&queue), 0);
	ck_assert(!outq_pending(&queue));
	ck_assert_int_eq(waiting(fds[0]), (int)size);
	ck_assert_int_eq(read(fds[0], back, size), (ssize_t)size);
	ck_assert_int_eq(memcmp(back, data, size), 0);
	outq_release(&queue);
	close(fds[0]);
	close(fds[1]);
	free(data);
	free(back);
}
END_TEST

START_TEST(test_outq_keeps_the_order_of_writes_between_partial_writes)
{
	struct outq queue;
	char buffer[3 * PIPE_BUF];
	size_t first = PIPE_BUF + 100;
	char *data = malloc(first);
	int fds[2];
	ssize_t got;

	memset(data, '1', first);
	make_pipe(fds);
	ck_assert_int_eq(outq_init(&queue, fds[1]), 0);
	fwrite(data, 1, first, outq_stream(&queue));
	ck_assert(outq_pending(&queue));
	outq_write_ready(&queue);
	fputs("222", outq_stream(&queue));
	ck_assert_int_eq(outq_drain(&queue), 0);
	got = read(fds[0], buffer, sizeof buffer);
	ck_assert_int_eq(got, (ssize_t)first + 3);
	ck_assert_int_eq(memcmp(buffer, data, first), 0);
	ck_assert_int_eq(memcmp(buffer + first, "222", 3), 0);
	outq_release(&queue);
	close(fds[0]);
	close(fds[1]);
	free(data);
}
END_TEST

START_TEST(test_outq_reports_epipe_once_the_reader_is_gone)
{
	struct outq queue;
	int fds[2];

	/* Without a handler, SIGPIPE would end the test process. */
	signal(SIGPIPE, SIG_IGN);
	make_pipe(fds);
	ck_assert_int_eq(outq_init(&queue, fds[1]), 0);
	close(fds[0]);
	fputs("lost", outq_stream(&queue));
	ck_assert(outq_pending(&queue));
	outq_write_ready(&queue);
	ck_assert_int_eq(queue.error, EPIPE);
	/* Nothing more is tried, and the drain says why. */
	ck_assert(!outq_pending(&queue));
	errno = 0;
	ck_assert_int_eq(outq_drain(&queue), -1);
	ck_assert_int_eq(errno, EPIPE);
	outq_release(&queue);
	close(fds[1]);
}
END_TEST

START_TEST(test_outq_writes_a_regular_file_in_one_go)
{
	char *folder = helper_temp_folder();
	int dir_fd = helper_open_folder(folder);
	int fd = openat(dir_fd, "out", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	size_t size = 5 * PIPE_BUF;
	char *data = malloc(size + 1), *back;
	struct outq queue;

	memset(data, 'f', size);
	data[size] = '\0';
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(outq_init(&queue, fd), 0);
	fputs(data, outq_stream(&queue));
	ck_assert(outq_pending(&queue));
	outq_write_ready(&queue);
	ck_assert(!outq_pending(&queue));
	back = helper_read_file(dir_fd, "out");
	ck_assert_str_eq(back, data);
	ck_assert_int_eq(outq_drain(&queue), 0);
	outq_release(&queue);
	free(back);
	free(data);
	close(fd);
	close(dir_fd);
	helper_remove_tree(folder);
}
END_TEST

START_TEST(test_outq_drain_of_nothing_succeeds)
{
	struct outq queue;
	int fds[2];

	make_pipe(fds);
	ck_assert_int_eq(outq_init(&queue, fds[1]), 0);
	ck_assert_int_eq(outq_drain(&queue), 0);
	ck_assert_int_eq(waiting(fds[0]), 0);
	outq_release(&queue);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

Suite *outq_suite(void)
{
	Suite *suite = suite_create("outq");
	TCase *tc = tcase_create("outq");

	tcase_add_test(tc, test_outq_queues_output_until_the_descriptor_is_ready);
	tcase_add_test(tc, test_outq_poll_asks_for_pollout_on_its_descriptor);
	tcase_add_test(tc, test_outq_writes_at_most_pipe_buf_per_call_to_a_pipe);
	tcase_add_test(tc, test_outq_keeps_the_order_of_writes_between_partial_writes);
	tcase_add_test(tc, test_outq_reports_epipe_once_the_reader_is_gone);
	tcase_add_test(tc, test_outq_writes_a_regular_file_in_one_go);
	tcase_add_test(tc, test_outq_drain_of_nothing_succeeds);
	suite_add_tcase(suite, tc);
	return suite;
}
