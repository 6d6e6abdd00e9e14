/* pages.c - the staff pages: files from <ui>/staff/ (with the pages'
 * CSP, which allows framing the kiosk page for previews), Chart.js from
 * the system's copy (libjs-chart.js, staff.chartjs) as /staff/js/chart.js,
 * and the redirects of / and /staff to /staff/. */
#include <fcntl.h>
#include <microhttpd.h>
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/webpath.h"
#include "staff/pages.h"
#include "staff/request.h"
#include "util/log.h"

/* The staff pages; frame-src: the kiosk page (previews), %s. */
static const char pages_csp[] =
	"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
	"connect-src 'self'; frame-src 'self' %s; object-src 'none'; base-uri 'none'; "
	"form-action 'self'; frame-ancestors 'none'";

static void redirect(struct req *r, const char *to)
{
	staff_res_bytes(r, MHD_HTTP_FOUND, "text/plain; charset=utf-8", "", 0);
	staff_res_header(r, MHD_HTTP_HEADER_LOCATION, to);
}

static void not_found(struct req *r)
{
	staff_res_error(r, MHD_HTTP_NOT_FOUND, "not_found", "Das gibt es hier nicht.");
}

/* Serves url (below the prefix already removed) from folder dir. */
static void serve_file(struct req *r, const char *dir, const char *url)
{
	char rel[WEBPATH_MAX], csp[1024], kiosk[400] = "";
	size_t size = 0;
	const char *type = NULL;
	int dfd = -1, fd = -1;
	if (!staff_method(r, MHD_HTTP_METHOD_GET, MHD_HTTP_METHOD_HEAD))
		return;
	if (webpath_check(url, rel, sizeof(rel)) < 0 || !(type = webpath_mime(rel)) ||
	    (dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    (fd = webpath_open(dfd, rel, &size)) < 0) {
		if (dfd >= 0)
			close(dfd);
		not_found(r);
		return;
	}
	close(dfd);
	staff_kiosk_origin(r, kiosk, sizeof(kiosk));
	snprintf(csp, sizeof(csp), pages_csp, kiosk);
	staff_res_file(r, type, fd, size, csp);
}

/* /staff/js/chart.js: the file staff.chartjs names (Debian's
 * libjs-chart.js), never a copy in the staff pages' folder. */
static void serve_chartjs(struct req *r)
{
	struct stat sb;
	int fd = -1;
	if (!staff_method(r, MHD_HTTP_METHOD_GET, MHD_HTTP_METHOD_HEAD))
		return;
	fd = open(r->st->chartjs, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		log_err("staff: Chart.js for the statistics page is missing: %s: %s (install "
		        "libjs-chart.js or set staff.chartjs)", r->st->chartjs,
		        fd < 0 ? strerror(errno) : "not a file");
		if (fd >= 0)
			close(fd);
		not_found(r);
		return;
	}
	char csp[1024], kiosk[400] = "";
	staff_kiosk_origin(r, kiosk, sizeof(kiosk));
	snprintf(csp, sizeof(csp), pages_csp, kiosk);
	staff_res_file(r, "text/javascript; charset=utf-8", fd, (size_t)sb.st_size, csp);
}

void staff_pages(struct req *r)
{
	char dir[4096];
	if (!strcmp(r->url, "/staff"))
		return redirect(r, "/staff/");
	if (!strcmp(r->url, "/")) {   /* the staff address's root: the staff pages */
		if (staff_method(r, MHD_HTTP_METHOD_GET, MHD_HTTP_METHOD_HEAD))
			redirect(r, "/staff/");
		return;
	}
	if (!strcmp(r->url, "/staff/js/chart.js"))
		return serve_chartjs(r);
	if (!strncmp(r->url, "/staff/", 7)) {
		snprintf(dir, sizeof(dir), "%s/staff", r->st->ui_dir);
		return serve_file(r, dir, r->url + 6);
	}
	not_found(r);
}

