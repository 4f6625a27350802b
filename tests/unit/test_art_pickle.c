/* The pickle walker (src/artifact/pickle.c): imports and calls resolved
 * through the stack and memo, load errors, limits and hostile inputs, the
 * legacy torch.save sequence, joblib's raw array data, sniffing. */
#include "artifact/pickle.h"
#include "test_art_helpers.h"

#include <time.h>

static ATPolicy pol;
static void setup(void) { at_policy_load(&pol); }
static void teardown(void) { at_policy_free(&pol); }

TestSuite(art_pickle, .init = setup, .fini = teardown);

static void scan(ATBuf *b, LLArtResult *r)
{
    at_scan(&pol.opts, b->d, b->len, r);
}

/* callee(arg) with a protocol 0 string argument */
static void call_p0(ATBuf *b, const char *arg)
{
    at_byte(b, '(');
    at_lit(b, "S'");
    at_str(b, arg);
    at_lit(b, "'\n");
    at_lit(b, "tR");
}

Test(art_pickle, dangerous_global_protocol0)
{
    ATBuf b = {0};
    at_global(&b, "os", "system");
    call_p0(&b, "echo hi");
    at_byte(&b, '.');
    LLArtResult r;
    scan(&b, &r);
    char dump[4096];
    cr_assert_eq(r.findings.len, 1, "%s", at_dump(&r, dump, sizeof dump));
    const LLArtFinding *f = at_find(&r, ART_CHECK_PICKLE_DANGEROUS, "os.system");
    cr_assert_not_null(f);
    cr_assert_eq(f->severity, LL_SEV_ERROR);
    cr_assert_eq(f->loc.offset, 0, "located at the GLOBAL opcode");
    cr_assert_eq(f->loc.nmembers, 0);
    cr_assert(strstr(f->message, "calls it"), "%s", f->message);
    cr_assert_eq(r.verdict, LL_ART_MALICIOUS);
    cr_assert_str_eq(r.format, "pickle");
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_pickle, allow_listed_globals_are_safe)
{
    ATBuf b = {0};
    at_lit(&b, "\x80\x02");
    at_global(&b, "collections", "OrderedDict");
    at_lit(&b, ")R");
    at_global(&b, "torch._utils", "_rebuild_tensor_v2");
    at_lit(&b, "0.");
    LLArtResult r;
    scan(&b, &r);
    cr_assert_eq(r.findings.len, 0);
    cr_assert_eq(r.verdict, LL_ART_SAFE);
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_pickle, unlisted_global_is_suspicious)
{
    ATBuf b = {0};
    at_lit(&b, "\x80\x02");
    at_global(&b, "mylib.models", "Net");
    at_lit(&b, ")\x81.");
    LLArtResult r;
    scan(&b, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_UNLISTED, "mylib.models.Net"), 1);
    cr_assert_eq(r.verdict, LL_ART_SUSPICIOUS);
    ll_art_result_release(&r);
    at_free(&b);
}

