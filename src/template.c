/* template.c — pandoc-compatible templates: parses $var$, $if$, $for$ ... into a small tree and
 * renders it against a metadata map. It never escapes values (the caller's context does). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Deeper nesting than this is a typo, not a template; the cap also bounds render recursion. */
#define MAX_NEST 200
#define MAX_PIPES 8

typedef enum tkind { T_LIT, T_VAR, T_IF, T_FOR } tkind;
typedef enum pipe { P_UPPER, P_LOWER, P_LENGTH, P_FIRST, P_LAST } pipe;

typedef struct tnode tnode;
struct tnode {
    tkind kind;
    tnode *next;
    const char *s; /* T_LIT: the text; others: the variable's dotted path */
    size_t len;
    unsigned char pipes[MAX_PIPES];
    int npipes;
    tnode *body; /* T_IF: then; T_FOR: the loop body */
    tnode *alt;  /* T_IF: else; T_FOR: the $sep$ */
    bool chained; /* T_IF: alt is the $elseif$ that follows, not an $else$ branch */
};

struct nc_template {
    char *text;
    tnode **all;
    size_t nall, cap;
    tnode *first;
};

static const struct {
    const char *name;
    pipe p;
} pipe_names[] = {
    {"uppercase", P_UPPER}, {"lowercase", P_LOWER}, {"length", P_LENGTH},
    {"first", P_FIRST},     {"last", P_LAST},
};

typedef struct frame {
    tnode *top; /* the $if$ or $for$ that opened it: $endif$ resumes after it */
    tnode *cur; /* the innermost $if$ of an $elseif$ chain */
    size_t at;  /* offset of the opening directive, for "unclosed" errors */
    bool second; /* past $else$ or $sep$ */
} frame;

typedef struct parser {
    nc_template *t;
    const char *s;
    size_t len;
    const char *name;
    nc_diag *diag;
} parser;

static tnode *mk(nc_template *t, tkind kind)
{
    if (t->nall == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 32;
        t->all = nc_xrealloc(t->all, t->cap * sizeof *t->all);
    }
    tnode *n = nc_xcalloc(1, sizeof *n);
    n->kind = kind;
    return t->all[t->nall++] = n;
}

NC_PRINTF(3, 4) static int fail(parser *p, size_t at, const char *fmt, ...)
{
    nc_pos pos = {p->name, 1, 1};
    for (size_t i = 0; i < at && i < p->len; i++) {
        if (p->s[i] == '\n') {
            pos.line++;
            pos.col = 1;
        } else {
            pos.col++;
        }
    }
    va_list ap;
    va_start(ap, fmt);
    nc_diag_vreport(p->diag, NC_DIAG_ERROR, &pos, fmt, ap);
    va_end(ap);
    return -1;
}

static bool is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_namec(int c)
{
    return is_alpha(c) || (c >= '0' && c <= '9') || c == '-';
}

static size_t name_end(const parser *p, size_t i)
{
    if (i >= p->len || !is_alpha((unsigned char)p->s[i]))
        return i;
    while (i < p->len && is_namec((unsigned char)p->s[i]))
        i++;
    return i;
}

/* A variable: name(.name)* then /pipe*. Fills n; returns the offset after it, or 0. */
static size_t parse_var(parser *p, size_t i, tnode *n)
{
    size_t start = i, e;
    for (;;) {
        e = name_end(p, i);
        if (e == i) {
            fail(p, i, "expected a variable name in template");
            return 0;
        }
        i = e;
        if (i < p->len && p->s[i] == '.' && i + 1 < p->len && is_alpha((unsigned char)p->s[i + 1]))
            i++;
        else
            break;
    }
    n->s = p->s + start;
    n->len = i - start;
    while (i < p->len && p->s[i] == '/') {
        size_t ps = i + 1;
        e = name_end(p, ps);
        size_t k = 0, nk = sizeof pipe_names / sizeof pipe_names[0];
        for (; k < nk; k++)
            if (strlen(pipe_names[k].name) == e - ps &&
                memcmp(pipe_names[k].name, p->s + ps, e - ps) == 0)
                break;
        if (e == ps || k == nk) {
            fail(p, ps, "unknown template pipe '%.*s' (supported: uppercase, lowercase, "
                        "length, first, last)", (int)(e - ps), p->s + ps);
            return 0;
        }
        if (n->npipes == MAX_PIPES) {
            fail(p, ps, "too many pipes");
            return 0;
        }
        n->pipes[n->npipes++] = (unsigned char)pipe_names[k].p;
        i = e;
    }
    return i;
}

