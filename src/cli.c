/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* cli: the command line, from argv to struct cli_options. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "option_error.h"

/* The options that are not settings; settings use their table index. */
enum {
	OPTION_SETTING = 1000,      /* + enum setting_id */
	OPTION_COLOR = 256,
	OPTION_WAIT,
	OPTION_USER,
	OPTION_ONLY,
	OPTION_KEEP_ENV,
	OPTION_FORCE,
	OPTION_LOG_FOLDER,
	OPTION_NO_CONFIG,
};

static const struct option own_options[] = {
	{ "promise-dir", required_argument, NULL, 'd' },
	{ "output",      required_argument, NULL, 'o' },
	{ "wait",        no_argument,       NULL, OPTION_WAIT },
	{ "config",      required_argument, NULL, 'c' },
	{ "no-config",   no_argument,       NULL, OPTION_NO_CONFIG },
	{ "user",        required_argument, NULL, OPTION_USER },
	{ "only",        required_argument, NULL, OPTION_ONLY },
	{ "keep-env",    required_argument, NULL, OPTION_KEEP_ENV },
	{ "force",       no_argument,       NULL, OPTION_FORCE },
	{ "log-folder",  required_argument, NULL, OPTION_LOG_FOLDER },
	{ "quiet",       no_argument,       NULL, 'q' },
	{ "verbose",     no_argument,       NULL, 'v' },
	{ "list",        no_argument,       NULL, 'l' },
	{ "color",       optional_argument, NULL, OPTION_COLOR },
	{ "help",        no_argument,       NULL, 'h' },
	{ "version",     no_argument,       NULL, 'V' },
};

#define OWN_COUNT (sizeof own_options / sizeof *own_options)
/* Every setting may have an option and an alias, and the list ends in 0. */
#define OPTION_COUNT (OWN_COUNT + 2 * SETTING_COUNT + 1)

static const char usage[] =
	"Usage: promise-run [OPTION]... [INSTANCE_HOME]...\n"
	"Run the promises of each instance home and tell whether it works.\n"
	"\n"
	"  -t, --timeout=SECONDS    stop a promise after SECONDS (default 20;\n"
	"                           alias --promise-timeout; decimals allowed)\n"
	"  -k, --kill-after=SECONDS SIGKILL a promise SECONDS after SIGTERM\n"
	"                           (default 1)\n"
	"  -j, --jobs=N             run at most N promises at once over every\n"
	"                           home (default: 8 per processor, 16 to 64)\n"
	"      --deadline=SECONDS   end the whole run within SECONDS\n"
	"      --max-timeout=SECONDS  the longest timeout an instance's own\n"
	"                           configuration may ask for (default 600)\n"
	"  -d, --promise-dir=DIR    promise folder (default etc/promise; a\n"
	"                           relative DIR is taken in each INSTANCE_HOME)\n"
	"  -f, --format=FORMAT      text (default), json, tap, junit,\n"
	"                           prometheus, nagios\n"
	"  -o, --output=FILE        write the report to FILE, atomically\n"
	"      --check-anomaly      slapgrid's anomaly mode: a promise fails\n"
	"                           when its last 3 runs failed\n"
	"      --force              in anomaly mode, run promises whose\n"
	"                           periodicity has not come\n"
	"      --only=NAME          run only the promise file NAME (repeatable)\n"
	"      --no-state           write no result file, take no lock\n"
	"      --log-folder=DIR     where the promises' logs go (default\n"
	"                           .slapgrid/promise/log in each home; an\n"
	"                           absolute DIR serves one home only)\n"
	"      --wait               wait while another run checks an instance\n"
	"      --wait-timeout=SECONDS  with --wait, report an instance locked\n"
	"                           after SECONDS (default: the deadline, or 60)\n"
	"  -c, --config=FILE        the operator's configuration, for every home,\n"
	"                           read INSTEAD of each home's own\n"
	"                           INSTANCE_HOME/etc/promise-run.conf\n"
	"      --no-config          read no configuration file\n"
	"      --clean-env          run promises with a minimal environment\n"
	"      --keep-env=NAME      as root, pass NAME to the promises too\n"
	"      --user=NAME          as root, run promises as NAME (default: the\n"
	"                           owner of each INSTANCE_HOME); their files\n"
	"                           must be NAME's or root's\n"
	"      --containment=HOW    auto (default: a cgroup per promise where\n"
	"                           possible, else freeze), cgroup, freeze\n"
	"      --nagios-levels      read promises' exit codes as monitoring\n"
	"                           plugins' (1 WARNING, 2 CRITICAL, 3 UNKNOWN)\n"
	"  -q, --quiet              print nothing when everything works\n"
	"  -v, --verbose            also print every output and skipped file\n"
	"  -l, --list               print what would run, run nothing\n"
	"      --color[=WHEN]       colour: auto (default), always, never\n"
	"  -h, --help               print this help and exit\n"
	"  -V, --version            print the version and exit\n"
	"\n"
	"INSTANCE_HOME defaults to the current directory; a pattern such as\n"
	"'/srv/slapgrid/slappart*' is expanded by promise-run itself.\n"
	"Built-in checks, for promises to exec: promise-run check-url --help,\n"
	"promise-run check-port --help.\n"
	"Exit status: 0 all promises work, 2 some promise does not work,\n"
	"1 promise-run could not do its job, 128+N stopped by signal N.\n"
	"Documentation: man promise-run, and doc/ in its sources.\n";

