/* tmpdir.h - a temporary folder per test program (for real sqlite files),
 * removed with its files at the end. */
#ifndef LOTSE_TEST_TMPDIR_H
#define LOTSE_TEST_TMPDIR_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[64];

static void tmp_setup(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/lotse-store-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		exit(2);
	}
}

/* Removes the files in tmpdir (sqlite's db, -wal, -shm) and the folder. */
static void tmp_cleanup(void)
{
	DIR *dir = opendir(tmpdir);
	struct dirent *e;
	while (dir && (e = readdir(dir)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(dir), e->d_name, 0);
	if (dir)
		closedir(dir);
	rmdir(tmpdir);
}

#endif