static bool word_is(const char *s, size_t len, const char *w)
{
    return strlen(w) == len && memcmp(s, w, len) == 0;
}

/* Appends a literal, merging with the previous one when the text is contiguous. */
static void lit(nc_template *t, tnode ***tail, tnode **last, const char *s, size_t len)
{
    if (!len)
        return;
    if (*last && *tail == &(*last)->next && (*last)->s + (*last)->len == s) {
        (*last)->len += len;
        return;
    }
    tnode *n = mk(t, T_LIT);
    n->s = s;
    n->len = len;
    **tail = n;
    *tail = &n->next;
    *last = n;
}

nc_template *nc_template_parse(const char *text, size_t len, const char *name, nc_diag *diag)
{
    nc_template *t = nc_xcalloc(1, sizeof *t);
    t->text = nc_xstrndup(text ? text : "", text ? len : 0);
    parser p = {t, t->text, text ? len : 0, name ? name : "template", diag};
    frame stack[MAX_NEST];
    int depth = 0;
    tnode **tail = &t->first;
    tnode *last = NULL; /* the latest literal, whose trailing blanks a lone directive strips */
    size_t i = 0;

    while (i < p.len) {
        const char *d = memchr(p.s + i, '$', p.len - i);
        size_t at = d ? (size_t)(d - p.s) : p.len;
        lit(t, &tail, &last, p.s + i, at - i);
        if (at >= p.len)
            break;
        if (at + 1 < p.len && p.s[at + 1] == '$') {
            lit(t, &tail, &last, p.s + at, 1);
            i = at + 2;
            continue;
        }
        if (at + 2 < p.len && p.s[at + 1] == '-' && p.s[at + 2] == '-') {
            const char *nl = memchr(p.s + at, '\n', p.len - at);
            i = nl ? (size_t)(nl - p.s) + 1 : p.len;
            continue;
        }
        bool braced = at + 1 < p.len && p.s[at + 1] == '{';
        size_t k = at + 1 + braced;
        while (braced && k < p.len && (p.s[k] == ' ' || p.s[k] == '\t'))
            k++;
        size_t we = name_end(&p, k);
        if (we == k) {
            fail(&p, at, "'$' starts no variable or directive in template (write $$ for a "
                         "literal dollar sign)");
            goto error;
        }
        const char *w = p.s + k;
        size_t wl = we - k;
        tnode *n = NULL;
        enum { D_VAR, D_IF, D_ELSEIF, D_ELSE, D_ENDIF, D_FOR, D_SEP, D_ENDFOR } dk = D_VAR;
        if (we < p.len && p.s[we] == '(') {
            if (word_is(w, wl, "if"))
                dk = D_IF;
            else if (word_is(w, wl, "elseif"))
                dk = D_ELSEIF;
            else if (word_is(w, wl, "for"))
                dk = D_FOR;
            else {
                fail(&p, at, "template partials ('%.*s()') are not supported", (int)wl, w);
                goto error;
            }
            n = mk(t, dk == D_FOR ? T_FOR : T_IF);
            k = parse_var(&p, we + 1, n);
            if (!k)
                goto error;
            if (k >= p.len || p.s[k] != ')') {
                fail(&p, k, "expected ')' in template");
                goto error;
            }
            k++;
        } else if (word_is(w, wl, "else")) {
            dk = D_ELSE, k = we;
        } else if (word_is(w, wl, "endif")) {
            dk = D_ENDIF, k = we;
        } else if (word_is(w, wl, "sep")) {
            dk = D_SEP, k = we;
        } else if (word_is(w, wl, "endfor")) {
            dk = D_ENDFOR, k = we;
        } else {
            n = mk(t, T_VAR);
            k = parse_var(&p, k, n);
            if (!k)
                goto error;
            if (k < p.len && p.s[k] == '(') {
                fail(&p, at, "template partials ('%.*s()') are not supported", (int)n->len, n->s);
                goto error;
            }
        }
        while (braced && k < p.len && (p.s[k] == ' ' || p.s[k] == '\t'))
            k++;
        if (k >= p.len || p.s[k] != (braced ? '}' : '$')) {
            fail(&p, at, "unterminated '%.*s' in template (a '$' must close it; write $$ for a "
                         "literal dollar sign)", (int)(k - at > 20 ? 20 : k - at), p.s + at);
            goto error;
        }
        size_t end = k + 1;

        if (dk == D_VAR) {
            *tail = n;
            tail = &n->next;
            i = end;
            continue;
        }

        /* pandoc's rule: a directive alone on its line takes the whole line with it */
        size_t ls = at, le = end;
        while (ls > 0 && (p.s[ls - 1] == ' ' || p.s[ls - 1] == '\t'))
            ls--;
        while (le < p.len && (p.s[le] == ' ' || p.s[le] == '\t' || p.s[le] == '\r'))
            le++;
        if ((ls == 0 || p.s[ls - 1] == '\n') && (le == p.len || p.s[le] == '\n')) {
            if (last && last->s + last->len == p.s + at && at > ls &&
                tail == &last->next)
                last->len -= at - ls;
            end = le < p.len ? le + 1 : le;
        }
        i = end;
        last = NULL;

        frame *f = depth ? &stack[depth - 1] : NULL;
        switch (dk) {
        case D_IF:
        case D_FOR:
            if (depth == MAX_NEST) {
                fail(&p, at, "template directives nested too deeply");
                goto error;
            }
            *tail = n;
            tail = &n->body;
            stack[depth++] = (frame){n, n, at, false};
            break;
        case D_ELSEIF:
            if (!f || f->top->kind != T_IF || f->second) {
                fail(&p, at, "$elseif$ without $if$ in template");
                goto error;
            }
            f->cur->alt = n;
            f->cur->chained = true;
            f->cur = n;
            tail = &n->body;
            break;
        case D_ELSE:
            if (!f || f->top->kind != T_IF || f->second) {
                fail(&p, at, "$else$ without $if$ in template");
                goto error;
            }
            f->second = true;
            tail = &f->cur->alt;
            break;
        case D_SEP:
            if (!f || f->top->kind != T_FOR || f->second) {
                fail(&p, at, "$sep$ outside $for$ in template");
                goto error;
            }
            f->second = true;
            tail = &f->top->alt;
            break;
        case D_ENDIF:
        case D_ENDFOR:
            if (!f || f->top->kind != (dk == D_ENDIF ? T_IF : T_FOR)) {
                fail(&p, at, "$%s$ without $%s$ in template", dk == D_ENDIF ? "endif" : "endfor",
                     dk == D_ENDIF ? "if" : "for");
                goto error;
            }
            tail = &f->top->next;
            depth--;
            break;
        case D_VAR:
            break;
        }
    }
    if (depth) {
        const frame *f = &stack[depth - 1];
        fail(&p, f->at, f->top->kind == T_IF ? "$if(%.*s)$ is never closed by $endif$"
                                             : "$for(%.*s)$ is never closed by $endfor$",
             (int)f->top->len, f->top->s);
        goto error;
    }
    return t;
error:
    nc_template_free(t);
    return NULL;
}

