/* test_net_webpath.c - which kiosk URLs are served, as what, and that
 * opening never leaves the page folder or follows a symbolic link. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "net/webpath.h"

static const char *checked(const char *url)
{
	static char out[WEBPATH_MAX];
	return webpath_check(url, out, sizeof(out)) == 0 ? out : NULL;
}

static void test_check(void)
{
	CHECK_STR(checked("/"), "index.html");
	CHECK_STR(checked("/app.js"), "app.js");
	CHECK_STR(checked("/img/logo-1_a.svg"), "img/logo-1_a.svg");
	CHECK(checked("") == NULL);
	CHECK(checked("app.js") == NULL);
	CHECK(checked("/../etc/passwd") == NULL);
	CHECK(checked("/img/../../x.js") == NULL);
	CHECK(checked("/..") == NULL);
	CHECK(checked("/.env") == NULL);
	CHECK(checked("/img/.hidden.png") == NULL);
	CHECK(checked("//etc/passwd") == NULL);
	CHECK(checked("/img//a.png") == NULL);
	CHECK(checked("/img/") == NULL);
	CHECK(checked("/a%00.js") == NULL);
	CHECK(checked("/a b.js") == NULL);
	CHECK(checked("/a\\b.js") == NULL);
	CHECK(checked("/ä.js") == NULL);
	CHECK(checked("/a/b/c/d/e/f/g/h/i.js") == NULL);  /* deeper than 8 */
	CHECK_STR(checked("/a/b/c/d/e/f/g/h.js"), "a/b/c/d/e/f/g/h.js");
	char longurl[WEBPATH_MAX + 8];
	memset(longurl, 'a', sizeof(longurl));
	longurl[0] = '/';
	longurl[sizeof(longurl) - 1] = '\0';
	CHECK(checked(longurl) == NULL);
	char small[4];
	CHECK(webpath_check("/app.js", small, sizeof(small)) == -1);
}

static void test_mime(void)
{
	CHECK_STR(webpath_mime("index.html"), "text/html; charset=utf-8");
	CHECK_STR(webpath_mime("app.js"), "text/javascript; charset=utf-8");
	CHECK_STR(webpath_mime("style.CSS"), "text/css; charset=utf-8");
	CHECK_STR(webpath_mime("img/a.svg"), "image/svg+xml");
	CHECK_STR(webpath_mime("a.b/c.png"), "image/png");
	CHECK(webpath_mime("README") == NULL);
	CHECK(webpath_mime("a.b/README") == NULL);
	CHECK(webpath_mime("server.c") == NULL);
	CHECK(webpath_mime("x.html.bak") == NULL);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_open(void)
{
	char root[] = "/tmp/lotse-webpath-XXXXXX";
	CHECK(mkdtemp(root) != NULL);
	char p[512], q[512];
	snprintf(p, sizeof p, "%s/ui", root);
	CHECK(mkdir(p, 0700) == 0);
	snprintf(p, sizeof p, "%s/ui/img", root);
	CHECK(mkdir(p, 0700) == 0);
	snprintf(p, sizeof p, "%s/ui/app.js", root);
	write_file(p, "hello();\n");
	snprintf(p, sizeof p, "%s/ui/img/a.svg", root);
	write_file(p, "<svg/>");
	snprintf(p, sizeof p, "%s/secret.txt", root);
	write_file(p, "secret");
	snprintf(p, sizeof p, "%s/ui/link.txt", root);
	snprintf(q, sizeof q, "%s/secret.txt", root);
	CHECK(symlink(q, p) == 0);
	snprintf(p, sizeof p, "%s/ui/dirlink", root);
	snprintf(q, sizeof q, "%s", root);
	CHECK(symlink(q, p) == 0);

	snprintf(p, sizeof p, "%s/ui", root);
	int dir = open(p, O_PATH | O_DIRECTORY);
	CHECK(dir >= 0);
	size_t size = 0;
	int fd = webpath_open(dir, "app.js", &size);
	CHECK(fd >= 0);
	CHECK(size == 9);
	char buf[16] = {0};
	CHECK(read(fd, buf, sizeof buf) == 9);
	CHECK_STR(buf, "hello();\n");
	close(fd);
	fd = webpath_open(dir, "img/a.svg", &size);
	CHECK(fd >= 0 && size == 6);
	if (fd >= 0)
		close(fd);
	CHECK(webpath_open(dir, "link.txt", &size) == -1);          /* symlink to a file */
	CHECK(webpath_open(dir, "dirlink/secret.txt", &size) == -1); /* symlinked folder */
	CHECK(webpath_open(dir, "img", &size) == -1);               /* a folder */
	CHECK(webpath_open(dir, "missing.js", &size) == -1);
	close(dir);

	const char *const rm[] = {"ui/app.js", "ui/img/a.svg", "ui/link.txt", "ui/dirlink",
	                          "secret.txt"};
	for (size_t i = 0; i < sizeof(rm) / sizeof(rm[0]); i++) {
		snprintf(p, sizeof p, "%s/%s", root, rm[i]);
		unlink(p);
	}
	snprintf(p, sizeof p, "%s/ui/img", root);
	rmdir(p);
	snprintf(p, sizeof p, "%s/ui", root);
	rmdir(p);
	rmdir(root);
}

int main(void)
{
	test_check();
	test_mime();
	test_open();
	CHECK_DONE();
}
