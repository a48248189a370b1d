/* check_port: is something listening on HOST PORT?  A TCP connect. */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checks.h"
#include "monotime.h"

/*
 * Connects to one address before `deadline`: 0, or an errno value saying
 * why not (ETIMEDOUT when the deadline passed).
 */
static int connect_before(const struct addrinfo *address,
                          struct timespec deadline)
{
	int fd = socket(address->ai_family,
			address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
			address->ai_protocol);
	int error = 0;
	socklen_t length = sizeof error;

	if (fd < 0)
		return errno;
	if (connect(fd, address->ai_addr, address->ai_addrlen) == 0)
		goto out;
	if (errno != EINPROGRESS) {
		error = errno;
		goto out;
	}
	for (;;) {
		struct pollfd poll_fd = { .fd = fd, .events = POLLOUT };
		struct timespec left = monotime_until(monotime_now(), deadline);
		int ready;

		if (left.tv_sec == 0 && left.tv_nsec == 0) {
			error = ETIMEDOUT;
			goto out;
		}
		ready = ppoll(&poll_fd, 1, &left, NULL);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready < 0) {
			error = errno;
			goto out;
		}
		if (ready > 0)
			break;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) < 0)
		error = errno;
out:
	close(fd);
	return error;
}

/* Whether `port` is a number from 1 to 65535. */
static bool valid_port(const char *port)
{
	long number = 0;

	if (!*port || strlen(port) > 5)
		return false;
	for (const char *c = port; *c; c++) {
		if (*c < '0' || *c > '9')
			return false;
		number = number * 10 + (*c - '0');
	}
	return number >= 1 && number <= 65535;
}

enum check_status check_port(const struct check_port_options *options,
                             char *message, size_t message_size)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC,
				  .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV };
	struct timespec deadline = monotime_add(monotime_now(),
						options->timeout);
	struct addrinfo *addresses;
	int error = 0, resolved;

	message[0] = '\0';
	if (!valid_port(options->port)) {
		snprintf(message, message_size,
			 "'%s' is not a port: expected a number from 1 to 65535",
			 options->port);
		return CHECK_USAGE;
	}
	resolved = getaddrinfo(options->host, options->port, &hints,
			       &addresses);
	if (resolved != 0) {
		snprintf(message, message_size, "%s on %s isn't listening (%s)",
			 options->host, options->port,
			 resolved == EAI_SYSTEM ? strerror(errno)
						: gai_strerror(resolved));
		return CHECK_UNREACHABLE;
	}
	/* Each address in turn, within one deadline for them all. */
	for (const struct addrinfo *address = addresses; address;
	     address = address->ai_next) {
		error = connect_before(address, deadline);
		if (error == 0 || error == ETIMEDOUT)
			break;
	}
	freeaddrinfo(addresses);
	if (error == 0)
		return CHECK_WORKS;
	snprintf(message, message_size, "%s on %s isn't listening (%s)",
		 options->host, options->port,
		 error == ETIMEDOUT ? "timed out" : strerror(error));
	return CHECK_UNREACHABLE;
}