void nc_template_free(nc_template *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nall; i++)
        free(t->all[i]);
    free(t->all);
    free(t->text);
    free(t);
}

/* ---- rendering ---- */

/* A loop variable in scope: inside $for(a.b)$, "a.b" and "it" name the current item. */
typedef struct scope {
    const char *var;
    size_t len;
    const nc_meta *item;
    const struct scope *up;
} scope;

typedef struct value {
    const nc_meta *m;
    bool isnum;
    size_t num;
    int textcase; /* 0, or P_UPPER / P_LOWER + 1 */
} value;

static const nc_meta *field(const nc_meta *m, const char *k, size_t klen)
{
    if (!m || m->kind != NC_META_MAP)
        return NULL;
    for (size_t i = 0; i < m->n; i++)
        if (strncmp(m->keys[i], k, klen) == 0 && m->keys[i][klen] == '\0')
            return m->items[i];
    return NULL;
}

static value resolve(const tnode *n, const nc_meta *ctx, const scope *sc)
{
    const char *s = n->s, *end = n->s + n->len;
    const nc_meta *m = ctx;
    const char *dot = memchr(s, '.', n->len);
    size_t first = dot ? (size_t)(dot - s) : n->len;
    if (sc && first == 2 && memcmp(s, "it", 2) == 0) {
        m = sc->item;
        s += 2;
    } else {
        for (const scope *c = sc; c; c = c->up)
            if (c->len <= n->len && memcmp(c->var, s, c->len) == 0 &&
                (c->len == n->len || s[c->len] == '.')) {
                m = c->item;
                s += c->len;
                break;
            }
    }
    while (m && s < end) {
        if (*s == '.')
            s++;
        const char *e = memchr(s, '.', (size_t)(end - s));
        if (!e)
            e = end;
        m = field(m, s, (size_t)(e - s));
        s = e;
    }
    value v = {m, false, 0, 0};
    for (int i = 0; i < n->npipes; i++) {
        switch ((pipe)n->pipes[i]) {
        case P_UPPER:
        case P_LOWER:
            v.textcase = n->pipes[i] + 1;
            break;
        case P_LENGTH:
            if (!v.m)
                v.num = 0;
            else if (v.m->kind == NC_META_LIST || v.m->kind == NC_META_MAP)
                v.num = v.m->n;
            else if (v.m->kind == NC_META_STRING || v.m->kind == NC_META_NUMBER) {
                v.num = 0;
                for (size_t j = 0; j < v.m->len; j++)
                    v.num += ((unsigned char)v.m->str[j] & 0xC0) != 0x80;
            } else {
                v.num = 1;
            }
            v.isnum = true;
            v.m = NULL;
            break;
        case P_FIRST:
        case P_LAST:
            if (v.m && v.m->kind == NC_META_LIST)
                v.m = v.m->n ? v.m->items[n->pipes[i] == P_FIRST ? 0 : v.m->n - 1] : NULL;
            break;
        }
    }
    return v;
}

