/* complain: one-line messages on standard error. */
#include "complain.h"

#include <stdarg.h>
#include <stdio.h>

void complain(const char *format, ...)
{
	va_list arguments;

	fputs("promise-run: ", stderr);
	va_start(arguments, format);
	vfprintf(stderr, format, arguments);
	va_end(arguments);
	fputc('\n', stderr);
}
