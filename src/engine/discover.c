/* realpath() is XSI */
#define _XOPEN_SOURCE 700
#include "engine/discover.h"

#include "deps/judge.h"

#include "base/buf.h"
#include "base/limits.h"
#include "base/mem.h"
#include "base/strmap.h"
#include "base/text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const default_excludes[] = {
    ".git", "__pycache__", "site-packages", "node_modules", ".tox", ".nox", ".venv",
    "venv", ".hg", ".svn", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".loadlint_cache", NULL};

const char *const *ll_discover_default_excludes(void)
{
    return default_excludes;
}

typedef struct FileId {
    dev_t dev;
    ino_t ino;
} FileId;

/* One line of a .gitignore, ready for ll_glob_match. */
typedef struct IgnorePat {
    char *glob;
    unsigned line;
    bool negate, dir_only, anchored;
} IgnorePat;

/* The patterns of one ignore file. Frames chain to the outer ones through
 * `parent`; the repository root's first frame holds .git/info/exclude (maybe
 * nothing) and has parent -1, so a frame index >= 0 means "in a repository". */
typedef struct Frame {
    char *dir;  /* absolute directory the patterns are relative to */
    char *file; /* the ignore file, for notes */
    IgnorePat *pats;
    size_t npats;
    int parent;
} Frame;

typedef struct Walk {
    LLFileList *out;
    const LLDiscoverOptions *opts;
    LLConfigCache *configs;
    const char *cwd;
    LLError *err;
    /* files and directories already listed: open addressing on (dev, ino) */
    FileId *ids;
    size_t cap, count; /* cap: 0 or a power of two */
    LL_VEC(Frame) frames;
    LLStrMap chains;           /* absolute directory -> frame index + 2 */
    LL_VEC(char *) chain_keys; /* owns the keys */
    LL_VEC(char *) roots;      /* realpath of every named path */
    struct Deferred *deferred; /* symbolic links, followed after the walk */
    size_t ndeferred, deferred_cap;
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

static void add_msg(LLMessages *list, const char *path, const char *what)
{
    LLBuf b;
    ll_buf_init(&b);
    ll_buf_printf(&b, "%s: %s", path, what);
    LL_VEC_PUSH(list, ll_buf_detach(&b));
}

#define add_error(out, path, what) add_msg(&(out)->errors, (path), (what))

static void note(Walk *w, const char *display, const char *what)
{
    if (w->opts->verbose)
        add_msg(&w->out->notes, display, what);
}

/* One allocation per entry (the run keeps every entry to its end): path,
 * then display and abs unless they equal an earlier string. */
static void add_entry(LLFileList *list, const char *path, const char *display,
                      const char *abs, const LLSettings *settings, LLEntryKind kind)
{
    size_t np = strlen(path) + 1;
    bool own_display = strcmp(display, path) != 0;
    bool own_abs = abs && strcmp(abs, path) != 0 && strcmp(abs, display) != 0;
    size_t nd = own_display ? strlen(display) + 1 : 0, na = own_abs ? strlen(abs) + 1 : 0;
    char *block = ll_xmalloc(np + nd + na);
    LLFileEntry e = {block, block, NULL, settings, (uint8_t)kind};
    memcpy(block, path, np);
    if (own_display) {
        e.display = block + np;
        memcpy(e.display, display, nd);
    }
    if (own_abs) {
        e.abs = block + np + nd;
        memcpy(e.abs, abs, na);
    } else if (abs) {
        e.abs = strcmp(abs, path) == 0 ? e.path : e.display;
    }
    LL_VEC_PUSH(&list->files, e);
}

void ll_file_list_add(LLFileList *list, const char *path, const char *display)
{
    add_entry(list, path, display, NULL, NULL, LL_ENTRY_PYTHON);
}

void ll_file_list_add_entry(LLFileList *list, const char *path, const char *display,
                            const char *abs, const LLSettings *settings, LLEntryKind kind)
{
    add_entry(list, path, display, abs, settings, kind);
}

void ll_file_list_release(LLFileList *list)
{
    for (size_t i = 0; i < list->files.len; i++)
        free(list->files.items[i].path); /* the entry's one block */
    for (size_t i = 0; i < list->errors.len; i++)
        free(list->errors.items[i]);
    for (size_t i = 0; i < list->warnings.len; i++)
        free(list->warnings.items[i]);
    for (size_t i = 0; i < list->notes.len; i++)
        free(list->notes.items[i]);
    LL_VEC_FREE(&list->files);
    LL_VEC_FREE(&list->errors);
    LL_VEC_FREE(&list->warnings);
    LL_VEC_FREE(&list->notes);
}

static bool is_python_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 3 && strcmp(name + n - 3, ".py") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".pyi") == 0);
}

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

