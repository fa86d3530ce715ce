/* reader.c — the Markdown reader: input hygiene, front matter, and cmark-gfm's tree turned into
 * our model without recursion. The only file that includes cmark-gfm; it must not print, and
 * keeps no state of its own beyond cmark-gfm's extension table, registered once. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
/* cmark-gfm's node struct: gfm.6 has no public getter for a reference's definition or a
 * definition's label, and its literal getters copy (see chunk_ptr). The header ships with
 * libcmark-gfm-dev and matches the library we link. */
#include <cmark-gfm/node.h>

#include "internal.h"

/* Warnings about bad bytes are one per line; past this many lines they are summed up. */
#define MAX_BYTE_WARNINGS 50
/* Footnotes referenced many times are copied at each place; this bounds the copies (in nodes)
 * so that a short input cannot ask for a huge document. */
#define NOTE_COPY_BASE 100000
/* Real front matter is a few hundred bytes; metadata maps are linear lists, so a huge one
 * would be slow to build. */
#define MAX_FRONT_MATTER ((size_t)1024 * 1024)

/* ---- input hygiene ---- */

/* Length of the line break at s[i] (LF, CRLF or a lone CR, as CommonMark counts), or 0. */
static size_t brk(const char *s, size_t n, size_t i)
{
    if (s[i] == '\n')
        return 1;
    if (s[i] == '\r')
        return i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
    return 0;
}

static bool bad_at(const char *s, size_t n, size_t i, size_t *len)
{
    int32_t cp;
    int k = nc_utf8_decode(s + i, n - i, &cp);
    *len = k ? (size_t)k : 1;
    return k == 0 || cp == 0;
}

/* The length of the well-formed UTF-8 sequence at p (n bytes available) other than NUL, or 0:
 * nc_utf8_decode's rule (no overlong forms, surrogates or values past U+10FFFF), without
 * computing the code point. */
static size_t valid_at(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    if (c < 0x80)
        return c != 0;
    if (c >= 0xC2 && c <= 0xDF)
        return n >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        return n >= 3 && p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        return n >= 4 && p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 &&
                       (p[3] & 0xC0) == 0x80
                   ? 4
                   : 0;
    }
    return 0;
}

/* The length of the clean start of s: up to the first invalid UTF-8 or NUL byte. Runs of
 * ASCII, most of a note, are checked eight bytes at a time. */
static size_t clean_prefix(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    size_t i = 0;
    while (i < n) {
        uint64_t w;
        if (n - i >= 8) {
            memcpy(&w, p + i, 8);
            /* no byte with the high bit set, and no zero byte */
            if (((w | ((w - ones) & ~w)) & highs) == 0) {
                i += 8;
                continue;
            }
        }
        size_t k = valid_at(p + i, n - i);
        if (!k)
            break;
        i += k;
    }
    return i;
}

/* Replaces invalid UTF-8 and NUL bytes by U+FFFD into out, warning once a line for each kind.
 * col1 is the number of bytes before column 1 of line 1 (a BOM). Returns false, without
 * copying, when the input is clean. */
static bool repair(const char *s, size_t n, const char *file, uint32_t col1, nc_diag *diag,
                   nc_buf *out)
{
    size_t i = clean_prefix(s, n), k;
    if (i == n)
        return false;
    nc_buf_grow(out, n + 64);
    nc_buf_put(out, s, i);
    /* the position of i, counted from the start */
    uint32_t line = 1;
    size_t start = 0;
    for (size_t j = 0; j < i; j++) {
        size_t b = brk(s, n, j);
        if (b) {
            j += b - 1;
            line++;
            start = j + 1;
        }
    }
    uint32_t warned_utf8 = 0, warned_nul = 0;
    size_t unreported = 0, reported = 0;
    while (i < n) {
        size_t b = brk(s, n, i);
        if (b) {
            nc_buf_put(out, s + i, b);
            i += b;
            line++;
            start = i;
            continue;
        }
        if (!bad_at(s, n, i, &k)) {
            nc_buf_put(out, s + i, k);
            i += k;
            continue;
        }
        bool nul = s[i] == '\0';
        uint32_t *warned = nul ? &warned_nul : &warned_utf8;
        if (*warned != line) {
            *warned = line;
            if (reported < MAX_BYTE_WARNINGS) {
                nc_pos p = {file, line, (uint32_t)(i - start + 1) + (line == 1 ? col1 : 0)};
                nc_diag_report(diag, NC_DIAG_WARNING, &p, "%s replaced by U+FFFD",
                               nul ? "NUL byte" : "invalid UTF-8");
                reported++;
            } else {
                unreported++;
            }
        }
        nc_buf_put(out, "\xEF\xBF\xBD", 3);
        i++;
    }
    if (unreported) {
        nc_pos p = {file, 0, 0};
        nc_diag_report(diag, NC_DIAG_WARNING, &p,
                       "%zu more lines with invalid UTF-8 or NUL bytes were repaired silently",
                       unreported);
    }
    return true;
}

/* A file that is not text at all (an image, an archive, a program given by mistake), as git
 * and file(1) tell: its first 8 KB hold a NUL byte and more than 30% of them is not text.
 * A note with a few stray NULs stays a note (repair() warns). Reports an error at the first NUL
 * and returns true. UTF-16, all NULs between letters, gets its own advice. */
