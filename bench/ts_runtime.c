/* bench/ts_runtime.c - what the tree-sitter runtime costs, alone.
 *
 * Built twice by bench/ts-runtime.sh, once against Debian's libtree-sitter
 * (0.20.7) and once against another runtime's amalgamated lib.c, with the
 * same tree-sitter-python parser; for the files named on standard input
 * (one path per line) it reads each, parses it, then walks every node of
 * the tree with a cursor (first child, next sibling, parent: what loadlint's
 * walks do) and prints
 *   files bytes nodes parse_cpu_s walk_cpu_s
 * CPU time of the process (CLOCK_PROCESS_CPUTIME_ID), reading excluded. */
#define _POSIX_C_SOURCE 200809L
#include <tree_sitter/api.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const TSLanguage *tree_sitter_python(void);

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (n == cap)
            buf = realloc(buf, cap *= 2);
        size_t got = fread(buf + n, 1, cap - n, f);
        if (!got)
            break;
        n += got;
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(void)
{
    TSParser *parser = ts_parser_new();
    if (!ts_parser_set_language(parser, tree_sitter_python())) {
        fprintf(stderr, "ts_runtime: the runtime refuses the grammar's ABI\n");
        return 2;
    }
    char path[4096];
    unsigned long files = 0, nodes = 0;
    unsigned long long bytes = 0;
    double parse_s = 0, walk_s = 0;
    while (fgets(path, sizeof path, stdin)) {
        path[strcspn(path, "\n")] = '\0';
        size_t len;
        char *text = slurp(path, &len);
        if (!text || len > UINT32_MAX) {
            free(text);
            continue;
        }
        double t0 = cpu_now();
        TSTree *tree = ts_parser_parse_string(parser, NULL, text, (uint32_t)len);
        double t1 = cpu_now();
        TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(tree));
        for (;;) { /* pre-order, iterative */
            nodes++;
            if (ts_tree_cursor_goto_first_child(&c))
                continue;
            while (!ts_tree_cursor_goto_next_sibling(&c))
                if (!ts_tree_cursor_goto_parent(&c))
                    goto done;
        }
    done:
        ts_tree_cursor_delete(&c);
        double t2 = cpu_now();
        ts_tree_delete(tree);
        parse_s += t1 - t0;
        walk_s += t2 - t1;
        files++;
        bytes += len;
        free(text);
    }
    ts_parser_delete(parser);
    printf("%lu %llu %lu %.3f %.3f\n", files, bytes, nodes, parse_s, walk_s);
    return 0;
}