const char *cli_usage(void)
{
	return usage;
}

/* The getopt tables: the settings' options, then the command line's own. */
static void build_options(struct option *options, char *short_options)
{
	size_t count = 0, shorts = 0;

	short_options[shorts++] = ':';
	for (int id = 0; id < SETTING_COUNT; id++) {
		const struct setting_spec *spec = &setting_specs[id];
		int has_arg = spec->flag_value ? no_argument : required_argument;

		if (!spec->option)
			continue;
		options[count++] = (struct option){ spec->option, has_arg, NULL,
						    OPTION_SETTING + id };
		if (spec->alias)
			options[count++] = (struct option){ spec->alias, has_arg,
							    NULL,
							    OPTION_SETTING + id };
		if (spec->short_option) {
			short_options[shorts++] = spec->short_option;
			if (!spec->flag_value)
				short_options[shorts++] = ':';
		}
	}
	for (size_t i = 0; i < OWN_COUNT; i++)
		options[count++] = own_options[i];
	options[count] = (struct option){ 0 };
	memcpy(short_options + shorts, "d:o:c:qvlhV", sizeof "d:o:c:qvlhV");
}

/* The setting of a short option letter, or -1. */
static int setting_of_short(int letter)
{
	for (int id = 0; id < SETTING_COUNT; id++)
		if (setting_specs[id].short_option == letter)
			return id;
	return -1;
}

/* The option as the user wrote it, for messages: "--timeout" or "-t". */
static const char *spelling(const struct option *options, int long_index,
                            int letter, char *buffer, size_t size)
{
	if (long_index >= 0)
		snprintf(buffer, size, "--%s", options[long_index].name);
	else
		snprintf(buffer, size, "-%c", letter);
	return buffer;
}

static int add_word(struct cli_words *list, const char *word)
{
	const char **grown = reallocarray(list->words, list->count + 1,
					  sizeof *grown);

	if (!grown)
		return -1;
	list->words = grown;
	list->words[list->count++] = word;
	return 0;
}

/* An option that is a setting: its value parsed by the table. */
static int set_setting(struct cli_options *options, enum setting_id id,
                       const char *name, char *error, size_t error_size)
{
	const struct setting_spec *spec = &setting_specs[id];
	const char *text = spec->flag_value ? spec->flag_value : optarg;

	if (settings_parse(id, text, SOURCE_COMMAND_LINE,
			   &options->settings.values[id]) < 0)
		return option_fail(error, error_size,
			    "option '%s' expects %s, not '%s'", name,
			    settings_expected(id), text);
	return 0;
}

/* Options that need a non-empty value. */
static int need_value(const char *name, const char *what, char *error,
                      size_t error_size)
{
	if (*optarg)
		return 0;
	return option_fail(error, error_size, "option '%s' expects %s", name, what);
}

