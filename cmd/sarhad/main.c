/*
 * main.c - the sarhad command: finds the verb and hands it the arguments.
 * The verb table is generated from the SARHAD_VERB lines of the files in
 * cmd/sarhad/.
 */
#include "cmd.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define X(name, summary) int cmd_##name(int argc, char **argv);
#include "verbs.gen.h"
#undef X

static const struct {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} verbs[] = {
#define X(name, summary) {#name, summary, cmd_##name},
#include "verbs.gen.h"
#undef X
};

static void
print_usage(FILE *out)
{
    fprintf(out, "usage: sarhad VERB [ARGS...]   (sarhad VERB --help for "
                 "its options)\n\nverbs:\n");
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
        fprintf(out, "  %-12s %s\n", verbs[i].name, verbs[i].summary);
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        print_usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("sarhad %s\n", SARHAD_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
        if (strcmp(argv[1], verbs[i].name) == 0)
            return verbs[i].run(argc - 1, argv + 1);
    fprintf(stderr, "sarhad: unknown verb '%s'\n", argv[1]);
    print_usage(stderr);
    return EXIT_USAGE;
}

void *
xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);

    if (p == NULL) {
        fputs("sarhad: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

void *
xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);

    if (p == NULL) {
        fputs("sarhad: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

char *
xstrdup(const char *s)
{
    size_t len = strlen(s) + 1;

    return memcpy(xmalloc(len), s, len);
}

char *
read_input(const char *path, size_t cap, size_t *len_out)
{
    int is_stdin = path == NULL || strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    size_t len = 0, alloc = 4096;
    char *buf;

    if (f == NULL) {
        fprintf(stderr, "sarhad: %s: %s\n", name, strerror(errno));
        return NULL;
    }
    buf = xmalloc(alloc);
    for (;;) {
        size_t n;
        if (len + 1 >= alloc) {
            alloc *= 2;
            buf = xrealloc(buf, alloc);
        }
        n = fread(buf + len, 1, alloc - len - 1, f);
        len += n;
        if (len > cap) {
            fprintf(stderr, "sarhad: %s: larger than the limit of %zu bytes\n",
                    name, cap);
            free(buf);
            if (!is_stdin)
                fclose(f);
            return NULL;
        }
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        fprintf(stderr, "sarhad: %s: read error\n", name);
        free(buf);
        buf = NULL;
    } else {
        buf[len] = '\0';
        if (len_out != NULL)
            *len_out = len;
    }
    if (!is_stdin)
        fclose(f);
    return buf;
}

int
usage_error(const char *verb, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "sarhad %s: ", verb);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see sarhad %s --help)\n", verb);
    return EXIT_USAGE;
}

void
print_error(const char *path, const struct sarhad_error *err)
{
    if (path != NULL) {
        fputs(path, stderr);
        if (err->line > 0)
            fprintf(stderr, ":%u:%u", err->line, err->col);
        fputs(": ", stderr);
    } else if (err->line > 0) {
        fprintf(stderr, "%u:%u: ", err->line, err->col);
    }
    if (err->field[0] != '\0')
        fprintf(stderr, "%s: ", err->field);
    fprintf(stderr, "%s\n",
            err->message[0] ? err->message : sarhad_strerror(err->code));
}
