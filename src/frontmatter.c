/* frontmatter.c — YAML (libyaml events) and TOML (a small parser of our own) front matter into
 * the metadata tree, with positions of the real file. Must not expand aliases without a budget,
 * recurse without a bound, print, or touch the document body. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "internal.h"

/* Values (after alias expansion) one front matter may hold: a fixed allowance plus one per input
 * byte, so that real notes never meet it and a "billion laughs" bomb stops early. */
#define ALIAS_BUDGET_BASE 100000
/* libyaml is iterative and so is our YAML builder; the TOML parser recurses on arrays and inline
 * tables, hence its lower bound. */
#define YAML_MAX_NEST NC_DEFAULT_MAX_DEPTH
#define TOML_MAX_NEST 128
/* Metadata maps look keys up one by one, so very wide maps would make reading quadratic. */
#define MAX_KEYS 1000

/* ---- scalars shared by YAML and TOML ---- */

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

static bool is_hex(char ch)
{
    return is_digit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

static bool eq(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

static nc_meta *new_number(nc_doc *doc, const char *s, size_t n, double v)
{
    nc_meta *m = nc_meta_new(doc, NC_META_NUMBER);
    m->str = nc_doc_strndup(doc, s, n);
    m->len = n;
    m->num = v;
    return m;
}

static nc_meta *new_bool(nc_doc *doc, bool b)
{
    nc_meta *m = nc_meta_new(doc, NC_META_BOOL);
    m->b = b;
    return m;
}

/* Parses digits (already stripped of '_') in base 2, 8, 10 or 16 after an optional sign. */
static double parse_num(const char *s, int base)
{
    if (base == 10)
        return strtod(s, NULL);
    bool neg = *s == '-';
    if (*s == '-' || *s == '+')
        s++;
    double v = (double)strtoull(s, NULL, base);
    return neg ? -v : v;
}

/* YAML 1.2 core schema numbers: [-+]?[0-9]+, 0o[0-7]+, 0x[0-9a-fA-F]+,
 * [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, [-+]?\.inf, \.nan. */
static bool yaml_number(const char *s, size_t n, double *v)
{
    if (n > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
        for (size_t i = 2; i < n; i++)
            if (s[1] == 'o' ? !(s[i] >= '0' && s[i] <= '7') : !is_hex(s[i]))
                return false;
        *v = (double)strtoull(s + 2, NULL, s[1] == 'o' ? 8 : 16);
        return true;
    }
    if (eq(s, n, ".nan") || eq(s, n, ".NaN") || eq(s, n, ".NAN")) {
        *v = NAN;
        return true;
    }
    size_t i = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        i++;
    const char *t = s + i;
    size_t tn = n - i;
    if (eq(t, tn, ".inf") || eq(t, tn, ".Inf") || eq(t, tn, ".INF")) {
        *v = s[0] == '-' ? -HUGE_VAL : HUGE_VAL;
        return true;
    }
    size_t digits = 0;
    while (i < n && is_digit(s[i]))
        i++, digits++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && is_digit(s[i]))
            i++, digits++;
    }
    if (!digits)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            i++;
        if (i >= n || !is_digit(s[i]))
            return false;
        while (i < n && is_digit(s[i]))
            i++;
    }
    if (i != n)
        return false;
    *v = parse_num(s, 10); /* libyaml's scalars are NUL-terminated */
    return true;
}

/* Whether map has room for one more key; reports an error at pos when it has not. */
static bool room(nc_diag *diag, const nc_meta *map, const nc_pos *pos)
{
    if (map->n < MAX_KEYS)
        return true;
    nc_diag_report(diag, NC_DIAG_ERROR, pos, "a front matter map holds more than %d keys",
                   MAX_KEYS);
    return false;
}

/* ---- YAML ---- */

typedef struct yframe {
    nc_meta *m;   /* the map or list being filled */
    char *anchor; /* registered when the collection ends, so that it cannot contain itself */
    size_t start; /* value count when it began */
    char *key;    /* a map's key waiting for its value */
    nc_pos keypos;
} yframe;

typedef struct yanchor {
    char *name;
    nc_meta *value; /* NULL for a null scalar */
    size_t nodes;
} yanchor;

typedef struct yctx {
    nc_doc *doc;
    nc_diag *diag;
    const char *file;
    const char *text;
    size_t len;
    uint32_t first_line;
    nc_meta *into;
    yframe *st;
    size_t depth, cap;
    yanchor *an;
    size_t nan, capan;
    size_t nodes, budget;
    /* cursors that make position look-ups linear over the whole parse */
    size_t yl, yoff;          /* libyaml's line number and where it starts */
    size_t fl, foff, fstart;  /* file line, an offset on it, and where it starts */
} yctx;

