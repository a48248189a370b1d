/*
 * scan: a promise folder to the sorted list of its promises and of the
 * entries that are not promises, with the reason each is skipped.
 *
 * Lifecycle: scan_dir fills a struct promise_list, scan_free releases it.
 */
#ifndef PROMISE_RUN_SCAN_H
#define PROMISE_RUN_SCAN_H

#include <stddef.h>
#include <sys/types.h>

struct credentials;

/* No promise has the same title as this one. */
#define SCAN_TITLE_UNIQUE ((size_t)-1)

/* Who may do what with a promise file: what a refusal needs of its stat. */
struct file_mode {
	mode_t mode;
	uid_t owner;
	gid_t group;
};

struct promise {
	char *name;             /* file name in the promise folder */
	char *title;            /* name without its last extension */
	size_t same_title_as;   /* index of an earlier promise of that title */
	struct file_mode file;  /* of the file (links followed) */
};

enum skip_reason {
	SKIP_NOT_EXECUTABLE,
	SKIP_NOT_REGULAR_FILE,
	SKIP_DANGLING_LINK,
	SKIP_UNREADABLE,
};

struct skipped_entry {
	char *name;
	enum skip_reason reason;
};

struct promise_list {
	struct promise *promises;       /* sorted by name, byte-wise */
	size_t count;
	struct skipped_entry *skipped;  /* sorted by name, byte-wise */
	size_t skipped_count;
};

/*
 * Lists the promise folder `dir`.  Whether a file is executable is asked
 * of the kernel for promise-run's own user, or decided by the mode bits
 * for `runner`, the other user the promises will run as (NULL: none).  A
 * folder that does not exist gives an empty list.  Returns 0, or -1 with
 * errno when the folder cannot be read (ENOTDIR, EACCES, ENOMEM, ...); the
 * list is then empty.
 */
int scan_dir(const char *dir, const struct credentials *runner,
             struct promise_list *list);

void scan_free(struct promise_list *list);

/* The absolute path of `promise` in the promise folder `dir`; malloc'd. */
char *scan_promise_path(const char *dir, const struct promise *promise);

/* The title of a promise file name, as slapgrid makes it; malloc'd. */
char *scan_title(const char *name);

/* The words that say why an entry is skipped ("not executable"). */
const char *scan_skip_reason_text(enum skip_reason reason);

#endif
