/* i18n_api.h - translations in the staff area (i18n_api.c). Not for use
 * outside src/staff/. */
#ifndef LOTSE_STAFF_I18N_API_H
#define LOTSE_STAFF_I18N_API_H

#include "staff/result.h"

/* /api/translations[/<t>/<lang>] */
void staff_translations(struct req *r);
/* /api/po/lotse.pot, /api/po/<lang>.po */
void staff_po(struct req *r);

#endif
