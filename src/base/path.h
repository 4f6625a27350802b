/* path.h - lexical path helpers: absolute and normalised paths, the
 * directory part, "is this path below that one", joining.
 *
 * Nothing here touches the file system: no symbolic link is resolved and no
 * path has to exist. An "absolute, normalised" path starts with '/', has no
 * "." or ".." component, no repeated '/' and no trailing '/' (except "/"
 * itself); ll_path_abs makes one.
 *
 * Ownership: functions returning char * return a malloc'd string the caller
 * frees; functions returning const char * return a pointer into their
 * argument. Inputs are borrowed. No state. */
#ifndef LL_PATH_H
#define LL_PATH_H

/* Absolute, lexically normalised path ('.', '..' and repeated '/' removed;
 * no symbolic link resolved) of `path` taken from `cwd` (absolute). ".."
 * above "/" stays at "/". malloc'd. */
char *ll_path_abs(const char *cwd, const char *path);
/* The directory part of an absolute normalised path ("/" for "/x" and for
 * "/"). malloc'd. */
char *ll_path_dirname(const char *abs);
/* The last component of a path (after the last '/'; the whole path when it
 * has none). Points into `path`. */
const char *ll_path_basename(const char *path);
/* When abs is base or below it: the rest after "base/" ("" for base
 * itself); otherwise NULL. Both absolute and normalised. Points into abs. */
const char *ll_path_below(const char *abs, const char *base);
/* dir + "/" + name, without doubling a '/' that ends dir ("/" + "x" is
 * "/x"). malloc'd. */
char *ll_path_join(const char *dir, const char *name);

#endif
