/* test_lib.c: the growable buffer and the request arena, at the edges where
 * they grow: printf output that fits the free space exactly, that needs one
 * more byte, and arena blocks that fill the first chunk and spill over. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void printf_into_empty_buffer(void **state)
{
  (void)state;
  struct buf b = BUF_INIT;
  buf_printf(&b, "%d items, %s", 42, "done");
  assert_string_equal(buf_cstr(&b), "42 items, done");
  assert_int_equal(b.len, 14);
  buf_free(&b);
}

/* Every length around the free space left in the buffer: the text must come
 * out whole and NUL-terminated whether or not it fitted at first. */
static void printf_at_the_edge_of_the_free_space(void **state)
{
  (void)state;
  char want[600];
  for (size_t pre = 200; pre < 260; pre++)
    for (size_t n = 0; n < 80; n++) {
      struct buf b = BUF_INIT;
      memset(want, 'p', pre);
      buf_append(&b, want, pre);
      size_t cap = b.cap;
      char *s = malloc(n + 1);
      memset(s, 'x', n);
      s[n] = '\0';
      buf_printf(&b, "%s!", s);
      memcpy(want + pre, s, n);
      want[pre + n] = '!';
      want[pre + n + 1] = '\0';
      assert_int_equal(b.len, pre + n + 1);
      assert_string_equal(b.data, want);
      assert_true(b.cap > b.len);
      if (pre + n + 1 < cap)
        assert_int_equal(b.cap, cap); /* fitted: no growth */
      free(s);
      buf_free(&b);
    }
}

static void printf_appends_after_existing_text(void **state)
{
  (void)state;
  struct buf b = BUF_INIT;
  buf_puts(&b, "total=");
  buf_printf(&b, "%zu", (size_t)1001);
  buf_printf(&b, ";%.2f", 2.5);
  assert_string_equal(buf_cstr(&b), "total=1001;2.50");
  buf_free(&b);
}

static void arena_memory_is_zeroed_aligned_and_separate(void **state)
{
  (void)state;
  struct arena a;
  arena_init(&a);
  unsigned char *prev = NULL;
  for (size_t n = 1; n < 5000; n += 97) {
    unsigned char *p = arena_alloc(&a, n);
    assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
    for (size_t i = 0; i < n; i++)
      assert_int_equal(p[i], 0);
    memset(p, 0xab, n);
    assert_true(p != prev);
    prev = p;
  }
  /* A block larger than a chunk. */
  unsigned char *big = arena_alloc(&a, 100000);
  assert_int_equal(big[0], 0);
  assert_int_equal(big[99999], 0);
  char *s = arena_printf(&a, "%s-%d", "page", 7);
  assert_string_equal(s, "page-7");
  assert_string_equal(arena_strndup(&a, "postcode", 4), "post");
  arena_free(&a);
  assert_int_equal(a.total, 0);
}

/* An arena over the caller's memory uses it first, then spills into chunks
 * of its own, and arena_free() leaves the caller's memory alone. */
static void arena_with_caller_memory(void **state)
{
  (void)state;
  static _Alignas(max_align_t) unsigned char mem[1024];
  struct arena a;
  arena_init_with(&a, mem, sizeof mem);
  unsigned char *p = arena_alloc(&a, 100);
  assert_true(p >= mem && p + 100 <= mem + sizeof mem);
  unsigned char *q = arena_alloc(&a, 2000); /* does not fit: a chunk of its own */
  assert_true(q + 2000 <= mem || q >= mem + sizeof mem);
  memset(q, 1, 2000);
  unsigned char *r = arena_alloc(&a, 64); /* from the newest chunk */
  assert_non_null(r);
  arena_free(&a);
  assert_null(a.head);
  /* Memory too small or misaligned for a chunk: the arena allocates. */
  arena_init_with(&a, mem + 1, 10);
  assert_null(a.head);
  assert_non_null(arena_alloc(&a, 16));
  arena_free(&a);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(printf_into_empty_buffer),
      cmocka_unit_test(printf_at_the_edge_of_the_free_space),
      cmocka_unit_test(printf_appends_after_existing_text),
      cmocka_unit_test(arena_memory_is_zeroed_aligned_and_separate),
      cmocka_unit_test(arena_with_caller_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
