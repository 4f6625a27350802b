#include "cli/progress.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* A terminal that understands "erase to the end of the line". */
static bool capable_terminal(FILE *out)
{
    if (!isatty(fileno(out)))
        return false;
    const char *term = getenv("TERM");
    return !(term && strcmp(term, "dumb") == 0);
}

bool ll_cli_progress_wanted(FILE *out, bool asked, bool quiet)
{
    return !quiet && (asked || capable_terminal(out));
}

void ll_cli_progress_begin(LLCliProgress *p, FILE *out, bool asked)
{
    memset(p, 0, sizeof *p);
    pthread_mutex_init(&p->lock, NULL);
    p->out = out;
    p->terminal = capable_terminal(out);
    p->always = asked;
    p->start_ms = now_ms();
}

static void format_duration(char *buf, size_t size, uint64_t seconds)
{
    if (seconds >= 3600)
        snprintf(buf, size, "%uh%02um", (unsigned)(seconds / 3600), (unsigned)(seconds % 3600 / 60));
    else if (seconds >= 60)
        snprintf(buf, size, "%um%02us", (unsigned)(seconds / 60), (unsigned)(seconds % 60));
    else
        snprintf(buf, size, "%us", (unsigned)seconds);
}

/* "1234/7000 files, 45.2/120.0 MB, 12.3 MB/s, ETA 6s" */
static void format_line(char *line, size_t size, size_t files_done, size_t files_total,
                        uint64_t bytes_done, uint64_t bytes_total, uint64_t elapsed_ms)
{
    double mb_done = (double)bytes_done / 1e6, mb_total = (double)bytes_total / 1e6;
    double seconds = (double)elapsed_ms / 1000.0;
    double rate = seconds > 0 ? mb_done / seconds : 0;
    char eta[32] = "?";
    if (files_done >= files_total)
        snprintf(eta, sizeof eta, "0s");
    else if (rate > 0 && bytes_total >= bytes_done)
        format_duration(eta, sizeof eta, (uint64_t)((mb_total - mb_done) / rate + 0.5));
    snprintf(line, size, "loadlint: %zu/%zu files, %.1f/%.1f MB, %.1f MB/s, ETA %s",
             files_done, files_total, mb_done, mb_total, rate, eta);
}

void ll_cli_progress_tell(void *ctx, size_t files_done, size_t files_total,
                          uint64_t bytes_done, uint64_t bytes_total)
{
    LLCliProgress *p = ctx;
    uint64_t now = now_ms();
    bool last = files_done >= files_total;
    pthread_mutex_lock(&p->lock);
    uint64_t elapsed = now - p->start_ms;
    bool due;
    if (p->terminal)
        due = (p->always || elapsed >= LL_PROGRESS_DELAY_MS) &&
              (!p->drawn || now - p->last_ms >= LL_PROGRESS_TTY_PERIOD_MS || last);
    else /* a log: the first line, then one per period, and the last */
        due = !p->last_told &&
              (p->last_ms == 0 || now - p->last_ms >= LL_PROGRESS_LOG_PERIOD_MS || last);
    if (due) {
        char line[LL_PROGRESS_LINE_MAX];
        format_line(line, sizeof line, files_done, files_total, bytes_done, bytes_total, elapsed);
        if (p->terminal) {
            fprintf(p->out, "\r\033[K%s", line);
            p->drawn = true;
        } else {
            fprintf(p->out, "%s\n", line);
            p->last_told = last;
        }
        fflush(p->out);
        p->last_ms = now ? now : 1;
    }
    pthread_mutex_unlock(&p->lock);
}

void ll_cli_progress_end(LLCliProgress *p)
{
    if (p->terminal && p->drawn) {
        fputs("\r\033[K", p->out);
        fflush(p->out);
    }
    pthread_mutex_destroy(&p->lock);
}