/* Whether directory `path` is tagged as a cache (bford.info/cachedir: a
 * CACHEDIR.TAG starting with the signature), as loadlint's own result
 * cache is, wherever --cache-dir puts it. */
static bool is_cache_dir(const char *path)
{
    static const char sig[] = "Signature: 8a477f597d28d172789f06886806bc55";
    char *tag = join(path, "CACHEDIR.TAG");
    int fd = open(tag, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
    free(tag);
    if (fd < 0)
        return false;
    char buf[sizeof sig - 1];
    size_t got = 0;
    while (got < sizeof buf) {
        ssize_t n = read(fd, buf + got, sizeof buf - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    return got == sizeof buf && memcmp(buf, sig, sizeof buf) == 0;
}

/* "default exclude" reason for a directory, or NULL. */
static const char *default_excluded(const char *path, const char *name)
{
    for (size_t i = 0; default_excludes[i]; i++)
        if (strcmp(name, default_excludes[i]) == 0)
            return "excluded by default";
    /* any virtualenv, whatever its name */
    char *cfg = join(path, "pyvenv.cfg");
    struct stat sb;
    bool venv = stat(cfg, &sb) == 0 && S_ISREG(sb.st_mode);
    free(cfg);
    if (venv)
        return "a virtual environment (holds pyvenv.cfg); excluded by default";
    return is_cache_dir(path) ? "a cache directory (holds CACHEDIR.TAG); excluded by default" : NULL;
}

/* ------------------------------------------------------------------------
 * .gitignore
 * ------------------------------------------------------------------------ */

/* Turns one .gitignore line into a pattern; false for blanks and comments. */
static bool parse_ignore_line(char *line, unsigned lineno, IgnorePat *out)
{
    size_t n = strlen(line);
    if (n && line[n - 1] == '\r')
        line[--n] = '\0';
    if (!n || line[0] == '#')
        return false;
    /* trailing blanks go, unless escaped with a backslash */
    while (n && (line[n - 1] == ' ' || line[n - 1] == '\t') && !(n >= 2 && line[n - 2] == '\\'))
        line[--n] = '\0';
    const char *p = line;
    bool negate = false;
    if (*p == '!') {
        negate = true;
        p++;
    } else if (p[0] == '\\' && (p[1] == '#' || p[1] == '!')) {
        p++;
    }
    n = strlen(p);
    bool dir_only = false;
    while (n && p[n - 1] == '/' && !(n >= 2 && p[n - 2] == '\\')) {
        dir_only = true;
        n--;
    }
    if (!n)
        return false;
    bool anchored = memchr(p, '/', n) != NULL;
    if (*p == '/') {
        p++;
        n--;
    }
    if (!n)
        return false;
    /* backslash escapes become one-character classes for ll_glob_match */
    LLBuf g;
    ll_buf_init(&g);
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\\' && i + 1 < n) {
            ll_buf_printf(&g, "[%c]", p[i + 1]);
            i++;
        } else if (p[i] != '\\') {
            ll_buf_putc(&g, p[i]);
        }
    }
    out->glob = ll_buf_detach(&g);
    out->line = lineno;
    out->negate = negate;
    out->dir_only = dir_only;
    out->anchored = anchored;
    return true;
}

/* Reads an ignore file into frame f; false when there is no such file. */
static bool read_ignore_file(Walk *w, const char *path, Frame *f)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return false;
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return false;
    }
    if ((uint64_t)sb.st_size > LL_MAX_IGNORE_FILE_BYTES) {
        close(fd);
        LLBuf b;
        ll_buf_init(&b);
        ll_buf_printf(&b, "larger than %u bytes; its patterns are not used", LL_MAX_IGNORE_FILE_BYTES);
        add_msg(&w->out->warnings, path, b.data);
        ll_buf_release(&b);
        return false;
    }
    LLBuf text;
    ll_buf_init(&text);
    char chunk[8192];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || text.len + (size_t)n > LL_MAX_IGNORE_FILE_BYTES)
            break;
        ll_buf_append(&text, chunk, (size_t)n);
    }
    close(fd);
    LL_VEC(IgnorePat) pats = {0};
    unsigned lineno = 0;
    for (size_t pos = 0; pos < text.len;) {
        char *line = text.data + pos;
        char *e = memchr(line, '\n', text.len - pos);
        size_t n = e ? (size_t)(e - line) : text.len - pos;
        line[n] = '\0'; /* the newline, or the buffer's own NUL */
        lineno++;
        IgnorePat pat;
        if (parse_ignore_line(line, lineno, &pat))
            LL_VEC_PUSH(&pats, pat);
        pos += n + 1;
    }
    ll_buf_release(&text);
    f->pats = pats.items;
    f->npats = pats.len;
    return true;
}

