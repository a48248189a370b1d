/* cli: the command line, from argv to struct cli_options. */
#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "value.h"

enum {
	OPTION_COLOR = 256,
	OPTION_NO_STATE,
	OPTION_WAIT,
	OPTION_CLEAN_ENV,
	OPTION_USER,
};

static const char short_options[] = ":t:k:j:d:f:o:c:qvlhV";

static const struct option long_options[] = {
	{ "timeout",         required_argument, NULL, 't' },
	{ "promise-timeout", required_argument, NULL, 't' },
	{ "kill-after",      required_argument, NULL, 'k' },
	{ "jobs",            required_argument, NULL, 'j' },
	{ "promise-dir",     required_argument, NULL, 'd' },
	{ "format",          required_argument, NULL, 'f' },
	{ "output",          required_argument, NULL, 'o' },
	{ "no-state",        no_argument,       NULL, OPTION_NO_STATE },
	{ "wait",            no_argument,       NULL, OPTION_WAIT },
	{ "config",          required_argument, NULL, 'c' },
	{ "clean-env",       no_argument,       NULL, OPTION_CLEAN_ENV },
	{ "user",            required_argument, NULL, OPTION_USER },
	{ "quiet",           no_argument,       NULL, 'q' },
	{ "verbose",         no_argument,       NULL, 'v' },
	{ "list",            no_argument,       NULL, 'l' },
	{ "color",           optional_argument, NULL, OPTION_COLOR },
	{ "help",            no_argument,       NULL, 'h' },
	{ "version",         no_argument,       NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const char usage[] =
	"Usage: promise-run [OPTION]... [INSTANCE_HOME]...\n"
	"Run the promises of each instance home and tell whether it works.\n"
	"\n"
	"  -t, --timeout=SECONDS    stop a promise after SECONDS (default 20;\n"
	"                           alias --promise-timeout; decimals allowed)\n"
	"  -k, --kill-after=SECONDS SIGKILL a promise SECONDS after SIGTERM\n"
	"                           (default 1)\n"
	"  -j, --jobs=N             run at most N promises at once (default:\n"
	"                           twice the online processors, at least 4)\n"
	"  -d, --promise-dir=DIR    promise folder (default etc/promise; a\n"
	"                           relative DIR is taken in each INSTANCE_HOME)\n"
	"  -f, --format=FORMAT      text (default), json, tap, junit, prometheus\n"
	"  -o, --output=FILE        write the report to FILE, atomically\n"
	"      --no-state           write no result file, take no lock\n"
	"      --wait               wait while another run checks an instance\n"
	"  -c, --config=FILE        configuration file (default, if it exists:\n"
	"                           INSTANCE_HOME/etc/promise-run.conf)\n"
	"      --clean-env          run promises with a minimal environment\n"
	"      --user=NAME          as root, run promises as NAME (default: the\n"
	"                           owner of each INSTANCE_HOME)\n"
	"  -q, --quiet              print nothing when everything works\n"
	"  -v, --verbose            also print every output and skipped file\n"
	"  -l, --list               print what would run, run nothing\n"
	"      --color[=WHEN]       colour: auto (default), always, never\n"
	"  -h, --help               print this help and exit\n"
	"  -V, --version            print the version and exit\n"
	"\n"
	"INSTANCE_HOME defaults to the current directory.\n"
	"Built-in checks, for promises to exec: promise-run check-url --help,\n"
	"promise-run check-port --help.\n"
	"Exit status: 0 all promises work, 2 some promise does not work,\n"
	"1 promise-run could not do its job, 128+N stopped by signal N.\n";

const char *cli_usage(void)
{
	return usage;
}

/* The default of --jobs: twice the online processors, at least 4. */
static unsigned cli_default_jobs(void)
{
	long processors = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned jobs = processors > 0 ? 2 * (unsigned)processors : 4;

	if (jobs < 4)
		jobs = 4;
	return jobs > VALUE_MAX_JOBS ? VALUE_MAX_JOBS : jobs;
}

static int fail(char *error, size_t error_size, const char *format, ...)
{
	va_list arguments;

	va_start(arguments, format);
	vsnprintf(error, error_size, format, arguments);
	va_end(arguments);
	return -1;
}

/* The option as the user wrote it, for messages: "--timeout" or "-t". */
static const char *option_spelling(int long_index, int short_name,
                                   char *buffer, size_t size)
{
	if (long_index >= 0)
		snprintf(buffer, size, "--%s", long_options[long_index].name);
	else
		snprintf(buffer, size, "-%c", short_name);
	return buffer;
}

int cli_parse(int argc, char **argv, struct cli_options *options,
              char *error, size_t error_size)
{
	char spelling[64];
	int option, long_index = -1;

	*options = (struct cli_options){
		.action = CLI_RUN,
		.timeout = CLI_DEFAULT_TIMEOUT,
		.kill_after = CLI_DEFAULT_KILL_AFTER,
		.jobs = cli_default_jobs(),
		.verbosity = CLI_NORMAL,
		.color = CLI_COLOR_AUTO,
		.format = REPORT_TEXT,
		.state = true,
	};
	optind = 0;         /* glibc: start afresh, so tests can parse again */
	opterr = 0;         /* messages are ours, one line each */
	while ((option = getopt_long(argc, argv, short_options, long_options,
				     &long_index)) != -1) {
		const char *name = option_spelling(long_index, option, spelling,
						   sizeof spelling);

		long_index = -1;

		switch (option) {
		case 't':
			if (value_parse_seconds(optarg, &options->timeout) < 0 ||
			    options->timeout <= 0)
				return fail(error, error_size,
					    "option '%s' expects a number of seconds above 0, not '%s'",
					    name, optarg);
			options->timeout_given = true;
			break;
		case 'k':
			if (value_parse_seconds(optarg, &options->kill_after) < 0)
				return fail(error, error_size,
					    "option '%s' expects a number of seconds, not '%s'",
					    name, optarg);
			options->kill_after_given = true;
			break;
		case 'j':
			if (value_parse_jobs(optarg, &options->jobs) < 0)
				return fail(error, error_size,
					    "option '%s' expects a whole number from 1 to %d, not '%s'",
					    name, VALUE_MAX_JOBS, optarg);
			options->jobs_given = true;
			break;
		case 'd':
			if (!*optarg)
				return fail(error, error_size,
					    "option '%s' expects a folder", name);
			options->promise_dir = optarg;
			break;
		case 'f':
			if (report_parse_format(optarg, &options->format) < 0)
				return fail(error, error_size,
					    "option '%s' expects text, json, tap, junit or prometheus, not '%s'",
					    name, optarg);
			options->format_given = true;
			break;
		case 'o':
			if (!*optarg)
				return fail(error, error_size,
					    "option '%s' expects a file", name);
			options->output = optarg;
			break;
		case OPTION_NO_STATE:
			options->state = false;
			options->state_given = true;
			break;
		case 'c':
			if (!*optarg)
				return fail(error, error_size,
					    "option '%s' expects a file", name);
			options->config = optarg;
			break;
		case OPTION_CLEAN_ENV:
			options->clean_env = true;
			break;
		case OPTION_USER:
			if (!*optarg)
				return fail(error, error_size,
					    "option '%s' expects a user name", name);
			options->user = optarg;
			break;
		case OPTION_WAIT:
			options->wait = true;
			break;
		case 'q':
			options->verbosity = CLI_QUIET;
			break;
		case 'v':
			options->verbosity = CLI_VERBOSE;
			break;
		case 'l':
			options->action = CLI_LIST;
			break;
		case OPTION_COLOR:
			if (!optarg || strcmp(optarg, "always") == 0)
				options->color = CLI_COLOR_ALWAYS;
			else if (strcmp(optarg, "never") == 0)
				options->color = CLI_COLOR_NEVER;
			else if (strcmp(optarg, "auto") == 0)
				options->color = CLI_COLOR_AUTO;
			else
				return fail(error, error_size,
					    "option '--color' expects auto, always or never, not '%s'",
					    optarg);
			break;
		case 'h':
			options->action = CLI_HELP;
			return 0;
		case 'V':
			options->action = CLI_VERSION;
			return 0;
		case ':':
			/* The option word is the last one getopt looked at. */
			return fail(error, error_size,
				    "option '%s' requires a value",
				    strncmp(argv[optind - 1], "--", 2) == 0
					    ? argv[optind - 1]
					    : option_spelling(-1, optopt, spelling,
							      sizeof spelling));
		default:
			if (optopt)
				return fail(error, error_size,
					    "unknown option '-%c'", optopt);
			return fail(error, error_size, "unknown option '%s'",
				    argv[optind - 1]);
		}
	}
	options->homes = argv + optind;
	options->home_count = (size_t)(argc - optind);
	return 0;
}

enum cli_command cli_command(int argc, char **argv)
{
	if (argc < 2)
		return CLI_COMMAND_RUN;
	if (strcmp(argv[1], "check-url") == 0)
		return CLI_COMMAND_CHECK_URL;
	if (strcmp(argv[1], "check-port") == 0)
		return CLI_COMMAND_CHECK_PORT;
	return CLI_COMMAND_RUN;
}

static const char check_url_usage[] =
	"Usage: promise-run check-url URL [OPTION]...\n"
	"Works (exit 0, silent) when one request to URL, redirects followed,\n"
	"answers an expected HTTP status.\n"
	"\n"
	"      --expect=CODE        a status that works (repeatable; default 200)\n"
	"      --timeout=SECONDS    for the whole request (default 20)\n"
	"      --accept-unauthorized  401 works too\n"
	"      --contains=TEXT      the body must contain TEXT\n"
	"      --cacert=FILE        CA certificates to verify the server with\n"
	"      --cert=FILE          client certificate\n"
	"      --key=FILE           client certificate's key\n"
	"      --insecure           do not verify the server's certificate\n"
	"\n"
	"Exit status: 0 works, 1 server not reachable, 2 unexpected status or\n"
	"content, 3 usage error.\n";

static const char check_port_usage[] =
	"Usage: promise-run check-port HOST PORT [--timeout=SECONDS]\n"
	"Works (exit 0, silent) when a TCP connection to PORT on some address\n"
	"of HOST (IPv4 or IPv6) succeeds within SECONDS (default 10).\n"
	"Exit status: 0 works, 1 not listening, 3 usage error.\n";

enum {
	CHECK_EXPECT = 256,
	CHECK_TIMEOUT,
	CHECK_ACCEPT_UNAUTHORIZED,
	CHECK_CONTAINS,
	CHECK_CACERT,
	CHECK_CERT,
	CHECK_KEY,
	CHECK_INSECURE,
	CHECK_HELP,
};

static const struct option check_url_options_table[] = {
	{ "expect",              required_argument, NULL, CHECK_EXPECT },
	{ "timeout",             required_argument, NULL, CHECK_TIMEOUT },
	{ "accept-unauthorized", no_argument,       NULL, CHECK_ACCEPT_UNAUTHORIZED },
	{ "contains",            required_argument, NULL, CHECK_CONTAINS },
	{ "cacert",              required_argument, NULL, CHECK_CACERT },
	{ "cert",                required_argument, NULL, CHECK_CERT },
	{ "key",                 required_argument, NULL, CHECK_KEY },
	{ "insecure",            no_argument,       NULL, CHECK_INSECURE },
	{ "help",                no_argument,       NULL, CHECK_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Only --timeout and --help of the table above apply to check-port. */
static const struct option check_port_options_table[] = {
	{ "timeout", required_argument, NULL, CHECK_TIMEOUT },
	{ "help",    no_argument,       NULL, CHECK_HELP },
	{ NULL, 0, NULL, 0 },
};

/* The reason getopt stopped on a bad option, in `error`; returns -1. */
static int check_option_error(int option, char **argv, char *error,
                              size_t error_size)
{
	if (option == ':')
		return fail(error, error_size, "option '%s' requires a value",
			    argv[optind - 1]);
	return fail(error, error_size, "unknown option '%s'", argv[optind - 1]);
}

static int parse_timeout(const char *text, double *timeout, char *error,
                         size_t error_size)
{
	if (value_parse_seconds(text, timeout) < 0 || *timeout <= 0)
		return fail(error, error_size,
			    "option '--timeout' expects a number of seconds above 0, not '%s'",
			    text);
	return 0;
}

int cli_parse_check_url(int argc, char **argv,
                        struct check_url_options *options, bool *help,
                        char *error, size_t error_size)
{
	int option;

	*options = (struct check_url_options){
		.timeout = CHECK_URL_DEFAULT_TIMEOUT,
	};
	*help = false;
	optind = 0;
	opterr = 0;
	while ((option = getopt_long(argc, argv, ":", check_url_options_table,
				     NULL)) != -1) {
		switch (option) {
		case CHECK_EXPECT: {
			char *end;
			long code = strtol(optarg, &end, 10);

			if (*end || end == optarg || code < 100 || code > 599)
				return fail(error, error_size,
					    "option '--expect' expects an HTTP status from 100 to 599, not '%s'",
					    optarg);
			if (options->expected_count == CHECK_MAX_EXPECTED)
				return fail(error, error_size,
					    "option '--expect' is given more than %d times",
					    CHECK_MAX_EXPECTED);
			options->expected[options->expected_count++] = code;
			break;
		}
		case CHECK_TIMEOUT:
			if (parse_timeout(optarg, &options->timeout, error,
					  error_size) < 0)
				return -1;
			break;
		case CHECK_ACCEPT_UNAUTHORIZED:
			options->accept_unauthorized = true;
			break;
		case CHECK_CONTAINS:
			options->contains = optarg;
			break;
		case CHECK_CACERT:
			options->cacert = optarg;
			break;
		case CHECK_CERT:
			options->cert = optarg;
			break;
		case CHECK_KEY:
			options->key = optarg;
			break;
		case CHECK_INSECURE:
			options->insecure = true;
			break;
		case CHECK_HELP:
			*help = true;
			snprintf(error, error_size, "%s", check_url_usage);
			return 0;
		default:
			return check_option_error(option, argv, error,
						  error_size);
		}
	}
	if (argc - optind != 1)
		return fail(error, error_size, argc == optind
				    ? "no URL given"
				    : "one URL expected, not %d words",
			    argc - optind);
	options->url = argv[optind];
	if (!*options->url)
		return fail(error, error_size, "no URL given");
	return 0;
}

int cli_parse_check_port(int argc, char **argv,
                         struct check_port_options *options, bool *help,
                         char *error, size_t error_size)
{
	int option;

	*options = (struct check_port_options){
		.timeout = CHECK_PORT_DEFAULT_TIMEOUT,
	};
	*help = false;
	optind = 0;
	opterr = 0;
	while ((option = getopt_long(argc, argv, ":", check_port_options_table,
				     NULL)) != -1) {
		switch (option) {
		case CHECK_TIMEOUT:
			if (parse_timeout(optarg, &options->timeout, error,
					  error_size) < 0)
				return -1;
			break;
		case CHECK_HELP:
			*help = true;
			snprintf(error, error_size, "%s", check_port_usage);
			return 0;
		default:
			return check_option_error(option, argv, error,
						  error_size);
		}
	}
	if (argc - optind != 2)
		return fail(error, error_size, "HOST and PORT expected");
	options->host = argv[optind];
	options->port = argv[optind + 1];
	return 0;
}
