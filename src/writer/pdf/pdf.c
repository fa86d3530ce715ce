/* pdf.c — the PDF writers: "pdf" lays the document out and draws it with the libharu backend;
 * "pdf-layout" prints the same layout as text, so that tests check layout, not PDF bytes. */
#include "backend.h"
#include "layout.h"

static int render_pdf(nc_doc *doc, const nc_options *opt, nc_buf *out, nc_diag *diag)
{
    nc_layout *l = nc_layout_new(doc, opt, diag);
    if (!l)
        return -1;
    int rc = nc_pdf_render(l, doc, out, diag);
    nc_layout_free(l);
    return rc;
}

static int render_layout(nc_doc *doc, const nc_options *opt, nc_buf *out, nc_diag *diag)
{
    nc_layout *l = nc_layout_new(doc, opt, diag);
    if (!l)
        return -1;
    nc_layout_dump(l, out);
    nc_layout_free(l);
    return 0;
}

const nc_writer nc_writer_pdf = {
    "pdf", ".pdf", "PDF, typeset by noteconv (Japanese included) through libharu", true,
    render_pdf,
};

const nc_writer nc_writer_pdf_layout = {
    "pdf-layout", ".layout", "the PDF typesetter's page layout as text (for tests)", false,
    render_layout,
};
