/* progress.h - the progress line on standard error (ll_cli_progress_*).
 *
 * The library tells how far the facts pass and pass 0 are (LLScanOptions.progress,
 * called from its worker threads); this draws it: files, megabytes, rate
 * and the estimated time left. On a terminal the line is redrawn in place
 * (at most every LL_PROGRESS_TTY_PERIOD_MS) once the scan has run
 * LL_PROGRESS_DELAY_MS, and erased when the scan ends, so nothing of it is
 * left between the findings and the summary. Elsewhere (pipes, CI logs)
 * there is none unless asked (--progress), and then one full line at most
 * every LL_PROGRESS_LOG_PERIOD_MS, and the last one. Standard output is
 * never touched.
 *
 * Ownership: the caller owns the LLCliProgress (on its stack) and calls
 * ll_cli_progress_end after the scan, before writing anything to standard
 * error. */
#ifndef LL_CLI_PROGRESS_H
#define LL_CLI_PROGRESS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum {
    LL_PROGRESS_DELAY_MS = 1000,      /* a terminal sees nothing of quicker scans */
    LL_PROGRESS_TTY_PERIOD_MS = 100,  /* redraws on a terminal */
    LL_PROGRESS_LOG_PERIOD_MS = 1000, /* lines elsewhere (with --progress) */
    LL_PROGRESS_LINE_MAX = 160,
};

typedef struct LLCliProgress {
    pthread_mutex_t lock;
    FILE *out;      /* standard error */
    bool terminal;  /* redraw in place */
    bool always;    /* --progress: no start delay */
    bool drawn;     /* a line is on the terminal */
    bool last_told; /* the final line has been printed (not a terminal) */
    uint64_t start_ms, last_ms;
} LLCliProgress;

/* Whether to show progress: not with `quiet`; always with `asked`
 * (--progress); otherwise when `out` is a terminal that can erase a line. */
bool ll_cli_progress_wanted(FILE *out, bool asked, bool quiet);
void ll_cli_progress_begin(LLCliProgress *p, FILE *out, bool asked);
/* LLScanOptions.progress, with the LLCliProgress as its context. */
void ll_cli_progress_tell(void *ctx, size_t files_done, size_t files_total,
                          uint64_t bytes_done, uint64_t bytes_total);
/* Erases the line on a terminal; releases the lock. */
void ll_cli_progress_end(LLCliProgress *p);

#endif