/* libyaml also breaks lines at NEL, LS and PS; returns the length of a break at i, or 0. */
static size_t ybreak(const char *s, size_t n, size_t i)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[i] == '\r')
        return i + 1 < n && u[i + 1] == '\n' ? 2 : 1;
    if (u[i] == '\n')
        return 1;
    if (u[i] == 0xC2 && i + 1 < n && u[i + 1] == 0x85)
        return 2;
    if (u[i] == 0xE2 && i + 2 < n && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9))
        return 3;
    return 0;
}

/* The position of byte offset off, counting lines as the Markdown reader does (LF, CRLF, CR). */
static nc_pos file_pos(yctx *c, size_t off)
{
    if (off > c->len)
        off = c->len;
    if (off < c->foff)
        c->fl = c->foff = c->fstart = 0;
    for (size_t i = c->foff; i < off; i++) {
        char ch = c->text[i];
        if (ch == '\n' || (ch == '\r' && (i + 1 >= c->len || c->text[i + 1] != '\n'))) {
            c->fl++;
            c->fstart = i + 1;
        }
    }
    c->foff = off;
    nc_pos p = {c->file, c->first_line + (uint32_t)c->fl, (uint32_t)(off - c->fstart + 1)};
    return p;
}

/* The byte offset of a libyaml mark, whose lines and columns count characters. */
static size_t yoffset(yctx *c, yaml_mark_t mk)
{
    if (mk.line < c->yl)
        c->yl = c->yoff = 0;
    size_t i = c->yoff;
    while (c->yl < mk.line && i < c->len) {
        size_t b = ybreak(c->text, c->len, i);
        i += b ? b : 1;
        if (b) {
            c->yl++;
            c->yoff = i;
        }
    }
    i = c->yoff;
    for (size_t col = 0; col < mk.column && i < c->len; col++) {
        i++;
        while (i < c->len && ((unsigned char)c->text[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

static nc_pos ypos(yctx *c, yaml_mark_t mk)
{
    return file_pos(c, yoffset(c, mk));
}

static int yerr(yctx *c, yaml_mark_t mk, const char *fmt, ...) NC_PRINTF(3, 4);
static int yerr(yctx *c, yaml_mark_t mk, const char *fmt, ...)
{
    nc_pos p = ypos(c, mk);
    va_list ap;
    va_start(ap, fmt);
    nc_diag_vreport(c->diag, NC_DIAG_ERROR, &p, fmt, ap);
    va_end(ap);
    return -1;
}

static void add_anchor(yctx *c, char *name, nc_meta *value, size_t nodes)
{
    if (c->nan == c->capan) {
        c->capan = c->capan ? c->capan * 2 : 8;
        c->an = nc_xrealloc(c->an, c->capan * sizeof *c->an);
    }
    c->an[c->nan++] = (yanchor){name, value, nodes};
}

static const yanchor *find_anchor(const yctx *c, const char *name)
{
    /* the latest definition of a name wins, as YAML says */
    for (size_t i = c->nan; i-- > 0;)
        if (strcmp(c->an[i].name, name) == 0)
            return &c->an[i];
    return NULL;
}

static bool tag_is(const yaml_char_t *tag, const char *name)
{
    static const char prefix[] = "tag:yaml.org,2002:";
    const char *t = (const char *)tag;
    return t && strncmp(t, prefix, sizeof prefix - 1) == 0 &&
           strcmp(t + sizeof prefix - 1, name) == 0;
}

/* The core schema for plain scalars; quoted ones and !!str are strings. NULL means null. */
static nc_meta *yscalar(yctx *c, const yaml_event_t *ev)
{
    const char *s = (const char *)ev->data.scalar.value;
    size_t n = ev->data.scalar.length;
    const yaml_char_t *tag = ev->data.scalar.tag;
    double v;
    if (tag_is(tag, "str") || (tag && strcmp((const char *)tag, "!") == 0) ||
        ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return nc_meta_new_string(c->doc, s, n);
    if (n == 0 || eq(s, n, "~") || eq(s, n, "null") || eq(s, n, "Null") || eq(s, n, "NULL"))
        return NULL;
    if (eq(s, n, "true") || eq(s, n, "True") || eq(s, n, "TRUE"))
        return new_bool(c->doc, true);
    if (eq(s, n, "false") || eq(s, n, "False") || eq(s, n, "FALSE"))
        return new_bool(c->doc, false);
    if (yaml_number(s, n, &v))
        return new_number(c->doc, s, n, v);
    return nc_meta_new_string(c->doc, s, n);
}

static bool count(yctx *c, size_t n, yaml_mark_t mk)
{
    c->nodes += n;
    if (c->nodes <= c->budget)
        return true;
    nc_pos p = ypos(c, mk);
    nc_diag_report(c->diag, NC_DIAG_ERROR, &p,
                   "front matter expands to more than %zu values (through aliases?)", c->budget);
    return false;
}

/* Stores a finished value in the collection on top of the stack. */
static int put(yctx *c, nc_meta *v)
{
    if (!c->depth)
        return 0;
    yframe *f = &c->st[c->depth - 1];
    if (f->m->kind == NC_META_LIST) {
        if (v)
            nc_meta_push(c->doc, f->m, v);
        return 0;
    }
    int rc = 0;
    if (nc_meta_get(f->m, f->key))
        nc_diag_report(c->diag, NC_DIAG_WARNING, &f->keypos,
                       "duplicate key '%s' in front matter; the last one wins", f->key);
    else if (v && !room(c->diag, f->m, &f->keypos))
        rc = -1;
    if (rc == 0 && v)
        nc_meta_set(c->doc, f->m, f->key, v);
    else if (rc == 0)
        nc_meta_remove(f->m, f->key);
    free(f->key);
    f->key = NULL;
    return rc;
}

static bool want_key(const yctx *c)
{
    return c->depth && c->st[c->depth - 1].m->kind == NC_META_MAP && !c->st[c->depth - 1].key;
}

static void set_key(yctx *c, const char *s, size_t n, yaml_mark_t mk)
{
    yframe *f = &c->st[c->depth - 1];
    f->key = nc_xstrndup(s, n);
    f->keypos = ypos(c, mk);
}

static char *dup_anchor(const yaml_char_t *a)
{
    return a ? nc_xstrdup((const char *)a) : NULL;
}

static int yevent(yctx *c, yaml_event_t *ev, int *docs)
{
    yaml_mark_t mk = ev->start_mark;
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++*docs > 1)
            return yerr(c, mk, "front matter holds more than one YAML document");
        return 0;
    case YAML_ALIAS_EVENT: {
        const char *name = (const char *)ev->data.alias.anchor;
        const yanchor *a = find_anchor(c, name);
        if (!a)
            return yerr(c, mk, "alias *%s has no finished anchor before it", name);
        if (!count(c, a->nodes, mk))
            return -1;
        if (want_key(c)) {
            if (!a->value || a->value->kind == NC_META_MAP || a->value->kind == NC_META_LIST)
                return yerr(c, mk, "alias *%s used as a key is not text", name);
            nc_buf t = NC_BUF_INIT;
            nc_meta_text(a->value, &t);
            set_key(c, nc_buf_cstr(&t), t.len, mk);
            nc_buf_free(&t);
            return 0;
        }
        if (!c->depth)
            return yerr(c, mk, "front matter is not a mapping of keys to values");
        return put(c, nc_meta_copy(c->doc, a->value));
    }
    case YAML_SCALAR_EVENT: {
        if (!count(c, 1, mk))
            return -1;
        if (want_key(c)) {
            set_key(c, (const char *)ev->data.scalar.value, ev->data.scalar.length, mk);
            if (ev->data.scalar.anchor)
                add_anchor(c, dup_anchor(ev->data.scalar.anchor),
                           nc_meta_new_string(c->doc, (const char *)ev->data.scalar.value,
                                              ev->data.scalar.length),
                           1);
            return 0;
        }
        nc_meta *v = yscalar(c, ev);
        if (v) {
            /* where the text starts: after the quote of a quoted scalar, so that a writer can
               point at a character inside it */
            v->pos = ypos(c, mk);
            if (ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
                v->pos.col++;
        }
        if (!c->depth) {
            /* a document of just "~" or "" is empty front matter */
            if (!v)
                return 0;
            return yerr(c, mk, "front matter is not a mapping of keys to values");
        }
        if (ev->data.scalar.anchor)
            add_anchor(c, dup_anchor(ev->data.scalar.anchor), v, 1);
        return put(c, v);
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        bool map = ev->type == YAML_MAPPING_START_EVENT;
        if (want_key(c))
            return yerr(c, mk, "a front matter key must be text, not a %s", map ? "map" : "list");
        if (!c->depth && !map)
            return yerr(c, mk, "front matter is not a mapping of keys to values");
        if (c->depth >= YAML_MAX_NEST)
            return yerr(c, mk, "front matter nested deeper than %d levels", YAML_MAX_NEST);
        if (!count(c, 1, mk))
            return -1;
        nc_meta *m = c->depth ? nc_meta_new(c->doc, map ? NC_META_MAP : NC_META_LIST) : c->into;
        if (c->depth)
            m->pos = ypos(c, mk);
        if (c->depth == c->cap) {
            c->cap = c->cap ? c->cap * 2 : 16;
            c->st = nc_xrealloc(c->st, c->cap * sizeof *c->st);
        }
        const yaml_char_t *anchor = map ? ev->data.mapping_start.anchor
                                        : ev->data.sequence_start.anchor;
        c->st[c->depth++] = (yframe){m, dup_anchor(anchor), c->nodes, NULL, {0}};
        return 0;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: {
        yframe f = c->st[--c->depth];
        free(f.key); /* libyaml pairs every key with a value; this is only for safety */
        if (f.anchor)
            add_anchor(c, f.anchor, f.m, c->nodes - f.start);
        return put(c, f.m);
    }
    default:
        return 0;
    }
}

static void yparse_error(yctx *c, const yaml_parser_t *p)
{
    if (p->error == YAML_MEMORY_ERROR) {
        nc_diag_report(c->diag, NC_DIAG_ERROR, NULL, "out of memory while reading front matter");
        return;
    }
    if (p->error == YAML_READER_ERROR) {
        nc_pos pos = file_pos(c, p->problem_offset);
        nc_diag_report(c->diag, NC_DIAG_ERROR, &pos, "invalid YAML front matter: %s",
                       p->problem ? p->problem : "unreadable input");
        return;
    }
    size_t off = yoffset(c, p->problem_mark);
    nc_pos pos = file_pos(c, off);
    /* libyaml's words for a tab in the indent are obscure; say it plainly */
    bool tab = (off < c->len && c->text[off] == '\t') || (p->problem && strstr(p->problem, "tab"));
    if (tab)
        nc_diag_report(c->diag, NC_DIAG_ERROR, &pos,
                       "invalid YAML front matter: a tab cannot indent YAML; use spaces");
    else if (p->context) {
        /* the problem is often found far from its cause, e.g. at the end for an open quote */
        nc_pos at = ypos(c, p->context_mark);
        nc_diag_report(c->diag, NC_DIAG_ERROR, &pos, "invalid YAML front matter: %s (%s at %u:%u)",
                       p->problem ? p->problem : "syntax error", p->context, at.line, at.col);
    }
    else
        nc_diag_report(c->diag, NC_DIAG_ERROR, &pos, "invalid YAML front matter: %s",
                       p->problem ? p->problem : "syntax error");
}

int nc_parse_yaml(nc_doc *doc, nc_meta *into, const char *text, size_t len, const char *path,
                  uint32_t first_line, nc_diag *diag)
{
    yctx c = {0};
    c.doc = doc;
    c.diag = diag;
    c.file = nc_doc_intern_path(doc, path);
    c.text = text;
    c.len = len;
    c.first_line = first_line;
    c.into = into;
    c.budget = ALIAS_BUDGET_BASE + len;

    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL, "out of memory while reading front matter");
        return -1;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
    int rc = 0, docs = 0;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            yparse_error(&c, &p);
            rc = -1;
            break;
        }
        bool end = ev.type == YAML_STREAM_END_EVENT;
        rc = yevent(&c, &ev, &docs);
        yaml_event_delete(&ev);
        if (rc || end)
            break;
    }
    yaml_parser_delete(&p);
    for (size_t i = 0; i < c.depth; i++) {
        free(c.st[i].key);
        free(c.st[i].anchor);
    }
    free(c.st);
    for (size_t i = 0; i < c.nan; i++)
        free(c.an[i].name);
    free(c.an);
    return rc;
}

int nc_read_metadata_file(nc_doc *doc, const char *data, size_t len, const char *path,
                          nc_diag *diag)
{
    /* parsed apart, so that keys the document already has keep its values */
    nc_doc *tmp = nc_doc_new();
    nc_meta *m = nc_meta_new(tmp, NC_META_MAP);
    int rc = nc_parse_yaml(tmp, m, data, len, path, 1, diag);
    if (rc == 0) {
        nc_meta *dst = nc_doc_meta(doc);
        for (size_t i = 0; i < m->n; i++)
            if (!nc_meta_get(dst, m->keys[i]))
                nc_meta_set(doc, dst, m->keys[i], nc_meta_copy(doc, m->items[i]));
    }
    nc_doc_free(tmp);
    return rc;
}

/* ---- TOML: the subset front matter uses ----
 * key = "basic" | 'literal' | """multi-line""" | '''multi-line''' | number | bool | date
 *       | [array, ...] | {inline = "table"}; [table] and [[array.of.tables]] headers; dotted
 * and quoted keys; # comments. Dates stay strings. */

typedef struct tctx {
    nc_doc *doc;
    nc_diag *diag;
    const char *file;
    const char *s;
    size_t n, i;
    uint32_t first_line, line;
    size_t line_start;
    nc_meta *root, *table;
    int nest;
} tctx;

typedef struct tkeys {
    char **v;
    nc_pos *pos;
    size_t n, cap;
} tkeys;

static nc_pos tpos_at(const tctx *t, size_t i)
{
    nc_pos p = {t->file, t->first_line + t->line, (uint32_t)(i - t->line_start + 1)};
    return p;
}

static int terr(const tctx *t, size_t at, const char *fmt, ...) NC_PRINTF(3, 4);
static int terr(const tctx *t, size_t at, const char *fmt, ...)
{
    nc_pos p = tpos_at(t, at);
    va_list ap;
    va_start(ap, fmt);
    nc_diag_vreport(t->diag, NC_DIAG_ERROR, &p, fmt, ap);
    va_end(ap);
    return -1;
}

static int perr(const tctx *t, const nc_pos *at, const char *fmt, ...) NC_PRINTF(3, 4);
static int perr(const tctx *t, const nc_pos *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nc_diag_vreport(t->diag, NC_DIAG_ERROR, at, fmt, ap);
    va_end(ap);
    return -1;
}

static int peek(const tctx *t, size_t k)
{
    return t->i + k < t->n ? (unsigned char)t->s[t->i + k] : -1;
}

static bool at_eol(const tctx *t)
{
    return t->i >= t->n || t->s[t->i] == '\n' || t->s[t->i] == '\r';
}

static void skip_ws(tctx *t)
{
    while (t->i < t->n && (t->s[t->i] == ' ' || t->s[t->i] == '\t'))
        t->i++;
}

static void skip_comment(tctx *t)
{
    if (peek(t, 0) == '#')
        while (!at_eol(t))
            t->i++;
}

/* LF, CRLF, and a lone CR like the Markdown reader, so that line numbers agree. */
static bool eat_newline(tctx *t)
{
    if (t->i >= t->n || (t->s[t->i] != '\n' && t->s[t->i] != '\r'))
        return false;
    if (t->s[t->i] == '\r' && peek(t, 1) == '\n')
        t->i++;
    t->i++;
    t->line++;
    t->line_start = t->i;
    return true;
}

static void skip_blank(tctx *t)
{
    for (;;) {
        skip_ws(t);
        skip_comment(t);
        if (!eat_newline(t))
            return;
    }
}

static bool is_bare(int ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || is_digit((char)ch) ||
           ch == '_' || ch == '-';
}

static int hexval(char ch)
{
    return is_digit(ch) ? ch - '0' : (ch | 0x20) - 'a' + 10;
}

/* A string after its opening quote(s); multi says """ or '''. */
static int tstring(tctx *t, bool basic, bool multi, nc_buf *out)
{
    char q = basic ? '"' : '\'';
    nc_pos open = tpos_at(t, t->i - (multi ? 3 : 1)); /* before any line break moves on */
    if (multi)
        eat_newline(t); /* a newline right after the opening quotes is not part of it */
    for (;;) {
        if (t->i >= t->n)
            return perr(t, &open, "string opened here is never closed");
        char ch = t->s[t->i];
        if (ch == q) {
            if (!multi) {
                t->i++;
                return 0;
            }
            size_t k = 0;
            while (peek(t, k) == q)
                k++;
            if (k >= 3) {
                /* up to two quotes may sit right before the closing three */
                nc_buf_put(out, t->s + t->i, k > 5 ? 2 : k - 3);
                t->i += k;
                return 0;
            }
            nc_buf_put(out, t->s + t->i, k);
            t->i += k;
            continue;
        }
        if (ch == '\n' || ch == '\r') {
            if (!multi)
                return perr(t, &open, "string opened here is not closed on its line");
            nc_buf_puts(out, "\n");
            eat_newline(t);
            continue;
        }
        if (ch != '\\' || !basic) {
            nc_buf_putc(out, ch);
            t->i++;
            continue;
        }
        size_t esc = t->i++;
        int e = peek(t, 0);
        t->i++;
        switch (e) {
        case 'b': nc_buf_putc(out, '\b'); break;
        case 't': nc_buf_putc(out, '\t'); break;
        case 'n': nc_buf_putc(out, '\n'); break;
        case 'f': nc_buf_putc(out, '\f'); break;
        case 'r': nc_buf_putc(out, '\r'); break;
        case 'e': nc_buf_putc(out, 0x1B); break;
        case '"': nc_buf_putc(out, '"'); break;
        case '\\': nc_buf_putc(out, '\\'); break;
        case 'u':
        case 'U': {
            int k = e == 'u' ? 4 : 8;
            int32_t cp = 0;
            for (int j = 0; j < k; j++) {
                if (!is_hex((char)peek(t, 0)))
                    return terr(t, esc, "\\%s escape needs hexadecimal digits",
                                e == 'u' ? "u" : "U");
                cp = cp * 16 + hexval(t->s[t->i++]);
                if (cp > 0x10FFFF)
                    return terr(t, esc, "\\%s escape is not a Unicode character",
                                e == 'u' ? "u" : "U");
            }
            nc_utf8_encode(out, cp);
            break;
        }
        default:
            if (multi && (e == ' ' || e == '\t' || e == '\n' || e == '\r')) {
                /* a line-ending backslash swallows the break and the next line's indent */
                t->i--;
                skip_ws(t);
                if (!eat_newline(t))
                    return terr(t, esc, "invalid escape in a string");
                do
                    skip_ws(t);
                while (eat_newline(t));
                break;
            }
            return terr(t, esc, "invalid escape in a string");
        }
    }
}

static int tkey_part(tctx *t, nc_buf *out)
{
    int ch = peek(t, 0);
    if (ch == '"' || ch == '\'') {
        t->i++;
        return tstring(t, ch == '"', false, out);
    }
    size_t b = t->i;
    while (is_bare(peek(t, 0)))
        t->i++;
    if (t->i == b)
        return terr(t, b, "expected a key");
    nc_buf_put(out, t->s + b, t->i - b);
    return 0;
}

static void keys_free(tkeys *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->v[i]);
    free(k->v);
    free(k->pos);
}

static int tkey_path(tctx *t, tkeys *k)
{
    for (;;) {
        nc_buf b = NC_BUF_INIT;
        nc_pos p = tpos_at(t, t->i);
        if (tkey_part(t, &b)) {
            nc_buf_free(&b);
            return -1;
        }
        if (k->n == k->cap) {
            k->cap = k->cap ? k->cap * 2 : 4;
            k->v = nc_xrealloc(k->v, k->cap * sizeof *k->v);
            k->pos = nc_xrealloc(k->pos, k->cap * sizeof *k->pos);
        }
        k->pos[k->n] = p;
        k->v[k->n++] = b.len ? nc_buf_detach(&b, NULL) : nc_xstrdup("");
        skip_ws(t);
        if (peek(t, 0) != '.')
            return 0;
        t->i++;
        skip_ws(t);
    }
}

/* Walks (creating) the tables of keys[0..n) from m. */
static nc_meta *twalk(tctx *t, nc_meta *m, const tkeys *k, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        nc_meta *x = nc_meta_get(m, k->v[j]);
        if (!x) {
            if (!room(t->diag, m, &k->pos[j]))
                return NULL;
            x = nc_meta_new(t->doc, NC_META_MAP);
            x->pos = k->pos[j];
            nc_meta_set(t->doc, m, k->v[j], x);
        } else if (x->kind == NC_META_LIST && x->n && x->items[x->n - 1]->kind == NC_META_MAP) {
            x = x->items[x->n - 1]; /* [[array.of.tables]]: the latest one */
        } else if (x->kind != NC_META_MAP) {
            nc_diag_report(t->diag, NC_DIAG_ERROR, &k->pos[j],
                           "key '%s' already holds a value, not a table", k->v[j]);
            return NULL;
        }
        m = x;
    }
    return m;
}

static nc_meta *tvalue(tctx *t);

static int tset(tctx *t, nc_meta *table)
{
    tkeys k = {0};
    if (tkey_path(t, &k)) {
        keys_free(&k);
        return -1;
    }
    int rc = -1;
    nc_meta *m = twalk(t, table, &k, k.n - 1);
    if (!m)
        goto out;
    skip_ws(t);
    if (peek(t, 0) != '=') {
        terr(t, t->i, "expected '=' after the key");
        goto out;
    }
    t->i++;
    skip_ws(t);
    nc_meta *v = tvalue(t);
    if (!v)
        goto out;
    const char *last = k.v[k.n - 1];
    if (nc_meta_get(m, last))
        nc_diag_report(t->diag, NC_DIAG_WARNING, &k.pos[k.n - 1],
                       "duplicate key '%s' in front matter; the last one wins", last);
    else if (!room(t->diag, m, &k.pos[k.n - 1]))
        goto out;
    nc_meta_set(t->doc, m, last, v);
    rc = 0;
out:
    keys_free(&k);
    return rc;
}

static nc_meta *tarray(tctx *t, const nc_pos *open)
{
    nc_meta *list = nc_meta_new(t->doc, NC_META_LIST);
    skip_blank(t);
    while (peek(t, 0) != ']') {
        nc_meta *v = tvalue(t);
        if (!v)
            return NULL;
        nc_meta_push(t->doc, list, v);
        skip_blank(t);
        if (peek(t, 0) == ',') {
            t->i++;
            skip_blank(t);
        } else if (peek(t, 0) != ']') {
            if (t->i >= t->n)
                perr(t, open, "array opened here is never closed");
            else
                terr(t, t->i, "expected ',' or ']' in an array");
            return NULL;
        }
    }
    t->i++;
    return list;
}

static nc_meta *tinline_table(tctx *t, const nc_pos *open)
{
    nc_meta *m = nc_meta_new(t->doc, NC_META_MAP);
    skip_blank(t);
    while (peek(t, 0) != '}') {
        if (tset(t, m))
            return NULL;
        skip_blank(t);
        if (peek(t, 0) == ',') {
            t->i++;
            skip_blank(t);
        } else if (peek(t, 0) != '}') {
            if (t->i >= t->n)
                perr(t, open, "table opened here is never closed");
            else
                terr(t, t->i, "expected ',' or '}' in an inline table");
            return NULL;
        }
    }
    t->i++;
    return m;
}

static bool is_date(const char *s, size_t n)
{
    /* 1979-05-27 or 07:32:00 at the start: a date, a time or both */
    return (n >= 10 && is_digit(s[0]) && is_digit(s[3]) && s[4] == '-' && s[7] == '-') ||
           (n >= 8 && is_digit(s[0]) && is_digit(s[1]) && s[2] == ':');
}

static bool valid_digits(const char *s, size_t n, int base)
{
    if (!n || s[0] == '_' || s[n - 1] == '_')
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '_') {
            if (s[i + 1] == '_')
                return false;
            continue;
        }
        bool ok = base == 16 ? is_hex(ch) : base == 8 ? ch >= '0' && ch <= '7'
                  : base == 2 ? ch == '0' || ch == '1' : is_digit(ch);
        if (!ok)
            return false;
    }
    return true;
}

