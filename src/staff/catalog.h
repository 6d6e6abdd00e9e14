/* catalog.h - checking, publishing and installing catalogues (catalog.c).
 * Not for use outside src/staff/. */
#ifndef LOTSE_STAFF_CATALOG_H
#define LOTSE_STAFF_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "staff/result.h"

/* Checks a .po (msgfmt --check, our PO and .mo readers) and publishes it
 * with its compiled .mo. */
void staff_publish_po(struct req *r, const char *lang, const char *content, size_t len,
                      const char *message, bool check_revision, long long base_revision,
                      const char *base_hash, const char *action);
/* Compiles po_path (<lang>.po) into the catalogues folder (recovery).
 * Returns 0, or -1 with err. */
int staff_install_mo(struct staff *st, const char *po_path, const char *lang, char *err,
                     size_t errlen);

#endif
