#include "engine/discover.h"

#include "base/buf.h"
#include "base/limits.h"
#include "base/mem.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct FileId {
    dev_t dev;
    ino_t ino;
} FileId;

/* Files and directories already listed: an open-addressing set of
 * (device, inode). */
typedef struct Walk {
    LLFileList *out;
    FileId *ids;
    size_t cap, count; /* cap: 0 or a power of two */
} Walk;

static size_t id_hash(const FileId *id)
{
    uint64_t h = (uint64_t)id->ino * 0x9E3779B97F4A7C15ull ^ (uint64_t)id->dev;
    return (size_t)(h ^ (h >> 29));
}

static bool seen_before(Walk *w, const struct stat *sb)
{
    if ((w->count + 1) * 2 > w->cap) {
        size_t oldcap = w->cap;
        FileId *old = w->ids;
        w->cap = oldcap ? oldcap * 2 : 256;
        w->ids = ll_xcalloc(w->cap, sizeof *w->ids);
        for (size_t i = 0; i < oldcap; i++) {
            if (!old[i].ino && !old[i].dev)
                continue;
            size_t j = id_hash(&old[i]) & (w->cap - 1);
            while (w->ids[j].ino || w->ids[j].dev)
                j = (j + 1) & (w->cap - 1);
            w->ids[j] = old[i];
        }
        free(old);
    }
    FileId id = {sb->st_dev, sb->st_ino};
    size_t j = id_hash(&id) & (w->cap - 1);
    while (w->ids[j].ino || w->ids[j].dev) {
        if (w->ids[j].ino == id.ino && w->ids[j].dev == id.dev)
            return true;
        j = (j + 1) & (w->cap - 1);
    }
    w->ids[j] = id;
    w->count++;
    return false;
}

static void add_error(LLFileList *out, const char *path, const char *what)
{
    LLBuf b;
    ll_buf_init(&b);
    ll_buf_printf(&b, "%s: %s", path, what);
    LL_VEC_PUSH(&out->errors, ll_buf_detach(&b));
}

void ll_file_list_add(LLFileList *list, const char *path, const char *display)
{
    LLFileEntry e = {ll_xstrdup(path), ll_xstrdup(display)};
    LL_VEC_PUSH(&list->files, e);
}

void ll_file_list_release(LLFileList *list)
{
    for (size_t i = 0; i < list->files.len; i++) {
        free(list->files.items[i].path);
        free(list->files.items[i].display);
    }
    for (size_t i = 0; i < list->errors.len; i++)
        free(list->errors.items[i]);
    LL_VEC_FREE(&list->files);
    LL_VEC_FREE(&list->errors);
}

static bool is_python_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 3 && strcmp(name + n - 3, ".py") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".pyi") == 0);
}

static bool skipped_dir(const char *path, const char *name)
{
    static const char *const names[] = {".git", "__pycache__", "site-packages",
                                        "node_modules", ".tox", ".nox", ".venv",
                                        "venv", ".hg", ".svn", ".mypy_cache",
                                        ".pytest_cache", ".ruff_cache"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    /* any virtualenv, whatever its name */
    LLBuf b;
    ll_buf_init(&b);
    ll_buf_printf(&b, "%s/pyvenv.cfg", path);
    struct stat sb;
    bool venv = stat(b.data, &sb) == 0 && S_ISREG(sb.st_mode);
    ll_buf_release(&b);
    return venv;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct Dir {
    char *path;    /* to open */
    char *display; /* to report */
    unsigned depth;
} Dir;

static char *join(const char *dir, const char *name)
{
    LLBuf b;
    ll_buf_init(&b);
    if (strcmp(dir, ".") == 0)
        ll_buf_puts(&b, name);
    else
        ll_buf_printf(&b, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
    return ll_buf_detach(&b);
}

static void walk_dir(Walk *w, const char *root_path, const char *root_display)
{
    LL_VEC(Dir) stack = {0};
    Dir first = {ll_xstrdup(root_path), ll_xstrdup(root_display), 0};
    LL_VEC_PUSH(&stack, first);
    while (stack.len) {
        Dir d = stack.items[--stack.len];
        DIR *dh = opendir(d.path);
        if (!dh) {
            add_error(w->out, d.display, strerror(errno));
            free(d.path);
            free(d.display);
            continue;
        }
        LL_VEC(char *) names = {0};
        struct dirent *e;
        while ((e = readdir(dh))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            LL_VEC_PUSH(&names, ll_xstrdup(e->d_name));
        }
        closedir(dh);
        qsort(names.items, names.len, sizeof *names.items, cmp_name);
        /* files in order now; subdirectories pushed in reverse so that they
         * pop in order: the result is a sorted pre-order listing */
        LL_VEC(Dir) subdirs = {0};
        for (size_t i = 0; i < names.len; i++) {
            char *path = join(d.path, names.items[i]);
            char *display = join(d.display, names.items[i]);
            struct stat lsb, sb;
            bool keep = false;
            if (lstat(path, &lsb) != 0) {
                add_error(w->out, display, strerror(errno));
            } else if (S_ISDIR(lsb.st_mode)) {
                if (!skipped_dir(path, names.items[i])) {
                    if (d.depth + 1 >= LL_MAX_WALK_DEPTH) {
                        add_error(w->out, display, "directory nesting is deeper than the walk limit; not scanned");
                    } else if (!seen_before(w, &lsb)) {
                        Dir sd = {path, display, d.depth + 1};
                        LL_VEC_PUSH(&subdirs, sd);
                        path = display = NULL;
                    }
                }
            } else if (is_python_name(names.items[i])) {
                if (S_ISLNK(lsb.st_mode)) {
                    if (stat(path, &sb) != 0)
                        add_error(w->out, display, "dangling symbolic link; not scanned");
                    else if (!S_ISREG(sb.st_mode))
                        ; /* a link to a directory or device: not a source file */
                    else
                        keep = !seen_before(w, &sb);
                } else if (S_ISREG(lsb.st_mode)) {
                    keep = !seen_before(w, &lsb);
                } else {
                    add_error(w->out, display, "not a regular file; not scanned");
                }
            }
            if (keep)
                ll_file_list_add(w->out, path, display);
            free(path);
            free(display);
            free(names.items[i]);
        }
        LL_VEC_FREE(&names);
        for (size_t i = subdirs.len; i-- > 0;)
            LL_VEC_PUSH(&stack, subdirs.items[i]);
        LL_VEC_FREE(&subdirs);
        free(d.path);
        free(d.display);
    }
    LL_VEC_FREE(&stack);
}

void ll_discover(const char *const *paths, size_t npaths, LLFileList *out)
{
    Walk w = {out, NULL, 0, 0};
    for (size_t i = 0; i < npaths; i++) {
        const char *p = paths[i];
        struct stat sb;
        if (stat(p, &sb) != 0) {
            add_error(out, p, errno == ENOENT ? "no such file or directory" : strerror(errno));
            continue;
        }
        if (S_ISDIR(sb.st_mode)) {
            if (!seen_before(&w, &sb))
                walk_dir(&w, p, p);
        } else if (S_ISREG(sb.st_mode)) {
            if (!seen_before(&w, &sb))
                ll_file_list_add(out, p, p);
        } else {
            add_error(out, p, "not a regular file or directory; not scanned");
        }
    }
    free(w.ids);
}
