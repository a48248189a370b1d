/* atomic_file: write under a temporary name, then rename. */
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The process's umask, read without changing it for good. */
static mode_t current_umask(void)
{
	mode_t mask = umask(0);

	umask(mask);
	return mask;
}

int atomic_file_open(struct atomic_file *file, const char *path)
{
	char *copy = strdup(path);
	int fd;

	memset(file, 0, sizeof *file);
	if (!copy)
		return -1;
	file->path = strdup(path);
	if (!file->path ||
	    asprintf(&file->temp_path, "%s/" ATOMIC_FILE_TEMP_PREFIX "%s.XXXXXX",
		     dirname(copy), basename(file->path)) < 0) {
		file->temp_path = NULL;
		free(copy);
		atomic_file_discard(file);
		errno = ENOMEM;
		return -1;
	}
	free(copy);
	fd = mkostemp(file->temp_path, O_CLOEXEC);
	if (fd < 0) {
		free(file->temp_path);
		file->temp_path = NULL;
		atomic_file_discard(file);
		return -1;
	}
	/* mkostemp makes it 0600: give it the mode a plain creat would. */
	if (fchmod(fd, 0666 & ~current_umask()) < 0 ||
	    !(file->stream = fdopen(fd, "w"))) {
		close(fd);
		atomic_file_discard(file);
		return -1;
	}
	return 0;
}

int atomic_file_close(struct atomic_file *file, bool sync)
{
	FILE *stream = file->stream;
	int failed;

	file->stream = NULL;
	if (fflush(stream) == EOF) {
		failed = 1;
	} else if (ferror(stream)) {
		failed = 1;             /* an earlier write failed */
		errno = EIO;
	} else {
		failed = sync && fsync(fileno(stream)) < 0;
	}
	if (fclose(stream) == EOF)
		failed = 1;
	return failed ? -1 : 0;
}

int atomic_file_commit(struct atomic_file *file)
{
	if (rename(file->temp_path, file->path) < 0) {
		atomic_file_discard(file);
		return -1;
	}
	free(file->temp_path);
	file->temp_path = NULL;
	atomic_file_discard(file);
	return 0;
}

void atomic_file_discard(struct atomic_file *file)
{
	int saved = errno;

	if (file->stream)
		fclose(file->stream);
	if (file->temp_path)
		unlink(file->temp_path);
	free(file->temp_path);
	free(file->path);
	memset(file, 0, sizeof *file);
	errno = saved;
}

int atomic_file_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int status;

	if (fd < 0)
		return -1;
	status = fsync(fd);
	if (status < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}
