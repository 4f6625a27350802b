/* fuzz_rcache.c - bytes -> the result cache's readers (src/rcache/).
 *
 * The input is read three ways, as a cache directory can hand it to a run:
 *   - as one entry (ll_rcache_entry_check, then the whole record decoded by
 *     ll_rcache_entry_probe: keys, view, trace, the result with every
 *     summary digested);
 *   - as a record body without its header (the decoder past the checksum);
 *   - as a pack: written into a fresh cache directory, opened by the store
 *     (index, table) and every entry a name the index could hold looked up.
 * Nothing may crash, hang or leak, whatever the bytes; an entry the checker
 * accepts has the body its header promises; and the input wrapped in a
 * header of its own is accepted with exactly its bytes. Seeds:
 * tests/fuzz/seeds/fuzz_rcache (packs, entries and bodies written by real
 * runs). */
#include "fuzz_common.h"

#include "base/buf.h"
#include "rcache/rcache.h"
#include "rcache/serial.h"
#include "rcache/store.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void as_pack(const uint8_t *data, size_t size)
{
    char tmpl[] = "/tmp/loadlint-fuzz-rcache-XXXXXX";
    if (!mkdtemp(tmpl))
        abort();
    LLRcacheStore st;
    LLBuf why, warn;
    ll_buf_init(&why);
    ll_buf_init(&warn);
    /* a store made once, to learn the pack's name; then the input is the pack */
    if (ll_rcache_store_open(&st, tmpl, "/fuzz", 0, &why, &warn)) {
        char *pack = strdup(st.pack_path);
        ll_rcache_store_release(&st);
        ll_fuzz_write_file(pack, data, size);
        ll_buf_reset(&warn);
        if (ll_rcache_store_open(&st, tmpl, "/fuzz", 0, &why, &warn)) {
            /* every entry the index lists, read back */
            for (size_t i = 0; i < st.nold && i < 64; i++) {
                uint8_t *got = NULL;
                const uint8_t *body;
                size_t len;
                LLBuf w;
                ll_buf_init(&w);
                LLRcacheEntryStatus es =
                    ll_rcache_store_get(&st, st.old[i].name, st.old[i].ordinal, &got, &body, &len, &w);
                LL_FUZZ_CHECK(es != LL_RCACHE_ENTRY_MISSING, "an indexed entry is missing");
                LL_FUZZ_CHECK(es == LL_RCACHE_ENTRY_OK || w.len, "a refused entry without a reason");
                if (es == LL_RCACHE_ENTRY_OK)
                    (void)ll_rcache_entry_probe(body, len, true);
                free(got);
                ll_buf_release(&w);
            }
            ll_rcache_store_release(&st);
        }
        unlink(pack);
        free(pack);
    }
    ll_buf_release(&why);
    ll_buf_release(&warn);
    /* the directory's own files */
    const char *names[] = {".gitignore", "CACHEDIR.TAG", "key"};
    char p[128];
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", tmpl, names[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/v%u", tmpl, LL_RCACHE_FORMAT);
    rmdir(p);
    rmdir(tmpl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *body;
    size_t len;
    const char *why = NULL;
    if (ll_rcache_entry_check(data, size, &body, &len, &why))
        LL_FUZZ_CHECK(body == data + LL_RCACHE_HEADER_BYTES && len == size - LL_RCACHE_HEADER_BYTES,
                      "an accepted entry's body is not the rest of it");
    else
        LL_FUZZ_CHECK(why && *why, "a refused entry without a reason");
    (void)ll_rcache_entry_probe(data, size, false);
    (void)ll_rcache_entry_probe(data, size, true);
    /* the input as a body: wrapped, it is accepted with exactly its bytes */
    LLBuf e;
    ll_buf_init(&e);
    ll_rcache_entry_build(&e, data, size);
    LL_FUZZ_CHECK(ll_rcache_entry_check((const uint8_t *)e.data, e.len, &body, &len, &why),
                  "an entry just built is refused: %s", why);
    LL_FUZZ_CHECK(len == size && (size == 0 || memcmp(body, data, size) == 0),
                  "an entry just built does not give its body back");
    ll_buf_release(&e);
    if (size <= 1u << 20)
        as_pack(data, size);
    return 0;
}