static bool binary(const char *s, size_t n, const char *file, nc_diag *diag)
{
    size_t m = n < 8192 ? n : 8192, k, nul = m, odd = 0, zeros[2] = {0, 0};
    for (size_t i = 0; i < m; i += k) {
        k = 1;
        unsigned char c = (unsigned char)s[i];
        if (c == 0 && nul == m)
            nul = i;
        if (c == 0)
            zeros[i & 1]++;
        if (c == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b))
            odd++;
        else if (c >= 0x80 && bad_at(s, m, i, &k))
            odd++;
    }
    if (nul == m || odd * 10 <= m * 3)
        return false;
    uint32_t line = 1, col = 1;
    for (size_t i = 0; i < nul; i++, col++)
        if (s[i] == '\n')
            line++, col = 0;
    nc_pos p = {file, line, col};
    /* in UTF-16, every other byte of ASCII text is a NUL */
    if ((m >= 2 && (memcmp(s, "\xFF\xFE", 2) == 0 || memcmp(s, "\xFE\xFF", 2) == 0)) ||
        (zeros[0] * 5 >= m * 2 && zeros[1] * 40 < m) ||
        (zeros[1] * 5 >= m * 2 && zeros[0] * 40 < m))
        nc_diag_report(diag, NC_DIAG_ERROR, &p,
                       "UTF-16 text: noteconv reads UTF-8 (iconv -f UTF-16 -t UTF-8 converts it)");
    else
        nc_diag_report(diag, NC_DIAG_ERROR, &p,
                       "a binary file, not a note (NUL bytes; %zu%% of its first %zu bytes is "
                       "not text)", odd * 100 / m, m);
    return true;
}

/* ---- front matter ---- */

typedef struct line {
    size_t start, end, next; /* end excludes the break; next is where the next line starts */
} line;

static line line_at(const char *s, size_t n, size_t at)
{
    line l = {at, at, n};
    while (l.end < n && s[l.end] != '\n' && s[l.end] != '\r')
        l.end++;
    if (l.end < n)
        l.next = l.end + brk(s, n, l.end);
    return l;
}

