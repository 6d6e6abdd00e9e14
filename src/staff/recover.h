/* recover.h - finishing interrupted publishes at start (recover.c). Not
 * for use outside src/staff/. */
#ifndef LOTSE_STAFF_RECOVER_H
#define LOTSE_STAFF_RECOVER_H

#include "staff/state.h"

/* Finishes interrupted publishes, compiles stale catalogues and removes
 * temporary files. */
void staff_recover(struct staff *st);

#endif
