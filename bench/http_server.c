/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * http_server: the benchmarks' local HTTP server, fast enough that the
 * checks measured, not the server, are the bottleneck (the tests' Python
 * server answers about 600 requests a second; this one many thousands).
 * One thread, one epoll set, non-blocking sockets, edge-triggered.
 *
 * Listens on 127.0.0.1 on a port the kernel chooses and writes that port
 * to PORT_FILE (through a temporary name, renamed: a reader never sees
 * half a number).  Answers every GET (and HEAD) with 200 and a small
 * body, anything else with 501; HTTP/1.1 keep-alive unless the request
 * says "Connection: close" (or is HTTP/1.0 without keep-alive).  A
 * connection idle for IDLE_SECONDS is closed.  Stops on SIGTERM or
 * SIGINT, exit status 0; 1 on an error, with a line on stderr.
 * Usage: http_server PORT_FILE
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BACKLOG 4096
#define IDLE_SECONDS 10
#define ACCEPT_PAUSE_MS 100   /* after EMFILE and the like, unless one closes */
#define EVENTS 256

static const char body[] = "hello world\n";

/* One client connection: what it sent that is not yet answered, what is
 * to send it, and its place in the list of connections by last activity. */
struct conn {
	int fd;
	bool closing;        /* answer what is queued, then close */
	bool draining;       /* our side shut down: discard until EOF */
	size_t in_len;
	size_t out_len;
	size_t out_sent;
	long long idle_since;   /* ms, monotonic */
	struct conn *prev, *next;
	char in[8192];
	char out[2048];
};

/* Connections, the least recently active first. */
static struct conn *oldest, *newest;
/* A connection closed: accepting, if paused, may go on at once. */
static bool descriptor_freed;

static void fail(const char *what)
{
	fprintf(stderr, "http_server: %s: %s\n", what, strerror(errno));
	exit(1);
}

static long long now_ms(void)
{
	struct timespec ts;

	/* CLOCK_MONOTONIC cannot fail on Linux; keep going if it somehow does. */
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void list_remove(struct conn *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		oldest = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		newest = c->prev;
	c->prev = c->next = NULL;
}

static void list_append(struct conn *c)
{
	c->prev = newest;
	c->next = NULL;
	if (newest)
		newest->next = c;
	else
		oldest = c;
	newest = c;
}

static void conn_touch(struct conn *c)
{
	c->idle_since = now_ms();
	list_remove(c);
	list_append(c);
}

static void conn_close(struct conn *c)
{
	list_remove(c);
	/* The descriptor is gone even when close fails (Linux): say so, go on. */
	if (close(c->fd) != 0)
		fprintf(stderr, "http_server: close: %s\n", strerror(errno));
	free(c);
	descriptor_freed = true;
}

/* Whether the headers (after the request line) hold a Connection header
 * with `token` among its comma-separated values. */
static bool has_connection_token(const char *headers, const char *end,
                                 const char *token)
{
	const char *line = headers;
	size_t length = strlen(token);

	while (line < end) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		const char *p;

		if (!eol)
			eol = end;
		if ((size_t)(eol - line) > 11 && strncasecmp(line, "Connection:", 11) == 0) {
			for (p = line + 11; p + length <= eol; p++) {
				if (strncasecmp(p, token, length) == 0 &&
				    (p == line + 11 || strchr(" \t,", p[-1])) &&
				    (p + length == eol || strchr(" \t,\r", p[length])))
					return true;
			}
		}
		line = eol + 1;
	}
	return false;
}

/* Whether the headers announce a body (which we do not read: the
 * connection is closed after the answer). */
static bool has_body(const char *headers, const char *end)
{
	const char *line = headers;

	while (line < end) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));

		if (!eol)
			eol = end;
		if (((size_t)(eol - line) > 18 && strncasecmp(line, "Transfer-Encoding:", 18) == 0) ||
		    ((size_t)(eol - line) > 15 && strncasecmp(line, "Content-Length:", 15) == 0 &&
		     strtol(line + 15, NULL, 10) != 0))
			return true;
		line = eol + 1;
	}
	return false;
}

/* Queues the answer to the request of `length` bytes at `request` (its
 * headers complete); sets c->closing when the connection ends after it. */