/* TOML integers and floats: [+-]digits[.digits][e[+-]digits], 0x/0o/0b, inf, nan, with '_'. */
static bool tnumber(const char *s, size_t n, double *v)
{
    size_t i = 0;
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o' || s[1] == 'b')) {
        int base = s[1] == 'x' ? 16 : s[1] == 'o' ? 8 : 2;
        if (!valid_digits(s + 2, n - 2, base))
            return false;
        nc_buf b = NC_BUF_INIT;
        for (i = 2; i < n; i++)
            if (s[i] != '_')
                nc_buf_putc(&b, s[i]);
        *v = parse_num(nc_buf_cstr(&b), base);
        nc_buf_free(&b);
        return true;
    }
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    if (eq(s + i, n - i, "inf") || eq(s + i, n - i, "nan")) {
        *v = s[i] == 'n' ? NAN : s[0] == '-' ? -HUGE_VAL : HUGE_VAL;
        return true;
    }
    size_t a = i;
    while (i < n && (is_digit(s[i]) || s[i] == '_'))
        i++;
    if (!valid_digits(s + a, i - a, 10))
        return false;
    if (i < n && s[i] == '.') {
        size_t f = ++i;
        while (i < n && (is_digit(s[i]) || s[i] == '_'))
            i++;
        if (!valid_digits(s + f, i - f, 10))
            return false;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t e = i;
        while (i < n && (is_digit(s[i]) || s[i] == '_'))
            i++;
        if (!valid_digits(s + e, i - e, 10))
            return false;
    }
    if (i != n)
        return false;
    nc_buf b = NC_BUF_INIT;
    for (i = 0; i < n; i++)
        if (s[i] != '_')
            nc_buf_putc(&b, s[i]);
    *v = parse_num(nc_buf_cstr(&b), 10);
    nc_buf_free(&b);
    return true;
}

