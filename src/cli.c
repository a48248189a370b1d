/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* cli: the command line, from argv to struct cli_options. */
#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "option_error.h"

/* getopt_long's value of a long option: this plus its row's id. */
#define LONG_OPTION 1000

/* A long option and its alias for each row, and the 0 at the end. */
#define GETOPT_COUNT (2 * OPTION_COUNT + 1)

/* What --help says before and after the options. */
static const char usage_head[] =
	"Usage: promise-run [OPTION]... [INSTANCE_HOME]...\n"
	"Run the promises of each instance home and tell whether it works.\n"
	"\n";
static const char usage_tail[] =
	"\n"
	"INSTANCE_HOME defaults to the current directory; a pattern such as\n"
	"'/srv/slapgrid/slappart*' is expanded by promise-run itself.\n"
	"Built-in checks, for promises to exec or declare: promise-run\n"
	"check-url --help, check-port --help, check-cert --help, check-file\n"
	"--help, check --help.\n"
	"Exit status: 0 all promises work, 2 some promise does not work,\n"
	"1 promise-run could not do its job, 128+N stopped by signal N.\n"
	"Documentation: man promise-run, and doc/ in its sources.\n";

/* The column of --help's descriptions, and the width of its lines. */
#define HELP_COLUMN 27
#define HELP_WIDTH 77

/* A blank where --help's lines are not broken ("default 1"). */
#define NO_BREAK '\1'

/* A text written once into a fixed buffer; a text too long is cut. */
struct text {
	char buffer[8192];
	size_t length;
};