static void answer(struct conn *c, const char *request, size_t length)
{
	const char *end = request + length;
	const char *eol = memchr(request, '\n', length);
	const char *method_end = memchr(request, ' ', length);
	const char *status = "200 OK";
	bool head = false, http10 = false, ok;
	int n;

	/* The shortest request line: "GET / HTTP/1.1". */
	if (!eol || eol - request < 14 || !method_end || method_end > eol) {
		status = "400 Bad Request";
		c->closing = true;
	} else {
		size_t method = (size_t)(method_end - request);
		const char *version = eol - (eol[-1] == '\r' ? 10 : 9);

		head = method == 4 && memcmp(request, "HEAD", 4) == 0;
		if (version > method_end && memcmp(version, " HTTP/1.0", 9) == 0)
			http10 = true;
		else if (version <= method_end || memcmp(version, " HTTP/1.1", 9) != 0) {
			status = "400 Bad Request";
			c->closing = true;
		}
		if (!head && !(method == 3 && memcmp(request, "GET", 3) == 0)) {
			status = "501 Not Implemented";
			c->closing = true;
		}
		if (has_body(eol + 1, end))
			c->closing = true;
		if (http10 ? !has_connection_token(eol + 1, end, "keep-alive")
		           : has_connection_token(eol + 1, end, "close"))
			c->closing = true;
	}
	ok = status[0] == '2';
	n = snprintf(c->out + c->out_len, sizeof c->out - c->out_len,
	             "HTTP/1.1 %s\r\nContent-Type: text/plain\r\n"
	             "Content-Length: %zu\r\n%s\r\n%s",
	             status, ok ? sizeof body - 1 : 0,
	             c->closing ? "Connection: close\r\n" : "",
	             ok && !head ? body : "");
	/* The caller leaves room for one answer: never cut. */
	c->out_len += (size_t)n;
}

/* The length of the request at the start of c->in if its headers are
 * complete (up to an empty line), else 0. */
static size_t complete_request(const struct conn *c)
{
	const char *p = c->in, *end = c->in + c->in_len;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		p++;
		if (p < end && *p == '\n')
			return (size_t)(p + 1 - c->in);
		if (p + 1 < end && p[0] == '\r' && p[1] == '\n')
			return (size_t)(p + 2 - c->in);
	}
	return 0;
}

/* Moves a connection as far as it goes without blocking: sends what is
 * queued, answers each complete request, reads more.  Returns false
 * once the connection is closed (and freed). */
static bool conn_run(struct conn *c)
{
	for (;;) {
		ssize_t n;
		size_t request;

		if (c->out_sent < c->out_len) {
			n = send(c->fd, c->out + c->out_sent, c->out_len - c->out_sent,
			         MSG_NOSIGNAL);
			if (n < 0) {
				if (errno == EINTR)
					continue;
				if (errno == EAGAIN)
					return true;
				break;   /* the client went away: nothing to tell */
			}
			c->out_sent += (size_t)n;
			continue;
		}
		c->out_len = c->out_sent = 0;
		if (c->closing && !c->draining) {
			/* Closing with unread data would reset the connection and
			 * could destroy the answer before the client reads it: shut
			 * our side, then wait for the client's end. */
			if (shutdown(c->fd, SHUT_WR) != 0)
				break;
			c->draining = true;
		}
		if (c->draining) {
			n = recv(c->fd, c->in, sizeof c->in, 0);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno == EAGAIN)
				return true;
			if (n <= 0)
				break;
			continue;
		}
		request = complete_request(c);
		if (request) {
			answer(c, c->in, request);
			memmove(c->in, c->in + request, c->in_len - request);
			c->in_len -= request;
			continue;
		}
		if (c->in_len == sizeof c->in) {
			c->out_len = (size_t)snprintf(c->out, sizeof c->out,
				"HTTP/1.1 431 Request Header Fields Too Large\r\n"
				"Content-Length: 0\r\nConnection: close\r\n\r\n");
			c->closing = true;
			continue;
		}
		n = recv(c->fd, c->in + c->in_len, sizeof c->in - c->in_len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return true;
		if (n <= 0)
			break;   /* end, or reset: a half request gets no answer */
		c->in_len += (size_t)n;
	}
	conn_close(c);
	return false;
}

/* Whether accept4's error is the connection's, not the listener's: the
 * next pending connection may be fine (accept(2), "Error handling"). */
static bool connection_error(int error)
{
	switch (error) {
	case EINTR: case ECONNABORTED: case EPERM: case EPROTO:
	case ENETDOWN: case ENOPROTOOPT: case EHOSTDOWN: case ENONET:
	case EHOSTUNREACH: case EOPNOTSUPP: case ENETUNREACH:
		return true;
	default:
		return false;
	}
}

/* Accepts every pending connection.  Returns false when out of
 * descriptors or memory: the caller stops listening for a moment rather
 * than be woken again at once for the same connection. */
static bool accept_all(int listener, int epoll)
{
	for (;;) {
		int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct epoll_event event = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET };
		struct conn *c;

		if (fd < 0) {
			if (errno == EAGAIN)
				return true;
			if (connection_error(errno))
				continue;
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
			    errno == ENOMEM)
				return false;
			fail("accept4");
		}
		c = malloc(sizeof *c);
		if (!c) {
			close(fd);
			return false;
		}
		c->fd = fd;
		c->closing = c->draining = false;
		c->in_len = c->out_len = c->out_sent = 0;
		c->prev = c->next = NULL;
		c->idle_since = now_ms();
		list_append(c);
		event.data.ptr = c;
		if (epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) != 0) {
			int error = errno;

			conn_close(c);
			if (error == ENOMEM || error == ENOSPC)
				return false;
			errno = error;
			fail("epoll_ctl");
		}
		/* The request is often there already: answer without a wake-up. */
		conn_run(c);
	}
}

