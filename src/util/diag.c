/* diag.c - positioned diagnostics list; see diag.h. */
#include "util/diag.h"

#include <stdlib.h>
#include <string.h>

void diag_init(struct diag *d)
{
	memset(d, 0, sizeof(*d));
}

/* Frees every stored item (file and message strings) and the array. */
void diag_free(struct diag *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].file);
		free(d->items[i].message);
	}
	free(d->items);
	memset(d, 0, sizeof(*d));
}

void diag_addv(struct diag *d, const char *file, int line, int col, const char *fmt, va_list ap)
{
	size_t max = d->max ? d->max : 1000;
	if (d->n >= max)
		goto drop;
	if (d->n == d->cap) {
		size_t ncap = d->cap ? d->cap * 2 : 16;
		struct diag_item *ni = realloc(d->items, ncap * sizeof(*ni));
		if (!ni)
			goto drop;
		d->items = ni;
		d->cap = ncap;
	}
	char msg[1024];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	struct diag_item *it = &d->items[d->n];
	it->file = strdup(file ? file : "");
	it->message = strdup(msg);
	it->line = line;
	it->col = col;
	if (!it->file || !it->message) {
		free(it->file);
		free(it->message);
		goto drop;
	}
	d->n++;
	return;
drop:
	d->dropped++;
}

void diag_add(struct diag *d, const char *file, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_addv(d, file, line, col, fmt, ap);
	va_end(ap);
}

size_t diag_count(const struct diag *d)
{
	return d->n + d->dropped;
}

static int item_cmp(const struct diag_item *a, const struct diag_item *b)
{
	int c = strcmp(a->file, b->file);
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return 0;
}

/* Insertion sort: stable, and lists are short. */
void diag_sort(struct diag *d)
{
	for (size_t i = 1; i < d->n; i++) {
		struct diag_item t = d->items[i];
		size_t j = i;
		while (j > 0 && item_cmp(&d->items[j - 1], &t) > 0) {
			d->items[j] = d->items[j - 1];
			j--;
		}
		d->items[j] = t;
	}
}

const char *diag_format(const struct diag *d, size_t i, char *buf, size_t len)
{
	const struct diag_item *it = &d->items[i];
	if (it->line > 0 && it->col > 0)
		snprintf(buf, len, "%s:%d:%d: %s", it->file, it->line, it->col, it->message);
	else if (it->line > 0)
		snprintf(buf, len, "%s:%d: %s", it->file, it->line, it->message);
	else
		snprintf(buf, len, "%s: %s", it->file, it->message);
	return buf;
}

void diag_print(const struct diag *d, FILE *out)
{
	char buf[2048];
	for (size_t i = 0; i < d->n; i++)
		fprintf(out, "%s\n", diag_format(d, i, buf, sizeof(buf)));
	if (d->dropped)
		fprintf(out, "(%zu more errors not shown)\n", d->dropped);
}