/* A delimiter line: the marker, then only spaces or tabs. */
static bool is_fence(const char *s, line l, const char *marker)
{
    size_t m = strlen(marker);
    if (l.end - l.start < m || memcmp(s + l.start, marker, m) != 0)
        return false;
    for (size_t i = l.start + m; i < l.end; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

static bool is_blank(const char *s, line l)
{
    for (size_t i = l.start; i < l.end; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

/* Parses the front matter at the start of s, if any, into fm; *body is where the Markdown starts
 * and *lines how many lines came before it. */
static int front_matter(nc_doc *doc, const char *s, size_t n, const char *file, uint32_t col1,
                        nc_meta *fm, size_t *body, uint32_t *lines, nc_diag *diag)
{
    *body = 0;
    *lines = 0;
    line first = line_at(s, n, 0);
    bool yaml = is_fence(s, first, "---");
    bool toml = !yaml && is_fence(s, first, "+++");
    if (!yaml && !toml)
        return 0;
    /* "---" followed by a blank line or nothing is a thematic break, as pandoc decides */
    if (yaml && (first.next >= n || is_blank(s, line_at(s, n, first.next))))
        return 0;
    uint32_t no = 2;
    for (size_t at = first.next; at < n; no++) {
        line l = line_at(s, n, at);
        if (toml ? is_fence(s, l, "+++") : is_fence(s, l, "---") || is_fence(s, l, "...")) {
            const char *text = s + first.next;
            size_t len = l.start - first.next;
            if (len > MAX_FRONT_MATTER) {
                nc_pos p = {file, 1, 1 + col1};
                nc_diag_report(diag, NC_DIAG_ERROR, &p,
                               "front matter is %zu bytes, over the limit of %zu", len,
                               MAX_FRONT_MATTER);
                return -1;
            }
            int rc = toml ? nc_parse_toml(doc, fm, text, len, file, 2, diag)
                          : nc_parse_yaml(doc, fm, text, len, file, 2, diag);
            *body = l.next;
            *lines = no;
            return rc;
        }
        at = l.next;
    }
    /* a lone "+++" (then a blank line or nothing) that nothing closes is Markdown, as cmark-gfm
       reads it; "+++" then text is front matter missing its end, an error like "---" */
    if (toml && (first.next >= n || is_blank(s, line_at(s, n, first.next))))
        return 0;
    nc_pos p = {file, 1, 1 + col1};
    nc_diag_report(diag, NC_DIAG_ERROR, &p, "front matter opened here is never closed");
    return -1;
}

/* ---- cmark-gfm's tree into ours ---- */

#define NONE SIZE_MAX

/* A footnote reference: a Note to fill with the blocks of the definition it points at. */
typedef struct ref {
    nc_node *note; /* NULL once it is turned back into text */
    cmark_node *def;
    size_t in;     /* the definition it sits in, or NONE for the body */
    size_t next;   /* the next reference inside the same definition, or NONE */
} ref;

/* A footnote definition. Its blocks wait in a holder that never joins the document (the
 * holder's len is the definition's index), then move to the first Note that needs them. */
typedef struct note_def {
    nc_node *holder;
    nc_node *home;      /* the Note that took the blocks: later references copy from it */
    size_t first, last; /* the references inside it, linked through ref.next */
    size_t outer;       /* the definition it sits in, or NONE */
    size_t size;        /* nodes in one copy, the notes inside it filled (saturating) */
    size_t chain;       /* notes nested in one copy, itself included */
    size_t from, cursor; /* the walk over the references: where it came from, what is next */
    int state;          /* 0 unvisited, 1 on the walk's path, 2 placed */
} note_def;

typedef struct conv {
    nc_doc *doc;
    nc_diag *diag;
    const char *file;
    uint32_t shift; /* lines before the body */
    uint32_t col1;  /* bytes before column 1 of the body's first line */
    ref *refs;
    size_t nrefs, caprefs;
    note_def *defs;
    size_t ndefs, capdefs;
    size_t cur_def; /* the definition being converted, or NONE */
    nc_node *pend;  /* the last Str made: text right after it joins it */
    nc_buf text;    /* pend's text while it is being joined */
    bool joining;
    size_t cell;    /* column of the next cell of the current row */
    size_t nodes;
    size_t maxd;    /* the deepest nesting of cmark-gfm's nodes met */
    cmark_syntax_extension *tasklist;
} conv;

static nc_pos where(const conv *c, cmark_node *cn, const nc_node *parent)
{
    int l = cn->start_line, col = cn->start_column;
    if (l <= 0 || col <= 0) {
        nc_pos p = {c->file, 0, 0};
        return parent ? parent->pos : p;
    }
    nc_pos p = {c->file, (uint32_t)l + c->shift, (uint32_t)col + (l == 1 ? c->col1 : 0)};
    return p;
}

static nc_node *add(conv *c, nc_node *parent, nc_kind kind, cmark_node *cn)
{
    nc_pos p = where(c, cn, parent);
    nc_node *n = nc_node_new(c->doc, kind, &p);
    nc_node_append(parent, n);
    c->nodes++;
    return n;
}

static void flush(conv *c)
{
    if (c->joining)
        nc_node_set_text(c->doc, c->pend, nc_buf_cstr(&c->text), c->text.len);
    c->joining = false;
}

/* Text gets a Str of its own, copied once into the arena. cmark-gfm merges adjacent text
 * itself, but not the "[^x]" it leaves of a reference without a definition: text right after
 * a Str joins it, through a buffer so that many joins stay linear. */
static void add_text(conv *c, nc_node *parent, cmark_node *cn, const char *s, size_t len)
{
    if (c->pend && parent->last == c->pend) {
        if (!c->joining) {
            nc_buf_clear(&c->text);
            nc_buf_put(&c->text, c->pend->text, c->pend->len);
            c->joining = true;
        }
        nc_buf_put(&c->text, s, len);
        return;
    }
    flush(c);
    c->pend = add(c, parent, NC_STR, cn);
    nc_node_set_text(c->doc, c->pend, s ? s : "", len);
}

/* cmark-gfm's getters hand out literals NUL-terminated, which copies most of them into a fresh
 * allocation first; the chunks are read directly instead (their data need not end in NUL). */
static const char *chunk_ptr(const cmark_chunk *ch)
{
    return ch->data ? (const char *)ch->data : "";
}

static size_t chunk_len(const cmark_chunk *ch)
{
    return ch->len > 0 ? (size_t)ch->len : 0;
}

static void set_chunk(conv *c, nc_node *n, const cmark_chunk *ch)
{
    nc_node_set_text(c->doc, n, chunk_ptr(ch), chunk_len(ch));
}

/* Code and raw blocks as pandoc keeps them: without their final newline. A code block of only
 * blank lines keeps all its newlines, so that one blank line ("\n") stays apart from an empty
 * block (""); writers print the final newline back unless the text is empty or only newlines. */
static void set_block_literal(conv *c, nc_node *n, const cmark_chunk *ch)
{
    const char *s = chunk_ptr(ch);
    size_t len = chunk_len(ch), i = 0;
    while (i < len && s[i] == '\n')
        i++;
    if (i < len && s[len - 1] == '\n')
        len--;
    nc_node_set_text(c->doc, n, s, len);
}

static bool type_is(cmark_node *cn, const char *name)
{
    const char *t = cmark_node_get_type_string(cn);
    return t && strcmp(t, name) == 0;
}

static nc_align col_align(uint8_t a)
{
    switch (a) {
    case 'l': return NC_ALIGN_LEFT;
    case 'r': return NC_ALIGN_RIGHT;
    case 'c': return NC_ALIGN_CENTER;
    default: return NC_ALIGN_DEFAULT;
    }
}

static void code_block(conv *c, nc_node *n, cmark_node *cn)
{
    set_block_literal(c, n, &cn->as.code.literal);
    const char *info = chunk_ptr(&cn->as.code.info);
    size_t len = chunk_len(&cn->as.code.info), w = 0;
    while (w < len && info[w] != ' ' && info[w] != '\t')
        w++;
    if (w) {
        nc_buf lang = NC_BUF_INIT;
        nc_buf_put(&lang, info, w);
        nc_node_add_class(c->doc, n, nc_buf_cstr(&lang));
        nc_buf_free(&lang);
    }
}

static void table(conv *c, nc_node *n, cmark_node *cn)
{
    n->ncols = cmark_gfm_extensions_get_table_columns(cn);
    if (!n->ncols)
        return;
    uint8_t *al = cmark_gfm_extensions_get_table_alignments(cn);
    n->cols = nc_doc_alloc(c->doc, n->ncols * sizeof *n->cols);
    for (size_t i = 0; i < n->ncols; i++)
        n->cols[i].align = al ? col_align(al[i]) : NC_ALIGN_DEFAULT;
}

/* A row of a table: the head's only row, or the next row of the (single) body. */
static nc_node *table_row(conv *c, nc_node *tbl, cmark_node *cn, bool head)
{
    nc_node *part = tbl->last;
    if (head || !part || part->kind != NC_TABLE_BODY)
        part = add(c, tbl, head ? NC_TABLE_HEAD : NC_TABLE_BODY, cn);
    c->cell = 0;
    return add(c, part, NC_TABLE_ROW, cn);
}

/* cmark-gfm pads short rows and drops extra cells; this keeps that promise in our model. */
static void finish_row(conv *c, nc_node *row)
{
    nc_node *tbl = row->parent && row->parent->parent ? row->parent->parent : NULL;
    if (!tbl || tbl->kind != NC_TABLE)
        return;
    size_t k = 0;
    nc_node *cell = row->first;
    for (; cell && k < tbl->ncols; cell = cell->next)
        k++;
    while (cell) {
        nc_node *next = cell->next;
        nc_node_unlink(cell);
        cell = next;
    }
    for (; k < tbl->ncols; k++) {
        nc_node *e = nc_node_new(c->doc, NC_TABLE_CELL, &row->pos);
        e->align = tbl->cols[k].align;
        nc_node_append(row, e);
    }
}

/* The Note stays empty until place_notes knows whether it may hold its definition. */
static nc_node *footnote_ref(conv *c, nc_node *parent, cmark_node *cn)
{
    cmark_node *def = cn->parent_footnote_def;
    if (!def) {
        add_text(c, parent, cn, "[^]", 3);
        return parent;
    }
    nc_node *note = add(c, parent, NC_NOTE, cn);
    note->label = nc_doc_strndup(c->doc, chunk_ptr(&def->as.literal), chunk_len(&def->as.literal));
    if (c->nrefs == c->caprefs) {
        c->caprefs = c->caprefs ? c->caprefs * 2 : 16;
        c->refs = nc_xrealloc(c->refs, c->caprefs * sizeof *c->refs);
    }
    size_t i = c->nrefs++;
    c->refs[i] = (ref){note, def, c->cur_def, NONE};
    if (c->cur_def != NONE) {
        note_def *d = &c->defs[c->cur_def];
        if (d->last == NONE)
            d->first = i;
        else
            c->refs[d->last].next = i;
        d->last = i;
    }
    return note;
}

static nc_node *footnote_def(conv *c, nc_node *parent, cmark_node *cn)
{
    nc_pos p = where(c, cn, parent);
    nc_node *holder = nc_node_new(c->doc, NC_NOTE, &p);
    if (c->ndefs == c->capdefs) {
        c->capdefs = c->capdefs ? c->capdefs * 2 : 16;
        c->defs = nc_xrealloc(c->defs, c->capdefs * sizeof *c->defs);
    }
    holder->len = c->ndefs;
    c->defs[c->ndefs] = (note_def){holder, NULL, NONE, NONE, c->cur_def, 0, 0, NONE, NONE, 0};
    c->cur_def = c->ndefs++;
    return holder;
}

/* Makes our node for cn under parent; returns where cn's children go. */
static nc_node *enter(conv *c, nc_node *parent, cmark_node *cn)
{
    nc_node *n;
    switch (cn->type) {
    case CMARK_NODE_BLOCK_QUOTE:
        return add(c, parent, NC_BLOCK_QUOTE, cn);
    case CMARK_NODE_LIST:
        if (cmark_node_get_list_type(cn) != CMARK_ORDERED_LIST)
            return add(c, parent, NC_BULLET_LIST, cn);
        n = add(c, parent, NC_ORDERED_LIST, cn);
        n->start = cmark_node_get_list_start(cn);
        n->style = NC_LIST_DECIMAL;
        n->delim = cmark_node_get_list_delim(cn) == CMARK_PAREN_DELIM ? NC_DELIM_ONE_PAREN
                                                                       : NC_DELIM_PERIOD;
        return n;
    case CMARK_NODE_ITEM:
        n = add(c, parent, NC_LIST_ITEM, cn);
        if (c->tasklist && cn->extension == c->tasklist)
            n->task = cmark_gfm_extensions_get_tasklist_item_checked(cn) ? NC_TASK_DONE
                                                                         : NC_TASK_OPEN;
        return n;
    case CMARK_NODE_PARAGRAPH: {
        cmark_node *up = cn->parent, *list = up ? up->parent : NULL;
        bool tight = up && up->type == CMARK_NODE_ITEM && list && cmark_node_get_list_tight(list);
        return add(c, parent, tight ? NC_PLAIN : NC_PARA, cn);
    }
    case CMARK_NODE_HEADING:
        n = add(c, parent, NC_HEADER, cn);
        n->level = cmark_node_get_heading_level(cn);
        return n;
    case CMARK_NODE_CODE_BLOCK:
        code_block(c, add(c, parent, NC_CODE_BLOCK, cn), cn);
        return parent;
    case CMARK_NODE_HTML_BLOCK:
        n = add(c, parent, NC_RAW_BLOCK, cn);
        n->format = "html";
        set_block_literal(c, n, &cn->as.literal);
        return parent;
    case CMARK_NODE_THEMATIC_BREAK:
        add(c, parent, NC_HORIZONTAL_RULE, cn);
        return parent;
    case CMARK_NODE_FOOTNOTE_DEFINITION:
        return footnote_def(c, parent, cn);
    case CMARK_NODE_TEXT:
        add_text(c, parent, cn, chunk_ptr(&cn->as.literal), chunk_len(&cn->as.literal));
        return parent;
    case CMARK_NODE_SOFTBREAK:
        add(c, parent, NC_SOFT_BREAK, cn);
        return parent;
    case CMARK_NODE_LINEBREAK:
        add(c, parent, NC_LINE_BREAK, cn);
        return parent;
    case CMARK_NODE_CODE:
        set_chunk(c, add(c, parent, NC_CODE, cn), &cn->as.literal);
        return parent;
    case CMARK_NODE_HTML_INLINE:
        n = add(c, parent, NC_RAW_INLINE, cn);
        n->format = "html";
        set_chunk(c, n, &cn->as.literal);
        return parent;
    case CMARK_NODE_EMPH:
        return add(c, parent, NC_EMPH, cn);
    case CMARK_NODE_STRONG:
        return add(c, parent, NC_STRONG, cn);
    case CMARK_NODE_LINK:
    case CMARK_NODE_IMAGE: {
        const cmark_chunk *url = &cn->as.link.url, *title = &cn->as.link.title;
        n = add(c, parent, cn->type == CMARK_NODE_LINK ? NC_LINK : NC_IMAGE, cn);
        n->url = nc_doc_strndup(c->doc, chunk_ptr(url), chunk_len(url));
        if (chunk_len(title))
            n->title = nc_doc_strndup(c->doc, chunk_ptr(title), chunk_len(title));
        return n;
    }
    case CMARK_NODE_FOOTNOTE_REFERENCE:
        return footnote_ref(c, parent, cn);
    default:
        break;
    }
    /* the extensions' node types are registered at run time: tell them by name */
    if (type_is(cn, "strikethrough"))
        return add(c, parent, NC_STRIKEOUT, cn);
    if (type_is(cn, "table")) {
        n = add(c, parent, NC_TABLE, cn);
        table(c, n, cn);
        return n;
    }
    if ((type_is(cn, "table_header") || type_is(cn, "table_row")) && parent->kind == NC_TABLE)
        return table_row(c, parent, cn, type_is(cn, "table_header"));
    if (type_is(cn, "table_cell") && parent->kind == NC_TABLE_ROW) {
        nc_node *tbl = parent->parent->parent;
        n = add(c, parent, NC_TABLE_CELL, cn);
        if (c->cell < tbl->ncols)
            n->align = tbl->cols[c->cell].align;
        c->cell++;
        return add(c, n, NC_PLAIN, cn);
    }
    /* anything else: keep its text and children in a neutral container */
    const char *lit = cmark_node_get_literal(cn);
    bool inl = (cn->type & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_INLINE;
    n = add(c, parent, inl ? NC_SPAN : NC_DIV, cn);
    if (lit && *lit)
        add_text(c, inl ? n : add(c, n, NC_PLAIN, cn), cn, lit, strlen(lit));
    return n;
}

static void leave(conv *c, cmark_node *cn, nc_node *inner)
{
    if (cn->type == CMARK_NODE_FOOTNOTE_DEFINITION)
        c->cur_def = c->defs[inner->len].outer;
    else if (inner->kind == NC_PLAIN && inner->parent && inner->parent->kind == NC_TABLE_CELL &&
             !inner->first)
        nc_node_unlink(inner); /* an empty cell holds no Plain */
    else if (inner->kind == NC_TABLE_ROW)
        finish_row(c, inner);
}

/* The nodes cmark-gfm's iterator gives no EXIT. */
static bool is_leaf(const cmark_node *cn)
{
    switch (cn->type) {
    case CMARK_NODE_HTML_BLOCK:
    case CMARK_NODE_THEMATIC_BREAK:
    case CMARK_NODE_CODE_BLOCK:
    case CMARK_NODE_TEXT:
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
    case CMARK_NODE_CODE:
    case CMARK_NODE_HTML_INLINE:
        return true;
    default:
        return false;
    }
}

/* One walk over cmark-gfm's tree, without recursion. A finished top-level block is freed at
 * once, so that its memory serves our nodes; footnote definitions (which cmark-gfm has moved to
 * the end) stay until place_notes, as references point at them. */
static void convert(conv *c, cmark_node *root, nc_node *into)
{
    cmark_node_set_user_data(root, into);
    cmark_node *cn = root->first_child;
    size_t d = 1;
    while (cn) {
        if (d > c->maxd)
            c->maxd = d;
        cmark_node_set_user_data(cn, enter(c, cmark_node_get_user_data(cn->parent), cn));
        if (cn->first_child && !is_leaf(cn)) {
            cn = cn->first_child;
            d++;
            continue;
        }
        for (;;) {
            if (!is_leaf(cn))
                leave(c, cn, cmark_node_get_user_data(cn));
            cmark_node *next = cn->next, *up = cn->parent;
            if (up == root && cn->type != CMARK_NODE_FOOTNOTE_DEFINITION)
                cmark_node_free(cn);
            if (next) {
                cn = next;
                break;
            }
            cn = up;
            d--;
            if (cn == root) {
                cn = NULL;
                break;
            }
        }
    }
    flush(c);
}

static size_t subtree_size(nc_node *n)
{
    size_t k = 0;
    nc_iter it;
    nc_iter_init(&it, n);
    nc_event ev;
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE)
        k += ev == NC_EV_ENTER;
    return k;
}

static size_t sat_add(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

static size_t target(const ref *r)
{
    const nc_node *holder = cmark_node_get_user_data(r->def);
    return holder ? holder->len : NONE;
}

/* A reference that would put a note inside itself stays the text it was written as, in a Str
 * of its own (joining it with its neighbours would copy them once per such reference). */
static void refuse(conv *c, ref *r)
{
    nc_node *note = r->note;
    nc_diag_report(c->diag, NC_DIAG_WARNING, &note->pos,
                   "footnote [^%s] would contain itself: this reference is kept as text",
                   note->label);
    nc_buf t = NC_BUF_INIT;
    nc_buf_puts(&t, "[^");
    nc_buf_puts(&t, note->label);
    nc_buf_puts(&t, "]");
    nc_node *s = nc_node_new(c->doc, NC_STR, &note->pos);
    nc_node_set_text(c->doc, s, nc_buf_cstr(&t), t.len);
    nc_buf_free(&t);
    nc_node_insert_before(note, s);
    nc_node_unlink(note);
    r->note = NULL;
}

/* Gives note the blocks of definition e: the first reference takes them, later ones get copies
 * within a budget checked before copying. */
static int fill(conv *c, nc_node *note, size_t e, size_t *copied, size_t budget)
{
    note_def *d = &c->defs[e];
    if (!d->home) {
        nc_node_move_children(d->holder, note);
        d->home = note;
        return 0;
    }
    *copied = sat_add(*copied, d->size);
    if (*copied > budget) {
        nc_diag_report(c->diag, NC_DIAG_ERROR, &note->pos,
                       "footnote [^%s] is referenced too often to copy it everywhere",
                       note->label);
        return -1;
    }
    for (const nc_node *b = d->home->first; b; b = b->next)
        nc_node_append(note, nc_node_copy(c->doc, b));
    return 0;
}

/* Fills the Notes. References inside definitions are followed depth first, so that a
 * definition's own notes are filled before anything copies it; a reference back to a
 * definition on the current path (itself included) would make a note contain itself and is
 * refused. *nest gets the most notes nested in one another. */
static int place_notes(conv *c, size_t *nest)
{
    size_t budget = NOTE_COPY_BASE + 2 * c->nodes, copied = 0;
    *nest = 0;
    for (size_t i = 0; i < c->ndefs; i++)
        c->defs[i].size = subtree_size(c->defs[i].holder) - 1;
    for (size_t s = 0; s < c->ndefs; s++) {
        if (c->defs[s].state)
            continue;
        c->defs[s].state = 1;
        c->defs[s].cursor = c->defs[s].first;
        size_t t = s;
        while (t != NONE) {
            note_def *d = &c->defs[t];
            size_t r = d->cursor;
            if (r != NONE) {
                d->cursor = c->refs[r].next;
                size_t e = target(&c->refs[r]);
                if (e == NONE)
                    continue;
                if (c->defs[e].state == 1) {
                    refuse(c, &c->refs[r]);
                } else if (c->defs[e].state == 0) {
                    c->defs[e].state = 1;
                    c->defs[e].cursor = c->defs[e].first;
                    c->defs[e].from = t;
                    t = e;
                }
                continue;
            }
            /* every definition it refers to is complete: fill its notes */
            d->chain = 1;
            for (size_t k = d->first; k != NONE; k = c->refs[k].next) {
                size_t e = target(&c->refs[k]);
                if (!c->refs[k].note || e == NONE)
                    continue;
                if (fill(c, c->refs[k].note, e, &copied, budget) != 0)
                    return -1;
                d = &c->defs[t];
                d->size = sat_add(d->size, c->defs[e].size);
                if (c->defs[e].chain + 1 > d->chain)
                    d->chain = c->defs[e].chain + 1;
            }
            d->state = 2;
            t = d->from;
        }
    }
    for (size_t i = 0; i < c->nrefs; i++) {
        ref *r = &c->refs[i];
        size_t e = target(r);
        if (r->in != NONE || e == NONE)
            continue;
        if (fill(c, r->note, e, &copied, budget) != 0)
            return -1;
        if (c->defs[e].chain > *nest)
            *nest = c->defs[e].chain;
    }
    return 0;
}

static int check_depth(nc_node *root, int max, nc_diag *diag)
{
    nc_iter it;
    nc_iter_init(&it, root);
    nc_event ev;
    int depth = -1; /* the root itself is level 0 */
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE) {
        nc_node *n = nc_iter_node(&it);
        if (ev == NC_EV_EXIT) {
            depth--;
            continue;
        }
        if (depth + 1 > max) {
            nc_diag_report(diag, NC_DIAG_ERROR, &n->pos, "nesting deeper than %d levels", max);
            return -1;
        }
        if (!nc_kind_is_leaf(n->kind))
            depth++;
    }
    return 0;
}

/* Whether the tree may be deeper than max, without walking it. A cmark-gfm node at depth d
 * makes nodes at most 2d + 1 deep (a table cell is a Cell and a Plain; an unknown block a Div,
 * a Plain and a Str), and a note's blocks start at its reference's depth, so notes nested n deep
 * multiply the bound by n + 1. */
static bool maybe_too_deep(size_t maxd, size_t nest, int max)
{
    size_t lim = (size_t)max;
    if (maxd > lim)
        return true;
    return nest + 1 > lim / (2 * maxd + 1);
}

static pthread_once_t registered = PTHREAD_ONCE_INIT;
/* cmark-gfm's inline parser adds the extensions' special characters (':' and 'w' for autolinks,
 * '~') to a global table and takes them out again when it is done: a parse on another thread
 * then misses autolinks. Parsing is a small part of a conversion, so one parse at a time. */
static pthread_mutex_t parsing = PTHREAD_MUTEX_INITIALIZER;

/* ---- cmark-gfm's memory for a big input ----
 * A big note's cmark-gfm tree is megabytes of fresh memory, and first touching memory costs more
 * than parsing (a page fault per 4 KB; far more in some VMs). So for a big input cmark-gfm
 * allocates from regions on huge pages (src/bigmem.c): a bump allocator that grows the newest
 * allocation in place, frees nothing, and is dropped whole once the tree is converted. Its
 * callbacks have no context argument, so the current regions are per thread. */

/* Under AddressSanitizer each cmark-gfm object stays a malloc of its own, so it is checked. */
#if defined(__SANITIZE_ADDRESS__)
#define CM_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CM_SANITIZED 1
#endif
#endif
#ifndef CM_SANITIZED
#define CM_SANITIZED 0
#endif
#define CM_BIG_INPUT ((size_t)256 * 1024) /* smaller inputs keep malloc: a huge page would cost more */
#define CM_ALIGN ((size_t)16)

typedef struct cm_region {
    struct cm_region *prev;
    size_t size, used;
    size_t last; /* offset of the newest allocation's header, or SIZE_MAX */
    bool mapped; /* from nc_big_map, else nc_xcalloc */
} cm_region;

static _Thread_local cm_region *cm_cur;

static size_t cm_round(size_t n)
{
    return (n + CM_ALIGN - 1) & ~(CM_ALIGN - 1);
}

/* The header before each allocation: its size, for realloc. */
#define CM_HDR CM_ALIGN
#define CM_BASE(r) ((char *)(r) + CM_HDR * 4)

static bool cm_region_new(size_t need)
{
    size_t size = cm_cur ? cm_cur->size * 2 : need;
    if (size < need)
        size = need;
    if (size > SIZE_MAX - CM_HDR * 4)
        nc_oom();
    cm_region *r = nc_big_map(size + CM_HDR * 4);
    bool mapped = r != NULL;
    if (!r) {
        if (!cm_cur)
            return false; /* the first region: cmark-gfm's own allocator does as well */
        /* later regions must come from somewhere: plain memory, zeroed as fresh pages are */
        r = nc_xcalloc(1, size + CM_HDR * 4);
    }
    r->mapped = mapped;
    r->prev = cm_cur;
    r->size = size;
    r->used = 0;
    r->last = SIZE_MAX;
    cm_cur = r;
    return true;
}

static void *cm_take(size_t size)
{
    size_t total = CM_HDR + cm_round(size);
    if (total < size)
        nc_oom();
    if (cm_cur->size - cm_cur->used < total)
        cm_region_new(total);
    cm_region *r = cm_cur;
    char *h = CM_BASE(r) + r->used;
    *(size_t *)h = size;
    r->last = r->used;
    r->used += total;
    return h + CM_HDR; /* fresh memory: already zero */
}

static void *cm_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        nc_oom();
    return cm_take(n * size);
}

static void *cm_realloc(void *p, size_t size)
{
    if (!p)
        return cm_calloc(1, size);
    char *h = (char *)p - CM_HDR;
    size_t old = *(size_t *)h;
    cm_region *r = cm_cur;
    if (h == CM_BASE(r) + r->last) {
        size_t end = r->last + CM_HDR + cm_round(size);
        if (end >= r->last && end <= r->size) {
            if (size < old)
                /* the tail goes back to the region, which cm_take hands out as zeroed */
                memset((char *)p + size, 0, old - size);
            *(size_t *)h = size;
            r->used = end;
            return p;
        }
    }
    void *q = cm_take(size);
    memcpy(q, p, old < size ? old : size);
    return q;
}

static void cm_free(void *p)
{
    (void)p; /* the regions go whole in cm_drop */
}

static cmark_mem cm_mem = {cm_calloc, cm_realloc, cm_free};

/* The allocator for a parse of n bytes: ours when regions could be had, else cmark-gfm's. */
static cmark_mem *cm_begin(size_t n)
{
    if (CM_SANITIZED)
        return cmark_get_default_mem_allocator();
    /* about 16 bytes of tree per byte of Markdown; more regions follow if that is short */
    if (n >= CM_BIG_INPUT && n <= SIZE_MAX / 32 && cm_region_new(n * 24))
        return &cm_mem;
    return cmark_get_default_mem_allocator();
}

static void cm_drop(void)
{
    while (cm_cur) {
        cm_region *p = cm_cur->prev;
        if (cm_cur->mapped)
            nc_big_unmap(cm_cur, cm_cur->size + CM_HDR * 4);
        else
            free(cm_cur);
        cm_cur = p;
    }
}

static cmark_node *parse(const char *s, size_t n)
{
    /* the registry is global inside cmark-gfm: fill it once, then it is only read */
    pthread_once(&registered, cmark_gfm_core_extensions_ensure_registered);
    cmark_parser *p = cmark_parser_new_with_mem(CMARK_OPT_FOOTNOTES, cm_begin(n));
    static const char *const exts[] = {"table", "strikethrough", "autolink", "tasklist"};
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
        if (e)
            cmark_parser_attach_syntax_extension(p, e);
    }
    pthread_mutex_lock(&parsing);
    cmark_parser_feed(p, s, n);
    cmark_node *root = cmark_parser_finish(p);
    pthread_mutex_unlock(&parsing);
    cmark_parser_free(p);
    return root;
}

static int body(conv *c, nc_node *into, const char *s, size_t n, int max_depth)
{
    cmark_node *root = parse(s, n);
    if (!root) {
        cm_drop();
        nc_diag_report(c->diag, NC_DIAG_ERROR, NULL, "out of memory while parsing Markdown");
        return -1;
    }
    /* a task item is an item that the tasklist extension claimed */
    c->tasklist = cmark_find_syntax_extension("tasklist");
    convert(c, root, into);
    size_t nest;
    int rc = place_notes(c, &nest);
    cmark_node_free(root);
    cm_drop();
    if (rc == 0 && maybe_too_deep(c->maxd, nest, max_depth))
        rc = check_depth(into, max_depth, c->diag);
    return rc;
}

/* ---- the reader ---- */

void nc_doc_expect_input(nc_doc *doc, size_t bytes)
{
    /* a big note's nodes take about ten bytes of arena per byte of Markdown: on huge pages
       that is a few faults (a small note's arena reuses what cmark-gfm freed, at no cost) */
    if (bytes >= CM_BIG_INPUT && bytes <= SIZE_MAX / 12)
        nc_doc_reserve(doc, bytes * 12);
}

/* Keys already in the document's metadata win, so the first of several inputs decides. */
static void merge_meta(nc_doc *doc, const nc_meta *fm)
{
    nc_meta *dm = nc_doc_meta(doc);
    for (size_t i = 0; i < fm->n; i++)
        if (!nc_meta_get(dm, fm->keys[i]))
            nc_meta_set(doc, dm, fm->keys[i], fm->items[i]);
}

static int read_md(nc_doc *doc, const char *data, size_t len, const char *path,
                   const nc_options *opt, nc_diag *diag)
{
    const char *file = nc_doc_intern_path(doc, path ? path : "-");
    size_t limit = opt && opt->max_input_size ? opt->max_input_size : NC_DEFAULT_MAX_INPUT;
    int max_depth = opt && opt->max_depth > 0 ? opt->max_depth : NC_DEFAULT_MAX_DEPTH;
    if (len > limit) {
        nc_pos p = {file, 0, 0};
        nc_diag_report(diag, NC_DIAG_ERROR, &p, "input is %zu bytes, over the limit of %zu", len,
                       limit);
        return -1;
    }
    if (!data) {
        data = "";
        len = 0;
    }
    uint32_t col1 = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
        col1 = 3;
    }
    if (binary(data, len, file, diag))
        return -1;
    nc_buf fixed = NC_BUF_INIT;
    if (repair(data, len, file, col1, diag, &fixed)) {
        data = fixed.ptr;
        len = fixed.len;
    }

    nc_meta *fm = nc_meta_new(doc, NC_META_MAP);
    size_t start;
    uint32_t lines;
    int rc = front_matter(doc, data, len, file, col1, fm, &start, &lines, diag);
    if (rc == 0)
        nc_doc_expect_input(doc, len - start);
    nc_node *tmp = nc_node_new(doc, NC_DOCUMENT, NULL);
    conv c = {0};
    if (rc == 0) {
        c.cur_def = NONE;
        c.doc = doc;
        c.diag = diag;
        c.file = file;
        c.shift = lines;
        c.col1 = lines ? 0 : col1;
        rc = body(&c, tmp, data + start, len - start, max_depth);
        free(c.refs);
        free(c.defs);
        nc_buf_free(&c.text);
    }
    nc_buf_free(&fixed);
    if (rc)
        return -1;
    /* only a whole success changes the document */
    merge_meta(doc, fm);
    nc_node_move_children(tmp, nc_doc_root(doc));
    if (!nc_doc_path(doc))
        nc_doc_set_path(doc, file);
    return 0;
}

const nc_reader nc_reader_markdown = {
    "markdown",
    ".md .markdown .mkd .mdown .txt",
    "GitHub-flavoured Markdown with YAML/TOML front matter",
    read_md,
};
