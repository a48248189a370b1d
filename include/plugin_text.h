/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The promise-run authors */
/*
 * plugin_text: what the files that lead to slapos.core's runner say, read
 * as slapgrid and the runner read them.  Pure functions over text the
 * instance user wrote: any bytes are taken.
 */
#ifndef PROMISE_RUN_PLUGIN_TEXT_H
#define PROMISE_RUN_PLUGIN_TEXT_H

#include <stddef.h>

/*
 * slapgrid's getPythonExecutableFromSoftwarePath on the head of a
 * bin/buildout: "#!PYTHON ...", or "#!/bin/sh" and then "exec PYTHON
 * ..." (words split as shlex splits them).  malloc'd, or NULL: none.
 */
char *plugin_text_buildout_python(const char *head);

/*
 * The "sys.path[0:0] = [" list of a plugin's text: *at just inside it;
 * 0, or -1 when there is none.
 */
int plugin_text_path_list(const char *text, const char **at);

/*
 * The next string literal of that list into `out` (`size` bytes): 1,
 * 0 at the list's end, -1 when it is not a list of strings.
 */
int plugin_text_next_string(const char **at, char *out, size_t size);

#endif
