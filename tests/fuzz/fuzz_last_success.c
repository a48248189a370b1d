/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * fuzz_last_success: the reader of promise-run.last-success, which
 * belongs to the instance's user, on any bytes (an exact-size copy, with
 * no NUL after it, so that a read past the text is an overflow
 * AddressSanitizer reports).
 *
 * Checks: no crash; the entries are sorted by title, one per title, each
 * a positive time and a title without NUL or newline; last_success_of
 * finds each; a title is the later line's, against a reference reading
 * written again here; and a round trip: the entries formatted with
 * last_success_format read back as the same entries.
 */
#include <limits.h>
#include <string.h>

#include "fuzz_common.h"
#include "last_success.h"

/*
 * The reference: the time of the last line of `text` that reads as
 * "NUMBER TITLE" for `title` (strtoll's number, > 0), or 0.
 */
static long long reference_of(const char *text, size_t size,
                              const char *title)
{
	size_t length = strlen(title);
	long long when = 0;

	for (size_t start = 0, end; start < size; start = end + 1) {
		const char *newline = memchr(text + start, '\n', size - start);
		char line[4096 + 1], *after;   /* -max_len=4096 */
		size_t line_size;
		long long number;

		end = newline ? (size_t)(newline - text) : size;
		line_size = end - start;
		if (line_size >= sizeof line)
			line_size = sizeof line - 1;
		memcpy(line, text + start, line_size);
		line[line_size] = '\0';
		number = strtoll(line, &after, 10);
		if (after != line && number > 0 && *after == ' ' &&
		    strlen(after + 1) == length && memcmp(after + 1, title, length) == 0)
			when = number;
	}
	return when;
}

static void check_entries(const char *text, size_t size,
                          const struct last_success *entries, size_t count,
                          bool against_reference)
{
	for (size_t i = 0; i < count; i++) {
		const char *title = entries[i].title;

		FUZZ_CHECK(title[0] && !strchr(title, '\n'), "title \"%s\"", title);
		FUZZ_CHECK(entries[i].when > 0, "when %lld", entries[i].when);
		FUZZ_CHECK(i == 0 || strcmp(entries[i - 1].title, title) < 0,
			   "not sorted, or a title twice: \"%s\"", title);
		FUZZ_CHECK(last_success_of(entries, count, title) == entries[i].when,
			   "last_success_of \"%s\"", title);
		if (against_reference && strlen(title) < 4096)
			FUZZ_CHECK(reference_of(text, size, title) == entries[i].when,
				   "\"%s\": %lld, the reference %lld", title,
				   entries[i].when, reference_of(text, size, title));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_copy(data, size), *out = NULL;
	struct last_success *entries, *again;
	size_t count, count_again, out_size;
	FILE *stream;

	FUZZ_CHECK(last_success_parse(text, size, &entries, &count) == 0,
		   "last_success_parse");
	check_entries(text, size, entries, count, true);

	stream = open_memstream(&out, &out_size);
	FUZZ_CHECK(stream, "open_memstream");
	for (size_t i = 0; i < count; i++)
		FUZZ_CHECK(last_success_format(stream, entries[i].title,
					       entries[i].when) == 0,
			   "last_success_format");
	FUZZ_CHECK(fclose(stream) == 0, "fclose");
	FUZZ_CHECK(last_success_parse(out, out_size, &again, &count_again) == 0,
		   "last_success_parse of its own text");
	FUZZ_CHECK(count_again == count, "%zu entries read back as %zu", count,
		   count_again);
	for (size_t i = 0; i < count; i++)
		FUZZ_CHECK(strcmp(again[i].title, entries[i].title) == 0 &&
			   again[i].when == entries[i].when,
			   "\"%s\" does not read back", entries[i].title);
	last_success_free(again, count_again);
	last_success_free(entries, count);
	free(out);
	free(text);
	return 0;
}