static void add(struct text *text, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

static void add(struct text *text, const char *format, ...)
{
	size_t room = sizeof text->buffer - text->length;
	va_list arguments;
	int length;

	va_start(arguments, format);
	length = vsnprintf(text->buffer + text->length, room, format, arguments);
	va_end(arguments);
	if (length > 0)
		text->length += (size_t)length < room ? (size_t)length : room - 1;
}

/*
 * The option as --help writes it: "-t, --timeout=SECONDS", or with four
 * blanks for the short option it has not, "    --color[=WHEN]".
 */
static void spell(const struct setting_spec *spec, char *buffer, size_t size)
{
	char letter[8] = "    ";

	if (spec->short_option)
		snprintf(letter, sizeof letter, "-%c, ", spec->short_option);
	snprintf(buffer, size, "%s--%s%s%s%s%s", letter, spec->option,
		 spec->argument && spec->optional ? "[" : "",
		 spec->argument ? "=" : "", spec->argument ? spec->argument : "",
		 spec->argument && spec->optional ? "]" : "");
}

/* What --help says of an option: its words, its choices, its default. */
static void describe(const struct setting_spec *spec, char *buffer,
                     size_t size)
{
	char choices[128] = "";
	const char *notes[4];
	size_t count = 0;
	char alone[64], alias[64], fallback[160];
	int written;

	if (spec->kind == SETTING_CHOICE && spec->argument)
		settings_choices(spec->choices, choices, sizeof choices);
	if (spec->argument && spec->default_value) {
		snprintf(fallback, sizeof fallback, "default%c%s%s", NO_BREAK,
			 spec->default_value,
			 spec->default_note ? spec->default_note : "");
		notes[count++] = fallback;
	} else if (spec->argument && spec->default_note) {
		snprintf(fallback, sizeof fallback, "default: %s",
			 spec->default_note);
		notes[count++] = fallback;
	}
	if (spec->argument && spec->optional && spec->flag_value) {
		snprintf(alone, sizeof alone, "--%s alone: %s", spec->option,
			 spec->flag_value);
		notes[count++] = alone;
	}
	if (spec->alias) {
		snprintf(alias, sizeof alias, "alias --%s", spec->alias);
		notes[count++] = alias;
	}
	if (spec->kind == SETTING_WORDS)
		notes[count++] = "repeatable";
	written = snprintf(buffer, size, "%s%s%s", spec->help,
			   *choices ? ": " : "", choices);
	for (size_t i = 0; i < count && written >= 0 && (size_t)written < size;
	     i++)
		written += snprintf(buffer + written, size - (size_t)written,
				    "%s%s%s", i == 0 ? " (" : "; ", notes[i],
				    i == count - 1 ? ")" : "");
}

/* One option of --help: its spelling, then its words wrapped. */
static void add_option(struct text *text, const struct setting_spec *spec)
{
	char spelling[64], words[512];
	size_t column;
	char *rest = NULL;
	bool first = true;

	spell(spec, spelling, sizeof spelling);
	describe(spec, words, sizeof words);
	add(text, "  %s", spelling);
	column = 2 + strlen(spelling);
	/* At the column, or two blanks after a spelling that reaches it. */
	add(text, "%*s", column < HELP_COLUMN ? (int)(HELP_COLUMN - column) : 2,
	    "");
	column = column < HELP_COLUMN ? HELP_COLUMN : column + 2;
	for (char *word = strtok_r(words, " ", &rest); word;
	     word = strtok_r(NULL, " ", &rest), first = false) {
		size_t length = strlen(word);
		char *glue;

		if (!first && column + 1 + length > HELP_WIDTH) {
			add(text, "\n%*s", HELP_COLUMN, "");
			column = HELP_COLUMN;
		} else if (!first) {
			add(text, " ");
			column++;
		}
		while ((glue = strchr(word, NO_BREAK)))
			*glue = ' ';
		add(text, "%s", word);
		column += length;
	}
	add(text, "\n");
}

const char *cli_usage(void)
{
	static struct text usage;

	if (usage.length)
		return usage.buffer;
	add(&usage, "%s", usage_head);
	for (size_t i = 0; i < OPTION_COUNT; i++)
		if (settings_table[i].option)
			add_option(&usage, &settings_table[i]);
	add(&usage, "%s", usage_tail);
	return usage.buffer;
}

static const char *kind_name(enum setting_kind kind)
{
	switch (kind) {
	case SETTING_SECONDS:
	case SETTING_SECONDS_ABOVE_ZERO:
		return "seconds";
	case SETTING_JOBS_COUNT:
		return "count";
	case SETTING_BOOLEAN:
		return "boolean";
	case SETTING_CHOICE:
		return "choice";
	case SETTING_TEXT:
		return "text";
	case SETTING_WORDS:
		return "words";
	case SETTING_ACTION:
		break;
	}
	return "action";
}

const char *cli_options_table(void)
{
	static struct text table;

	if (table.length)
		return table.buffer;
	for (size_t i = 0; i < OPTION_COUNT; i++) {
		const struct setting_spec *spec = &settings_table[i];
		char spelling[64];

		if (!spec->option)
			continue;
		spell(spec, spelling, sizeof spelling);
		add(&table, "%s\t%s\t%s\t%c\t%s\t%s\t",
		    spelling[0] == ' ' ? spelling + 4 : spelling, spec->option,
		    spec->alias ? spec->alias : "-",
		    spec->short_option ? spec->short_option : '-',
		    spec->argument ? spec->argument : "-",
		    kind_name(spec->kind));
		for (size_t c = 0; spec->choices && spec->choices[c]; c++)
			add(&table, "%s%s", c ? "," : "", spec->choices[c]);
		add(&table, "%s\t%s\n", spec->choices ? "" : "-",
		    spec->key ? spec->key : "-");
	}
	return table.buffer;
}

/* The getopt tables, from the table: long options and short letters. */
static void build_options(struct option *options, char *short_options)
{
	size_t count = 0, shorts = 0;

	short_options[shorts++] = ':';
	for (size_t i = 0; i < OPTION_COUNT; i++) {
		const struct setting_spec *spec = &settings_table[i];
		int has_arg = !spec->argument ? no_argument
			      : spec->optional ? optional_argument
					       : required_argument;

		if (!spec->option)
			continue;
		options[count++] = (struct option){ spec->option, has_arg, NULL,
						    LONG_OPTION + spec->id };
		if (spec->alias)
			options[count++] = (struct option){ spec->alias, has_arg,
							    NULL,
							    LONG_OPTION + spec->id };
		if (spec->short_option) {
			short_options[shorts++] = spec->short_option;
			if (has_arg != no_argument)
				short_options[shorts++] = ':';
			if (has_arg == optional_argument)
				short_options[shorts++] = ':';
		}
	}
	options[count] = (struct option){ 0 };
	short_options[shorts] = '\0';
}

/* The row of what getopt_long returned, or NULL. */
static const struct setting_spec *row_of(int option)
{
	if (option >= LONG_OPTION && option < LONG_OPTION + OPTION_COUNT)
		return settings_spec(option - LONG_OPTION);
	for (size_t i = 0; i < OPTION_COUNT; i++)
		if (option > 0 && settings_table[i].short_option == option)
			return &settings_table[i];
	return NULL;
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

/*
 * An option of the command line's own, its value parsed: kept in its
 * field.  0; 1 when the parse stops there (--help, --version); -1 when
 * memory ran out.
 */
static int keep(struct cli_options *options, int id,
                const struct setting_value *value)
{
	switch (id) {
	case OPTION_PROMISE_DIR:
		options->promise_dir = value->text;
		break;
	case OPTION_OUTPUT:
		options->output = strcmp(value->text, "-") == 0 ? NULL
							       : value->text;
		break;
	case OPTION_CONFIG:
		options->config = value->text;
		break;
	case OPTION_LOG_FOLDER:
		options->log_folder = value->text;
		break;
	case OPTION_USER:
		options->user = value->text;
		break;
	case OPTION_ONLY:
		return add_word(&options->only, value->text);
	case OPTION_KEEP_ENV:
		return add_word(&options->keep_env, value->text);
	case OPTION_NO_CONFIG:
		options->no_config = value->flag;
		break;
	case OPTION_WAIT:
		options->wait = value->flag;
		break;
	case OPTION_FORCE:
		options->force = value->flag;
		break;
	case OPTION_INHERIT_ENV:
		options->inherit_env = value->flag;
		break;
	case OPTION_ACCEPT_WRITABLE:
		options->accept_writable = value->flag;
		break;
	case OPTION_NO_INLINE:
		options->no_inline = value->flag;
		break;
	case OPTION_QUIET:
		options->verbosity = CLI_QUIET;
		break;
	case OPTION_VERBOSE:
		options->verbosity = CLI_VERBOSE;
		break;
	case OPTION_LIST:
		options->action = CLI_LIST;
		break;
	case OPTION_COLOR:
		options->color = (enum cli_color)value->choice;
		break;
	case OPTION_HELP:
		options->action = CLI_HELP;
		return 1;
	case OPTION_VERSION:
		options->action = CLI_VERSION;
		return 1;
	}
	return 0;
}

/*
 * An option of the table, given as `name`: its value parsed by the table,
 * then kept.  0; 1 when the parse stops there; -1 with the reason.
 */
static int take(struct cli_options *options, const struct setting_spec *spec,
                const char *name, char *error, size_t error_size)
{
	const char *text = optarg ? optarg : spec->flag_value;
	struct setting_value value;
	char expected[128];
	int status;

	if (settings_parse(spec->id, text ? text : "", SOURCE_COMMAND_LINE,
			   &value) < 0) {
		const char *words = settings_expected(spec->id, expected,
						      sizeof expected);

		/* A text is refused only when empty: nothing to quote. */
		if (spec->kind == SETTING_TEXT)
			return option_fail(error, error_size,
					   "option '%s' expects %s", name, words);
		return option_fail(error, error_size,
				   "option '%s' expects %s, not '%s'", name,
				   words, text);
	}
	if (spec->id < SETTING_COUNT) {
		options->settings.values[spec->id] = value;
		return 0;
	}
	status = keep(options, spec->id, &value);
	if (status < 0)
		return option_fail(error, error_size, "out of memory");
	return status;
}

int cli_parse(int argc, char **argv, struct cli_options *options,
              char *error, size_t error_size)
{
	struct option long_options[GETOPT_COUNT];
	char short_options[3 * OPTION_COUNT + 2], name[64];
	struct setting_value color;
	int option, long_index = -1;

	*options = (struct cli_options){
		.action = CLI_RUN,
		.verbosity = CLI_NORMAL,
	};
	/* The table's default, valid by construction (unit-tested). */
	if (settings_parse(OPTION_COLOR, settings_spec(OPTION_COLOR)->default_value,
			   SOURCE_DEFAULT, &color) == 0)
		options->color = (enum cli_color)color.choice;
	build_options(long_options, short_options);
	optind = 0;         /* glibc: start afresh, so tests can parse again */
	opterr = 0;         /* messages are ours, one line each */
	while ((option = getopt_long(argc, argv, short_options, long_options,
				     &long_index)) != -1) {
		const struct setting_spec *spec = row_of(option);
		int status;

		spelling(long_options, long_index, option, name, sizeof name);
		long_index = -1;
		if (option == ':') {
			/* The option word is the last one getopt looked at. */
			status = option_needs_value(
				strncmp(argv[optind - 1], "--", 2) == 0
					? argv[optind - 1]
					: spelling(long_options, -1, optopt,
						   name, sizeof name),
				error, error_size);
		} else if (option == '?' || !spec) {
			status = option_refused(argv[optind - 1], error,
						error_size);
		} else {
			status = take(options, spec, name, error, error_size);
		}
		if (status < 0) {
			cli_release(options);
			return -1;
		}
		if (status > 0)
			return 0;
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
