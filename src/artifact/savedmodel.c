#include "artifact/savedmodel.h"

#include "artifact/protobuf.h"
#include "base/buf.h"
#include "base/mem.h"
#include "base/vec.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* The op table (sorted by name)                                      */

#define PY ART_CHECK_TF_PYTHON_OP, LL_SEV_ERROR, LL_ART_MALICIOUS
#define WR ART_CHECK_TF_FILE_WRITE_OP, LL_SEV_ERROR, LL_ART_SUSPICIOUS
#define RD ART_CHECK_TF_FILE_READ_OP, LL_SEV_WARNING, LL_ART_SUSPICIOUS
#define NET ART_CHECK_TF_NETWORK_OP, LL_SEV_WARNING, LL_ART_SUSPICIOUS
#define LIT ART_CHECK_TF_LITERAL_PATH, LL_SEV_WARNING, LL_ART_SUSPICIOUS

static const LLTfOpInfo g_ops[] = {
    {"CSVDataset", RD, "reads CSV files", 0, false},
    {"CSVDatasetV2", RD, "reads CSV files", 0, false},
    {"CreateSummaryDbWriter", WR, "writes summaries to a SQLite database file", 1, false},
    {"CreateSummaryFileWriter", WR, "creates event files in a directory", 1, false},
    {"DatasetToTFRecord", WR, "writes a dataset to a TFRecord file", 1, false},
    {"DebugIdentity", WR, "dumps tensors to files or gRPC URLs (debug_urls)", -1, false},
    {"DebugIdentityV2", WR, "dumps tensors to files under its dump_root", -1, false},
    {"DebugIdentityV3", WR, "dumps tensors to files or gRPC URLs (debug_urls)", -1, false},
    {"DebugNanCount", WR, "dumps tensor statistics to files or gRPC URLs (debug_urls)", -1,
     false},
    {"DebugNumericSummary", WR, "dumps tensor statistics to files or gRPC URLs (debug_urls)",
     -1, false},
    {"EagerPyFunc", PY, "calls a Python function registered in the loading process", -1,
     false},
    {"ExperimentalCSVDataset", RD, "reads CSV files", 0, false},
    {"ExperimentalDatasetToTFRecord", WR, "writes a dataset to a TFRecord file", 1, false},
    {"ExperimentalLMDBDataset", RD, "reads LMDB files", 0, false},
    {"ExperimentalMatchingFilesDataset", RD, "lists files matching a pattern", 0, false},
    {"ExperimentalSqlDataset", RD, "runs a SQL query on a database file", 1, false},
    {"FixedLengthRecordDataset", RD, "reads files", 0, false},
    {"FixedLengthRecordDatasetV2", RD, "reads files", 0, false},
    {"FixedLengthRecordReader", RD, "reads the files a queue names", -1, false},
    {"FixedLengthRecordReaderV2", RD, "reads the files a queue names", -1, false},
    {"GenerateVocabRemapping", LIT, "reads vocabulary files", 0, true},
    {"ImmutableConst", RD, "maps the file its memory_region_name names into memory", -1,
     false},
    {"InitializeTableFromTextFile", LIT, "reads a text file into a lookup table", 1, true},
    {"InitializeTableFromTextFileV2", LIT, "reads a text file into a lookup table", 1, true},
    {"LMDBDataset", RD, "reads LMDB files", 0, false},
    {"LMDBReader", RD, "reads the files a queue names", -1, false},
    {"LoadAndRemapMatrix", LIT, "reads a checkpoint file", 0, true},
    {"LoadDataset", RD, "loads a saved dataset from files", 0, false},
    {"MatchingFiles", RD, "lists files matching a pattern", 0, false},
    {"MatchingFilesDataset", RD, "lists files matching a pattern", 0, false},
    {"MergeV2Checkpoints", LIT, "merges checkpoint files and deletes their folders", 1, true},
    {"PrintV2", WR, "prints to the file its output_stream names", -1, false},
    {"PyFunc", PY, "calls a Python function registered in the loading process", -1, false},
    {"PyFuncStateless", PY, "calls a Python function registered in the loading process", -1,
     false},
    {"ReadFile", RD, "reads a file", 0, false},
    {"Restore", LIT, "reads a checkpoint file", 0, true},
    {"RestoreSlice", LIT, "reads a checkpoint file", 0, true},
    {"RestoreV2", LIT, "reads a checkpoint file", 0, true},
    {"Rpc", NET, "calls a remote server (RPC)", 0, false},
    {"RpcCall", NET, "calls a remote server (RPC)", -1, false},
    {"RpcClient", NET, "connects to a remote server (RPC)", 0, false},
    {"RpcServer", NET, "starts an RPC server", 0, false},
    {"RpcServerRegister", NET, "registers a function with an RPC server", -1, false},
    {"RpcServerStart", NET, "starts an RPC server", -1, false},
    {"Save", LIT, "writes a checkpoint file", 0, true},
    {"SaveDataset", WR, "saves a dataset to files", 1, false},
    {"SaveDatasetV2", WR, "saves a dataset to files", 1, false},
    {"SaveSlices", LIT, "writes a checkpoint file", 0, true},
    {"SaveV2", LIT, "writes a checkpoint file", 0, true},
    {"SnapshotDataset", WR, "writes dataset snapshots to files", 1, false},
    {"SnapshotDatasetV2", WR, "writes dataset snapshots to files", 1, false},
    {"SqlDataset", RD, "runs a SQL query on a database file", 1, false},
    {"TFRecordDataset", RD, "reads TFRecord files", 0, false},
    {"TFRecordDatasetV2", RD, "reads TFRecord files", 0, false},
    {"TFRecordReader", RD, "reads the files a queue names", -1, false},
    {"TFRecordReaderV2", RD, "reads the files a queue names", -1, false},
    {"TextLineDataset", RD, "reads text files", 0, false},
    {"TextLineReader", RD, "reads the files a queue names", -1, false},
    {"TextLineReaderV2", RD, "reads the files a queue names", -1, false},
    {"TryRpc", NET, "calls a remote server (RPC)", 0, false},
    {"WholeFileReader", RD, "reads the files a queue names", -1, false},
    {"WholeFileReaderV2", RD, "reads the files a queue names", -1, false},
    {"WriteFile", WR, "writes a file", 0, false},
};

