/* Name sets, identifier sets and Bloom filters: the pre-filter's exactness
 * rests on them (a missed identifier would be a missed finding). */
#include "base/nameset.h"
#include "base/strmap.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t h(const char *s) { return ll_strmap_hash(s, strlen(s)); }

Test(nameset, identifiers_numbers_and_utf8)
{
    LLIdentSet ids;
    ll_identset_init(&ids);
    const char *text = "import pickle\nx = 12ab + 0x1F\ndonn\xc3\xa9""es = pickle.loads(b)\n";
    ll_identset_build(&ids, text, strlen(text), "pkg.mod");
    cr_assert(ll_identset_has(&ids, h("pickle")));
    cr_assert(ll_identset_has(&ids, h("loads")));
    cr_assert(ll_identset_has(&ids, h("donn\xc3\xa9""es")), "UTF-8 bytes are part of a name");
    cr_assert(ll_identset_has(&ids, h("pkg")), "the extra text (module name) counts");
    cr_assert(ll_identset_has(&ids, h("mod")));
    cr_assert(!ll_identset_has(&ids, h("12ab")), "a number is not a name");
    cr_assert(!ll_identset_has(&ids, h("ab")), "nor is its tail");
    cr_assert(!ll_identset_has(&ids, h("x1F")));
    cr_assert(!ll_identset_has(&ids, h("load")));
    ll_identset_release(&ids);
}

Test(nameset, match_needs_every_segment)
{
    LLNameSet ns;
    ll_nameset_init(&ns);
    cr_assert(ll_nameset_add(&ns, "torch.hub.load"));
    cr_assert(!ll_nameset_add(&ns, "torch.hub.load"), "added once");
    LLIdentSet ids;
    ll_identset_init(&ids);
    const char *partial = "import torch\ntorch.load(f)\n";
    ll_identset_build(&ids, partial, strlen(partial), NULL);
    cr_assert(!ll_nameset_match_set(&ns, &ids), "hub is missing");
    cr_assert(!ll_nameset_match(&ns, partial, strlen(partial), NULL));
    const char *full = "from torch import hub\nhub.load(repo)\n";
    ll_identset_build(&ids, full, strlen(full), NULL);
    cr_assert(ll_nameset_match_set(&ns, &ids));
    cr_assert(ll_nameset_match(&ns, full, strlen(full), NULL));
    ll_identset_release(&ids);
    ll_nameset_release(&ns);
}

/* A set reused after a file with many names shrinks, and stays exact. */
Test(nameset, reuse_after_a_large_text)
{
    size_t n = 20000;
    char *big = malloc(n * 12 + 1);
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(big + len, "name%05zu ", i);
    LLIdentSet ids;
    ll_identset_init(&ids);
    ll_identset_build(&ids, big, len, NULL);
    cr_assert_eq(ids.count, n);
    cr_assert(ll_identset_has(&ids, h("name19999")));
    size_t big_cap = ids.cap;
    const char *small = "a b c";
    ll_identset_build(&ids, small, strlen(small), NULL);
    cr_assert_eq(ids.count, 3);
    cr_assert(ll_identset_has(&ids, h("b")));
    cr_assert(!ll_identset_has(&ids, h("name00001")), "nothing of the large text is left");
    ll_identset_build(&ids, small, strlen(small), NULL);
    cr_assert_lt(ids.cap, big_cap, "the large table was given back");
    cr_assert(ll_identset_has(&ids, h("c")));
    ll_identset_release(&ids);
    free(big);
}

Test(nameset, offsets_of_wanted_names)
{
    LLStrMap keys;
    ll_strmap_init(&keys);
    ll_strmap_put(&keys, "argv", 4, 1);
    ll_strmap_put(&keys, "input", 5, 1);
    LLIdentSet wanted;
    ll_identset_init(&wanted);
    ll_identset_add_keys(&wanted, &keys);
    const char *text = "import sys\nx = sys.argv[1]\ny = input()\nargvx = 1\n";
    LLOffsets at = {0};
    ll_text_identifier_offsets(text, strlen(text), &wanted, &at);
    cr_assert_eq(at.len, 2, "argvx is another name");
    cr_assert_eq(at.items[0], (uint32_t)(strstr(text, "argv") - text));
    cr_assert_eq(at.items[1], (uint32_t)(strstr(text, "input") - text));
    LL_VEC_FREE(&at);
    ll_identset_release(&wanted);
    ll_strmap_release(&keys);
}

