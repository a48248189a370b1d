/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/* plugin_text: what a bin/buildout and a plugin say, parsed. */
#include "plugin_text.h"

#include <stdlib.h>
#include <string.h>

/* The next shell word of `line` (quotes as shlex takes them), or NULL. */
static char *next_word(const char **line)
{
	const char *at = *line + strspn(*line, " \t");
	char *word = malloc(strlen(at) + 1), *out = word;
	char quote = 0;

	if (!word || !*at || *at == '\n') {
		free(word);
		return NULL;
	}
	for (; *at && *at != '\n' && (quote || (*at != ' ' && *at != '\t'));
	     at++) {
		if (quote && *at == quote)
			quote = 0;
		else if (!quote && (*at == '\'' || *at == '"'))
			quote = *at;
		else if (*at == '\\' && quote != '\'' && at[1] && at[1] != '\n')
			*out++ = *++at;
		else
			*out++ = *at;
	}
	*out = '\0';
	*line = at;
	return word;
}

char *plugin_text_buildout_python(const char *head)
{
	const char *line = head + 2, *second;
	char *python, *exec_word;

	if (strncmp(head, "#!", 2) != 0)
		return NULL;
	python = next_word(&line);
	if (!python || strcmp(python, "/bin/sh") != 0)
		return python;
	second = strchr(head, '\n');
	if (!second)
		return python;
	second++;
	exec_word = next_word(&second);
	if (exec_word && strcmp(exec_word, "exec") == 0) {
		char *wrapped = next_word(&second);

		if (wrapped) {
			free(python);
			python = wrapped;
		}
	}
	free(exec_word);
	return python;
}

int plugin_text_path_list(const char *text, const char **at)
{
	const char *p = strstr(text, "sys.path[0:0]");

	if (!p)
		return -1;
	p += strlen("sys.path[0:0]");
	p += strspn(p, " \t");
	if (*p++ != '=')
		return -1;
	p += strspn(p, " \t");
	if (*p != '[' && *p != '(')
		return -1;
	*at = p + 1;
	return 0;
}

int plugin_text_next_string(const char **at, char *out, size_t size)
{
	const char *p = *at + strspn(*at, " \t\r\n,");
	char quote;
	size_t length = 0;

	if (*p == ']' || *p == ')')
		return 0;
	if (*p != '\'' && *p != '"')
		return -1;
	quote = *p++;
	for (; *p && *p != quote; p++) {
		if (*p == '\\' && p[1])
			p++;
		if (*p == '\n' || length + 1 >= size)
			return -1;
		out[length++] = *p;
	}
	if (*p != quote)
		return -1;
	out[length] = '\0';
	*at = p + 1;
	return 1;
}