#undef PY
#undef WR
#undef RD
#undef NET
#undef LIT

const LLTfOpInfo *ll_art_savedmodel_op(const char *op, size_t len)
{
    if (!op || !len)
        return NULL; /* a node without an op */
    size_t lo = 0, hi = sizeof g_ops / sizeof *g_ops;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *name = g_ops[mid].op;
        size_t nlen = strlen(name);
        int c = memcmp(name, op, nlen < len ? nlen : len);
        if (c == 0)
            c = nlen < len ? -1 : nlen > len ? 1 : 0;
        if (c == 0)
            return &g_ops[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

LLSavedModelKind ll_art_savedmodel_name_kind(const char *name)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    if (strcmp(base, "saved_model.pb") == 0)
        return LL_SAVEDMODEL_GRAPH;
    if (strcmp(base, "keras_metadata.pb") == 0)
        return LL_SAVEDMODEL_KERAS_METADATA;
    return LL_SAVEDMODEL_NONE;
}

bool ll_art_savedmodel_sniff(const uint8_t *head, size_t n)
{
    LLProtobufReader r;
    ll_protobuf_init(&r, head, 0, n);
    LLProtobufField f;
    const char *e;
    unsigned fields = 0;
    for (;;) {
        LLProtobufStatus st = ll_protobuf_next(&r, &f, &e);
        if (st == LL_PROTOBUF_END)
            return fields > 0;
        if (st == LL_PROTOBUF_ERROR) /* a field cut off by the end of the head */
            return strstr(e, "past the end") != NULL || (fields > 0 && strstr(e, "truncated"));
        if (!((f.number == 1 && (f.wire == LL_PB_VARINT || f.wire == LL_PB_BYTES)) ||
              (f.number == 2 && f.wire == LL_PB_BYTES)))
            return false;
        fields++;
    }
}

/* ------------------------------------------------------------------ */
/* Parsing                                                            */

typedef struct Str {
    const uint8_t *p;
    size_t n;
} Str;

#define NODE_INPUTS 2

typedef struct Node {
    uint32_t scope;
    Str name, op;
    Str input[NODE_INPUTS]; /* the first data inputs */
    unsigned ninputs;
    Str konst;     /* Const: the first string of its "value" tensor */
    bool has_konst;
    Str attr_path; /* output_stream, memory_region_name, dump_root, debug_urls[0] */
    size_t offset, length;
} Node;

typedef struct Scope {
    Str name; /* function name; empty for a graph */
} Scope;

typedef enum MsgType {
    T_SAVEDMODEL,
    T_METAGRAPH,
    T_SAVERDEF,
    T_ASSETDEF,
    T_TENSORINFO,
    T_GRAPHDEF,
    T_FUNCLIB,
    T_FUNCDEF,
    T_OPDEF,
    T_OBJGRAPH,
    T_SAVEDOBJECT,
    T_USEROBJECT,
    T_METADATA,
    T_KERAS_OBJECT,
} MsgType;

typedef struct Frame {
    LLProtobufReader r;
    MsgType type;
    uint32_t scope;
    Str s1, s2; /* user object / Keras object: identifier-or-path, metadata */
    size_t s2_offset;
} Frame;

typedef struct SM {
    const LLArtSavedModelOptions *o;
    const uint8_t *data;
    size_t len;
    const LLArtLoc *where;
    LLArtResult *out;
    LL_VEC(Node) nodes;
    LL_VEC(Scope) scopes;
    LL_VEC(Str) fed; /* tensors the loader feeds: saver filename, asset paths */
    unsigned nfindings;
    bool stopped;
} SM;

static void sm_loc(const SM *s, LLArtLoc *loc, uint64_t off, uint64_t len)
{
    memset(loc, 0, sizeof *loc);
    if (s->where) {
        loc->nmembers = s->where->nmembers;
        for (uint32_t m = 0; m < loc->nmembers && m < LL_ART_MAX_NESTING; m++)
            loc->members[m] = s->where->members[m];
    }
    loc->offset = off;
    loc->length = len;
}

static void sm_report(SM *s, const char *check, LLSeverity sev, LLArtVerdict v, uint64_t off,
                      uint64_t len, const char *subject, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
static void sm_report(SM *s, const char *check, LLSeverity sev, LLArtVerdict v, uint64_t off,
                      uint64_t len, const char *subject, const char *fmt, ...)
{
    if (s->stopped)
        return;
    LLArtLoc loc;
    if (s->nfindings >= LL_SAVEDMODEL_MAX_FINDINGS) {
        sm_loc(s, &loc, 0, s->len);
        ll_art_add(s->out, ART_CHECK_LIMIT, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL,
                   "more than LL_SAVEDMODEL_MAX_FINDINGS (%u) op findings; the rest of the "
                   "graph was not reported",
                   LL_SAVEDMODEL_MAX_FINDINGS);
        s->stopped = true;
        return;
    }
    s->nfindings++;
    sm_loc(s, &loc, off, len);
    LLBuf b;
    ll_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    ll_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    ll_art_add(s->out, check, sev, v, &loc, subject, "%s", b.data);
    ll_buf_release(&b);
}

static bool str_eq(Str s, const char *lit)
{
    size_t n = strlen(lit);
    return s.n == n && n && memcmp(s.p, lit, n) == 0;
}

/* The first string of an AttrValue: s, tensor.string_val[0] or
 * list.s[0] (two levels of nesting read inline). */
static bool attr_first_string(const uint8_t *base, size_t off, size_t len, Str *out)
{
    LLProtobufReader r;
    ll_protobuf_init(&r, base, off, off + len);
    LLProtobufField f;
    const char *e;
    while (ll_protobuf_next(&r, &f, &e) == LL_PROTOBUF_FIELD) {
        if (f.wire != LL_PB_BYTES)
            continue;
        if (f.number == 2) { /* s */
            out->p = f.data;
            out->n = f.len;
            return true;
        }
        if (f.number == 8 || f.number == 1) { /* tensor.string_val / list.s */
            unsigned want = f.number == 8 ? 8 : 2;
            LLProtobufReader in;
            ll_protobuf_sub(&in, &r, &f);
            LLProtobufField g;
            while (ll_protobuf_next(&in, &g, &e) == LL_PROTOBUF_FIELD) {
                if (g.number == want && g.wire == LL_PB_BYTES) {
                    out->p = g.data;
                    out->n = g.len;
                    return true;
                }
            }
        }
    }
    return false;
}

/* A NodeDef, read inline (its attr map entries too). */
static const char *parse_node(SM *s, const LLProtobufReader *parent, const LLProtobufField *nf,
                              uint32_t scope)
{
    if (s->nodes.len >= LL_SAVEDMODEL_MAX_NODES)
        return "limit";
    Node n;
    memset(&n, 0, sizeof n);
    n.scope = scope;
    n.offset = nf->offset;
    n.length = nf->len;
    LLProtobufReader r;
    ll_protobuf_sub(&r, parent, nf);
    LLProtobufField f;
    const char *e = NULL;
    Str konst_value = {0}; /* the "value" attr's range */
    size_t value_off = 0, value_len = 0;
    bool have_value = false;
    LLProtobufStatus st;
    while ((st = ll_protobuf_next(&r, &f, &e)) == LL_PROTOBUF_FIELD) {
        if (f.wire != LL_PB_BYTES)
            continue;
        Str v = {f.data, f.len};
        if (f.number == 1) {
            n.name = v;
        } else if (f.number == 2) {
            n.op = v;
        } else if (f.number == 3) {
            if (v.n && v.p[0] == '^')
                continue; /* a control input */
            if (n.ninputs < NODE_INPUTS)
                n.input[n.ninputs] = v;
            n.ninputs++;
        } else if (f.number == 5) { /* map<string, AttrValue> entry */
            LLProtobufReader er;
            ll_protobuf_sub(&er, &r, &f);
            LLProtobufField g;
            Str key = {0};
            size_t voff = 0, vlen = 0;
            bool has_v = false;
            LLProtobufStatus est;
            while ((est = ll_protobuf_next(&er, &g, &e)) == LL_PROTOBUF_FIELD) {
                if (g.number == 1 && g.wire == LL_PB_BYTES) {
                    key.p = g.data;
                    key.n = g.len;
                } else if (g.number == 2 && g.wire == LL_PB_BYTES) {
                    voff = g.offset;
                    vlen = g.len;
                    has_v = true;
                }
            }
            if (est == LL_PROTOBUF_ERROR)
                return e;
            if (!has_v)
                continue;
            if (str_eq(key, "value")) {
                value_off = voff;
                value_len = vlen;
                have_value = true;
            } else if (str_eq(key, "output_stream") || str_eq(key, "memory_region_name") ||
                       str_eq(key, "dump_root") || str_eq(key, "debug_urls")) {
                attr_first_string(s->data, voff, vlen, &n.attr_path);
            }
        }
    }
    if (st == LL_PROTOBUF_ERROR)
        return e;
    if (have_value && str_eq(n.op, "Const") &&
        attr_first_string(s->data, value_off, value_len, &konst_value)) {
        n.konst = konst_value;
        n.has_konst = true;
    }
    LL_VEC_PUSH(&s->nodes, n);
    return NULL;
}

static void keras_metadata(SM *s, Str meta, size_t off, Str label, const char *kind)
{
    if (!meta.n)
        return;
    LLBuf what;
    ll_buf_init(&what);
    ll_buf_printf(&what, "%s `%.*s`", kind, (int)(label.n > 200 ? 200 : label.n),
                  (const char *)label.p);
    ll_art_keras_scan_text(s->o->keras, (const char *)meta.p, meta.n, off, what.data, s->where,
                           s->out);
    ll_buf_release(&what);
}

static uint32_t new_scope(SM *s)
{
    Scope sc;
    memset(&sc, 0, sizeof sc);
    LL_VEC_PUSH(&s->scopes, sc);
    return (uint32_t)(s->scopes.len - 1);
}

/* Walks the message tree; returns NULL or an error sentence (*at: where). */
static const char *parse(SM *s, MsgType root, size_t *at)
{
    Frame stack[LL_PROTOBUF_MAX_DEPTH];
    unsigned depth = 0;
    memset(&stack[0], 0, sizeof stack[0]);
    ll_protobuf_init(&stack[0].r, s->data, 0, s->len);
    stack[0].type = root;
    depth = 1;
    while (depth > 0) {
        Frame *fr = &stack[depth - 1];
        LLProtobufField f;
        const char *e = NULL;
        LLProtobufStatus st = ll_protobuf_next(&fr->r, &f, &e);
        if (st == LL_PROTOBUF_ERROR) {
            *at = fr->r.pos;
            return e;
        }
        if (st == LL_PROTOBUF_END) {
            if (fr->type == T_USEROBJECT && fr->s2.n) {
                Str label = fr->s1.n ? fr->s1 : (Str){(const uint8_t *)"user object", 11};
                keras_metadata(s, fr->s2, fr->s2_offset, label, "SavedModel user object");
            } else if (fr->type == T_KERAS_OBJECT && fr->s2.n) {
                Str label = fr->s1.n ? fr->s1 : (Str){(const uint8_t *)"node", 4};
                keras_metadata(s, fr->s2, fr->s2_offset, label, "keras_metadata.pb node");
            }
            depth--;
            continue;
        }
        if (f.wire != LL_PB_BYTES)
            continue;
        MsgType child = T_SAVEDMODEL;
        bool push = false;
        uint32_t scope = fr->scope;
        switch (fr->type) {
        case T_SAVEDMODEL:
            push = f.number == 2;
            child = T_METAGRAPH;
            break;
        case T_METAGRAPH:
            if (f.number == 2) {
                push = true;
                child = T_GRAPHDEF;
                scope = new_scope(s);
            } else if (f.number == 7) {
                push = true;
                child = T_OBJGRAPH;
            } else if (f.number == 3) {
                push = true;
                child = T_SAVERDEF;
            } else if (f.number == 6) {
                push = true;
                child = T_ASSETDEF;
            }
            break;
        case T_SAVERDEF: /* filename_tensor_name: fed with the path at restore */
            if (f.number == 1)
                LL_VEC_PUSH(&s->fed, ((Str){f.data, f.len}));
            break;
        case T_ASSETDEF: /* tensor_info: its tensor is fed the asset's path at load */
            push = f.number == 1;
            child = T_TENSORINFO;
            break;
        case T_TENSORINFO:
            if (f.number == 1)
                LL_VEC_PUSH(&s->fed, ((Str){f.data, f.len}));
            break;
        case T_GRAPHDEF:
            if (f.number == 1) {
                e = parse_node(s, &fr->r, &f, fr->scope);
                if (e) {
                    *at = f.field_offset;
                    return e;
                }
            } else if (f.number == 2) {
                push = true;
                child = T_FUNCLIB;
            }
            break;
        case T_FUNCLIB:
            if (f.number == 1) {
                push = true;
                child = T_FUNCDEF;
                scope = new_scope(s);
            }
            break;
        case T_FUNCDEF:
            if (f.number == 3) {
                e = parse_node(s, &fr->r, &f, fr->scope);
                if (e) {
                    *at = f.field_offset;
                    return e;
                }
            } else if (f.number == 1) {
                push = true;
                child = T_OPDEF;
            }
            break;
        case T_OPDEF:
            if (f.number == 1) {
                s->scopes.items[fr->scope].name.p = f.data;
                s->scopes.items[fr->scope].name.n = f.len;
            }
            break;
        case T_OBJGRAPH:
            push = f.number == 1;
            child = T_SAVEDOBJECT;
            break;
        case T_SAVEDOBJECT:
            push = f.number == 4;
            child = T_USEROBJECT;
            break;
        case T_USEROBJECT:
            if (f.number == 1) {
                fr->s1 = (Str){f.data, f.len};
            } else if (f.number == 3) {
                fr->s2 = (Str){f.data, f.len};
                fr->s2_offset = f.offset;
            }
            break;
        case T_METADATA:
            push = f.number == 1;
            child = T_KERAS_OBJECT;
            break;
        case T_KERAS_OBJECT:
            if (f.number == 3) {
                fr->s1 = (Str){f.data, f.len};
            } else if (f.number == 5) {
                fr->s2 = (Str){f.data, f.len};
                fr->s2_offset = f.offset;
            }
            break;
        }
        if (!push)
            continue;
        if (depth >= LL_PROTOBUF_MAX_DEPTH) {
            *at = f.field_offset;
            return "limit";
        }
        Frame *nf = &stack[depth++];
        memset(nf, 0, sizeof *nf);
        ll_protobuf_sub(&nf->r, &fr->r, &f);
        nf->type = child;
        nf->scope = scope;
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Evaluation                                                         */

/* A hard-coded path that leaves the model: absolute, "..", "~", a URL, a
 * NUL byte. */
static const char *path_escapes(Str p)
{
    if (!p.n)
        return NULL;
    if (memchr(p.p, '\0', p.n))
        return "holds a NUL byte";
    if (p.p[0] == '/' || p.p[0] == '\\')
        return "is absolute";
    if (p.n >= 2 && p.p[1] == ':' &&
        ((p.p[0] >= 'a' && p.p[0] <= 'z') || (p.p[0] >= 'A' && p.p[0] <= 'Z')))
        return "is absolute";
    if (p.p[0] == '~')
        return "starts in a home folder";
    for (size_t i = 0; i + 2 < p.n; i++)
        if (p.p[i] == ':' && p.p[i + 1] == '/' && p.p[i + 2] == '/')
            return "is a URL";
    size_t start = 0;
    for (size_t i = 0; i <= p.n; i++) {
        if (i == p.n || p.p[i] == '/' || p.p[i] == '\\') {
            if (i - start == 2 && p.p[start] == '.' && p.p[start + 1] == '.')
                return "goes up out of its folder (..)";
            start = i + 1;
        }
    }
    return NULL;
}

typedef struct NodeKey {
    uint32_t scope;
    Str name;
    size_t index;
} NodeKey;

static int cmp_key(const void *a, const void *b)
{
    const NodeKey *x = a, *y = b;
    if (x->scope != y->scope)
        return x->scope < y->scope ? -1 : 1;
    size_t n = x->name.n < y->name.n ? x->name.n : y->name.n;
    int c = n ? memcmp(x->name.p, y->name.p, n) : 0;
    if (c)
        return c;
    return x->name.n < y->name.n ? -1 : x->name.n > y->name.n ? 1 : 0;
}

/* Whether node `name` of a graph is a tensor the loader feeds ("name:0"
 * listed in the saver or the asset defs): its Const value is a default. */
static bool fed_by_loader(const SM *s, Str name)
{
    for (size_t i = 0; i < s->fed.len; i++) {
        Str t = s->fed.items[i];
        size_t n = 0;
        while (n < t.n && t.p[n] != ':')
            n++;
        if (n && n == name.n && !memcmp(t.p, name.p, n))
            return true;
    }
    return false;
}

/* The node an input ("name", "name:1", "name:out:0") of scope refers to. */
static const Node *resolve(const SM *s, const NodeKey *keys, uint32_t scope, Str input)
{
    size_t n = 0;
    while (n < input.n && input.p[n] != ':')
        n++;
    NodeKey k = {scope, {input.p, n}, 0};
    const NodeKey *hit = bsearch(&k, keys, s->nodes.len, sizeof *keys, cmp_key);
    return hit ? &s->nodes.items[hit->index] : NULL;
}

static void scope_text(const SM *s, uint32_t scope, LLBuf *b)
{
    Str name = s->scopes.items[scope].name;
    if (name.n)
        ll_buf_printf(b, "function `%.*s`", (int)(name.n > 200 ? 200 : name.n),
                      (const char *)name.p);
    else
        ll_buf_puts(b, "the graph");
}

static void quote(LLBuf *b, Str v)
{
    size_t n = v.n > 200 ? 200 : v.n;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = v.p[i];
        if (c < 0x20 || c == 0x7f)
            ll_buf_printf(b, "\\x%02x", c);
        else
            ll_buf_putc(b, (char)c);
    }
    if (v.n > n)
        ll_buf_puts(b, "...");
}

static void evaluate(SM *s)
{
    NodeKey *keys = ll_xmalloc((s->nodes.len ? s->nodes.len : 1) * sizeof *keys);
    for (size_t i = 0; i < s->nodes.len; i++) {
        keys[i].scope = s->nodes.items[i].scope;
        keys[i].name = s->nodes.items[i].name;
        keys[i].index = i;
    }
    qsort(keys, s->nodes.len, sizeof *keys, cmp_key);
    for (size_t i = 0; i < s->nodes.len && !s->stopped; i++) {
        const Node *n = &s->nodes.items[i];
        const LLTfOpInfo *info = ll_art_savedmodel_op((const char *)n->op.p, n->op.n);
        if (!info)
            continue;
        Str path = {0};
        bool have_path = false;
        if (info->path_input >= 0 && (unsigned)info->path_input < n->ninputs &&
            info->path_input < NODE_INPUTS) {
            const Node *src = resolve(s, keys, n->scope, n->input[info->path_input]);
            if (src && src->has_konst && !(s->scopes.items[src->scope].name.n == 0 &&
                                           fed_by_loader(s, src->name))) {
                path = src->konst;
                have_path = true;
            }
        }
        if (!have_path && n->attr_path.n) {
            path = n->attr_path;
            have_path = true;
        }
        LLBuf msg, where, subj;
        ll_buf_init(&msg);
        ll_buf_init(&where);
        ll_buf_init(&subj);
        scope_text(s, n->scope, &where);
        ll_buf_printf(&subj, "%.*s", (int)n->op.n, (const char *)n->op.p);
        if (info->literal_only) {
            const char *why = have_path ? path_escapes(path) : NULL;
            if (why) {
                ll_buf_printf(&msg, "node `%.*s` (%s) in %s %s with the hard-coded path `",
                              (int)(n->name.n > 200 ? 200 : n->name.n),
                              (const char *)n->name.p, subj.data, where.data, info->what);
                quote(&msg, path);
                ll_buf_printf(&msg, "`, which %s: loading or saving the model touches files "
                                    "outside it",
                              why);
                ll_buf_reset(&subj);
                quote(&subj, path);
                sm_report(s, info->check, info->severity, info->verdict, n->offset, n->length,
                          subj.data, "%s", msg.data);
            }
        } else if (strcmp(info->op, "PrintV2") == 0) {
            if (have_path && path.n >= 7 && memcmp(path.p, "file://", 7) == 0) {
                ll_buf_printf(&msg, "node `%.*s` (PrintV2) in %s prints to the file `",
                              (int)(n->name.n > 200 ? 200 : n->name.n),
                              (const char *)n->name.p, where.data);
                quote(&msg, path);
                ll_buf_puts(&msg, "` when the graph runs");
                sm_report(s, info->check, info->severity, info->verdict, n->offset, n->length,
                          subj.data, "%s", msg.data);
            }
        } else {
            ll_buf_printf(&msg, "node `%.*s` in %s runs the op `%s`, which %s",
                          (int)(n->name.n > 200 ? 200 : n->name.n), (const char *)n->name.p,
                          where.data, subj.data, info->what);
            if (have_path) {
                ll_buf_puts(&msg, " (`");
                quote(&msg, path);
                ll_buf_puts(&msg, "`)");
            }
            ll_buf_puts(&msg, ", when the model is loaded or called");
            sm_report(s, info->check, info->severity, info->verdict, n->offset, n->length,
                      subj.data, "%s", msg.data);
        }
        ll_buf_release(&msg);
        ll_buf_release(&where);
        ll_buf_release(&subj);
    }
    free(keys);
}

void ll_art_savedmodel_scan(const LLArtSavedModelOptions *o, const uint8_t *data, size_t len,
                            const LLArtLoc *where, LLArtResult *out)
{
    if (!data)
        data = (const uint8_t *)""; /* an empty input may come as NULL */
    bool meta = o && o->kind == LL_SAVEDMODEL_KERAS_METADATA;
    if (!out->format)
        out->format = meta ? "keras-metadata" : "tf-savedmodel";
    SM s;
    memset(&s, 0, sizeof s);
    s.o = o;
    s.data = data;
    s.len = len;
    s.where = where;
    s.out = out;
    size_t at = 0;
    const char *e = parse(&s, meta ? T_METADATA : T_SAVEDMODEL, &at);
    LLArtLoc loc;
    if (e && strcmp(e, "limit") == 0) {
        sm_loc(&s, &loc, at, at < len ? 1 : 0);
        ll_art_add(out, ART_CHECK_LIMIT, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL,
                   "%s: more than LL_SAVEDMODEL_MAX_NODES (%u) nodes or nesting past "
                   "LL_PROTOBUF_MAX_DEPTH (%u) at byte %zu; the rest was not read",
                   meta ? "keras_metadata.pb" : "saved_model.pb", LL_SAVEDMODEL_MAX_NODES,
                   LL_PROTOBUF_MAX_DEPTH, at);
    } else if (e) {
        sm_loc(&s, &loc, at, at < len ? 1 : 0);
        ll_art_add(out, ART_CHECK_MALFORMED, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL,
                   "not a readable %s protobuf: %s at byte %zu",
                   meta ? "SavedMetadata (keras_metadata.pb)" : "SavedModel (saved_model.pb)", e,
                   at);
    } else if (!meta && s.scopes.len == 0) {
        sm_loc(&s, &loc, 0, len);
        ll_art_add(out, ART_CHECK_MALFORMED, LL_SEV_WARNING, LL_ART_UNSCANNABLE, &loc, NULL,
                   "saved_model.pb holds no graph (no MetaGraphDef with a GraphDef)");
    }
    if (!e || strcmp(e, "limit") == 0)
        evaluate(&s);
    LL_VEC_FREE(&s.nodes);
    LL_VEC_FREE(&s.scopes);
    LL_VEC_FREE(&s.fed);
    if (out->verdict < LL_ART_SAFE)
        out->verdict = LL_ART_SAFE;
}
