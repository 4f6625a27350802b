/* parse_only.c - the parser's floor for the benchmark (bench/run.sh).
 *
 *   loadlint-parse-only [-j N] PATH...
 *
 * Does what loadlint must do at the least and nothing more: discover the same
 * files (ll_discover, the defaults loadlint uses), read each one
 * (ll_source_read, same size limit), parse it with the same tree-sitter
 * Python grammar (one TSParser per thread, same parse timeout) and delete the
 * tree. No line index, no resolution, no rules, no report. N worker threads
 * take files from a shared counter as loadlint's do; -j 0 (the default) is
 * the number of CPUs. Prints "files N bytes B" on standard error; exits 2 if
 * a file could not be read or parsed, else 0. */
#include "base/buf.h"
#include "base/limits.h"
#include "engine/discover.h"
#include "engine/frontend.h"
#include "engine/source.h"
#include "engine/syntax.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>
#include <unistd.h>

typedef struct Shared {
    const LLFileList *files;
    atomic_size_t next;
    atomic_size_t bytes;
    atomic_size_t failed;
} Shared;

static void *worker(void *arg)
{
    Shared *sh = arg;
    TSParser *parser = ts_parser_new();
    LLSyntax syn;
    if (ll_syntax_init(&syn, ll_syntax_python()) != 0) {
        atomic_fetch_add(&sh->failed, 1);
        ts_parser_delete(parser);
        return NULL;
    }
    /* the same front end as the scan (frontend.h): read, decode, index, parse */
    LLFrontEnd front;
    ll_frontend_init(&front);
    LLArena arena;
    ll_arena_init(&arena);
    size_t bytes = 0;
    for (;;) {
        size_t i = atomic_fetch_add(&sh->next, 1);
        if (i >= sh->files->files.len)
            break;
        const LLFileEntry *fe = &sh->files->files.items[i];
        LLError err;
        LLSource src;
        ll_arena_reset(&arena);
        if (ll_frontend_read(&front, fe->path, LL_DEFAULT_MAX_FILE_BYTES, &err) != LL_OK ||
            ll_frontend_decode(&front, fe->path, fe->display, front.raw.data, front.raw.len,
                               &arena, &src, &err) != LL_DECODE_OK) {
            fprintf(stderr, "loadlint-parse-only: %s\n", err.msg);
            atomic_fetch_add(&sh->failed, 1);
            continue;
        }
        TSTree *tree = ll_frontend_parse(&front, &src, parser, &syn, LL_DEFAULT_PARSE_TIMEOUT_US);
        if (!tree) {
            fprintf(stderr, "loadlint-parse-only: %s: parse timeout\n", fe->path);
            atomic_fetch_add(&sh->failed, 1);
            continue;
        }
        ts_tree_delete(tree);
        bytes += front.raw.len;
    }
    ll_frontend_release(&front);
    ll_arena_release(&arena);
    ll_syntax_release(&syn);
    atomic_fetch_add(&sh->bytes, bytes);
    ts_parser_delete(parser);
    return NULL;
}

static int usage(void)
{
    fputs("usage: loadlint-parse-only [-j N] PATH...\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    long jobs = 0;
    int first = 1;
    while (first < argc && argv[first][0] == '-' && argv[first][1]) {
        const char *a = argv[first];
        const char *v = NULL;
        if (strcmp(a, "--") == 0) {
            first++;
            break;
        } else if (strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0) {
            if (first + 1 >= argc)
                return usage();
            v = argv[++first];
        } else if (strncmp(a, "-j", 2) == 0) {
            v = a + 2;
        } else if (strncmp(a, "--jobs=", 7) == 0) {
            v = a + 7;
        } else {
            return usage();
        }
        char *end;
        errno = 0;
        jobs = strtol(v, &end, 10);
        if (errno || *end || jobs < 0 || jobs > 1024)
            return usage();
        first++;
    }
    if (first >= argc)
        return usage();
    if (jobs == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = cpus > 0 ? cpus : 1;
    }

    LLFileList files;
    memset(&files, 0, sizeof files);
    ll_discover((const char *const *)&argv[first], (size_t)(argc - first), &files);
    for (size_t i = 0; i < files.errors.len; i++)
        fprintf(stderr, "loadlint-parse-only: %s\n", files.errors.items[i]);
    if ((size_t)jobs > files.files.len)
        jobs = files.files.len ? (long)files.files.len : 1;

    Shared sh = {.files = &files};
    atomic_init(&sh.next, 0);
    atomic_init(&sh.bytes, 0);
    atomic_init(&sh.failed, 0);
    pthread_t *threads = calloc((size_t)jobs, sizeof *threads);
    if (!threads)
        return 2;
    long started = 1;
    for (long i = 1; i < jobs; i++, started++)
        if (pthread_create(&threads[i], NULL, worker, &sh) != 0)
            break;
    worker(&sh);
    for (long i = 1; i < started; i++)
        pthread_join(threads[i], NULL);
    free(threads);

    fprintf(stderr, "files %zu bytes %zu\n", files.files.len, atomic_load(&sh.bytes));
    int status = (files.errors.len || atomic_load(&sh.failed)) ? 2 : 0;
    ll_file_list_release(&files);
    return status;
}