/* Writes the port to `path` through a temporary name. */
static void write_port(const char *path, int port)
{
	char temporary[4096], text[16];
	int fd, length = snprintf(text, sizeof text, "%d\n", port);
	ssize_t n;

	if ((size_t)snprintf(temporary, sizeof temporary, "%s.tmp", path) >= sizeof temporary) {
		errno = ENAMETOOLONG;
		fail(path);
	}
	fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		fail(temporary);
	n = write(fd, text, (size_t)length);
	if (n != length) {
		if (n >= 0)
			errno = EIO;   /* a short write to a regular file: disk full */
		fail(temporary);
	}
	if (close(fd) != 0)
		fail(temporary);
	if (rename(temporary, path) != 0)
		fail(path);
}

static int listen_loopback(void)
{
	struct sockaddr_in address = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
		.sin_port = 0,
	};
	socklen_t length = sizeof address;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		fail("socket");
	if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0)
		fail("bind 127.0.0.1");
	if (listen(fd, BACKLOG) != 0)
		fail("listen");
	if (getsockname(fd, (struct sockaddr *)&address, &length) != 0)
		fail("getsockname");
	return fd;
}

/* Signals as a descriptor of the epoll set: no handler, no lost wake-up. */
static int signals_fd(void)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		fail("sigprocmask");
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		fail("signalfd");
	return fd;
}

/* A connection per check: allow as many descriptors as the hard limit. */
static void raise_descriptor_limit(void)
{
	struct rlimit limit;

	if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
		fail("getrlimit");
	limit.rlim_cur = limit.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &limit) != 0)
		fail("setrlimit");
}

int main(int argc, char **argv)
{
	/* Each connection is its own pointer in the events; these two are
	 * told apart by the addresses of these markers. */
	static char listener_mark, signal_mark;
	struct epoll_event events[EVENTS];
	struct epoll_event event = { .events = EPOLLIN };
	struct sockaddr_in address;
	socklen_t length = sizeof address;
	long long paused_until = 0;
	int listener, signals, epoll;

	if (argc != 2) {
		fprintf(stderr, "usage: http_server PORT_FILE\n");
		return 2;
	}
	raise_descriptor_limit();
	signals = signals_fd();
	listener = listen_loopback();
	epoll = epoll_create1(EPOLL_CLOEXEC);
	if (epoll < 0)
		fail("epoll_create1");
	event.data.ptr = &signal_mark;
	if (epoll_ctl(epoll, EPOLL_CTL_ADD, signals, &event) != 0)
		fail("epoll_ctl");
	event.data.ptr = &listener_mark;
	if (epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &event) != 0)
		fail("epoll_ctl");
	if (getsockname(listener, (struct sockaddr *)&address, &length) != 0)
		fail("getsockname");
	write_port(argv[1], ntohs(address.sin_port));

	for (;;) {
		long long now = now_ms(), wait = -1;
		int count, i;

		/* Idle connections go, the oldest first. */
		while (oldest && oldest->idle_since + IDLE_SECONDS * 1000 <= now)
			conn_close(oldest);
		if (oldest)
			wait = oldest->idle_since + IDLE_SECONDS * 1000 - now;
		if (paused_until) {
			if (paused_until <= now || descriptor_freed) {
				event.data.ptr = &listener_mark;
				if (epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &event) != 0)
					fail("epoll_ctl");
				paused_until = 0;
			} else if (wait < 0 || paused_until - now < wait)
				wait = paused_until - now;
		}
		count = epoll_wait(epoll, events, EVENTS, (int)(wait < 0 ? -1 : wait));
		if (count < 0) {
			if (errno == EINTR)
				continue;
			fail("epoll_wait");
		}
		for (i = 0; i < count; i++) {
			void *what = events[i].data.ptr;

			if (what == &signal_mark) {
				struct signalfd_siginfo info;
				ssize_t n = read(signals, &info, sizeof info);

				if (n == (ssize_t)sizeof info)
					goto stop;
				if (n < 0 && errno != EAGAIN && errno != EINTR)
					fail("read signalfd");
			} else if (what == &listener_mark) {
				if (!accept_all(listener, epoll) && !paused_until) {
					if (epoll_ctl(epoll, EPOLL_CTL_DEL, listener, NULL) != 0)
						fail("epoll_ctl");
					paused_until = now_ms() + ACCEPT_PAUSE_MS;
					descriptor_freed = false;
				}
			} else {
				struct conn *c = what;

				if (conn_run(c))
					conn_touch(c);
			}
		}
	}
stop:
	while (oldest)
		conn_close(oldest);
	close(listener);
	close(signals);
	close(epoll);
	return 0;
}