/* MEMOIZE stores at the memo's size, not at a count of MEMOIZE opcodes */
Test(art_pickle, memoize_index_is_the_memo_size)
{
    ATBuf b = {0};
    at_lit(&b, "\x80\x04");
    at_u(&b, "torch");
    at_lit(&b, "q\x00" "0");      /* BINPUT 0, POP */
    at_u(&b, "os");
    at_lit(&b, "q\x00" "0");      /* BINPUT 0 again: overwrites, the memo holds 1 entry */
    at_u(&b, "system");
    at_lit(&b, "\x94" "0");       /* MEMOIZE: index 1 */
    at_lit(&b, "h\x00" "h\x01" "\x93"); /* BINGET 0, BINGET 1, STACK_GLOBAL */
    at_lit(&b, ".");
    LLArtResult r;
    scan(&b, &r);
    char dump[4096];
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DANGEROUS, "os.system"), 1, "%s", at_dump(&r, dump, sizeof dump));
    cr_assert_eq(r.findings.len, 1);
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_pickle, missing_memo_index_is_a_load_error_not_a_dynamic_import)
{
    ATBuf b = {0};
    at_lit(&b, "\x80\x04");
    at_u(&b, "os");
    at_lit(&b, "h\x07" "\x93.");
    LLArtResult r;
    scan(&b, &r);
    char dump[4096];
    cr_assert_eq(at_count(&r, ART_CHECK_MALFORMED, NULL), 1, "%s", at_dump(&r, dump, sizeof dump));
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DYNAMIC_GLOBAL, NULL), 0, "%s", dump);
    cr_assert_eq(r.verdict, LL_ART_UNSCANNABLE);
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_pickle, stack_global_on_a_call_result_is_dynamic)
{
    ATBuf b = {0};
    at_lit(&b, "\x80\x04");
    at_u(&b, "builtins");
    at_u(&b, "str.lower");
    at_lit(&b, "\x93(");
    at_u(&b, "OS");
    at_lit(&b, "tR");
    at_u(&b, "system");
    at_lit(&b, "\x93.");
    LLArtResult r;
    scan(&b, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DYNAMIC_GLOBAL, NULL), 1);
    cr_assert_eq(at_find(&r, ART_CHECK_PICKLE_DYNAMIC_GLOBAL, NULL)->severity, LL_SEV_ERROR);
    cr_assert_eq(r.verdict, LL_ART_MALICIOUS);
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_pickle, stack_global_on_an_int_fails_to_load)
{
    ATBuf b = {0};
    at_lit(&b, "\x80\x04K\x2a");
    at_u(&b, "system");
    at_lit(&b, "\x93.");
    LLArtResult r;
    scan(&b, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_MALFORMED, NULL), 1);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DYNAMIC_GLOBAL, NULL), 0);
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_pickle, getattr_resolves_the_attribute_chain)
{
    ATBuf b = {0};
    at_lit(&b, "\x80\x02");
    at_global(&b, "builtins", "getattr");
    at_byte(&b, '(');
    at_global(&b, "os", "path");
    at_lit(&b, "X\x04\x00\x00\x00join");
    at_lit(&b, "tR");
    at_lit(&b, "(X\x01\x00\x00\x00" "atR.");
    LLArtResult r;
    scan(&b, &r);
    char dump[4096];
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DANGEROUS, "os.path.join"), 1, "%s", at_dump(&r, dump, sizeof dump));
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DANGEROUS, "builtins.getattr"), 1);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_INDIRECT_CALL, NULL), 0, "the call target is resolved");
    cr_assert(strstr(at_find(&r, ART_CHECK_PICKLE_DANGEROUS, "os.path.join")->message, "calls it"));
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_pickle, python2_names_are_mapped)
{
    ATBuf b = {0};
    at_global(&b, "__builtin__", "eval");
    call_p0(&b, "1");
    at_global(&b, "copy_reg", "_reconstructor");
    at_lit(&b, "0.");
    LLArtResult r;
    scan(&b, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DANGEROUS, "builtins.eval"), 1);
    cr_assert_eq(r.findings.len, 1, "copyreg._reconstructor is allowed");
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_pickle, protocol0_escapes_are_decoded)
{
    ATBuf b = {0};
    at_lit(&b, "S'\\x6f\\163'\n");        /* "os" with a hex and an octal escape */
    at_lit(&b, "V\\u0073ystem\n");       /* raw-unicode-escape */
    at_lit(&b, "\x93.");
    LLArtResult r;
    scan(&b, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DANGEROUS, "os.system"), 1);
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_pickle, introspection_and_module_chains)
{
    ATBuf b = {0};
    at_lit(&b, "\x80\x04");
    at_u(&b, "numpy");
    at_u(&b, "__builtins__");
    at_lit(&b, "\x93" "0");
    at_u(&b, "numpy");
    at_u(&b, "core._internal.sys.modules");
    at_lit(&b, "\x93" "0");
    at_u(&b, "copyreg");
    at_u(&b, "__newobj__");
    at_lit(&b, "\x93.");
    LLArtResult r;
    scan(&b, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DANGEROUS, "numpy.__builtins__"), 1);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DANGEROUS, "numpy.core._internal.sys.modules"), 1);
    cr_assert_eq(r.findings.len, 2, "copyreg.__newobj__ is allow-listed");
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_pickle, inst_obj_newobj_ex_call_what_they_import)
{
    ATBuf b = {0};
    at_lit(&b, "(S'x'\nisubprocess\ncall\n0");
    at_lit(&b, "(");
    at_global(&b, "subprocess", "Popen");
    at_lit(&b, "S'id'\no0");
    at_lit(&b, "\x80\x04");
    at_u(&b, "subprocess");
    at_u(&b, "run");
    at_lit(&b, "\x93)}\x92.");
    LLArtResult r;
    scan(&b, &r);
    static const char *const names[] = {"subprocess.call", "subprocess.Popen", "subprocess.run"};
    for (int i = 0; i < 3; i++) {
        const LLArtFinding *f = at_find(&r, ART_CHECK_PICKLE_DANGEROUS, names[i]);
        cr_assert_not_null(f, "%s", names[i]);
        cr_assert(strstr(f->message, "calls it"), "%s: %s", names[i], f->message);
    }
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_pickle, extension_codes_and_indirect_calls)
{
    ATBuf b = {0};
    at_lit(&b, "\x80\x02\x82\x7f)R0");
    at_global(&b, "_codecs", "encode");
    at_lit(&b, "(X\x01\x00\x00\x00xX\x06\x00\x00\x00latin1tR)R.");
    LLArtResult r;
    scan(&b, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_EXTENSION, "127"), 1);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_INDIRECT_CALL, NULL), 1);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_INDIRECT_CALL, NULL) + at_count(&r, ART_CHECK_PICKLE_EXTENSION, NULL),
                 r.findings.len, "the EXT result's call is not reported twice");
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_pickle, mutation_of_an_imported_object)
{
    ATBuf b = {0};
    at_lit(&b, "\x80\x02");
    at_global(&b, "mylib", "REGISTRY");
    at_lit(&b, "X\x01\x00\x00\x00kX\x01\x00\x00\x00vs.");
    LLArtResult r;
    scan(&b, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_GLOBAL_MUTATION, "mylib.REGISTRY"), 1);
    cr_assert_eq(r.verdict, LL_ART_MALICIOUS);
    ll_art_result_release(&r);
    at_free(&b);
}