static nc_meta *tvalue(tctx *t)
{
    size_t b = t->i;
    nc_pos pos = tpos_at(t, b);
    int ch = peek(t, 0);
    nc_meta *m = NULL;
    if (ch == '"' || ch == '\'') {
        bool multi = peek(t, 1) == ch && peek(t, 2) == ch;
        t->i += multi ? 3 : 1;
        nc_buf s = NC_BUF_INIT;
        if (tstring(t, ch == '"', multi, &s) == 0)
            m = nc_meta_new_string(t->doc, nc_buf_cstr(&s), s.len);
        nc_buf_free(&s);
    } else if (ch == '[' || ch == '{') {
        if (t->nest >= TOML_MAX_NEST) {
            terr(t, b, "front matter nested deeper than %d levels", TOML_MAX_NEST);
            return NULL;
        }
        t->nest++;
        t->i++;
        m = ch == '[' ? tarray(t, &pos) : tinline_table(t, &pos);
        t->nest--;
    } else {
        while (is_bare(peek(t, 0)) || peek(t, 0) == '.' || peek(t, 0) == '+' ||
               peek(t, 0) == ':')
            t->i++;
        const char *s = t->s + b;
        size_t n = t->i - b;
        /* the space between a date and its time */
        if (n == 10 && is_date(s, n) && peek(t, 0) == ' ' && is_digit((char)peek(t, 1)) &&
            is_digit((char)peek(t, 2)) && peek(t, 3) == ':') {
            t->i++;
            while (is_bare(peek(t, 0)) || peek(t, 0) == '.' || peek(t, 0) == '+' ||
                   peek(t, 0) == ':')
                t->i++;
            n = t->i - b;
        }
        double v;
        if (!n)
            terr(t, b, "expected a value (text in quotes, a number, true/false, a date, "
                       "[array] or {table})");
        else if (eq(s, n, "true") || eq(s, n, "false"))
            m = new_bool(t->doc, s[0] == 't');
        else if (is_date(s, n))
            m = nc_meta_new_string(t->doc, s, n);
        else if (tnumber(s, n, &v))
            m = new_number(t->doc, s, n, v);
        else {
            nc_buf q = NC_BUF_INIT;
            nc_buf_put(&q, s, n);
            terr(t, b, "'%s' is not a TOML value (is it text missing its quotes?)",
                 nc_buf_cstr(&q));
            nc_buf_free(&q);
        }
    }
    if (m)
        m->pos = pos;
    return m;
}

