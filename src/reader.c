/* reader.c — the Markdown reader: input hygiene, front matter, and cmark-gfm's tree turned into
 * our model without recursion. The only file that includes cmark-gfm; it must not print, and
 * keeps no state of its own beyond cmark-gfm's extension table, registered once. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
/* For footnotes only: gfm.6 has no public getter for a reference's definition or a definition's
 * label. The header ships with libcmark-gfm-dev and matches the library we link. */
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

/* Replaces invalid UTF-8 and NUL bytes by U+FFFD into out, warning once a line for each kind.
 * col1 is the number of bytes before column 1 of line 1 (a BOM). Returns false, without
 * copying, when the input is clean. */
static bool repair(const char *s, size_t n, const char *file, uint32_t col1, nc_diag *diag,
                   nc_buf *out)
{
    size_t i = 0, k;
    while (i < n && !bad_at(s, n, i, &k))
        i += k;
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
    nc_pos p = {file, 1, 1 + col1};
    nc_diag_report(diag, NC_DIAG_ERROR, &p, "front matter opened here is never closed");
    return -1;
}

/* ---- cmark-gfm's tree into ours ---- */

typedef struct ref {
    nc_node *note;
    cmark_node *def;
} ref;

typedef struct conv {
    nc_doc *doc;
    nc_diag *diag;
    const char *file;
    uint32_t shift; /* lines before the body */
    uint32_t col1;  /* bytes before column 1 of the body's first line */
    ref *refs;
    size_t nrefs, cap;
    nc_node *pend; /* the Str that adjacent text nodes are merged into */
    nc_buf text;
    int in_def;    /* inside a footnote definition */
    size_t cell;   /* column of the next cell of the current row */
    size_t nodes;
} conv;

static nc_pos where(const conv *c, cmark_node *cn, const nc_node *parent)
{
    int l = cmark_node_get_start_line(cn);
    int col = cmark_node_get_start_column(cn);
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
    if (c->pend)
        nc_node_set_text(c->doc, c->pend, nc_buf_cstr(&c->text), c->text.len);
    c->pend = NULL;
    nc_buf_clear(&c->text);
}

static void add_text(conv *c, nc_node *parent, cmark_node *cn, const char *s)
{
    if (!c->pend || parent->last != c->pend) {
        flush(c);
        c->pend = add(c, parent, NC_STR, cn);
    }
    if (s)
        nc_buf_puts(&c->text, s);
}

/* Literal text as pandoc keeps it: code and raw blocks without their final newline. */
static void set_literal(conv *c, nc_node *n, const char *s, bool block)
{
    size_t len = s ? strlen(s) : 0;
    if (block && len && s[len - 1] == '\n')
        len--;
    nc_node_set_text(c->doc, n, s ? s : "", len);
}