/* No false negatives: every name of the text passes its Bloom filter. */
Test(nameset, bloom_has_no_false_negative)
{
    size_t n = 3000;
    char *text = malloc(n * 16 + 1);
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, "m%zu.f%zu\n", i, i * 7);
    LLIdentSet ids;
    ll_identset_init(&ids);
    ll_identset_build(&ids, text, len, NULL);
    /* the domain: every other module segment, and words not in the text */
    LLIdentSet domain;
    ll_identset_init(&domain);
    for (size_t i = 0; i < 2 * n; i += 2) {
        char seg[32];
        int l = snprintf(seg, sizeof seg, "m%zu", i);
        ll_identset_add(&domain, ll_strmap_hash(seg, (size_t)l));
    }
    uint64_t bloom[LL_NAMESET_BLOOM_WORDS], dbloom[LL_NAMESET_BLOOM_WORDS];
    ll_nameset_bloom(&ids, NULL, bloom);
    ll_nameset_bloom(&ids, &domain, dbloom);
    for (size_t i = 0; i < n; i += 97) {
        LLNameSet ns;
        ll_nameset_init(&ns);
        char name[64];
        snprintf(name, sizeof name, "m%zu.f%zu", i, i * 7);
        ll_nameset_add(&ns, name);
        cr_assert(ll_nameset_bloom_match(&ns, bloom, NULL), "%s", name);
        cr_assert(ll_nameset_bloom_match(&ns, dbloom, &domain), "%s (domain)", name);
        ll_nameset_release(&ns);
    }
    ll_identset_release(&domain);
    ll_identset_release(&ids);
    free(text);
}

/* The domain part: a large text fills the general part, where names of
 * the domain absent from the text still find their bits; the domain part
 * holds only the text's few domain words, and tells them apart. */
Test(nameset, bloom_domain_tells_absent_domain_names)
{
    size_t n = 4000;
    char *text = malloc(n * 16 + 64);
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, "w%zu ", i);
    len += (size_t)sprintf(text + len, "pkg mod0 loads");
    LLIdentSet ids, domain;
    ll_identset_init(&ids);
    ll_identset_init(&domain);
    ll_identset_build(&ids, text, len, NULL);
    char seg[32];
    for (size_t i = 0; i < 500; i++) {
        int l = snprintf(seg, sizeof seg, "mod%zu", i);
        ll_identset_add(&domain, ll_strmap_hash(seg, (size_t)l));
    }
    ll_identset_add(&domain, ll_strmap_hash("pkg", 3));
    uint64_t plain[LL_NAMESET_BLOOM_WORDS], split[LL_NAMESET_BLOOM_WORDS];
    ll_nameset_bloom(&ids, NULL, plain);
    ll_nameset_bloom(&ids, &domain, split);
    unsigned plain_yes = 0, split_yes = 0;
    for (size_t i = 1; i < 500; i++) { /* pkg.mod<i>.loads: not in the text */
        char name[64];
        snprintf(name, sizeof name, "pkg.mod%zu.loads", i);
        LLNameSet ns;
        ll_nameset_init(&ns);
        ll_nameset_add(&ns, name);
        plain_yes += ll_nameset_bloom_match(&ns, plain, NULL);
        split_yes += ll_nameset_bloom_match(&ns, split, &domain);
        ll_nameset_release(&ns);
    }
    LLNameSet there;
    ll_nameset_init(&there);
    ll_nameset_add(&there, "pkg.mod0.loads");
    cr_assert(ll_nameset_bloom_match(&there, split, &domain));
    ll_nameset_release(&there);
    cr_assert(plain_yes > 400, "the general part alone is full: %u of 499 maybe", plain_yes);
    cr_assert(split_yes < 25, "the domain part tells them apart: %u of 499 maybe", split_yes);
    ll_identset_release(&ids);
    ll_identset_release(&domain);
    free(text);
}

/* The index of a set by Bloom bits answers what the plain test answers,
 * for filters from empty to full and sets whose names share segments (a
 * package's re-exports: "pkg.sub.pickle.loads", ...), and with a name of
 * no segment. */
