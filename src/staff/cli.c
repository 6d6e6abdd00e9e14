/* cli.c - `lotse staff add|passwd|disable|enable|offices|list`: the staff
 * accounts and the offices each may see or edit.
 * There is no default account and no default password; passwords are read
 * from the terminal without echo (twice) or as one line of stdin, and
 * stored as argon2id hashes (libsodium crypto_pwhash_str). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "staff/offices.h"
#include "staff/staff.h"
#include "store/store.h"
#include "util/utf8.h"

/* Reads one line into buf (without its newline); no echo on a terminal.
 * Returns 0, or -1 at end of input or when the line is too long. */
static int read_line(const char *prompt, char *buf, size_t n, bool tty)
{
	struct termios old, quiet;
	bool restore = false;
	if (tty) {
		fputs(prompt, stderr);
		fflush(stderr);
		if (tcgetattr(STDIN_FILENO, &old) == 0) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			restore = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
		}
	}
	char *got = fgets(buf, (int)n, stdin);
	if (restore)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	if (tty)
		fputc('\n', stderr);
	if (!got)
		return -1;
	size_t l = strlen(buf);
	if (l && buf[l - 1] == '\n')
		buf[--l] = '\0';
	else if (!feof(stdin))
		return -1;   /* longer than the buffer */
	if (l && buf[l - 1] == '\r')
		buf[--l] = '\0';
	return 0;
}

