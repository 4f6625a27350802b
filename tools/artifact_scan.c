/* artifact_scan.c - scans model files with the model-file readers (every
 * format, through the dispatcher of artifact/dispatch.h, as the scan's
 * analyzer does) and prints what they find (a driver for tests and
 * bench/artifacts.sh; the CLI proper is loadlint, which reports the same
 * findings under rule codes).
 *
 *   loadlint-artifact-scan [--policy FILE]... [--read-only] [--residency] [-q] FILE...
 *
 * Each file is mapped (mmap, MADV_RANDOM: what a caller should do, or the
 * kernel's read-around brings in the tensor data next to every page read)
 * and handed to ll_art_dispatch (one scratch for all files). Output, one line
 * per file then one per finding:
 *   FILE: format=<format> verdict=<verdict> findings=<n>
 *   FILE[!member...]@<offset>: <severity> <check> [<subject>]: <message>
 * --policy adds a policy file to the built-in one (rules/data/pickle-policy.json,
 * embedded in the binary). --read-only does not scan: it reads the bytes a scan of pickle
 * members needs (a zip's directory and every *.pkl member; other files
 * whole) and sums them, the floor the benchmark compares with.
 * --residency evicts each file from the page cache first
 * (posix_fadvise DONTNEED) and prints, after the scan, how many of its
 * pages are resident (mincore): what the scan touched.
 * Exit status: 0, or 2 on a usage or I/O error. */
#define _DEFAULT_SOURCE /* mincore */
#include "artifact/dispatch.h"
#include "artifact/zip.h"

#include "base/limits.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define verdict_name ll_art_verdict_name

/* The read-only floor: touch what a scan of the pickle members reads. */
static uint64_t read_only(const char *path, const uint8_t *d, size_t len, uint64_t *sum)
{
    uint64_t bytes = 0;
    LLArtScanOptions opts = {0};
    LLPicklePolicy pol;
    ll_pickle_policy_init(&pol);
    opts.policy = &pol;
    uint64_t budget = LL_ART_MAX_DECOMPRESSED_TOTAL;
    LLArtCtx ctx = {.opts = &opts, .budget = &budget};
    LLArtResult r;
    ll_art_result_init(&r);
    if (ll_art_sniff(path, d, len) == LL_ART_KIND_ZIP) {
        LLZip z;
        if (ll_zip_open(&z, &ctx, d, len, &r)) {
            for (size_t i = 0; i < z.entries.len; i++) {
                const LLZipEntry *e = &z.entries.items[i];
                if (e->name_len < 4 || memcmp(e->name + e->name_len - 4, ".pkl", 4) != 0)
                    continue;
                LLZipMember m;
                if (ll_zip_read(&z, e, &ctx, LL_ART_MAX_DECOMPRESSED, false, &m, &r)) {
                    for (size_t k = 0; k < m.len; k++)
                        *sum += m.data[k];
                    bytes += m.len;
                }
                ll_zip_member_release(&m);
            }
            ll_zip_close(&z);
        }
    } else {
        for (size_t k = 0; k < len; k++)
            *sum += d[k];
        bytes = len;
    }
    ll_art_result_release(&r);
    ll_pickle_policy_release(&pol);
    return bytes;
}