static int push_frame(Walk *w, const char *dir, const char *file, int parent, bool always)
{
    const char *rel = ll_path_below(file, w->cwd);
    Frame f = {ll_xstrdup(dir), ll_xstrdup(rel && *rel ? rel : file), NULL, 0, parent};
    if (!read_ignore_file(w, file, &f) && !always) {
        free(f.dir);
        free(f.file);
        return parent;
    }
    LL_VEC_PUSH(&w->frames, f);
    return (int)w->frames.len - 1;
}

static bool has_git(const char *dir)
{
    char *p = join(dir, ".git");
    struct stat sb;
    bool yes = lstat(p, &sb) == 0;
    free(p);
    return yes;
}

/* The frames of a repository whose root is `dir`: .git/info/exclude, then
 * the root's .gitignore. */
static int repo_frames(Walk *w, const char *dir)
{
    char *info = join(dir, ".git/info/exclude");
    int f = push_frame(w, dir, info, -1, true);
    free(info);
    char *gi = join(dir, ".gitignore");
    f = push_frame(w, dir, gi, f, false);
    free(gi);
    return f;
}

/* Frames for a directory met while walking, below a directory whose frame
 * is `parent`. */
static int enter_dir(Walk *w, int parent, const char *abs)
{
    if (has_git(abs))
        return repo_frames(w, abs);
    if (parent < 0)
        return -1;
    char *gi = join(abs, ".gitignore");
    int f = push_frame(w, abs, gi, parent, false);
    free(gi);
    return f;
}

static void chain_remember(Walk *w, char *dir, int frame)
{
    LL_VEC_PUSH(&w->chain_keys, dir);
    ll_strmap_put(&w->chains, dir, strlen(dir), frame + 2);
}

/* The frames that apply inside `abs`, from the repository root down (-1:
 * not in a repository). Cached per directory. */
static int chain_for(Walk *w, const char *abs)
{
    LL_VEC(char *) todo = {0}; /* directories from abs upwards */
    char *cur = ll_xstrdup(abs);
    int frame = -1;
    for (;;) {
        intptr_t v;
        if (ll_strmap_get(&w->chains, cur, strlen(cur), &v)) {
            frame = (int)v - 2;
            free(cur);
            break;
        }
        if (has_git(cur)) {
            frame = repo_frames(w, cur);
            chain_remember(w, cur, frame);
            break;
        }
        LL_VEC_PUSH(&todo, cur);
        if (strcmp(cur, "/") == 0) {
            frame = -1;
            break;
        }
        cur = ll_path_dirname(cur);
    }
    for (size_t i = todo.len; i-- > 0;) {
        if (frame >= 0) {
            char *gi = join(todo.items[i], ".gitignore");
            frame = push_frame(w, todo.items[i], gi, frame, false);
            free(gi);
        }
        chain_remember(w, todo.items[i], frame);
    }
    LL_VEC_FREE(&todo);
    return frame;
}

