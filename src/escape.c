/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* escape: any string, written safely into each report format. */
#include "escape.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/*
 * Writes the byte at `c` (and maybe those after it) escaped; returns how
 * many bytes it consumed.
 */
typedef size_t write_byte_fn(FILE *out, const unsigned char *c, void *context);

/* Calls `write_byte` along the sanitized `text`. */
static int each_byte(FILE *out, const char *text, write_byte_fn *write_byte,
                     void *context)
{
	char *clean = utf8_sanitize((const unsigned char *)text, strlen(text),
				    NULL);

	if (!clean)
		return -1;
	for (const unsigned char *c = (const unsigned char *)clean; *c;)
		c += write_byte(out, c, context);
	free(clean);
	return 0;
}

/*
 * The length of the control character at `c` in sanitized text: 1 for C0
 * and DEL, 2 for C1 (U+0080 to U+009F, C2 80 to C2 9F), else 0.  A
 * terminal acts on any of them (C1's U+009B is CSI).
 */
static size_t control_length(const unsigned char *c)
{
	if (*c < 0x20 || *c == 0x7f)
		return 1;
	return c[0] == 0xC2 && c[1] >= 0x80 && c[1] <= 0x9F ? 2 : 0;
}

static size_t json_byte(FILE *out, const unsigned char *c, void *context)
{
	(void)context;
	switch (*c) {
	case '"':  fputs("\\\"", out); break;
	case '\\': fputs("\\\\", out); break;
	case '\n': fputs("\\n", out); break;
	case '\r': fputs("\\r", out); break;
	case '\t': fputs("\\t", out); break;
	case '\b': fputs("\\b", out); break;
	case '\f': fputs("\\f", out); break;
	default:
		if (*c < 0x20)
			fprintf(out, "\\u%04x", *c);
		else
			fputc(*c, out);
	}
	return 1;
}

int escape_json(FILE *out, const char *text)
{
	if (!text)
		return fputs("null", out) < 0 ? -1 : 0;
	fputc('"', out);
	if (each_byte(out, text, json_byte, NULL) < 0)
		return -1;
	fputc('"', out);
	return 0;
}

/* U+FFFE and U+FFFF, which XML 1.0 forbids, as UTF-8 after their EF BF. */
static int is_xml_nonchar(const unsigned char *c)
{
	return c[0] == 0xEF && c[1] == 0xBF && (c[2] == 0xBE || c[2] == 0xBF);
}

static size_t xml_byte(FILE *out, const unsigned char *c, void *context)
{
	int attribute = *(int *)context;

	if (is_xml_nonchar(c))
		return 3;               /* forbidden in XML 1.0: dropped */
	switch (*c) {
	case '&': fputs("&amp;", out); break;
	case '<': fputs("&lt;", out); break;
	case '>': fputs("&gt;", out); break;
	case '"': fputs(attribute ? "&quot;" : "\"", out); break;
	case '\'': fputs(attribute ? "&apos;" : "'", out); break;
	case '\r':
		/* A parser reads a raw CR as LF, anywhere. */
		fputs("&#13;", out);
		break;
	case '\t': case '\n':
		/* In attributes they would be normalised to spaces. */
		if (attribute)
			fprintf(out, "&#%d;", *c);
		else
			fputc(*c, out);
		break;
	default:
		if (*c >= 0x20)         /* the rest below is forbidden: dropped */
			fputc(*c, out);
	}
	return 1;
}

int escape_xml(FILE *out, const char *text, int attribute)
{
	return each_byte(out, text, xml_byte, &attribute);
}

static size_t prometheus_byte(FILE *out, const unsigned char *c, void *context)
{
	(void)context;
	if (*c == '\\')
		fputs("\\\\", out);
	else if (*c == '"')
		fputs("\\\"", out);
	else if (*c == '\n')
		fputs("\\n", out);
	else
		fputc(*c, out);
	return 1;
}

int escape_prometheus_label(FILE *out, const char *text)
{
	return each_byte(out, text, prometheus_byte, NULL);
}