/* 10^6 nested lists: an explicit stack, no recursion */
Test(art_pickle, million_deep_nesting)
{
    ATBuf b = {0};
    at_lit(&b, "\x80\x02");
    for (int i = 0; i < 1000000; i++)
        at_byte(&b, ']');
    for (int i = 0; i < 999999; i++)
        at_byte(&b, 'a');
    at_byte(&b, '.');
    LLArtResult r;
    scan(&b, &r);
    char dump[4096];
    /* past LL_ART_PICKLE_MAX_NODES lists, new ones are opaque: a note says so */
    cr_assert_eq(r.findings.len, 1, "%s", at_dump(&r, dump, sizeof dump));
    cr_assert_eq(at_find(&r, ART_CHECK_LIMIT, NULL)->severity, LL_SEV_NOTE);
    cr_assert_eq(r.verdict, LL_ART_SAFE);
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_pickle, stack_limit_is_reported)
{
    ATBuf b = {0};
    at_lit(&b, "\x80\x02");
    for (unsigned i = 0; i < LL_ART_PICKLE_MAX_STACK + 10u; i++)
        at_byte(&b, 'N');
    at_byte(&b, '.');
    LLArtResult r;
    scan(&b, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_LIMIT, NULL), 1);
    cr_assert_eq(r.verdict, LL_ART_UNSCANNABLE);
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_pickle, huge_memo_indexes_cost_nothing)
{
    ATBuf b = {0};
    at_lit(&b, "\x80\x04");
    at_u(&b, "os");
    at_lit(&b, "r\xff\xff\xff\xff" "0");
    at_u(&b, "system");
    at_lit(&b, "r\xfe\xff\xff\xff" "0");
    at_lit(&b, "j\xff\xff\xff\xffj\xfe\xff\xff\xff\x93.");
    LLArtResult r;
    scan(&b, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DANGEROUS, "os.system"), 1);
    cr_assert_eq(r.findings.len, 1);
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_pickle, memo_limit_is_reported)
{
    ATBuf b = {0};
    at_lit(&b, "\x80\x04N");
    for (unsigned i = 0; i < LL_ART_PICKLE_MAX_MEMO + 5u; i++)
        at_byte(&b, 0x94);
    at_byte(&b, '.');
    LLArtResult r;
    scan(&b, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_LIMIT, NULL), 1);
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_pickle, node_budget_keeps_checking_imports)
{
    ATBuf b = {0};
    at_lit(&b, "\x80\x02");
    for (unsigned i = 0; i < LL_ART_PICKLE_MAX_NODES + 100u; i++)
        at_lit(&b, ")0");
    at_global(&b, "os", "system");
    at_byte(&b, '.');
    LLArtResult r;
    scan(&b, &r);
    const LLArtFinding *lim = at_find(&r, ART_CHECK_LIMIT, NULL);
    cr_assert_not_null(lim);
    cr_assert_eq(lim->severity, LL_SEV_NOTE);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DANGEROUS, "os.system"), 1);
    cr_assert_eq(r.verdict, LL_ART_MALICIOUS);
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_pickle, huge_declared_lengths_are_not_allocated)
{
    static const char *const ops[] = {"\x8d", "\x8e", "\x96"};
    for (int k = 0; k < 3; k++) {
        ATBuf b = {0};
        at_lit(&b, "\x80\x05");
        at_str(&b, ops[k]);
        at_le(&b, 1ull << 62, 8);
        at_lit(&b, "abc.");
        LLArtResult r;
        scan(&b, &r);
        cr_assert_eq(at_count(&r, ART_CHECK_MALFORMED, NULL), 1, "opcode 0x%02x", (unsigned char)ops[k][0]);
        cr_assert_eq(r.verdict, LL_ART_UNSCANNABLE);
        ll_art_result_release(&r);
        at_free(&b);
    }
    ATBuf b = {0};
    at_lit(&b, "\x80\x04\x95");
    at_le(&b, UINT64_MAX, 8);
    at_lit(&b, "N.");
    LLArtResult r;
    scan(&b, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_MALFORMED, NULL), 1, "a frame past the end");
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_pickle, truncated_and_bad_opcodes)
{
    ATBuf b = {0};
    at_lit(&b, "\x80\x02");
    at_global(&b, "posix", "system");
    at_lit(&b, "(X\x02\x00\x00\x00idtR");   /* no STOP */
    LLArtResult r;
    scan(&b, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DANGEROUS, "posix.system"), 1, "what ran before the end");
    cr_assert_eq(at_count(&r, ART_CHECK_MALFORMED, NULL), 1);
    cr_assert_eq(r.verdict, LL_ART_UNSCANNABLE, "never clean");
    ll_art_result_release(&r);
    at_free(&b);

    at_lit(&b, "\x80\x02N\xfa.");
    scan(&b, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_MALFORMED, NULL), 1);
    cr_assert(strstr(at_find(&r, ART_CHECK_MALFORMED, NULL)->message, "0xfa"));
    ll_art_result_release(&r);
    at_free(&b);

    /* a string opcode whose declared length passes the end by one */
    at_lit(&b, "\x80\x04\x8c\x05" "abcd");
    scan(&b, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_MALFORMED, NULL), 1);
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_pickle, protocol_out_of_range_is_read_on)
{
    ATBuf b = {0};
    at_lit(&b, "\x80\x09");
    at_global(&b, "os", "system");
    at_lit(&b, ".");
    LLArtResult r;
    scan(&b, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_MALFORMED, NULL), 1);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DANGEROUS, "os.system"), 1);
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_pickle, concatenated_pickles_and_trailing_data)
{
    ATBuf b = {0};
    at_lit(&b, "\x80\x02}.");
    at_global(&b, "os", "system");
    at_lit(&b, ".");
    LLArtResult r;
    scan(&b, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DANGEROUS, "os.system"), 1, "the second pickle is read");
    const LLArtFinding *f = at_find(&r, ART_CHECK_PICKLE_DANGEROUS, NULL);
    cr_assert_eq(f->loc.offset, 4);
    ll_art_result_release(&r);
    at_free(&b);

    at_lit(&b, "\x80\x02}.\xff\xfe\x00garbage");
    scan(&b, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_TRAILING_DATA, NULL), 1);
    cr_assert_eq(r.verdict, LL_ART_SUSPICIOUS);
    ll_art_result_release(&r);
    at_free(&b);

    at_lit(&b, "\x80\x02}.\n");
    scan(&b, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_TRAILING_DATA, NULL), 1);
    cr_assert_eq(at_find(&r, ART_CHECK_TRAILING_DATA, NULL)->severity, LL_SEV_NOTE, "a blank line");
    cr_assert_eq(r.verdict, LL_ART_SAFE);
    ll_art_result_release(&r);
    at_free(&b);
}

