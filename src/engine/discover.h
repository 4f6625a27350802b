/* discover.h - turning the user's paths into the list of files to scan.
 *
 * Directories are walked iteratively (an explicit stack, LL_MAX_WALK_DEPTH
 * levels at most) in byte order of names, so the list is deterministic.
 * Walked files are *.py and *.pyi; a file named explicitly is scanned
 * whatever its name. Folders named .git, __pycache__, site-packages,
 * node_modules, .tox, .nox, .venv/venv/virtualenvs (any folder holding a
 * pyvenv.cfg) are skipped. Symbolic links to directories are not followed;
 * links to regular files are. A file reached twice (same device and inode)
 * is listed once.
 *
 * Ownership: the LLFileList owns its strings; ll_file_list_release frees
 * them. Problems (a missing path, an unreadable directory) are appended to
 * `errors` as messages naming the path; walking goes on. */
#ifndef LL_DISCOVER_H
#define LL_DISCOVER_H
#include "base/vec.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct LLFileEntry {
    char *path;    /* to open */
    char *display; /* to report */
} LLFileEntry;

typedef struct LLFileList {
    LL_VEC(LLFileEntry) files;
    LL_VEC(char *) errors;
} LLFileList;

void ll_discover(const char *const *paths, size_t npaths, LLFileList *out);
/* Adds one entry as is (stdin: path "-", display = the --stdin-filename). */
void ll_file_list_add(LLFileList *list, const char *path, const char *display);
void ll_file_list_release(LLFileList *list);

#endif
