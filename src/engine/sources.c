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

void ll_sources_names(LLNameSet *out)
{
    /* handlers of these frameworks take requests as parameters; the files
     * that define them import the framework by name */
    static const char *const frameworks[] = {"fastapi", "flask", "starlette", "aiohttp",
                                             "django", "rest_framework", "tornado", "quart",
                                             "sanic", "litestar", NULL};
    for (size_t i = 0; i < sizeof untrusted_sources / sizeof *untrusted_sources; i++)
        ll_nameset_add(out, untrusted_sources[i]);
    for (const char *const *f = frameworks; *f; f++)
        ll_nameset_add(out, *f);
    /* files filled by downloads */
    ll_nameset_add(out, "download_url_to_file");
    ll_nameset_add(out, "urlretrieve");
}