Test(nameset, bloom_index_answers_as_the_plain_test)
{
    LLNameSet ns;
    ll_nameset_init(&ns);
    char name[96];
    for (unsigned i = 0; i < 4000; i++) {
        snprintf(name, sizeof name, "pkg.m%u.%s.%s", i % 211, i % 3 ? "pickle" : "torch",
                 i % 5 ? "loads" : "load");
        ll_nameset_add(&ns, name);
        snprintf(name, sizeof name, "other%u.f%u", i, i * 13);
        ll_nameset_add(&ns, name);
    }
    /* the domain: the package's module segments and "pickle" */
    LLIdentSet domain;
    ll_identset_init(&domain);
    for (unsigned i = 0; i < 211; i += 2) {
        char seg[16];
        int l = snprintf(seg, sizeof seg, "m%u", i);
        ll_identset_add(&domain, ll_strmap_hash(seg, (size_t)l));
    }
    ll_identset_add(&domain, ll_strmap_hash("pickle", 6));
    LLNameSetBloomIndex x;
    ll_nameset_bloom_index(&x, &ns, &domain);
    cr_assert(!x.any);
    unsigned seed = 12345, agree = 0, yes = 0;
    for (unsigned round = 0; round < 3000; round++) {
        /* a text of random identifiers, some of them the names' segments */
        char text[4096];
        size_t len = 0;
        unsigned words = round % 200;
        for (unsigned w = 0; w < words && len + 40 < sizeof text; w++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = (seed >> 8) % 1000;
            if (r < 300)
                len += (size_t)snprintf(text + len, sizeof text - len, "m%u ", r % 250);
            else if (r < 400)
                len += (size_t)snprintf(text + len, sizeof text - len, "pkg pickle loads ");
            else if (r < 450)
                len += (size_t)snprintf(text + len, sizeof text - len, "other%u f%u ", r, r * 13);
            else
                len += (size_t)snprintf(text + len, sizeof text - len, "x%u ", r);
        }
        LLIdentSet ids;
        ll_identset_init(&ids);
        ll_identset_build(&ids, text, len, NULL);
        uint64_t bloom[LL_NAMESET_BLOOM_WORDS];
        ll_nameset_bloom(&ids, &domain, bloom);
        if (round % 500 == 499) /* full filters too */
            memset(bloom, 0xff, sizeof bloom);
        bool plain = ll_nameset_bloom_match(&ns, bloom, &domain);
        bool indexed = ll_nameset_bloom_index_match(&x, bloom);
        cr_assert_eq(plain, indexed, "round %u: plain %d, indexed %d", round, plain, indexed);
        agree++;
        yes += plain;
        ll_identset_release(&ids);
    }
    cr_assert(yes > 100 && yes < agree - 100, "both answers are met (%u of %u yes)", yes, agree);
    ll_nameset_bloom_index_release(&x);
    ll_identset_release(&domain);
    /* a name without segments matches every filter */
    LLNameSet empty;
    ll_nameset_init(&empty);
    ll_nameset_add(&empty, "()");
    LLNameSetBloomIndex y;
    ll_nameset_bloom_index(&y, &empty, NULL);
    uint64_t zero[LL_NAMESET_BLOOM_WORDS] = {0};
    cr_assert_eq(ll_nameset_bloom_match(&empty, zero, NULL), ll_nameset_bloom_index_match(&y, zero));
    ll_nameset_bloom_index_release(&y);
    ll_nameset_release(&empty);
    ll_nameset_release(&ns);
}

/* The longest key that is a dotted prefix of a name: whole segments only
 * ("a.b" is not a prefix of "a.bc"), the name itself, the longest of
 * several, and none past a prefix that no key has. */
Test(nameset, dotted_longest_key)
{
    LLStrMap keys;
    LLIdentSet prefixes;
    ll_strmap_init(&keys);
    ll_identset_init(&prefixes);
    const char *k[] = {"a.b", "a.b.c.d", "pkg.compat.pickle", "x"};
    for (size_t i = 0; i < sizeof k / sizeof *k; i++) {
        ll_strmap_put(&keys, k[i], strlen(k[i]), (intptr_t)(i + 1));
        ll_identset_add_prefixes(&prefixes, k[i]);
    }
    struct {
        const char *name;
        size_t klen; /* 0: no key */
        intptr_t value;
    } cases[] = {
        {"a.b", 3, 1},          {"a.b.c", 3, 1},      {"a.b.c.d", 7, 2},
        {"a.b.c.d.e()", 7, 2},  {"a.bc", 0, 0},       {"a", 0, 0},
        {"ab.c", 0, 0},         {"x.y", 1, 4},        {"x", 1, 4},
        {"pkg.compat.pickle.loads", 17, 3}, {"pkg.compat.pickles", 0, 0},
        {"pkg.compat", 0, 0},   {"", 0, 0},           {".a.b", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t klen = 0;
        intptr_t v = 0;
        bool found = ll_dotted_longest_key(&keys, &prefixes, cases[i].name, &klen, &v);
        cr_assert_eq(found, cases[i].klen != 0, "%s", cases[i].name);
        if (found) {
            cr_assert_eq(klen, cases[i].klen, "%s: length %zu", cases[i].name, klen);
            cr_assert_eq(v, cases[i].value, "%s", cases[i].name);
        }
    }
    ll_strmap_release(&keys);
    ll_identset_release(&prefixes);
}
