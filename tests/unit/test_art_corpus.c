/* Every file of tests/corpus/artifacts/{benign,malicious} (made by
 * tests/artifacts/generate.py) is scanned and compared with
 * tests/corpus/artifacts/expected.json exactly: the format, the verdict,
 * and every finding (check, subject, severity, member chain) with its
 * multiplicity; no finding may be missing or extra, and every file there
 * must be listed. */
#include "test_art_helpers.h"

#include "base/buf.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <sys/stat.h>

#define CORPUS LL_SOURCE_DIR "/tests/corpus/artifacts"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t k;
    while ((k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
        }
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static const char *verdict_name(LLArtVerdict v)
{
    switch (v) {
    case LL_ART_SAFE: return "safe";
    case LL_ART_SUSPICIOUS: return "suspicious";
    case LL_ART_MALICIOUS: return "malicious";
    case LL_ART_UNSCANNABLE: return "unscannable";
    default: return "not-model";
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef LL_VEC(char *) StrVec;

static void strvec_free(StrVec *v)
{
    for (size_t i = 0; i < v->len; i++)
        free(v->items[i]);
    LL_VEC_FREE(v);
}

static char *key_of(const char *check, const char *subject, const char *sev, const char *const *members,
                    size_t nm)
{
    LLBuf b;
    ll_buf_init(&b);
    ll_buf_printf(&b, "%s | %s | %s | ", check, subject ? subject : "(none)", sev);
    for (size_t i = 0; i < nm; i++)
        ll_buf_printf(&b, "%s%s", i ? "!" : "", members[i]);
    return ll_buf_detach(&b);
}

/* Every regular file below dir (relative names, sorted). */
static void list_files(const char *root, const char *sub, StrVec *out)
{
    StrVec todo = {0};
    LL_VEC_PUSH(&todo, strdup(sub));
    while (todo.len) {
        char *rel = todo.items[--todo.len];
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", root, rel);
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (e->d_name[0] == '.')
                    continue;
                char child[2048], full[4096];
                snprintf(child, sizeof child, "%s/%s", rel, e->d_name);
                snprintf(full, sizeof full, "%s/%s", root, child);
                struct stat sb;
                if (stat(full, &sb) != 0)
                    continue;
                if (S_ISDIR(sb.st_mode))
                    LL_VEC_PUSH(&todo, strdup(child));
                else if (S_ISREG(sb.st_mode))
                    LL_VEC_PUSH(out, strdup(child));
            }
            closedir(d);
        }
        free(rel);
    }
    LL_VEC_FREE(&todo);
    if (out->len > 1)
        qsort(out->items, out->len, sizeof *out->items, cmp_str);
}

Test(art_corpus, every_file_matches_expected_json, .timeout = 120)
{
    ATPolicy pol;
    at_policy_load(&pol);
    size_t jlen;
    char *json = slurp(CORPUS "/expected.json", &jlen);
    cJSON *root = cJSON_ParseWithLengthOpts(json, jlen + 1, NULL, true);
    cr_assert_not_null(root, "expected.json does not parse");
    const cJSON *files = cJSON_GetObjectItemCaseSensitive(root, "files");
    cr_assert(cJSON_IsArray(files));

    LLBuf errors;
    ll_buf_init(&errors);
    StrVec listed = {0};
    size_t nfiles = 0, nfindings = 0;
    for (const cJSON *f = files->child; f; f = f->next) {
        const char *rel = cJSON_GetObjectItemCaseSensitive(f, "path")->valuestring;
        LL_VEC_PUSH(&listed, strdup(rel));
        nfiles++;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", CORPUS, rel);
        size_t len;
        char *data = slurp(path, &len);
        LLArtResult r;
        ll_art_result_init(&r);
        const char *base = strrchr(rel, '/');
        ll_art_scan(&pol.opts, base ? base + 1 : rel, (const uint8_t *)data, len, &r);

        const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(f, "format");
        const char *want_fmt = cJSON_IsString(fmt) ? fmt->valuestring : NULL;
        if ((want_fmt == NULL) != (r.format == NULL) || (want_fmt && strcmp(want_fmt, r.format) != 0))
            ll_buf_printf(&errors, "%s: format %s, expected %s\n", rel, r.format ? r.format : "null",
                          want_fmt ? want_fmt : "null");
        const char *want_v = cJSON_GetObjectItemCaseSensitive(f, "verdict")->valuestring;
        if (strcmp(want_v, verdict_name(r.verdict)) != 0)
            ll_buf_printf(&errors, "%s: verdict %s, expected %s\n", rel, verdict_name(r.verdict), want_v);

        StrVec want = {0}, got = {0};
        const cJSON *fs = cJSON_GetObjectItemCaseSensitive(f, "findings");
        for (const cJSON *x = fs->child; x; x = x->next) {
            const cJSON *subj = cJSON_GetObjectItemCaseSensitive(x, "subject");
            const cJSON *mem = cJSON_GetObjectItemCaseSensitive(x, "members");
            const char *ms[LL_ART_MAX_NESTING + 1];
            size_t nm = 0;
            for (const cJSON *m = mem->child; m && nm <= LL_ART_MAX_NESTING; m = m->next)
                ms[nm++] = m->valuestring;
            LL_VEC_PUSH(&want, key_of(cJSON_GetObjectItemCaseSensitive(x, "check")->valuestring,
                                      cJSON_IsString(subj) ? subj->valuestring : NULL,
                                      cJSON_GetObjectItemCaseSensitive(x, "severity")->valuestring, ms, nm));
        }
        for (size_t i = 0; i < r.findings.len; i++) {
            const LLArtFinding *x = &r.findings.items[i];
            LL_VEC_PUSH(&got, key_of(x->check, x->subject, ll_severity_name(x->severity),
                                     (const char *const *)x->loc.members, x->loc.nmembers));
        }
        nfindings += got.len;
        if (want.len > 1)
            qsort(want.items, want.len, sizeof *want.items, cmp_str);
        if (got.len > 1)
            qsort(got.items, got.len, sizeof *got.items, cmp_str);
        size_t i = 0, k = 0;
        while (i < want.len || k < got.len) {
            int c = i == want.len ? 1 : k == got.len ? -1 : strcmp(want.items[i], got.items[k]);
            if (c < 0)
                ll_buf_printf(&errors, "%s: missing   %s\n", rel, want.items[i++]);
            else if (c > 0)
                ll_buf_printf(&errors, "%s: unexpected %s\n", rel, got.items[k++]);
            else
                i++, k++;
        }
        strvec_free(&want);
        strvec_free(&got);
        ll_art_result_release(&r);
        free(data);
    }
    /* every file of the generated folders is listed */
    if (listed.len > 1)
        qsort(listed.items, listed.len, sizeof *listed.items, cmp_str);
    StrVec present = {0};
    list_files(CORPUS, "benign", &present);
    list_files(CORPUS, "malicious", &present);
    for (size_t i = 0; i < present.len; i++)
        if (!bsearch(&present.items[i], listed.items, listed.len, sizeof *listed.items, cmp_str))
            ll_buf_printf(&errors, "%s: not in expected.json (run tests/artifacts/generate.py)\n", present.items[i]);
    cr_assert_gt(nfiles, 50, "the corpus is there");
    cr_assert_gt(nfindings, 50);
    cr_assert_eq(errors.len, 0, "%s", errors.data);
    strvec_free(&present);
    strvec_free(&listed);
    ll_buf_release(&errors);
    cJSON_Delete(root);
    free(json);
    at_policy_free(&pol);
}
