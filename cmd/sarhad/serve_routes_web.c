/*
 * serve_routes_web.c - the web console: the files of web/ (HTML, CSS,
 * JavaScript), which scripts/embed.sh turns into the table below at build
 * time, so the binary carries its console and serves it with no files on
 * disk.  GET / is index.html; GET /NAME is web/NAME; anything else is 404.
 *
 * Every file goes out with its exact Content-Type, nosniff, and a strict
 * Content-Security-Policy: scripts, styles and fetches from this origin
 * only, no inline script or style, no plugins, no framing, forms posting
 * nowhere else.  The console is built so that it needs nothing more.
 * Caching: "no-cache" with an ETag made from the file's bytes, so a
 * browser revalidates on every load (a 304 costs a few bytes) and a new
 * binary's console is never mixed with the old one's cached script.
 */
#include "serve.h"

#include <stdio.h>
#include <string.h>

/* Made by scripts/embed.sh (build/gen/web.gen.c). */
struct sarhad_web_file {
    const char *path;
    const char *type;
    const unsigned char *data;
    size_t len;
};
extern const struct sarhad_web_file sarhad_web_files[];

static const char console_csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self'; connect-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'";

static const struct sarhad_web_file *
find_file(const char *path)
{
    for (const struct sarhad_web_file *f = sarhad_web_files; f->path != NULL;
         f++)
        if (strcmp(f->path, path) == 0)
            return f;
    return NULL;
}

/* FNV-1a, 64 bits: enough to tell two builds' files apart. */
static void
make_etag(const struct sarhad_web_file *f, char *out, size_t cap)
{
    uint64_t h = 0xcbf29ce484222325u;

    for (size_t i = 0; i < f->len; i++) {
        h ^= f->data[i];
        h *= 0x100000001b3u;
    }
    snprintf(out, cap, "\"%016llx\"", (unsigned long long)h);
}

void
route_web(struct server *srv, struct request *req)
{
    const struct sarhad_web_file *f;
    const char *inm;
    char path[sizeof(req->param) + 1];

    (void)srv;
    if (req->param[0] == '\0')
        snprintf(path, sizeof(path), "/index.html");
    else
        snprintf(path, sizeof(path), "/%s", req->param);
    f = find_file(path);
    if (f == NULL) {
        serve_reply_error(req, 404, "not_found", NULL, "no such page");
        return;
    }
    req->csp = console_csp;
    req->cache_control = "no-cache";
    make_etag(f, req->etag, sizeof(req->etag));
    inm = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
                                      MHD_HTTP_HEADER_IF_NONE_MATCH);
    if (inm != NULL && strcmp(inm, req->etag) == 0) {
        serve_reply_text(req, 304, f->type, "", 0);
        return;
    }
    serve_reply_text(req, 200, f->type, (const char *)f->data, f->len);
}
