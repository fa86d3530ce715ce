/* backend.h — the PDF backend: draws an nc_layout with libharu into a buffer. */
#ifndef NC_PDF_BACKEND_H
#define NC_PDF_BACKEND_H

#include "layout.h"

/* 0, or -1 with an error reported. */
int nc_pdf_render(const nc_layout *l, nc_doc *doc, nc_buf *out, nc_diag *diag);

#endif
