/* registry.c — the tables of readers, writers and built-in filters. Adding a format or a
 * filter is one file and one line here. */
#include <string.h>
#include <strings.h>

#include "internal.h"

static const nc_reader *const readers[] = {
    &nc_reader_markdown,
    &nc_reader_json,
};

static const nc_writer *const writers[] = {
    &nc_writer_html,
    &nc_writer_pdf,
    &nc_writer_pdf_layout,
    &nc_writer_json,
    &nc_writer_outline,
    &nc_writer_xhtml,
    &nc_writer_epub,
};

static const nc_filter *const filters[] = {
    &nc_filter_heading_ids,
    &nc_filter_hugo_shortcodes,
    &nc_filter_resources,
    &nc_filter_link_rewrite,
    &nc_filter_east_asian_breaks,
    &nc_filter_toc,
    &nc_filter_number_sections,
    &nc_filter_shift_headings,
    &nc_filter_smart,
    &nc_filter_empty_sections,
    &nc_filter_strip_comments,
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Does the space-separated list exts hold the extension of path? */
static bool has_ext(const char *exts, const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return false;
    size_t n = strlen(dot);
    for (const char *p = exts; *p;) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncasecmp(p, dot, n) == 0)
            return true;
        p += len + (e ? 1 : 0);
    }
    return false;
}

size_t nc_reader_count(void) { return COUNT(readers); }
const nc_reader *nc_reader_at(size_t i) { return i < COUNT(readers) ? readers[i] : NULL; }

const nc_reader *nc_reader_find(const char *name)
{
    for (size_t i = 0; i < COUNT(readers); i++)
        if (strcmp(readers[i]->name, name) == 0)
            return readers[i];
    if (strcmp(name, "gfm") == 0 || strcmp(name, "commonmark") == 0 || strcmp(name, "md") == 0)
        return &nc_reader_markdown;
    return NULL;
}

const nc_reader *nc_reader_for_path(const char *path)
{
    for (size_t i = 0; i < COUNT(readers); i++)
        if (has_ext(readers[i]->extensions, path))
            return readers[i];
    return NULL;
}

size_t nc_writer_count(void) { return COUNT(writers); }
const nc_writer *nc_writer_at(size_t i) { return i < COUNT(writers) ? writers[i] : NULL; }

const nc_writer *nc_writer_find(const char *name)
{
    for (size_t i = 0; i < COUNT(writers); i++)
        if (strcmp(writers[i]->name, name) == 0)
            return writers[i];
    if (strcmp(name, "html5") == 0)
        return &nc_writer_html;
    return NULL;
}

const nc_writer *nc_writer_for_path(const char *path)
{
    for (size_t i = 0; i < COUNT(writers); i++)
        if (has_ext(writers[i]->extensions, path))
            return writers[i];
    return NULL;
}

size_t nc_filter_count(void) { return COUNT(filters); }
const nc_filter *nc_filter_at(size_t i) { return i < COUNT(filters) ? filters[i] : NULL; }

const nc_filter *nc_filter_find(const char *name)
{
    for (size_t i = 0; i < COUNT(filters); i++)
        if (strcmp(filters[i]->name, name) == 0)
            return filters[i];
    return NULL;
}
