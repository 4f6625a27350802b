#include "engine/sources.h"

#include <string.h>

/* Untrusted data: command line, environment, user input, network reads,
 * downloads and web-request objects. */
static const char *const untrusted_sources[] = {
    "sys.argv",
    "input",
    "os.environ",
    "os.getenv",
    "os.environb",
    "os.getenvb",
    "argparse.ArgumentParser().parse_args()",
    "argparse.ArgumentParser().parse_known_args()",
    "flask.request",
    "django.http.HttpRequest",
    "requests.get()",
    "requests.post()",
    "requests.put()",
    "requests.request()",
    "requests.Session().get()",
    "requests.Session().post()",
    "httpx.get()",
    "httpx.post()",
    "urllib.request.urlopen()",
    "urllib.request.urlretrieve()",
    "urllib.urlopen()",
    "huggingface_hub.hf_hub_download()",
    "huggingface_hub.snapshot_download()",
    "huggingface_hub.cached_download()",
    "torch.hub.download_url_to_file()",
    "socket.socket().recv()",
    "socket.socket().accept()[]",
    "zmq.Context.instance().socket().recv()",
    "zmq.Context.instance().socket().recv_multipart()",
    "zmq.Context().socket().recv_string()",
    "zmq.Context().socket().recv_json()",
    "multiprocessing.connection.Listener().accept().recv()",
    "multiprocessing.connection.Client().recv()",
    "flask.request.get_data()",
    "socket.socket().recvfrom()",
    "socket.socket().makefile()",
    "socket.create_connection().recv()",
    "zmq.Context().socket().recv()",
    "zmq.Context().socket().recv_multipart()",
    "multiprocessing.connection.Listener().accept().recv_bytes()",
    "multiprocessing.connection.Client().recv_bytes()",
};

static const char *const propagators[] = {
    "open", "io.open", "io.BytesIO", "io.StringIO", "io.BufferedReader",
    "str", "bytes", "bytearray", "memoryview", "os.fspath",
    "os.path.join", "os.path.abspath", "os.path.realpath", "os.path.normpath",
    "os.path.expanduser", "os.path.expandvars", "os.path.basename",
    "os.path.dirname", "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath",
    "gzip.open", "gzip.GzipFile", "bz2.open", "bz2.BZ2File", "lzma.open",
    "codecs.open", "base64.b64decode", "base64.urlsafe_b64decode",
    "base64.decodebytes", "zlib.decompress", "binascii.unhexlify",
    "bytes.fromhex", "tempfile.NamedTemporaryFile", "shutil.copyfileobj",
};

static const char *const propagating_methods[] = {
    "read", "readline", "readlines", "read_bytes", "read_text", "getvalue",
    "format", "join", "joinpath", "decode", "encode", "strip", "lstrip",
    "rstrip", "replace", "lower", "upper", "open", "with_suffix", "with_name",
    "resolve", "absolute", "expanduser", "get", "get_data", "get_json",
    "getlist", "content", "json", "iter_content", "items", "values", "pop",
    "copy", "tobytes", "getbuffer",
};

static bool extends(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(name, prefix, n) != 0)
        return false;
    char c = name[n];
    if (c == '\0' || c == '.')
        return true;
    if (c == '[' && name[n + 1] == ']')
        return true; /* a, b = source: each element */
    /* "requests.get" also matches "requests.get()..." */
    return prefix[n - 1] != ')' && c == '(';
}

const char *ll_sources_match(const char *name)
{
    for (size_t i = 0; i < sizeof untrusted_sources / sizeof *untrusted_sources; i++)
        if (extends(name, untrusted_sources[i]))
            return untrusted_sources[i];
    return NULL;
}

bool ll_sources_is_propagator(const char *name)
{
    for (size_t i = 0; i < sizeof propagators / sizeof *propagators; i++)
        if (strcmp(name, propagators[i]) == 0)
            return true;
    return false;
}

bool ll_sources_is_propagating_method(const char *method, size_t len)
{
    for (size_t i = 0; i < sizeof propagating_methods / sizeof *propagating_methods; i++)
        if (strlen(propagating_methods[i]) == len &&
            memcmp(propagating_methods[i], method, len) == 0)
            return true;
    return false;
}

void ll_sources_tokens(LLStrMap *out)
{
    static const char *const web[] = {
        "request", "Request", "UploadFile", "WebSocket", "HttpRequest", "RequestHandler",
        "get_argument", "get_arguments", "get_body_argument", "get_query_argument", "route",
        "api_route", "websocket", "get", "post", "put", "delete", "patch", "head", "options",
        "view", "django", "rest_framework", "write", "write_bytes", "write_text", "writelines",
        "copyfileobj", "copyfile", "copy", "urlretrieve", "download_url_to_file", NULL};
    for (size_t i = 0; i < sizeof untrusted_sources / sizeof *untrusted_sources; i++) {
        const char *s = untrusted_sources[i];
        /* every segment: "argv" and "sys" of sys.argv... the last is enough
         * to be a necessary condition, so keep the last one */
        size_t n = strlen(s);
        while (n && (s[n - 1] == ')' || s[n - 1] == '(' || s[n - 1] == ']' || s[n - 1] == '['))
            n--;
        size_t start = n;
        while (start && s[start - 1] != '.')
            start--;
        size_t len = n - start;
        while (len && (s[start + len - 1] == ')' || s[start + len - 1] == '('))
            len--;
        const char *paren = memchr(s + start, '(', len);
        if (paren)
            len = (size_t)(paren - (s + start));
        if (len)
            ll_strmap_put(out, s + start, len, 1);
    }
    for (const char *const *w = web; *w; w++)
        ll_strmap_put(out, *w, strlen(*w), 1);
}