/* Whether git ignores `abs` (a directory when is_dir) given the frames
 * `frame`; the reason is appended to `why`. */
static bool gitignored(const Walk *w, int frame, const char *abs, bool is_dir, LLBuf *why)
{
    for (int fi = frame; fi >= 0; fi = w->frames.items[fi].parent) {
        const Frame *f = &w->frames.items[fi];
        const char *rel = ll_path_below(abs, f->dir);
        if (!rel || !*rel)
            continue;
        const char *slash = strrchr(rel, '/');
        const char *base = slash ? slash + 1 : rel;
        for (size_t j = f->npats; j-- > 0;) {
            const IgnorePat *p = &f->pats[j];
            if (p->dir_only && !is_dir)
                continue;
            if (!ll_glob_match(p->glob, p->anchored ? rel : base))
                continue;
            if (p->negate)
                return false;
            ll_buf_printf(why, "ignored by git (%s:%u)", f->file, p->line);
            return true;
        }
    }
    return false;
}

/* ------------------------------------------------------------------------
 * Excludes
 * ------------------------------------------------------------------------ */

static void glob_reason(LLBuf *why, const LLSettings *s, const LLGlob *g)
{
    ll_buf_printf(why, "matches the exclude pattern \"%s\" (%s)", g->pattern,
                  s->config_path && strcmp(g->base, s->root) == 0 ? s->config_path
                                                                  : "command line");
}

/* Why a walked entry is left out (appended to why), or false. */
static bool walked_excluded(const Walk *w, const LLSettings *s, int frame, const char *path,
                            const char *name, const char *abs, bool is_dir, LLBuf *why)
{
    const char *r;
    if (is_dir && (r = default_excluded(path, name))) {
        ll_buf_puts(why, r);
        return true;
    }
    const LLGlob *g = ll_settings_excluded(s, abs);
    if (g) {
        glob_reason(why, s, g);
        return true;
    }
    return s->respect_gitignore && frame >= 0 && gitignored(w, frame, abs, is_dir, why);
}

/* Why a path named on the command line is excluded (--force-exclude):
 * its settings' globs, default excludes and .gitignore, for the path and
 * the directories above it. */
static bool named_excluded(Walk *w, const LLSettings *s, const char *abs, bool is_dir, LLBuf *why)
{
    const LLGlob *g = ll_settings_excluded(s, abs);
    if (g) {
        glob_reason(why, s, g);
        return true;
    }
    /* default excludes: directories below the settings' root */
    const char *rel = ll_path_below(abs, s->root);
    if (!rel)
        rel = ll_path_below(abs, w->cwd);
    bool hit = false;
    if (rel && *rel) {
        LLBuf dir;
        ll_buf_init(&dir);
        ll_buf_append(&dir, abs, (size_t)(rel - abs));
        for (const char *p = rel; *p && !hit;) {
            const char *e = strchr(p, '/');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            if (!e && !is_dir)
                break;
            if (dir.len && dir.data[dir.len - 1] != '/')
                ll_buf_putc(&dir, '/');
            ll_buf_append(&dir, p, n);
            char *name = ll_xstrndup(p, n);
            const char *r = default_excluded(dir.data, name);
            free(name);
            if (r) {
                ll_buf_printf(why, "%s (%s)", r, dir.data);
                hit = true;
            }
            p += n;
            if (*p == '/')
                p++;
        }
        ll_buf_release(&dir);
    }
    if (hit || !s->respect_gitignore)
        return hit;
    /* .gitignore: every directory above, from the top, then the path */
    LL_VEC(char *) up = {0};
    char *cur = ll_xstrdup(abs);
    while (strcmp(cur, "/") != 0) {
        LL_VEC_PUSH(&up, cur);
        cur = ll_path_dirname(cur);
    }
    free(cur);
    for (size_t i = up.len; i-- > 0 && !hit;) {
        char *parent = ll_path_dirname(up.items[i]);
        int frame = chain_for(w, parent);
        free(parent);
        hit = frame >= 0 && gitignored(w, frame, up.items[i], i > 0 || is_dir, why);
    }
    for (size_t i = 0; i < up.len; i++)
        free(up.items[i]);
    LL_VEC_FREE(&up);
    return hit;
}

