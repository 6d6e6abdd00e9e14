/* access.c - office and role checks of the logged-in account (see
 * access.h). */
#include <microhttpd.h>
#include <string.h>

#include "staff/access.h"
#include "staff/offices.h"

static bool is_admin(const struct req *r)
{
	return !strcmp(r->sess.role, "admin");
}

bool staff_all_offices(const struct req *r)
{
	return is_admin(r) || !strcmp(r->sess.offices, "*");
}

bool staff_may_see(const struct req *r, const char *tenant)
{
	return is_admin(r) || staff_offices_has(r->sess.offices, tenant);
}

bool staff_need_catalogue_writer(struct req *r)
{
	if (staff_all_offices(r) && strcmp(r->sess.role, "viewer"))
		return true;
	staff_res_error(r, MHD_HTTP_FORBIDDEN, "forbidden",
	                "Die Übersetzungen teilen sich alle Bildungsbüros; ändern darf sie nur ein "
	                "Zugang für alle Büros.");
	return false;
}

bool staff_need_admin(struct req *r)
{
	if (is_admin(r))
		return true;
	staff_res_error(r, MHD_HTTP_FORBIDDEN, "forbidden",
	                "Das darf nur die Verwaltung der Zugänge (Rolle admin).");
	return false;
}
