/*
 * policy_lex.c - the policy language's lexer and its memory.  The language
 * is line-oriented (one clause per line, '#' comments), so newlines are
 * tokens.  Words are runs of letters, digits, '_', '-', '+' and ':'
 * (rule ids, keywords, dates, numbers, crossing codes); anything with spaces
 * goes in double quotes.  Every token carries its 1-based line and column
 * so that errors can point at file:line:col.
 */
#include "policy.h"

#include <string.h>

#define ARENA_CHUNK 16384

void *
sarhad__arena_alloc(struct arena *a, size_t size)
{
    struct arena_chunk *c = a->head;
    void *p;

    size = (size + 7) & ~(size_t)7;
    if (c == NULL || c->cap - c->used < size) {
        size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;
        c = sarhad__malloc(sizeof(*c) + cap);
        if (c == NULL)
            return NULL;
        c->cap = cap;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    p = (char *)(c + 1) + c->used;
    c->used += size;
    memset(p, 0, size);
    return p;
}

char *
sarhad__arena_strndup(struct arena *a, const char *s, size_t len)
{
    char *p = sarhad__arena_alloc(a, len + 1);

    if (p != NULL) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

void
sarhad__arena_free(struct arena *a)
{
    while (a->head != NULL) {
        struct arena_chunk *next = a->head->next;
        sarhad__free(a->head);
        a->head = next;
    }
}

void
sarhad__lex_init(struct lexer *lx, const char *src, size_t len)
{
    lx->src = src;
    lx->len = len;
    lx->pos = 0;
    lx->line = 1;
    lx->col = 1;
    lx->error = NULL;
}

static bool
is_word_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '+' ||
           c == ':';
}

static void
advance(struct lexer *lx)
{
    if (lx->src[lx->pos] == '\n') {
        lx->line++;
        lx->col = 1;
    } else if (((unsigned char)lx->src[lx->pos] & 0xC0) != 0x80) {
        lx->col++; /* columns count characters, not UTF-8 bytes */
    }
    lx->pos++;
}

static struct token
make(struct lexer *lx, enum tok_kind kind, size_t start, unsigned line,
     unsigned col)
{
    struct token t;

    t.kind = kind;
    t.text = lx->src + start;
    t.len = lx->pos - start;
    t.line = line;
    t.col = col;
    return t;
}

static struct token
error_token(struct lexer *lx, const char *why, unsigned line, unsigned col)
{
    struct token t = make(lx, TOK_ERROR, lx->pos, line, col);

    lx->error = why;
    return t;
}

/* Spaces, tabs, carriage returns and comments, up to a newline or the end. */
static void
skip_blanks(struct lexer *lx)
{
    for (;;) {
        while (lx->pos < lx->len &&
               (lx->src[lx->pos] == ' ' || lx->src[lx->pos] == '\t' ||
                lx->src[lx->pos] == '\r'))
            advance(lx);
        if (lx->pos >= lx->len || lx->src[lx->pos] != '#')
            return;
        while (lx->pos < lx->len && lx->src[lx->pos] != '\n')
            advance(lx);
    }
}

static struct token
lex_word(struct lexer *lx, unsigned line, unsigned col)
{
    size_t start = lx->pos;

    while (lx->pos < lx->len && is_word_char((unsigned char)lx->src[lx->pos]))
        advance(lx);
    if (lx->pos - start > 200)
        return error_token(lx, "word longer than 200 characters", line, col);
    return make(lx, TOK_WORD, start, line, col);
}

/* A string from its opening quote; the token is the body, escapes kept. */
static struct token
lex_string(struct lexer *lx, unsigned line, unsigned col)
{
    size_t start;
    struct token t;

    advance(lx);
    start = lx->pos;
    while (lx->pos < lx->len && lx->src[lx->pos] != '"') {
        if (lx->src[lx->pos] == '\n')
            return error_token(lx,
                               "unterminated string: expected "
                               "'\"' before the end of the line",
                               line, col);
        if ((unsigned char)lx->src[lx->pos] < ' ' && lx->src[lx->pos] != '\t')
            return error_token(lx, "control character in a string", lx->line,
                               lx->col);
        if (lx->src[lx->pos] == '\\') {
            advance(lx);
            if (lx->pos >= lx->len ||
                (lx->src[lx->pos] != '"' && lx->src[lx->pos] != '\\'))
                return error_token(lx,
                                   "expected \\\" or \\\\ in a "
                                   "string",
                                   lx->line, lx->col);
        }
        advance(lx);
    }
    if (lx->pos >= lx->len)
        return error_token(lx, "unterminated string: expected '\"'", line, col);
    if (lx->pos - start > 400)
        return error_token(lx, "string longer than 400 bytes", line, col);
    t = make(lx, TOK_STRING, start, line, col);
    advance(lx);
    return t;
}

static struct token
lex_punctuation(struct lexer *lx, unsigned line, unsigned col)
{
    size_t start = lx->pos;
    char c = lx->src[lx->pos];

    advance(lx);
    switch (c) {
    case '(':
        return make(lx, TOK_LPAREN, start, line, col);
    case ')':
        return make(lx, TOK_RPAREN, start, line, col);
    case ';':
        return make(lx, TOK_SEMI, start, line, col);
    case ',':
        return make(lx, TOK_COMMA, start, line, col);
    case '.':
        if (lx->pos < lx->len && lx->src[lx->pos] == '.') {
            advance(lx);
            return make(lx, TOK_DOTDOT, start, line, col);
        }
        return error_token(lx, "expected '..' between two dates", line, col);
    default:
        return error_token(lx, "unexpected character", line, col);
    }
}

struct token
sarhad__lex_next(struct lexer *lx)
{
    unsigned line, col;
    size_t start;
    unsigned char c;

    skip_blanks(lx);
    line = lx->line;
    col = lx->col;
    start = lx->pos;
    if (lx->pos >= lx->len)
        return make(lx, TOK_EOF, start, line, col);
    c = (unsigned char)lx->src[lx->pos];
    if (c == '\n') {
        advance(lx);
        return make(lx, TOK_NEWLINE, start, line, col);
    }
    if (is_word_char(c))
        return lex_word(lx, line, col);
    if (c == '"')
        return lex_string(lx, line, col);
    return lex_punctuation(lx, line, col);
}

char *
sarhad__lex_string(struct arena *a, const struct token *t)
{
    char *out = sarhad__arena_alloc(a, t->len + 1);
    size_t n = 0;

    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < t->len; i++) {
        if (t->text[i] == '\\' && i + 1 < t->len)
            i++;
        out[n++] = t->text[i];
    }
    out[n] = '\0';
    return out;
}
