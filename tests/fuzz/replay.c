/* replay.c - a plain main for a fuzz target: feeds it every file named on
 * the command line (directories: every regular file in them, sorted), once
 * each, and prints how many it ran. A crash or a violated property aborts,
 * so the exit status tells. Used by the fuzz-regressions test of the normal
 * build, where libFuzzer is not available. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            cap *= 2;
            uint8_t *nb = realloc(buf, cap);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    int bad = ferror(f) || !buf;
    fclose(f);
    if (bad) {
        fprintf(stderr, "%s: cannot read\n", path);
        free(buf);
        return -1;
    }
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
    /* an exact-size copy, so that ASan sees reads past the end */
    uint8_t *copy = malloc(len ? len : 1);
    memcpy(copy, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(copy, len);
    free(copy);
    return 0;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    int ran = 0, errors = 0;
    for (int i = 1; i < argc; i++) {
        struct stat sb;
        if (stat(argv[i], &sb) != 0) {
            perror(argv[i]);
            errors++;
            continue;
        }
        if (!S_ISDIR(sb.st_mode)) {
            errors += run_file(argv[i]) != 0;
            ran++;
            continue;
        }
        struct dirent **names;
        int n = scandir(argv[i], &names, NULL, alphasort);
        if (n < 0) {
            perror(argv[i]);
            errors++;
            continue;
        }
        char **paths = calloc((size_t)n + 1, sizeof *paths);
        int np = 0;
        for (int k = 0; k < n; k++) {
            char *p = NULL;
            if (names[k]->d_name[0] != '.' && asprintf(&p, "%s/%s", argv[i], names[k]->d_name) > 0) {
                struct stat fs;
                if (stat(p, &fs) == 0 && S_ISREG(fs.st_mode))
                    paths[np++] = p;
                else
                    free(p);
            }
            free(names[k]);
        }
        free(names);
        qsort(paths, (size_t)np, sizeof *paths, cmp);
        for (int k = 0; k < np; k++) {
            errors += run_file(paths[k]) != 0;
            ran++;
            free(paths[k]);
        }
        free(paths);
    }
    printf("replayed %d input%s, %d unreadable\n", ran, ran == 1 ? "" : "s", errors);
    return errors ? 2 : 0;
}