/* Reads and checks a new password; hashes it into hash. Returns 0 or -1. */
static int new_password(char *hash)
{
	char pw[STAFF_PW_MAX + 2], again[STAFF_PW_MAX + 2];
	bool tty = isatty(STDIN_FILENO);
	int rc = -1;
	if (read_line("Neues Passwort: ", pw, sizeof(pw), tty) < 0) {
		fprintf(stderr, "lotse staff: no password given (or longer than %d bytes)\n",
		        STAFF_PW_MAX);
		goto out;
	}
	if (utf8_count(pw, strlen(pw)) < STAFF_PW_MIN) {
		fprintf(stderr, "lotse staff: the password must have at least %d characters\n",
		        STAFF_PW_MIN);
		goto out;
	}
	if (tty && (read_line("Passwort wiederholen: ", again, sizeof(again), tty) < 0 ||
	            strcmp(pw, again) != 0)) {
		fprintf(stderr, "lotse staff: the passwords differ\n");
		goto out;
	}
	if (crypto_pwhash_str(hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		fprintf(stderr, "lotse staff: cannot hash the password (out of memory)\n");
		goto out;
	}
	rc = 0;
out:
	sodium_memzero(pw, sizeof(pw));
	sodium_memzero(again, sizeof(again));
	return rc;
}

static int add_account(struct store *db, const char *name, const char *role,
                       const char *flows_dir, const char *const *office, size_t noffice,
                       char *hash);

#define ADD_USAGE "usage: lotse staff add NAME --role editor|viewer|admin [--office T]...\n"

static int add(struct store *db, const char *flows_dir, int argc, char **argv)
{
	const char *name = NULL, *role = NULL;
	const char **office = calloc((size_t)argc + 1, sizeof(*office));
	size_t noffice = 0;
	char hash[crypto_pwhash_STRBYTES];
	int rc = 2;
	for (int i = 1; office && i < argc; i++) {
		if (!strcmp(argv[i], "--role") && i + 1 < argc)
			role = argv[++i];
		else if (!strncmp(argv[i], "--role=", 7))
			role = argv[i] + 7;
		else if (!strcmp(argv[i], "--office") && i + 1 < argc)
			office[noffice++] = argv[++i];
		else if (!strncmp(argv[i], "--office=", 9))
			office[noffice++] = argv[i] + 9;
		else if (!name && argv[i][0] != '-')
			name = argv[i];
		else
			name = NULL, i = argc;
	}
	if (!office || !name || !role || !staff_role_ok(role)) {
		fputs(ADD_USAGE, stderr);
		goto out;
	}
	if (!strcmp(role, "admin") && !noffice)
		office[noffice++] = "*";   /* an admin sees every office */
	/* the offices are checked after the password (a missing one is a
	 * usage error, status 2, named after the password's own errors) */
	rc = add_account(db, name, role, flows_dir, office, noffice, hash);
out:
	free(office);
	return rc;
}

/* Adds name with role and the offices named (checked against flows_dir;
 * hash: room for the password's hash). Returns the exit status. */
static int add_account(struct store *db, const char *name, const char *role,
                       const char *flows_dir, const char *const *office, size_t noffice,
                       char *hash)
{
	char offices[STORE_OFFICES_MAX], err[1400];
	if (!staff_account_name_ok(name)) {
		fprintf(stderr, "lotse staff: a name has 1-%d characters of A-Z a-z 0-9 . _ @ -\n",
		        STORE_NAME_MAX);
		return 2;
	}
	struct store_account a;
	if (store_account_get(db, name, &a) == 1) {
		fprintf(stderr, "lotse staff: \"%s\" exists already\n", name);
		return 1;
	}
	if (new_password(hash) < 0)
		return 1;
	if (staff_offices_join(flows_dir, office, noffice, offices, sizeof(offices), err,
	                       sizeof(err)) < 0) {
		fprintf(stderr, "lotse staff: %s\n" ADD_USAGE, err);
		return 2;
	}
	int rc = store_account_add(db, name, role, hash, (long long)time(NULL));
	if (rc == 0 && store_account_set_offices(db, name, offices) != 1)
		rc = -1;
	if (rc != 0) {
		fprintf(stderr, "lotse staff: %s\n",
		        rc > 0 ? "this name exists already" : store_error(db));
		return 1;
	}
	fprintf(stderr, "lotse staff: added %s (%s; offices: %s)\n", name, role, offices);
	return 0;
}

static int passwd(struct store *db, const char *name)
{
	char hash[crypto_pwhash_STRBYTES];
	struct store_account a;
	if (store_account_get(db, name, &a) != 1) {
		fprintf(stderr, "lotse staff: no account \"%s\"\n", name);
		return 1;
	}
	if (new_password(hash) < 0)
		return 1;
	if (store_account_set_hash(db, name, hash) != 1) {
		fprintf(stderr, "lotse staff: %s\n", store_error(db));
		return 1;
	}
	fprintf(stderr, "lotse staff: new password for %s; its sessions have ended\n", name);
	return 0;
}

static int set_disabled(struct store *db, const char *name, bool disabled)
{
	int rc = store_account_set_disabled(db, name, disabled);
	if (rc != 1) {
		fprintf(stderr, "lotse staff: %s\n", rc == 0 ? "no such account" : store_error(db));
		return 1;
	}
	fprintf(stderr, "lotse staff: %s %s\n", name, disabled ? "disabled" : "enabled");
	return 0;
}

static int set_offices(struct store *db, const char *flows_dir, int argc, char **argv)
{
	char offices[STORE_OFFICES_MAX], err[1400];
	struct store_account a;
	if (argc < 3) {
		fputs("usage: lotse staff offices NAME T... (or '*' for every office)\n", stderr);
		return 2;
	}
	int found = store_account_get(db, argv[1], &a);
	if (found != 1) {
		fprintf(stderr, "lotse staff: %s\n", found == 0 ? "no such account" : store_error(db));
		return 1;
	}
	if (staff_offices_join(flows_dir, (const char *const *)argv + 2, (size_t)argc - 2, offices,
	                       sizeof(offices), err, sizeof(err)) < 0) {
		fprintf(stderr, "lotse staff: %s\n", err);
		return 2;
	}
	if (store_account_set_offices(db, argv[1], offices) != 1) {
		fprintf(stderr, "lotse staff: %s\n", store_error(db));
		return 1;
	}
	fprintf(stderr, "lotse staff: %s may now see: %s\n", argv[1], offices);
	return 0;
}

static void print_account(void *ud, const struct store_account *a)
{
	(void)ud;
	char when[32];
	time_t t = (time_t)a->created;
	struct tm tm;
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", gmtime_r(&t, &tm));
	printf("%-24s %-7s %s  offices: %s%s\n", a->name, a->role, when, a->offices,
	       a->disabled ? "  disabled" : "");
}

static void usage(void)
{
	fputs("usage: lotse staff add NAME --role editor|viewer|admin [--office T]...\n"
	      "       lotse staff offices NAME T...   (T: a tenant folder, or '*' for all)\n"
	      "       lotse staff passwd NAME\n"
	      "       lotse staff disable NAME | enable NAME\n"
	      "       lotse staff list\n"
	      "  (each with --config FILE or --database FILE, and --flows DIR for the offices;\n"
	      "   editors and viewers need at least one --office; passwords: at least 10 characters,\n"
	      "   from the terminal or one line of stdin)\n",
	      stderr);
}

int staff_cli(const char *db_path, const char *flows_dir, int argc, char **argv)
{
	char err[512];
	if (argc < 1) {
		usage();
		return 2;
	}
	const char *cmd = argv[0];
	bool one = !strcmp(cmd, "passwd") || !strcmp(cmd, "disable") || !strcmp(cmd, "enable");
	if ((one && argc != 2) || (!one && strcmp(cmd, "add") && strcmp(cmd, "list") && strcmp(cmd, "offices"))) {
		usage();
		return 2;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "lotse staff: cannot initialise libsodium\n");
		return 1;
	}
	struct store *db = store_open(db_path, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "lotse staff: %s\n", err);
		return 1;
	}
	int rc;
	if (!strcmp(cmd, "add"))
		rc = add(db, flows_dir, argc, argv);
	else if (!strcmp(cmd, "offices"))
		rc = set_offices(db, flows_dir, argc, argv);
	else if (!strcmp(cmd, "passwd"))
		rc = passwd(db, argv[1]);
	else if (!strcmp(cmd, "list"))
		rc = store_account_each(db, print_account, NULL) == 0 ? 0 : 1;
	else
		rc = set_disabled(db, argv[1], !strcmp(cmd, "disable"));
	store_close(db);
	return rc;
}