static bool inside_roots(const Walk *w, const char *real)
{
    for (size_t i = 0; i < w->roots.len; i++)
        if (ll_path_below(real, w->roots.items[i]))
            return true;
    return false;
}

/* ------------------------------------------------------------------------
 * The walk
 * ------------------------------------------------------------------------ */

typedef struct Dir {
    char *path;    /* to open */
    char *display; /* to report */
    char *abs;
    unsigned depth;
    int frame; /* of the parent, until the directory is entered */
    bool root;
} Dir;

/* A symbolic link met while walking, to a file or directory inside the
 * named paths. Links are followed after everything else, so that a target
 * reached both ways is listed under its real path. */
typedef struct Deferred {
    Dir dir; /* depth and frame as for a subdirectory */
    const LLSettings *settings;
    bool is_dir;
} Deferred;

static void dir_free(Dir *d)
{
    free(d->path);
    free(d->display);
    free(d->abs);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walks the directory `first` (taking its strings). */
static LLStatus walk_dir(Walk *w, Dir first)
{
    LL_VEC(Dir) stack = {0};
    LL_VEC_PUSH(&stack, first);
    LLStatus st = LL_OK;
    LLBuf why;
    ll_buf_init(&why);
    while (stack.len && st == LL_OK) {
        Dir d = stack.items[--stack.len];
        const LLSettings *s;
        st = ll_config_for_dir(w->configs, d.abs, &s, w->err);
        if (st != LL_OK) {
            dir_free(&d);
            break;
        }
        int frame = d.root ? chain_for(w, d.abs) : enter_dir(w, d.frame, d.abs);
        DIR *dh = opendir(d.path);
        if (!dh) {
            add_error(w->out, d.display, strerror(errno));
            dir_free(&d);
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
            const char *name = names.items[i];
            char *path = join(d.path, name);
            char *display = join(d.display, name);
            char *abs = join(d.abs, name);
            struct stat lsb, sb;
            bool python = is_python_name(name);
            bool keep = false;
            ll_buf_reset(&why);
            if (lstat(path, &lsb) != 0) {
                add_error(w->out, display, strerror(errno));
                goto next;
            }
            bool link = S_ISLNK(lsb.st_mode);
            sb = lsb;
            if (link && stat(path, &sb) != 0) {
                if (python && errno == ELOOP)
                    add_error(w->out, display, "symbolic link loop; not scanned");
                else if (python)
                    add_error(w->out, display, "dangling symbolic link; not scanned");
                goto next;
            }
            bool is_dir = S_ISDIR(sb.st_mode);
            if (!is_dir && !python &&
                (!(w->opts->artifacts || ll_deps_judge_is_dependency_name(name)) || !S_ISREG(sb.st_mode)))
                goto next; /* other files: only regular ones, for the model-file analyzer
                            * or as dependency files (engine/versions.h) */
            if (!is_dir && !S_ISREG(sb.st_mode)) {
                /* a FIFO or device named *.py is a problem; a link to one
                 * (like -> /dev/null) is no source file */
                if (link)
                    note(w, display, "symbolic link to something neither a file nor a directory; not followed");
                else
                    add_error(w->out, display, "not a regular file; not scanned");
                goto next;
            }
            if (walked_excluded(w, s, frame, path, name, abs, is_dir, &why)) {
                note(w, display, why.data);
                goto next;
            }
            if (link) {
                char *real = realpath(path, NULL);
                bool inside = real && inside_roots(w, real);
                if (!inside) {
                    ll_buf_printf(&why, "symbolic link to %s, outside the scanned paths; not followed",
                                  real ? real : "an unreadable target");
                    note(w, display, why.data);
                }
                free(real);
                if (!inside)
                    goto next;
                if (w->ndeferred == w->deferred_cap) {
                    w->deferred_cap = ll_grow_cap(w->deferred_cap, w->ndeferred + 1);
                    w->deferred = ll_xrealloc(w->deferred, w->deferred_cap * sizeof *w->deferred);
                }
                Deferred later = {{path, display, abs, d.depth + 1, frame, false}, s, is_dir};
                w->deferred[w->ndeferred++] = later;
                path = display = abs = NULL;
                goto next;
            }
            if (is_dir) {
                if (d.depth + 1 >= LL_MAX_WALK_DEPTH) {
                    add_error(w->out, display, "directory nesting is deeper than the walk limit; not scanned");
                } else if (!seen_before(w, &sb)) {
                    Dir sd = {path, display, abs, d.depth + 1, frame, false};
                    LL_VEC_PUSH(&subdirs, sd);
                    path = display = abs = NULL;
                } else {
                    note(w, display, "already scanned (same directory reached twice)");
                }
            } else {
                keep = !seen_before(w, &sb);
                if (!keep)
                    note(w, display, "already scanned (same file reached twice)");
            }
        next:
            if (keep)
                add_entry(w->out, path, display, abs, s, python ? LL_ENTRY_PYTHON : LL_ENTRY_OTHER);
            free(path);
            free(display);
            free(abs);
            free(names.items[i]);
        }
        LL_VEC_FREE(&names);
        for (size_t i = subdirs.len; i-- > 0;)
            LL_VEC_PUSH(&stack, subdirs.items[i]);
        LL_VEC_FREE(&subdirs);
        dir_free(&d);
    }
    for (size_t i = 0; i < stack.len; i++)
        dir_free(&stack.items[i]);
    LL_VEC_FREE(&stack);
    ll_buf_release(&why);
    return st;
}

static LLStatus discover_stdin(Walk *w)
{
    const char *name = w->opts->stdin_name;
    char *abs = name ? ll_path_abs(w->cwd, name) : NULL;
    char *dir = abs ? ll_path_dirname(abs) : ll_xstrdup(w->cwd);
    const LLSettings *s;
    LLStatus st = ll_config_for_dir(w->configs, dir, &s, w->err);
    if (st == LL_OK) {
        LLBuf why;
        ll_buf_init(&why);
        if (abs && w->opts->force_exclude && named_excluded(w, s, abs, false, &why))
            note(w, name, why.data);
        else
            add_entry(w->out, "-", name ? name : "<stdin>", abs, s, LL_ENTRY_PYTHON);
        ll_buf_release(&why);
    }
    free(abs);
    free(dir);
    return st;
}

LLStatus ll_discover_ex(const char *const *paths, size_t npaths,
                        const LLDiscoverOptions *opts, LLFileList *out, LLError *err)
{
    LLDiscoverOptions defaults_opts = {0};
    LLOverrides ov;
    ll_settings_overrides_init(&ov);
    ov.isolated = true;
    if (!opts)
        opts = &defaults_opts;
    LLConfigCache *own = NULL;
    LLConfigCache *configs = opts->configs;
    if (!configs) {
        LLStatus st = ll_config_cache_new(&own, &ov, err);
        if (st != LL_OK)
            return st;
        configs = own;
    }
    Walk w = {0};
    w.out = out;
    w.opts = opts;
    w.configs = configs;
    w.cwd = ll_config_cache_cwd(configs);
    w.err = err;
    ll_strmap_init(&w.chains);
    for (size_t i = 0; i < npaths; i++) {
        char *real = NULL;
        if (strcmp(paths[i], "-") != 0)
            real = realpath(paths[i], NULL);
        if (real)
            LL_VEC_PUSH(&w.roots, real);
    }
    LLStatus st = LL_OK;
    size_t first_entry = out->files.len;
    LLBuf why;
    ll_buf_init(&why);
    for (size_t i = 0; i < npaths && st == LL_OK; i++) {
        const char *p = paths[i];
        if (strcmp(p, "-") == 0) {
            st = discover_stdin(&w);
            continue;
        }
        struct stat sb;
        if (stat(p, &sb) != 0) {
            add_error(out, p, errno == ENOENT ? "no such file or directory" : strerror(errno));
            continue;
        }
        if (!S_ISDIR(sb.st_mode) && !S_ISREG(sb.st_mode)) {
            add_error(out, p, "not a regular file or directory; not scanned");
            continue;
        }
        char *abs = ll_path_abs(w.cwd, p);
        char *parent = ll_path_dirname(abs);
        const LLSettings *s;
        st = ll_config_for_dir(configs, S_ISDIR(sb.st_mode) ? abs : parent, &s, err);
        const LLSettings *ps = s;
        if (st == LL_OK && S_ISDIR(sb.st_mode) && opts->force_exclude)
            st = ll_config_for_dir(configs, parent, &ps, err);
        ll_buf_reset(&why);
        if (st != LL_OK) {
            /* stop */
        } else if (opts->force_exclude && named_excluded(&w, ps, abs, S_ISDIR(sb.st_mode), &why)) {
            note(&w, p, why.data);
        } else if (seen_before(&w, &sb)) {
            note(&w, p, "already scanned (named twice)");
        } else if (S_ISDIR(sb.st_mode)) {
            Dir root = {ll_xstrdup(p), ll_xstrdup(p), ll_xstrdup(abs), 0, -1, true};
            st = walk_dir(&w, root);
        } else {
            const char *base = strrchr(p, '/');
            add_entry(out, p, p, abs, s,
                      is_python_name(base ? base + 1 : p) ? LL_ENTRY_PYTHON : LL_ENTRY_NAMED);
        }
        free(abs);
        free(parent);
    }
    /* then the symbolic links (walking one may defer more) */
    for (size_t i = 0; i < w.ndeferred; i++) {
        Deferred later = w.deferred[i];
        struct stat sb;
        if (st != LL_OK || stat(later.dir.path, &sb) != 0) {
            dir_free(&later.dir);
        } else if (seen_before(&w, &sb)) {
            note(&w, later.dir.display, "symbolic link to a path already scanned");
            dir_free(&later.dir);
        } else if (!later.is_dir) {
            const char *base = strrchr(later.dir.path, '/');
            add_entry(out, later.dir.path, later.dir.display, later.dir.abs, later.settings,
                      is_python_name(base ? base + 1 : later.dir.path) ? LL_ENTRY_PYTHON
                                                                       : LL_ENTRY_OTHER);
            dir_free(&later.dir);
        } else if (later.dir.depth >= LL_MAX_WALK_DEPTH) {
            add_error(out, later.dir.display, "directory nesting is deeper than the walk limit; not scanned");
            dir_free(&later.dir);
        } else {
            st = walk_dir(&w, later.dir);
        }
    }
    free(w.deferred);
    ll_buf_release(&why);
    for (size_t i = 0; i < w.frames.len; i++) {
        Frame *f = &w.frames.items[i];
        for (size_t j = 0; j < f->npats; j++)
            free(f->pats[j].glob);
        free(f->pats);
        free(f->dir);
        free(f->file);
    }
    LL_VEC_FREE(&w.frames);
    for (size_t i = 0; i < w.chain_keys.len; i++)
        free(w.chain_keys.items[i]);
    LL_VEC_FREE(&w.chain_keys);
    ll_strmap_release(&w.chains);
    for (size_t i = 0; i < w.roots.len; i++)
        free(w.roots.items[i]);
    LL_VEC_FREE(&w.roots);
    free(w.ids);
    if (own) /* its settings go with it: entries fall back to the defaults */
        for (size_t i = first_entry; i < out->files.len; i++)
            out->files.items[i].settings = NULL;
    ll_config_cache_free(own);
    ll_settings_overrides_release(&ov);
    return st;
}

void ll_discover(const char *const *paths, size_t npaths, LLFileList *out)
{
    LLError err;
    if (ll_discover_ex(paths, npaths, NULL, out, &err) != LL_OK) {
        char msg[LL_ERROR_MSG_MAX + LL_ERROR_FILE_MAX + 8];
        ll_error_format(&err, msg, sizeof msg);
        LL_VEC_PUSH(&out->errors, ll_xstrdup(msg));
    }
}