static void legacy_magic(ATBuf *b)
{
    at_lit(b, "\x80\x02\x8a\x0a");
    at_put(b, "\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19", 10);
    at_byte(b, '.');
}

Test(art_pickle, legacy_torch_reads_five_pickles_not_the_storages)
{
    ATBuf b = {0};
    legacy_magic(&b);
    at_lit(&b, "\x80\x02M\xe9\x03.");         /* protocol version */
    at_lit(&b, "\x80\x02}.");                 /* sys info */
    at_lit(&b, "\x80\x02");
    at_global(&b, "collections", "OrderedDict");
    at_lit(&b, ")R.");                        /* the object */
    at_lit(&b, "\x80\x02].");                 /* storage keys */
    at_lit(&b, "cos\nsystem\n(S'x'\ntR.");   /* raw storage bytes: not a pickle torch reads */
    LLArtResult r;
    scan(&b, &r);
    char dump[4096];
    cr_assert_str_eq(r.format, "pytorch-legacy");
    cr_assert_eq(r.findings.len, 0, "%s", at_dump(&r, dump, sizeof dump));
    ll_art_result_release(&r);
    at_free(&b);

    legacy_magic(&b);
    at_lit(&b, "\x80\x02M\xe9\x03.");
    at_global(&b, "posix", "system");         /* the payload in the third */
    at_lit(&b, ".\x80\x02}.\x80\x02].");
    scan(&b, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DANGEROUS, "posix.system"), 1);
    ll_art_result_release(&r);
    at_free(&b);

    legacy_magic(&b);
    at_lit(&b, "\x80\x02M\xe9\x03.");
    scan(&b, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_MALFORMED, NULL), 1, "2 of 5 pickles");
    ll_art_result_release(&r);
    at_free(&b);
}