static size_t yaml_byte(FILE *out, const unsigned char *c, void *context)
{
	(void)context;
	/* C1 controls: not printable. */
	if (control_length(c) == 2) {
		fprintf(out, "\\x%02x", c[1]);
		return 2;
	}
	/*
	 * U+FFFE and U+FFFF are no characters, and YAMLish has no \u escape
	 * for them: the replacement character stands for them.
	 */
	if (is_xml_nonchar(c)) {
		fputs("\xef\xbf\xbd", out);
		return 3;
	}
	if (*c == '"')
		fputs("\\\"", out);
	else if (*c == '\\')
		fputs("\\\\", out);
	else if (*c == '\n')
		fputs("\\n", out);
	else if (*c == '\t')
		fputs("\\t", out);
	else if (*c < 0x20 || *c == 0x7f)
		fprintf(out, "\\x%02x", *c);    /* YAMLish reads \xHH, not \u */
	else
		fputc(*c, out);
	return 1;
}

int escape_yaml(FILE *out, const char *text)
{
	fputc('"', out);
	if (each_byte(out, text, yaml_byte, NULL) < 0)
		return -1;
	fputc('"', out);
	return 0;
}

static size_t tap_byte(FILE *out, const unsigned char *c, void *context)
{
	size_t control = control_length(c);

	(void)context;
	if (control) {
		fputc(' ', out);
		return control;
	}
	if (*c == '#')
		fputs("\\#", out);
	else if (*c == '\\')
		fputs("\\\\", out);
	else
		fputc(*c, out);
	return 1;
}

int escape_tap_description(FILE *out, const char *text)
{
	return each_byte(out, text, tap_byte, NULL);
}

/* The indent of every line of a block, or NULL for one line. */
static size_t terminal_byte(FILE *out, const unsigned char *c, void *context)
{
	const char *indent = context;
	size_t control = control_length(c);

	if (indent && *c == '\n') {
		/* A last newline ends the block: no empty line after it. */
		fputc('\n', out);
		if (c[1])
			fputs(indent, out);
		return 1;
	}
	if (indent && *c == '\t') {
		fputc('\t', out);
		return 1;
	}
	if (control) {
		fputc('?', out);
		return control;
	}
	fputc(*c, out);
	return 1;
}

int escape_terminal(FILE *out, const char *text, const char *indent)
{
	size_t length = strlen(text);

	if (!indent)
		return each_byte(out, text, terminal_byte, NULL);
	if (length == 0)
		return 0;
	fputs(indent, out);
	if (each_byte(out, text, terminal_byte, (void *)indent) < 0)
		return -1;
	if (text[length - 1] != '\n')
		fputc('\n', out);
	return 0;
}

char *escape_terminal_string(const char *text)
{
	char *escaped = NULL;
	size_t size;
	FILE *out = open_memstream(&escaped, &size);
	int status;

	if (!out)
		return NULL;
	status = escape_terminal(out, text, NULL);
	if (fclose(out) == EOF || status < 0) {
		free(escaped);
		return NULL;
	}
	return escaped;
}

static size_t nagios_byte(FILE *out, const unsigned char *c, void *context)
{
	size_t control = control_length(c);

	(void)context;
	if (*c == '|')
		fputs("\u00a6", out);          /* '|' starts the perfdata */
	else if (*c == '\n')
		fputc(' ', out);
	else if (control)
		fputc('?', out);
	else
		fputc(*c, out);
	return control ? control : 1;
}

int escape_nagios_text(FILE *out, const char *text)
{
	return each_byte(out, text, nagios_byte, NULL);
}

static size_t nagios_label_byte(FILE *out, const unsigned char *c,
                                void *context)
{
	size_t control = control_length(c);

	(void)context;
	if (*c == '\'')
		fputs("''", out);
	else if (*c == '=' || *c == '|' || control)
		fputc('_', out);
	else
		fputc(*c, out);
	return control ? control : 1;
}

int escape_nagios_label(FILE *out, const char *text)
{
	return each_byte(out, text, nagios_label_byte, NULL);
}
