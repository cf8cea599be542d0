/* arena.c: chunked bump allocator used for request-scoped memory. */
#include "arena.h"
#include "util.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK_MIN 8192

struct arena_chunk {
  struct arena_chunk *next;
  size_t cap, used;
  int borrowed; /* memory of arena_init_with(): not freed here */
  max_align_t data[];
};

void arena_init(struct arena *a)
{
  a->head = NULL;
  a->total = 0;
}

void arena_init_with(struct arena *a, void *mem, size_t n)
{
  arena_init(a);
  if ((uintptr_t)mem % _Alignof(max_align_t) || n < sizeof(struct arena_chunk) + 64)
    return;
  struct arena_chunk *c = mem;
  c->next = NULL;
  c->cap = n - sizeof *c;
  c->used = 0;
  c->borrowed = 1;
  a->head = c;
}

void arena_free(struct arena *a)
{
  struct arena_chunk *c = a->head;
  while (c) {
    struct arena_chunk *n = c->next;
    if (!c->borrowed)
      free(c);
    c = n;
  }
  a->head = NULL;
  a->total = 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
  const size_t align = sizeof(max_align_t);
  size_t need = (n + align - 1) / align * align;
  if (need < n)
    fatal("arena: size overflow");
  struct arena_chunk *c = a->head;
  if (!c || c->cap - c->used < need) {
    size_t cap = need > ARENA_CHUNK_MIN ? need : ARENA_CHUNK_MIN;
    c = xmalloc(sizeof(*c) + cap);
    c->cap = cap;
    c->used = 0;
    c->borrowed = 0;
    c->next = a->head;
    a->head = c;
  }
  void *p = (char *)c->data + c->used;
  c->used += need;
  a->total += need;
  memset(p, 0, n);
  return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
  char *p = arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
  return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0)
    fatal("arena_vprintf: bad format");
  char *p = arena_alloc(a, (size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *p = arena_vprintf(a, fmt, ap);
  va_end(ap);
  return p;
}