static void loads_of(ATBuf *out, const ATBuf *inner)
{
    at_lit(out, "\x80\x03");
    at_global(out, "pickle", "loads");
    at_byte(out, '(');
    at_byte(out, 'B');
    at_le(out, inner->len, 4);
    at_put(out, inner->d, inner->len);
    at_lit(out, "tR.");
}

Test(art_pickle, pickles_passed_to_loads_are_read)
{
    ATBuf inner = {0}, outer = {0};
    at_global(&inner, "nt", "system");
    at_lit(&inner, ".");
    loads_of(&outer, &inner);
    LLArtResult r;
    scan(&outer, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DANGEROUS, "nt.system"), 1);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DANGEROUS, "pickle.loads"), 1);
    ll_art_result_release(&r);
    /* nested past LL_ART_MAX_NESTING: reported, not read */
    for (unsigned i = 0; i < LL_ART_MAX_NESTING + 1; i++) {
        at_free(&inner);
        inner = outer;
        memset(&outer, 0, sizeof outer);
        loads_of(&outer, &inner);
    }
    scan(&outer, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_LIMIT, NULL), 1);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_DANGEROUS, "nt.system"), 0);
    ll_art_result_release(&r);
    at_free(&inner);
    at_free(&outer);
}

/* a joblib array wrapper for a float64 array of n (or a dtype string) */
static void wrapper(ATBuf *b, const char *dtype, unsigned n, bool structured)
{
    at_u(b, "joblib.numpy_pickle");
    at_u(b, "NumpyArrayWrapper");
    at_lit(b, "\x93)\x81}(");
    at_u(b, "subclass");
    at_u(b, "numpy");
    at_u(b, "ndarray");
    at_byte(b, 0x93);
    at_u(b, "shape");
    at_byte(b, 'K');
    at_byte(b, (uint8_t)n);
    at_byte(b, 0x85);
    at_u(b, "order");
    at_u(b, "C");
    at_u(b, "dtype");
    at_u(b, "numpy");
    at_u(b, "dtype");
    at_byte(b, 0x93);
    at_u(b, dtype);
    at_lit(b, "\x89\x88\x87R(K\x03");
    at_u(b, "<");
    at_str(b, structured ? "N(" : "NN");
    if (structured)
        at_lit(b, "t");
    at_lit(b, "NJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb");
    at_u(b, "numpy_array_alignment_bytes");
    at_lit(b, "K\x10ub");
}

Test(art_pickle, joblib_array_bytes_are_skipped)
{
    ATBuf b = {0};
    at_lit(&b, "\x80\x04}(");
    at_u(&b, "w");
    wrapper(&b, "f8", 3, false);
    at_lit(&b, "\x02\xff\xff");                     /* padding length 2, padding */
    at_put(&b, "cos\nsystem\n(S'x'\ntR.\0\0\0", 24); /* 3 x 8 raw bytes that look like a pickle */
    at_u(&b, "n");
    at_lit(&b, "K\x05u.");
    LLArtResult r;
    scan(&b, &r);
    char dump[4096];
    cr_assert_eq(r.findings.len, 0, "%s", at_dump(&r, dump, sizeof dump));
    cr_assert_str_eq(r.format, "joblib");
    ll_art_result_release(&r);
    at_free(&b);
}