/* pandoc's rendering of a value: lists concatenate, maps and true say "true", false is empty,
 * and a string loses one final newline. */
static void put_meta(const nc_meta *m, nc_buf *out)
{
    if (!m)
        return;
    switch (m->kind) {
    case NC_META_STRING:
    case NC_META_NUMBER:
        nc_buf_put(out, m->str, m->len && m->str[m->len - 1] == '\n' ? m->len - 1 : m->len);
        break;
    case NC_META_BOOL:
        if (m->b)
            nc_buf_puts(out, "true");
        break;
    case NC_META_MAP:
        nc_buf_puts(out, "true");
        break;
    case NC_META_LIST:
        for (size_t i = 0; i < m->n; i++)
            put_meta(m->items[i], out);
        break;
    case NC_META_INLINES:
    case NC_META_BLOCKS:
        nc_meta_text(m, out);
        break;
    }
}

static void render(const tnode *n, const nc_meta *ctx, const scope *sc, nc_buf *out)
{
    for (; n; n = n->next) {
        switch (n->kind) {
        case T_LIT:
            nc_buf_put(out, n->s, n->len);
            break;
        case T_VAR: {
            value v = resolve(n, ctx, sc);
            size_t from = out->len;
            if (v.isnum)
                nc_buf_printf(out, "%zu", v.num);
            else
                put_meta(v.m, out);
            if (v.textcase)
                for (size_t i = from; i < out->len; i++) {
                    char c = out->ptr[i];
                    if (v.textcase == P_UPPER + 1 && c >= 'a' && c <= 'z')
                        out->ptr[i] = (char)(c - 'a' + 'A');
                    else if (v.textcase == P_LOWER + 1 && c >= 'A' && c <= 'Z')
                        out->ptr[i] = (char)(c - 'A' + 'a');
                }
            break;
        }
        case T_IF:
            /* an $elseif$ chain is walked here rather than by recursion */
            for (const tnode *c = n; c;) {
                value v = resolve(c, ctx, sc);
                if (v.isnum || nc_meta_truthy(v.m)) {
                    render(c->body, ctx, sc, out);
                    break;
                }
                if (c->chained) {
                    c = c->alt;
                } else {
                    render(c->alt, ctx, sc, out);
                    break;
                }
            }
            break;
        case T_FOR: {
            value v = resolve(n, ctx, sc);
            if (!v.m)
                break;
            scope inner = {n->s, n->len, v.m, sc};
            if (v.m->kind != NC_META_LIST) {
                render(n->body, ctx, &inner, out);
                break;
            }
            for (size_t i = 0; i < v.m->n; i++) {
                if (i)
                    render(n->alt, ctx, sc, out);
                inner.item = v.m->items[i];
                render(n->body, ctx, &inner, out);
            }
            break;
        }
        }
    }
}

void nc_template_render(const nc_template *t, const nc_meta *ctx, nc_buf *out)
{
    render(t->first, ctx, NULL, out);
    nc_buf_grow(out, 0);
    out->ptr[out->len] = '\0';
}