int main(int argc, char **argv)
{
    /* the allocator settings of loadlint's CLI (src/cli/main.c) */
    mallopt(M_MMAP_THRESHOLD, LL_MALLOC_MMAP_THRESHOLD);
    LLArtPolicies policies;
    LLError err;
    memset(&err, 0, sizeof err);
    bool ro = false, residency = false, quiet = false;
    const char *extra[64];
    int nextra = 0;
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--policy") == 0 && i + 1 < argc && nextra < 64)
            extra[nextra++] = argv[++i];
        else if (strcmp(argv[i], "--read-only") == 0)
            ro = true;
        else if (strcmp(argv[i], "--residency") == 0)
            residency = true;
        else if (strcmp(argv[i], "-q") == 0)
            quiet = true;
        else if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "usage: %s [--policy FILE]... [--read-only] [--residency] [-q] FILE...\n", argv[0]);
            return 2;
        } else
            break;
    }
    if (ll_art_policies_init(&policies, &err) != LL_OK) {
        char msg[2200];
        ll_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "loadlint-artifact-scan: built-in policies: %s\n", msg);
        ll_art_policies_release(&policies);
        return 2;
    }
    for (int k = 0; k < nextra; k++) {
        if (ll_pickle_policy_load_file(&policies.pickle, extra[k], &err) != LL_OK) {
            char msg[2200];
            ll_error_format(&err, msg, sizeof msg);
            fprintf(stderr, "loadlint-artifact-scan: %s\n", msg);
            ll_art_policies_release(&policies);
            return 2;
        }
    }
    LLArtScratch *scratch = ll_art_scratch_new(); /* one worker's, as the CLI would keep it */
    int rc = 0;
    uint64_t total_bytes = 0, sum = 0;
    for (; i < argc; i++) {
        const char *path = argv[i];
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        struct stat sb;
        if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            fprintf(stderr, "loadlint-artifact-scan: %s: %s\n", path, fd < 0 ? strerror(errno) : "not a regular file");
            if (fd >= 0)
                close(fd);
            rc = 2;
            continue;
        }
        size_t len = (size_t)sb.st_size;
        if (residency) {
            /* dirty pages are not dropped: write them first */
            fdatasync(fd);
            posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
        }
        const uint8_t *d = (const uint8_t *)"";
        void *map = NULL;
        if (len) {
            map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
            if (map == MAP_FAILED) {
                fprintf(stderr, "loadlint-artifact-scan: %s: mmap: %s\n", path, strerror(errno));
                close(fd);
                rc = 2;
                continue;
            }
            /* no read-around: Linux would bring in megabytes of tensor
             * data around each page the readers touch */
            madvise(map, len, MADV_RANDOM);
            d = map;
        }
        if (ro) {
            total_bytes += read_only(path, d, len, &sum);
        } else {
            LLArtResult r;
            ll_art_result_init(&r);
            ll_art_dispatch(&policies, scratch, path, d, len, &r);
            if (!quiet) {
                printf("%s: format=%s verdict=%s findings=%zu\n", path, r.format ? r.format : "-",
                       verdict_name(r.verdict), r.findings.len);
                for (size_t f = 0; f < r.findings.len; f++) {
                    const LLArtFinding *x = &r.findings.items[f];
                    printf("%s", path);
                    for (uint32_t m = 0; m < x->loc.nmembers; m++)
                        printf("!%s", x->loc.members[m]);
                    printf("@%llu: %s %s%s%s%s: %s\n", (unsigned long long)x->loc.offset,
                           ll_severity_name(x->severity), x->check, x->subject ? " [" : "",
                           x->subject ? x->subject : "", x->subject ? "]" : "", x->message);
                }
            }
            ll_art_result_release(&r);
        }
        if (residency && len) {
            long page = sysconf(_SC_PAGESIZE);
            size_t pages = (len + (size_t)page - 1) / (size_t)page;
            unsigned char *vec = malloc(pages);
            size_t resident = 0;
            if (vec && mincore(map, len, vec) == 0)
                for (size_t p = 0; p < pages; p++)
                    resident += vec[p] & 1;
            printf("%s: resident %zu of %zu pages (%zu of %zu bytes)\n", path, resident, pages,
                   resident * (size_t)page, len);
            free(vec);
        }
        if (map)
            munmap(map, len);
        close(fd);
    }
    if (ro)
        printf("read-only: %llu bytes read (checksum %llu)\n", (unsigned long long)total_bytes,
               (unsigned long long)sum);
    ll_art_scratch_free(scratch);
    ll_art_policies_release(&policies);
    return rc;
}