/* joblib reads the array after the frame the wrapper's BUILD is in */
Test(art_pickle, joblib_array_after_the_frame)
{
    ATBuf body = {0};
    at_lit(&body, "}(");
    at_u(&body, "w");
    wrapper(&body, "i4", 2, false);
    at_u(&body, "n");
    at_lit(&body, "K\x05u");
    ATBuf b = {0};
    at_lit(&b, "\x80\x04\x95");
    at_le(&b, body.len, 8);
    at_put(&b, body.d, body.len);
    at_lit(&b, "\x00");                             /* padding length 0 */
    at_put(&b, "c\x01\x02\x03" "\xfa\xfb\xfc\xfd", 8); /* 2 x int32 */
    at_lit(&b, ".");
    LLArtResult r;
    scan(&b, &r);
    char dump[4096];
    cr_assert_eq(r.findings.len, 0, "%s", at_dump(&r, dump, sizeof dump));
    cr_assert_eq(r.verdict, LL_ART_SAFE);
    ll_art_result_release(&r);
    at_free(&b);
    at_free(&body);
}

Test(art_pickle, joblib_layouts_that_cannot_be_sized_stop_the_walk)
{
    ATBuf b = {0};
    at_lit(&b, "\x80\x04");
    wrapper(&b, "V8", 1, true);
    at_lit(&b, "\x00" "12345678.");
    LLArtResult r;
    scan(&b, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_UNSUPPORTED, NULL), 1);
    cr_assert_eq(r.verdict, LL_ART_UNSCANNABLE);
    ll_art_result_release(&r);
    at_free(&b);

    at_lit(&b, "\x80\x04");
    wrapper(&b, "f8", 200, false);
    at_lit(&b, "\x00" "short");
    scan(&b, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_MALFORMED, NULL), 1, "raw data past the end");
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_pickle, torchscript_classes_are_the_archives_own)
{
    ATBuf b = {0};
    at_lit(&b, "\x80\x02");
    at_global(&b, "__torch__.model", "Net");
    at_lit(&b, ")\x81.");
    LLArtResult r;
    ll_art_result_init(&r);
    uint64_t budget = 1u << 20;
    LLArtCtx ctx = {.opts = &pol.opts, .budget = &budget};
    ll_pickle_scan(&ctx, b.d, 0, b.len, LL_PICKLE_TORCHSCRIPT, &r);
    cr_assert_eq(r.findings.len, 0);
    ll_pickle_scan(&ctx, b.d, 0, b.len, 0, &r);
    cr_assert_eq(at_count(&r, ART_CHECK_PICKLE_UNLISTED, "__torch__.model.Net"), 1, "outside TorchScript");
    ll_art_result_release(&r);
    at_free(&b);
}

Test(art_pickle, sniff_by_structure)
{
    static const struct {
        const char *bytes;
        size_t n;
        bool whole, want;
    } cases[] = {
        {"N.", 2, true, true},
        {"cos\nsystem\n(S'x'\ntR.", 22, true, true},
        {"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00", 11, false, true}, /* a frame past the head */
        {"This is not a pickle.\n", 22, true, false},
        {"Setup:\nInstall numpy\n", 21, true, false},
        {"0123456789", 10, true, false},
        {"{\"a\": 1}", 8, true, false},
        {"\x80\x00\x00\x00\x00\x00\x00\x00{\"a\"", 12, true, false}, /* a safetensors header length */
        {"\x89PNG\r\n\x1a\n", 8, true, false},
        {"", 0, true, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        cr_assert_eq(ll_pickle_sniff((const uint8_t *)cases[i].bytes, cases[i].n, cases[i].whole), cases[i].want,
                     "case %zu", i);
}

/* a long benign pickle is read in linear time */
Test(art_pickle, linear_time_on_a_large_pickle)
{
    ATBuf b = {0};
    at_lit(&b, "\x80\x04]\x94(");
    for (int i = 0; i < 200000; i++) {
        at_u(&b, "a string value");
        at_byte(&b, 0x94);
        at_lit(&b, "K\x01\x86\x94");
    }
    at_lit(&b, "e.");
    clock_t t0 = clock();
    LLArtResult r;
    scan(&b, &r);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    cr_assert_eq(r.findings.len, 0);
    cr_assert_lt(secs, 2.0, "%.2f s for %zu bytes", secs, b.len);
    ll_art_result_release(&r);
    at_free(&b);
}
