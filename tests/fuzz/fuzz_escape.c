/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * fuzz_escape: every escaper of escape.h on any string (the input up to
 * its first NUL), written into an open_memstream.  "Sanitized" below is
 * utf8_sanitize of the input.
 *
 * Checks, for each output:
 *   escape_json     a valid JSON string (json_find, depth 0, takes it
 *                   whole) that json_string reads back as the sanitized
 *                   input;
 *   escape_xml      no raw '<', every '&' an entity it writes, no U+FFFE
 *                   or U+FFFF, no C0 control but tab and newline in text,
 *                   no raw CR (a parser reads it as LF), and in an
 *                   attribute no raw '"', tab or newline; unescaped, the
 *                   sanitized input less the characters XML 1.0 forbids;
 *   escape_prometheus_label
 *                   no raw newline, no unescaped '"'; unescaped, the
 *                   sanitized input;
 *   escape_yaml     a double-quoted scalar without raw C0, DEL or C1
 *                   controls, U+FFFE or U+FFFF; unescaped (\", \\, \n,
 *                   \t, \xHH), the sanitized input with U+FFFE and U+FFFF
 *                   as U+FFFD;
 *   escape_tap_description
 *                   no newline, no unescaped '#'; unescaped, the
 *                   sanitized input with each control (C0, DEL, C1) a
 *                   space;
 *   escape_terminal (one line, and a block indented by "  ")
 *                   the sanitized input with each control '?' (in a
 *                   block: but tab, and newline, then followed by the
 *                   indent);
 *   escape_nagios_text, escape_nagios_label
 *                   no control, no '|', no newline; the text: '|' as
 *                   U+00A6, newline a space, other controls '?'; the label:
 *                   quotes doubled, '=', '|' and controls '_'.
 * Every output is well-formed UTF-8 without NUL.
 */
#include <string.h>

#include "escape.h"
#include "fuzz_common.h"
#include "json_read.h"
#include "utf8.h"

typedef int escaper(FILE *out, const char *text, int option);

static int json(FILE *out, const char *text, int option)
{
	(void)option;
	return escape_json(out, text);
}

static int xml(FILE *out, const char *text, int attribute)
{
	return escape_xml(out, text, attribute);
}

static int prometheus(FILE *out, const char *text, int option)
{
	(void)option;
	return escape_prometheus_label(out, text);
}

static int yaml(FILE *out, const char *text, int option)
{
	(void)option;
	return escape_yaml(out, text);
}

static int tap(FILE *out, const char *text, int option)
{
	(void)option;
	return escape_tap_description(out, text);
}

/* The escaper's output, malloc'd, its size in *size. */
static char *escaped(escaper *escape, const char *text, int option,
                     size_t *size)
{
	char *buffer = NULL;
	FILE *out = open_memstream(&buffer, size);

	FUZZ_CHECK(out, "open_memstream");
	FUZZ_CHECK(escape(out, text, option) == 0, "escaper failed");
	FUZZ_CHECK(fclose(out) == 0, "fclose");
	FUZZ_CHECK(fuzz_utf8_valid(buffer, *size),
		   "output is not well-formed UTF-8 without NUL");
	return buffer;
}

static bool is_nonchar(const unsigned char *c, size_t left)
{
	return left >= 3 && c[0] == 0xEF && c[1] == 0xBF &&
	       (c[2] == 0xBE || c[2] == 0xBF);
}

static void check_json(const char *text, const char *clean)
{
	static const char *const top[1] = { NULL };
	struct json_value value;
	size_t size;
	char *out = escaped(json, text, 0, &size), *back;

	FUZZ_CHECK(json_find(out, size, top, 0, &value) == 0,
		   "escape_json: not valid JSON");
	FUZZ_CHECK(value.type == JSON_STRING && value.start == out &&
		   value.length == size, "escape_json: not one JSON string");
	back = json_string(&value);
	FUZZ_CHECK(back && strcmp(back, clean) == 0,
		   "escape_json: does not read back");
	free(back);
	free(out);
}