static const char *opt_str(nc_doc *doc, const char *s)
{
    return s && *s ? nc_doc_strdup(doc, s) : NULL;
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
    set_literal(c, n, cmark_node_get_literal(cn), true);
    const char *info = cmark_node_get_fence_info(cn);
    if (!info)
        return;
    size_t w = strcspn(info, " \t");
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

static nc_node *footnote_ref(conv *c, nc_node *parent, cmark_node *cn)
{
    cmark_node *def = cn->parent_footnote_def;
    if (!def || c->in_def) {
        /* our Note holds blocks in place, so a note inside a note could contain itself */
        nc_buf t = NC_BUF_INIT;
        nc_buf_puts(&t, "[^");
        if (def)
            nc_buf_put(&t, def->as.literal.data, (size_t)def->as.literal.len);
        nc_buf_puts(&t, "]");
        add_text(c, parent, cn, nc_buf_cstr(&t));
        nc_buf_free(&t);
        if (def) {
            nc_pos p = where(c, cn, parent);
            nc_diag_report(c->diag, NC_DIAG_WARNING, &p,
                           "a footnote reference inside a footnote is kept as text");
        }
        return parent;
    }
    nc_node *note = add(c, parent, NC_NOTE, cn);
    note->label = nc_doc_strndup(c->doc, (const char *)def->as.literal.data,
                                 (size_t)def->as.literal.len);
    if (c->nrefs == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->refs = nc_xrealloc(c->refs, c->cap * sizeof *c->refs);
    }
    c->refs[c->nrefs++] = (ref){note, def};
    return note;
}

/* Makes our node for cn under parent; returns where cn's children go. */
static nc_node *enter(conv *c, nc_node *parent, cmark_node *cn)
{
    nc_node *n;
    cmark_node *up = cmark_node_parent(cn);
    switch (cmark_node_get_type(cn)) {
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
        if (type_is(cn, "tasklist"))
            n->task = cmark_gfm_extensions_get_tasklist_item_checked(cn) ? NC_TASK_DONE
                                                                         : NC_TASK_OPEN;
        return n;
    case CMARK_NODE_PARAGRAPH: {
        cmark_node *list = up ? cmark_node_parent(up) : NULL;
        bool tight = up && cmark_node_get_type(up) == CMARK_NODE_ITEM && list &&
                     cmark_node_get_list_tight(list);
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
        set_literal(c, n, cmark_node_get_literal(cn), true);
        return parent;
    case CMARK_NODE_THEMATIC_BREAK:
        add(c, parent, NC_HORIZONTAL_RULE, cn);
        return parent;
    case CMARK_NODE_FOOTNOTE_DEFINITION: {
        /* held aside, then moved to where it is referenced */
        nc_pos p = where(c, cn, parent);
        c->in_def++;
        return nc_node_new(c->doc, NC_NOTE, &p);
    }
    case CMARK_NODE_TEXT:
        add_text(c, parent, cn, cmark_node_get_literal(cn));
        return parent;
    case CMARK_NODE_SOFTBREAK:
        add(c, parent, NC_SOFT_BREAK, cn);
        return parent;
    case CMARK_NODE_LINEBREAK:
        add(c, parent, NC_LINE_BREAK, cn);
        return parent;
    case CMARK_NODE_CODE:
        set_literal(c, add(c, parent, NC_CODE, cn), cmark_node_get_literal(cn), false);
        return parent;
    case CMARK_NODE_HTML_INLINE:
        n = add(c, parent, NC_RAW_INLINE, cn);
        n->format = "html";
        set_literal(c, n, cmark_node_get_literal(cn), false);
        return parent;
    case CMARK_NODE_EMPH:
        return add(c, parent, NC_EMPH, cn);
    case CMARK_NODE_STRONG:
        return add(c, parent, NC_STRONG, cn);
    case CMARK_NODE_LINK:
    case CMARK_NODE_IMAGE:
        n = add(c, parent, cmark_node_get_type(cn) == CMARK_NODE_LINK ? NC_LINK : NC_IMAGE, cn);
        n->url = nc_doc_strdup(c->doc, cmark_node_get_url(cn) ? cmark_node_get_url(cn) : "");
        n->title = opt_str(c->doc, cmark_node_get_title(cn));
        return n;
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
    bool inl = (cmark_node_get_type(cn) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_INLINE;
    n = add(c, parent, inl ? NC_SPAN : NC_DIV, cn);
    if (lit && *lit)
        add_text(c, inl ? n : add(c, n, NC_PLAIN, cn), cn, lit);
    return n;
}

static void leave(conv *c, cmark_node *cn, nc_node *inner)
{
    if (cmark_node_get_type(cn) == CMARK_NODE_FOOTNOTE_DEFINITION)
        c->in_def--;
    else if (inner->kind == NC_PLAIN && inner->parent && inner->parent->kind == NC_TABLE_CELL &&
             !inner->first)
        nc_node_unlink(inner); /* an empty cell holds no Plain */
    else if (inner->kind == NC_TABLE_ROW)
        finish_row(c, inner);
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

/* Puts each definition's blocks in the Note of each reference: the first reference takes them,
 * later ones get copies, within a budget checked before copying. */
static int place_notes(conv *c)
{
    size_t budget = NOTE_COPY_BASE + 2 * c->nodes, copied = 0;
    int rc = 0;
    for (size_t i = 0; i < c->nrefs && rc == 0; i++) {
        nc_node *held = cmark_node_get_user_data(c->refs[i].def);
        nc_node *note = c->refs[i].note;
        if (!held)
            continue;
        if (!held->user) {
            /* the holder never joins the document: its len keeps the size of one copy */
            held->len = subtree_size(held) - 1;
            nc_node_move_children(held, note);
            held->user = note;
            continue;
        }
        copied += held->len;
        if (copied > budget) {
            nc_diag_report(c->diag, NC_DIAG_ERROR, &note->pos,
                           "footnote [^%s] is referenced too often to copy it everywhere",
                           note->label);
            rc = -1;
            break;
        }
        const nc_node *from = held->user;
        for (const nc_node *b = from->first; b; b = b->next)
            nc_node_append(note, nc_node_copy(c->doc, b));
    }
    /* user is for filters and writers: leave nothing behind */
    for (size_t i = 0; i < c->nrefs; i++) {
        nc_node *held = cmark_node_get_user_data(c->refs[i].def);
        if (held)
            held->user = NULL;
    }
    return rc;
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

static pthread_once_t registered = PTHREAD_ONCE_INIT;

static cmark_node *parse(const char *s, size_t n)
{
    /* the registry is global inside cmark-gfm: fill it once, then it is only read */
    pthread_once(&registered, cmark_gfm_core_extensions_ensure_registered);
    cmark_parser *p = cmark_parser_new(CMARK_OPT_FOOTNOTES);
    static const char *const exts[] = {"table", "strikethrough", "autolink", "tasklist"};
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
        if (e)
            cmark_parser_attach_syntax_extension(p, e);
    }
    cmark_parser_feed(p, s, n);
    cmark_node *root = cmark_parser_finish(p);
    cmark_parser_free(p);
    return root;
}

static int body(conv *c, nc_node *into, const char *s, size_t n, int max_depth)
{
    cmark_node *root = parse(s, n);
    if (!root) {
        nc_diag_report(c->diag, NC_DIAG_ERROR, NULL, "out of memory while parsing Markdown");
        return -1;
    }
    cmark_node_set_user_data(root, into);
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *cn = cmark_iter_get_node(it);
        if (cn == root)
            continue;
        /* where a node goes follows from its cmark parent, so leaves need no EXIT */
        nc_node *parent = cmark_node_get_user_data(cmark_node_parent(cn));
        if (ev == CMARK_EVENT_ENTER)
            cmark_node_set_user_data(cn, enter(c, parent, cn));
        else
            leave(c, cn, cmark_node_get_user_data(cn));
    }
    cmark_iter_free(it);
    flush(c);
    int rc = place_notes(c);
    cmark_node_free(root);
    if (rc == 0)
        rc = check_depth(into, max_depth, c->diag);
    return rc;
}

/* ---- the reader ---- */

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
    nc_buf fixed = NC_BUF_INIT;
    if (repair(data, len, file, col1, diag, &fixed)) {
        data = fixed.ptr;
        len = fixed.len;
    }

    nc_meta *fm = nc_meta_new(doc, NC_META_MAP);
    size_t start;
    uint32_t lines;
    int rc = front_matter(doc, data, len, file, col1, fm, &start, &lines, diag);
    nc_node *tmp = nc_node_new(doc, NC_DOCUMENT, NULL);
    conv c = {0};
    if (rc == 0) {
        c.doc = doc;
        c.diag = diag;
        c.file = file;
        c.shift = lines;
        c.col1 = lines ? 0 : col1;
        rc = body(&c, tmp, data + start, len - start, max_depth);
        free(c.refs);
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