/* [table] or [[array.of.tables]] */
static int theader(tctx *t)
{
    size_t b = t->i;
    bool arr = peek(t, 1) == '[';
    t->i += arr ? 2 : 1;
    skip_ws(t);
    tkeys k = {0};
    int rc = -1;
    if (tkey_path(t, &k))
        goto out;
    if (peek(t, 0) != ']' || (arr && peek(t, 1) != ']')) {
        terr(t, t->i, "expected '%s' to end the table header", arr ? "]]" : "]");
        goto out;
    }
    t->i += arr ? 2 : 1;
    nc_meta *m = twalk(t, t->root, &k, arr ? k.n - 1 : k.n);
    if (!m)
        goto out;
    if (arr) {
        const char *last = k.v[k.n - 1];
        nc_meta *list = nc_meta_get(m, last);
        if (!list) {
            if (!room(t->diag, m, &k.pos[k.n - 1]))
                goto out;
            list = nc_meta_new(t->doc, NC_META_LIST);
            list->pos = tpos_at(t, b);
            nc_meta_set(t->doc, m, last, list);
        } else if (list->kind != NC_META_LIST) {
            nc_diag_report(t->diag, NC_DIAG_ERROR, &k.pos[k.n - 1],
                           "key '%s' already holds a value, not an array of tables", last);
            goto out;
        }
        m = nc_meta_new(t->doc, NC_META_MAP);
        m->pos = tpos_at(t, b);
        nc_meta_push(t->doc, list, m);
    }
    t->table = m;
    rc = 0;
out:
    keys_free(&k);
    return rc;
}

int nc_parse_toml(nc_doc *doc, nc_meta *into, const char *text, size_t len, const char *path,
                  uint32_t first_line, nc_diag *diag)
{
    tctx t = {0};
    t.doc = doc;
    t.diag = diag;
    t.file = nc_doc_intern_path(doc, path);
    t.s = text;
    t.n = len;
    t.first_line = first_line;
    t.root = t.table = into;
    while (t.i < t.n) {
        skip_ws(&t);
        skip_comment(&t);
        if (eat_newline(&t) || t.i >= t.n)
            continue;
        if ((peek(&t, 0) == '[' ? theader(&t) : tset(&t, t.table)) != 0)
            return -1;
        skip_ws(&t);
        skip_comment(&t);
        if (!at_eol(&t))
            return terr(&t, t.i, "expected the end of the line");
    }
    return 0;
}