static int set_color(struct cli_options *options, char *error,
                     size_t error_size)
{
	if (!optarg || strcmp(optarg, "always") == 0)
		options->color = CLI_COLOR_ALWAYS;
	else if (strcmp(optarg, "never") == 0)
		options->color = CLI_COLOR_NEVER;
	else if (strcmp(optarg, "auto") == 0)
		options->color = CLI_COLOR_AUTO;
	else
		return option_fail(error, error_size,
			    "option '--color' expects auto, always or never, not '%s'",
			    optarg);
	return 0;
}

/* One option of the command line's own; 0, or -1 with the reason. */
static int set_own(struct cli_options *options, int option, const char *name,
                   char *error, size_t error_size)
{
	switch (option) {
	case 'd':
		if (need_value(name, "a folder", error, error_size) < 0)
			return -1;
		options->promise_dir = optarg;
		break;
	case 'o':
		if (need_value(name, "a file", error, error_size) < 0)
			return -1;
		options->output = strcmp(optarg, "-") == 0 ? NULL : optarg;
		break;
	case 'c':
		if (need_value(name, "a file", error, error_size) < 0)
			return -1;
		options->config = optarg;
		break;
	case OPTION_LOG_FOLDER:
		if (need_value(name, "a folder", error, error_size) < 0)
			return -1;
		options->log_folder = optarg;
		break;
	case OPTION_USER:
		if (need_value(name, "a user name", error, error_size) < 0)
			return -1;
		options->user = optarg;
		break;
	case OPTION_ONLY:
		if (!*optarg || strchr(optarg, '/'))
			return option_fail(error, error_size,
				    "option '%s' expects a promise's file name, not '%s'",
				    name, optarg);
		if (add_word(&options->only, optarg) < 0)
			return option_fail(error, error_size, "out of memory");
		break;
	case OPTION_KEEP_ENV:
		if (!*optarg || strchr(optarg, '='))
			return option_fail(error, error_size,
				    "option '%s' expects a variable name, not '%s'",
				    name, optarg);
		if (add_word(&options->keep_env, optarg) < 0)
			return option_fail(error, error_size, "out of memory");
		break;
	case OPTION_NO_CONFIG:
		options->no_config = true;
		break;
	case OPTION_WAIT:
		options->wait = true;
		break;
	case OPTION_FORCE:
		options->force = true;
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
		return set_color(options, error, error_size);
	}
	return 0;
}

int cli_parse(int argc, char **argv, struct cli_options *options,
              char *error, size_t error_size)
{
	struct option long_options[OPTION_COUNT];
	char short_options[64], name[64];
	int option, long_index = -1;

	*options = (struct cli_options){
		.action = CLI_RUN,
		.verbosity = CLI_NORMAL,
		.color = CLI_COLOR_AUTO,
	};
	build_options(long_options, short_options);
	optind = 0;         /* glibc: start afresh, so tests can parse again */
	opterr = 0;         /* messages are ours, one line each */
	while ((option = getopt_long(argc, argv, short_options, long_options,
				     &long_index)) != -1) {
		int setting = option < 256 ? setting_of_short(option) : -1;
		int status = 0;

		spelling(long_options, long_index, option, name, sizeof name);
		long_index = -1;
		if (option >= OPTION_SETTING &&
		    option < OPTION_SETTING + SETTING_COUNT)
			setting = option - OPTION_SETTING;
		if (setting >= 0) {
			status = set_setting(options, (enum setting_id)setting,
					     name, error, error_size);
		} else if (option == 'h' || option == 'V') {
			options->action = option == 'h' ? CLI_HELP : CLI_VERSION;
			return 0;
		} else if (option == ':') {
			/* The option word is the last one getopt looked at. */
			status = option_needs_value(
				strncmp(argv[optind - 1], "--", 2) == 0
					? argv[optind - 1]
					: spelling(long_options, -1, optopt,
						   name, sizeof name),
				error, error_size);
		} else if (option == '?') {
			status = option_refused(argv[optind - 1], error,
						error_size);
		} else {
			status = set_own(options, option, name, error,
					 error_size);
		}
		if (status < 0) {
			cli_release(options);
			return -1;
		}
	}
	options->homes = argv + optind;
	options->home_count = (size_t)(argc - optind);
	return 0;
}

void cli_release(struct cli_options *options)
{
	free(options->only.words);
	free(options->keep_env.words);
	options->only = (struct cli_words){ 0 };
	options->keep_env = (struct cli_words){ 0 };
}
