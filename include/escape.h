/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * escape: writing any string into each report format.  Every function
 * first replaces ill-formed UTF-8 with U+FFFD, so that a file name of any
 * bytes gives a valid document.  They return 0, or -1 with errno ENOMEM.
 */
#ifndef PROMISE_RUN_ESCAPE_H
#define PROMISE_RUN_ESCAPE_H

#include <stdio.h>

/* A JSON string, quotes included; null for NULL. */
int escape_json(FILE *out, const char *text);

/*
 * XML character data, or an attribute value (quotes not included) when
 * `attribute` is set; characters XML 1.0 forbids are dropped.
 */
int escape_xml(FILE *out, const char *text, int attribute);

/* A Prometheus label value, quotes not included. */
int escape_prometheus_label(FILE *out, const char *text);

/*
 * A YAML double-quoted scalar that TAP::Parser's YAMLish reads back:
 * controls (C0, DEL and C1) as \xHH, U+FFFE and U+FFFF as U+FFFD.
 * U+2028 and U+2029 stay as they are: printable in YAML 1.2, and no line
 * break to YAMLish.
 */
int escape_yaml(FILE *out, const char *text);

/*
 * A TAP test point description: one line (controls as spaces), no
 * directive-starting '#'.
 */
int escape_tap_description(FILE *out, const char *text);

/*
 * Text for a terminal, where an escape sequence would act: every control
 * (C0, DEL and C1) shows as '?'.  With `indent`, the text is a block of
 * lines, each written after `indent` and ended by a newline, tabs kept;
 * without, one line.
 */
int escape_terminal(FILE *out, const char *text, const char *indent);

/* escape_terminal of one line, as a malloc'd string; NULL when out of memory. */
char *escape_terminal_string(const char *text);

/* Text on a monitoring plugin's lines: one line, '|' as U+00A6, controls '?'. */
int escape_nagios_text(FILE *out, const char *text);

/*
 * A perfdata label, quotes not included: a quote doubled; '=', '|' and
 * controls as '_'.
 */
int escape_nagios_label(FILE *out, const char *text);

#endif
