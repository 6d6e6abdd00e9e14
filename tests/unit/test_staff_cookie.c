/* test_staff_cookie.c - reading the session cookie from a Cookie header
 * (quotes, spaces, other cookies, malformed and duplicate values), the
 * token shape and the base64url form. */
#include <string.h>

#include "check.h"
#include "staff/util.h"

static char out[64];

static int find(const char *h)
{
	memset(out, 'x', sizeof(out));
	out[sizeof(out) - 1] = '\0';
	return staff_cookie_find(h, "lotse_staff", out, 48);
}

int main(void)
{
	CHECK(find("lotse_staff=abc") == 1);
	CHECK_STR(out, "abc");
	CHECK(find("a=1; lotse_staff=abc; b=2") == 1);
	CHECK_STR(out, "abc");
	CHECK(find("a=1;lotse_staff=\"q-_9\";b") == 1);
	CHECK_STR(out, "q-_9");
	CHECK(find("  lotse_staff = v1 ;") == 1);
	CHECK_STR(out, "v1");
	CHECK(find("lotse_staff=") == 1);
	CHECK_STR(out, "");
	/* absent: other names, prefixes and suffixes of the name */
	CHECK(find("") == 0);
	CHECK(find(NULL) == 0);
	CHECK(find("xlotse_staff=1; lotse_staffx=2; lotse_staf=3") == 0);
	CHECK(find("lotse_staff") == 0);
	/* someone else's broken cookie does not matter */
	CHECK(find("weird=\"a b\\c; lotse_staff=ok") == 1);
	CHECK_STR(out, "ok");
	/* malformed or ambiguous values of ours are refused */
	CHECK(find("lotse_staff=a b") == -1);
	CHECK(find("lotse_staff=a\\b") == -1);
	CHECK(find("lotse_staff=\"ab") == -1);
	CHECK(find("lotse_staff=a; lotse_staff=b") == -1);
	CHECK(find("lotse_staff=\xc3\xa4") == -1);
	CHECK(find("lotse_staff=0123456789012345678901234567890123456789012345678") == -1);
	/* tokens: 43 base64url characters exactly */
	CHECK(staff_token_valid("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-_01234"));
	CHECK(!staff_token_valid("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-_0123"));
	CHECK(!staff_token_valid("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-_012345"));
	CHECK(!staff_token_valid("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-_0123="));
	CHECK(!staff_token_valid(NULL));
	/* base64url (RFC 4648 section 5, no padding) */
	char b[64];
	CHECK_STR(staff_b64url((const unsigned char *)"", 0, b, sizeof(b)), "");
	CHECK_STR(staff_b64url((const unsigned char *)"f", 1, b, sizeof(b)), "Zg");
	CHECK_STR(staff_b64url((const unsigned char *)"fo", 2, b, sizeof(b)), "Zm8");
	CHECK_STR(staff_b64url((const unsigned char *)"foo", 3, b, sizeof(b)), "Zm9v");
	CHECK_STR(staff_b64url((const unsigned char *)"foobar", 6, b, sizeof(b)), "Zm9vYmFy");
	const unsigned char hi[] = {0xfb, 0xff, 0xbf};
	CHECK_STR(staff_b64url(hi, 3, b, sizeof(b)), "-_-_");
	unsigned char key[32];
	memset(key, 0xff, sizeof(key));
	CHECK(strlen(staff_b64url(key, 32, b, sizeof(b))) == STAFF_TOKEN_LEN);
	CHECK(staff_token_valid(b));
	CHECK_DONE();
}