static void check_xml(const char *text, const char *clean, int attribute)
{
	static const char *const entities[][2] = {
		{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
		{ "&quot;", "\"" }, { "&apos;", "'" }, { "&#9;", "\t" },
		{ "&#10;", "\n" }, { "&#13;", "\r" },
	};
	size_t size, clean_size = strlen(clean), used = 0, kept = 0;
	char *out = escaped(xml, text, attribute, &size);
	char *back = malloc(size + 1), *expected = malloc(clean_size + 1);
	const char *what = attribute ? "escape_xml (attribute)" : "escape_xml";

	FUZZ_CHECK(back && expected, "out of memory");
	for (size_t i = 0; i < size;) {
		unsigned char c = (unsigned char)out[i];

		FUZZ_CHECK(c != '<', "%s: raw '<'", what);
		FUZZ_CHECK(!is_nonchar((const unsigned char *)out + i, size - i),
			   "%s: U+FFFE or U+FFFF", what);
		FUZZ_CHECK(c >= 0x20 || c == '\t' || c == '\n',
			   "%s: control 0x%02x", what, c);
		if (attribute)
			FUZZ_CHECK(c != '"' && c != '\t' && c != '\n',
				   "%s: raw 0x%02x", what, c);
		if (c == '&') {
			size_t e = 0, n = sizeof entities / sizeof *entities;

			for (; e < n; e++)
				if (strncmp(out + i, entities[e][0],
					    strlen(entities[e][0])) == 0)
					break;
			FUZZ_CHECK(e < n, "%s: '&' that starts no entity", what);
			back[used++] = entities[e][1][0];
			i += strlen(entities[e][0]);
			continue;
		}
		back[used++] = (char)c;
		i++;
	}
	/* The input less what XML 1.0 forbids. */
	for (size_t i = 0; i < clean_size;) {
		const unsigned char *c = (const unsigned char *)clean + i;

		if (is_nonchar(c, clean_size - i)) {
			i += 3;
			continue;
		}
		if (*c >= 0x20 || *c == '\t' || *c == '\n' || *c == '\r')
			expected[kept++] = (char)*c;
		i++;
	}
	FUZZ_CHECK(used == kept && memcmp(back, expected, used) == 0,
		   "%s: does not read back", what);
	free(back);
	free(expected);
	free(out);
}

static void check_prometheus(const char *text, const char *clean)
{
	size_t size, used = 0;
	char *out = escaped(prometheus, text, 0, &size);
	char *back = malloc(size + 1);

	FUZZ_CHECK(back, "out of memory");
	for (size_t i = 0; i < size; i++) {
		FUZZ_CHECK(out[i] != '\n', "prometheus: raw newline");
		FUZZ_CHECK(out[i] != '"', "prometheus: unescaped '\"'");
		if (out[i] != '\\') {
			back[used++] = out[i];
			continue;
		}
		FUZZ_CHECK(i + 1 < size, "prometheus: '\\' at the end");
		switch (out[++i]) {
		case '\\': back[used++] = '\\'; break;
		case '"': back[used++] = '"'; break;
		case 'n': back[used++] = '\n'; break;
		default:
			FUZZ_CHECK(0, "prometheus: escape \\%c", out[i]);
		}
	}
	FUZZ_CHECK(used == strlen(clean) && memcmp(back, clean, used) == 0,
		   "prometheus: does not read back");
	free(back);
	free(out);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void check_yaml(const char *text, const char *clean)
{
	size_t size, clean_size = strlen(clean), used = 0;
	char *out = escaped(yaml, text, 0, &size);
	unsigned char *back = malloc(2 * size + 1);
	char *expected = strdup(clean);

	FUZZ_CHECK(back && expected, "out of memory");
	FUZZ_CHECK(size >= 2 && out[0] == '"' && out[size - 1] == '"',
		   "yaml: not in double quotes");
	for (size_t i = 1; i < size - 1;) {
		const unsigned char *c = (const unsigned char *)out + i;
		int high, low;

		FUZZ_CHECK(*c >= 0x20 && *c != 0x7F, "yaml: raw control 0x%02x",
			   *c);
		FUZZ_CHECK(!(c[0] == 0xC2 && c[1] >= 0x80 && c[1] <= 0x9F),
			   "yaml: raw C1 control");
		FUZZ_CHECK(!is_nonchar(c, size - 1 - i), "yaml: U+FFFE or U+FFFF");
		FUZZ_CHECK(*c != '"', "yaml: unescaped '\"'");
		if (*c != '\\') {
			back[used++] = *c;
			i++;
			continue;
		}
		FUZZ_CHECK(i + 1 < size - 1, "yaml: '\\' at the end");
		switch (c[1]) {
		case '"': back[used++] = '"'; i += 2; break;
		case '\\': back[used++] = '\\'; i += 2; break;
		case 'n': back[used++] = '\n'; i += 2; break;
		case 't': back[used++] = '\t'; i += 2; break;
		case 'x':
			FUZZ_CHECK(i + 3 < size - 1, "yaml: short \\x");
			high = hex_digit((char)c[2]);
			low = hex_digit((char)c[3]);
			FUZZ_CHECK(high >= 0 && low >= 0, "yaml: bad \\x");
			/* \xHH is the character U+00HH. */
			used += utf8_put(back + used,
					      (uint32_t)(high * 16 + low));
			i += 4;
			break;
		default:
			FUZZ_CHECK(0, "yaml: escape \\%c", c[1]);
		}
	}
	for (size_t i = 0; i + 2 < clean_size; i++)
		if (is_nonchar((const unsigned char *)expected + i,
			       clean_size - i))
			expected[i + 2] = (char)0xBD;
	FUZZ_CHECK(used == clean_size && memcmp(back, expected, used) == 0,
		   "yaml: does not read back");
	free(back);
	free(expected);
	free(out);
}

/*
 * `clean` with each control (C0, DEL, C1) as `mark`, but those in `kept`,
 * into `out` (room for strlen(clean) + 1); its length.
 */
static size_t with_controls_as(const char *clean, char mark, const char *kept,
                               char *out)
{
	size_t used = 0;

	for (const unsigned char *c = (const unsigned char *)clean; *c; c++) {
		if ((*c < 0x20 || *c == 0x7F) && !(kept && strchr(kept, *c))) {
			out[used++] = mark;
		} else if (c[0] == 0xC2 && c[1] >= 0x80 && c[1] <= 0x9F) {
			out[used++] = mark;
			c++;
		} else {
			out[used++] = (char)*c;
		}
	}
	out[used] = '\0';
	return used;
}

static void check_tap(const char *text, const char *clean)
{
	size_t size, clean_size = strlen(clean), used = 0;
	char *out = escaped(tap, text, 0, &size);
	char *back = malloc(size + 1), *expected = strdup(clean);

	FUZZ_CHECK(back && expected, "out of memory");
	for (size_t i = 0; i < size; i++) {
		FUZZ_CHECK(out[i] != '\n' && out[i] != '\r', "tap: newline");
		FUZZ_CHECK(out[i] != '#', "tap: unescaped '#'");
		if (out[i] != '\\') {
			back[used++] = out[i];
			continue;
		}
		FUZZ_CHECK(i + 1 < size && (out[i + 1] == '#' || out[i + 1] == '\\'),
			   "tap: lone '\\'");
		back[used++] = out[++i];
	}
	clean_size = with_controls_as(clean, ' ', NULL, expected);
	FUZZ_CHECK(used == clean_size && memcmp(back, expected, used) == 0,
		   "tap: does not read back");
	free(back);
	free(expected);
	free(out);
}

static int terminal_line(FILE *out, const char *text, int option)
{
	(void)option;
	return escape_terminal(out, text, NULL);
}

static int terminal_block(FILE *out, const char *text, int option)
{
	(void)option;
	return escape_terminal(out, text, "  ");
}

static int nagios_text(FILE *out, const char *text, int option)
{
	(void)option;
	return escape_nagios_text(out, text);
}

static int nagios_label(FILE *out, const char *text, int option)
{
	(void)option;
	return escape_nagios_label(out, text);
}

/* Whether any control (C0, DEL or C1) is in `out`, tab and newline apart. */
static bool has_control(const char *out, size_t size, const char *allowed)
{
	for (size_t i = 0; i < size; i++) {
		unsigned char c = (unsigned char)out[i];

		if ((c < 0x20 || c == 0x7F) && !(c && strchr(allowed, c)))
			return true;
		if (c == 0xC2 && i + 1 < size &&
		    (unsigned char)out[i + 1] >= 0x80 &&
		    (unsigned char)out[i + 1] <= 0x9F)
			return true;
	}
	return false;
}

static void check_terminal(const char *text, const char *clean)
{
	size_t size, clean_size = strlen(clean), length;
	char *out = escaped(terminal_line, text, 0, &size);
	char *expected = malloc(3 * clean_size + 4);

	FUZZ_CHECK(expected, "out of memory");
	FUZZ_CHECK(!has_control(out, size, ""), "terminal: a control");
	length = with_controls_as(clean, '?', NULL, expected);
	FUZZ_CHECK(size == length && memcmp(out, expected, size) == 0,
		   "terminal: not the input with controls as '?'");
	free(out);

	/* A block: "  " first and after each newline but a last one. */
	out = escaped(terminal_block, text, 0, &size);
	FUZZ_CHECK(!has_control(out, size, "\t\n"), "terminal block: a control");
	length = 0;
	if (clean_size) {
		char *lines = malloc(clean_size + 1);
		size_t kept;

		FUZZ_CHECK(lines, "out of memory");
		kept = with_controls_as(clean, '?', "\t\n", lines);
		expected = realloc(expected, 3 * kept + 4);
		FUZZ_CHECK(expected, "out of memory");
		memcpy(expected, "  ", 2);
		length = 2;
		for (size_t i = 0; i < kept; i++) {
			expected[length++] = lines[i];
			if (lines[i] == '\n' && i + 1 < kept) {
				memcpy(expected + length, "  ", 2);
				length += 2;
			}
		}
		if (lines[kept - 1] != '\n')
			expected[length++] = '\n';
		free(lines);
	}
	FUZZ_CHECK(size == length && memcmp(out, expected, size) == 0,
		   "terminal block: not the input's lines, indented");
	free(out);
	free(expected);
}

static void check_nagios(const char *text, const char *clean)
{
	size_t size;
	char *out = escaped(nagios_text, text, 0, &size);

	FUZZ_CHECK(!has_control(out, size, ""), "nagios: a control");
	FUZZ_CHECK(!memchr(out, '|', size), "nagios: a '|'");
	free(out);
	out = escaped(nagios_label, text, 0, &size);
	FUZZ_CHECK(!has_control(out, size, ""), "nagios label: a control");
	FUZZ_CHECK(!memchr(out, '|', size) && !memchr(out, '=', size),
		   "nagios label: '|' or '='");
	for (size_t i = 0; i < size; i++)
		if (out[i] == '\'') {
			FUZZ_CHECK(i + 1 < size && out[i + 1] == '\'',
				   "nagios label: a lone quote");
			i++;
		}
	(void)clean;
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	size_t clean_size;
	char *clean = utf8_sanitize((const unsigned char *)text, strlen(text),
				    &clean_size);

	FUZZ_CHECK(clean && strlen(clean) == clean_size, "utf8_sanitize");
	check_json(text, clean);
	check_xml(text, clean, 0);
	check_xml(text, clean, 1);
	check_prometheus(text, clean);
	check_yaml(text, clean);
	check_tap(text, clean);
	check_terminal(text, clean);
	check_nagios(text, clean);
	free(clean);
	free(text);
	return 0;
}
