/* soak_client.c: the load generator of bench/soak.sh. One thread, epoll, non-blocking
 * sockets to one loopback server. It sends a fixed number of requests drawn from a weighted
 * list (bench/soak-requests.txt), over five kinds of client, each with its own slots
 * (simultaneous connections) and its own share of the total:
 *
 *   normal         keep-alive, 1 to 100 requests a connection, each written at once; the
 *                  last one says "Connection: close" half of the time, else the client
 *                  closes after reading it; half the requests ask for gzip
 *   slow           well-formed requests written 1 to 8 bytes at a time with 0 to
 *                  SLOW_GAP_MS ms between writes (TCP_NODELAY, so each is its own
 *                  segment), 1 to 3 a connection; the answer is read normally
 *   half-request   connects, writes a random prefix of a request (cut in the request line,
 *                  the headers or a body), waits 0 to 50 ms and closes
 *   half-response  a 4 KB receive buffer; writes a whole request and reads half the body
 *                  (8 KB of a chunked one), or, one time in four, nothing, then closes
 *                  with the rest unread (the kernel answers with a reset)
 *   connect-close  connects and closes
 *
 * The slow and vanishing kinds are spread over the whole run: a slot of theirs waits
 * while its kind is further through its share than the normal clients are through
 * theirs (a burst of connections closing faster than the server notices would count
 * against its connections per address).
 *
 * normal and slow clients send only well-formed requests: every answer must be 2xx and
 * every connection must end cleanly (no refused connect, reset, early close, write error,
 * malformed response or 30 s without progress); those are counted as errors. For the
 * other three kinds only the count is reported.
 *
 * Every SAMPLE_S seconds, and when the warm-up share of the requests is done, it reads the
 * server's VmRSS (/proc/PID/status) and open descriptors (/proc/PID/fd). Memory is flat
 * when the largest RSS sampled after half the requests, and the RSS after the last, are
 * at most (1 + RSS_TOLERANCE) times the RSS at the end of the warm-up. After the run it
 * waits up to 5 s for the server's descriptors to fall back to their count before it.
 *
 * Usage: soak_client KEY=VALUE...  (port, pid and file are required)
 *   port= pid= file=  requests=1000000 seed=1 conns=32 slow_conns=16 vanish_conns=4
 *   slow_share=0.005 half_request_share=0.005 half_response_share=0.005
 *   connect_close_share=0.005 slow_gap_ms=10 sample_s=2 warmup=0.1 rss_tolerance=0.10
 *   timeout_s=1800
 * Exit status 0 when there were no errors, memory was flat and no descriptor was left;
 * 1 otherwise; 2 on bad usage. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum kind { K_NORMAL, K_SLOW, K_HALF_REQ, K_HALF_RESP, K_CONNECT_CLOSE, NKINDS };
static const char *const kind_name[NKINDS] = {"normal", "slow", "half-request", "half-response",
                                              "connect-close"};

enum err { E_CONNECT, E_RESET, E_EOF, E_WRITE, E_PROTOCOL, E_TIMEOUT, NERRS };
static const char *const err_name[NERRS] = {
    "connect", "reset", "early-close", "write", "malformed-response", "timeout"};

struct reqdef {
  char *method, *target, *body;
  unsigned weight;
  unsigned long long sent, non2xx;
};

static struct {
  int port, pid;
  const char *file;
  long long requests;
  unsigned long long seed;
  int conns, slow_conns, vanish_conns;
  double share[NKINDS];
  int slow_gap_ms;
  double sample_s, warmup, rss_tolerance;
  double timeout_s;
} opt = {.requests = 1000000,
         .seed = 1,
         .conns = 32,
         .slow_conns = 16,
         .vanish_conns = 4,
         .share = {0, 0.005, 0.005, 0.005, 0.005},
         .slow_gap_ms = 10,
         .sample_s = 2,
         .warmup = 0.1,
         .rss_tolerance = 0.10,
         .timeout_s = 1800};

static struct reqdef *defs;
static size_t ndefs;
static unsigned long long weight_total;

/* Shares of the total, claimed one at a time. */
static long long quota[NKINDS], claimed[NKINDS], finished[NKINDS];
static long long done_total;               /* finished requests and actions of every kind */
static unsigned long long status_count[6]; /* by first digit, well-formed requests */
static unsigned long long errors[NERRS], errors_by_kind[NKINDS];
static unsigned long long vanish_resets; /* resets seen by vanishing clients (expected) */
static unsigned long long connections[NKINDS];
static unsigned long long bytes_in;
static unsigned long long lat_hist[64]; /* well-formed requests, by log2 of microseconds */
static unsigned long long lat_max_us;

static uint64_t rng_state;
static uint64_t rnd(void)
{
  /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ULL;
}
static unsigned rnd_below(unsigned n)
{
  return n ? (unsigned)(rnd() % n) : 0;
}

static uint64_t now_us(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

enum state { S_IDLE, S_PACE, S_CONNECTING, S_WRITING, S_WAIT_WRITE, S_READING, S_LINGER };
enum body { B_NONE, B_LENGTH, B_CHUNKED, B_TO_EOF };
enum chunk { C_SIZE, C_DATA, C_DATA_END, C_TRAILER };

struct conn {
  int fd;
  enum kind kind;
  enum state state;
  bool retired;
  int reqs_left;
  struct reqdef *def;
  char wbuf[2048];
  size_t wlen, woff, wstop; /* wstop: write no further than this (half-request) */
  uint64_t wake_us;         /* slow write or linger: when to go on */
  uint64_t last_io_us, req_start_us;
  /* response */
  char hbuf[16384];
  size_t hlen;
  bool head_done, is_head, close_after;
  int status;
  enum body body;
  long long left; /* B_LENGTH: body bytes still to come; C_DATA: of this chunk */
  enum chunk cstate;
  char cline[80];
  size_t clen;
  long long body_read, read_stop; /* half-response: close once body_read >= read_stop */
  bool want_out;
};

static int ep;
static struct conn *conns;
static int nconns;
static struct sockaddr_in addr;

static void set_events(struct conn *c, bool out)
{
  if (c->want_out == out)
    return;
  struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | (out ? EPOLLOUT : 0), .data.ptr = c};
  epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
  c->want_out = out;
}

static void close_conn(struct conn *c)
{
  if (c->fd >= 0) {
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
  }
  c->fd = -1;
  c->state = S_IDLE;
}

/* One more of this kind to do? */
static bool claim(enum kind k)
{
  if (claimed[k] >= quota[k])
    return false;
  claimed[k]++;
  return true;
}

/* Slow and vanishing clients are spread over the whole run: one of them waits while
 * its kind is further through its share than the normal clients are through theirs. */
static bool ahead(enum kind k)
{
  if (k == K_NORMAL || claimed[K_NORMAL] >= quota[K_NORMAL])
    return false;
  return claimed[k] * quota[K_NORMAL] > claimed[K_NORMAL] * quota[k];
}

static void finish(enum kind k)
{
  finished[k]++;
  done_total++;
}

static bool well_formed(enum kind k)
{
  return k == K_NORMAL || k == K_SLOW;
}

static void fail(struct conn *c, enum err e)
{
  if (well_formed(c->kind)) {
    errors[e]++;
    errors_by_kind[c->kind]++;
    if (errors[e] <= 5)
      fprintf(stderr, "soak: %s client: %s (%s %s)%s%s\n", kind_name[c->kind], err_name[e],
              c->def ? c->def->method : "-", c->def ? c->def->target : "-", errno ? ": " : "",
              errno ? strerror(errno) : "");
  } else if (e == E_RESET) {
    vanish_resets++;
  }
  /* An open connection always has the request or action it was claimed for in hand:
   * that one is finished, as an error. */
  if (c->fd >= 0)
    finish(c->kind);
  close_conn(c);
}

static struct reqdef *pick(void)
{
  unsigned long long r = rnd() % weight_total;
  for (size_t i = 0; i < ndefs; i++) {
    if (r < defs[i].weight)
      return &defs[i];
    r -= defs[i].weight;
  }
  return &defs[ndefs - 1];
}

static void build_request(struct conn *c, bool last)
{
  struct reqdef *d = c->def = pick();
  bool gz = rnd() & 1;
  int n;
  if (d->body)
    n = snprintf(
        c->wbuf, sizeof c->wbuf,
        "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUser-Agent: firstdays-soak\r\n"
        "Accept: */*\r\n%s%sContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
        d->method, d->target, opt.port, gz ? "Accept-Encoding: gzip\r\n" : "",
        last ? "Connection: close\r\n" : "", strlen(d->body), d->body);
  else
    n = snprintf(c->wbuf, sizeof c->wbuf,
                 "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUser-Agent: firstdays-soak\r\n"
                 "Accept: */*\r\n%s%s\r\n",
                 d->method, d->target, opt.port, gz ? "Accept-Encoding: gzip\r\n" : "",
                 last ? "Connection: close\r\n" : "");
  c->wlen = (size_t)n;
  c->woff = 0;
  c->wstop = c->wlen;
  c->hlen = 0;
  c->head_done = false;
  c->is_head = strcmp(d->method, "HEAD") == 0;
  c->close_after = last;
  c->status = 0;
  c->body = B_NONE;
  c->body_read = 0;
  c->read_stop = -1;
  c->req_start_us = now_us();
  d->sent++;
}

static void do_write(struct conn *c);
static void do_read(struct conn *c);

/* Open a new connection for slot c, of the given kind. */
static bool open_conn(struct conn *c, enum kind k)
{
  c->kind = k;
  c->def = NULL;
  c->want_out = false;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    perror("soak: socket");
    exit(1);
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (k == K_HALF_RESP) {
    int small = 4096;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  }
  c->fd = fd;
  connections[k]++;
  c->last_io_us = now_us();
  struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | EPOLLOUT, .data.ptr = c};
  c->want_out = true;
  epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  c->state = S_CONNECTING;
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0 && errno != EINPROGRESS) {
    fail(c, E_CONNECT);
    return false;
  }
  errno = 0;
  return true;
}

/* Start the next thing for slot c: a request on its connection, or a new connection. */
static void next(struct conn *c)
{
  if (c->fd >= 0 && c->reqs_left > 0 && claim(c->kind)) {
    c->reqs_left--;
    build_request(c, c->reqs_left == 0 && c->kind == K_NORMAL && (rnd() & 1));
    c->state = S_WRITING;
    do_write(c);
    return;
  }
  close_conn(c);
  enum kind k;
  bool paced = false;
  if (c - conns < opt.conns)
    k = K_NORMAL;
  else if (c - conns < opt.conns + opt.slow_conns)
    k = K_SLOW, paced = claimed[k] < quota[k] && ahead(k);
  else {
    /* vanishing slots: the kind with the most left to do that is not ahead */
    long long best = 0;
    k = NKINDS;
    for (enum kind v = K_HALF_REQ; v <= K_CONNECT_CLOSE; v++)
      if (quota[v] - claimed[v] > 0) {
        paced = true;
        if (!ahead(v) && quota[v] - claimed[v] > best) {
          best = quota[v] - claimed[v];
          k = v;
        }
      }
    if (k != NKINDS)
      paced = false;
    else if (!paced) {
      c->retired = true;
      return;
    }
  }
  if (paced) {
    c->state = S_PACE;
    c->wake_us = now_us() + 2000;
    return;
  }
  if (!claim(k)) {
    c->retired = true;
    return;
  }
  c->reqs_left = k == K_NORMAL ? (int)rnd_below(100) : k == K_SLOW ? (int)rnd_below(3) : 0;
  if (!open_conn(c, k))
    return; /* counted; the main loop gives the slot its next turn */
}

/* The connection is up: start its first request. */
static void connected(struct conn *c)
{
  c->last_io_us = now_us();
  switch (c->kind) {
  case K_CONNECT_CLOSE:
    finish(c->kind);
    close_conn(c);
    return;
  case K_NORMAL:
  case K_SLOW:
    build_request(c, c->reqs_left == 0 && c->kind == K_NORMAL && (rnd() & 1));
    break;
  case K_HALF_REQ:
    build_request(c, false);
    c->wstop = 1 + rnd_below((unsigned)c->wlen - 1);
    break;
  case K_HALF_RESP:
    build_request(c, false);
    c->read_stop = (rnd() & 3) == 0 ? 0 : -2; /* -2: half the body, worked out from the head */
    break;
  default:
    break;
  }
  c->state = S_WRITING;
  do_write(c);
}

static void do_write(struct conn *c)
{
  for (;;) {
    size_t n = c->wstop - c->woff;
    if (c->kind == K_SLOW) {
      size_t piece = 1 + rnd_below(8);
      if (n > piece)
        n = piece;
    }
    if (n == 0)
      break;
    ssize_t w = send(c->fd, c->wbuf + c->woff, n, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        c->state = S_WRITING;
        set_events(c, true);
        return;
      }
      if (errno == ECONNRESET)
        fail(c, E_RESET);
      else
        fail(c, E_WRITE);
      return;
    }
    c->woff += (size_t)w;
    c->last_io_us = now_us();
    if (c->kind == K_SLOW && c->woff < c->wstop) {
      c->state = S_WAIT_WRITE;
      c->wake_us = c->last_io_us + (uint64_t)rnd_below((unsigned)opt.slow_gap_ms + 1) * 1000u;
      set_events(c, false);
      return;
    }
  }
  set_events(c, false);
  if (c->kind == K_HALF_REQ) {
    c->state = S_LINGER;
    c->wake_us = now_us() + rnd_below(51) * 1000u;
    return;
  }
  if (c->kind == K_HALF_RESP && c->read_stop == 0) {
    finish(c->kind);
    close_conn(c);
    return;
  }
  c->state = S_READING;
}

/* A whole answer has arrived on a normal or slow connection (or the half it wanted on a
 * half-response one). */
static void answered(struct conn *c)
{
  if (c->kind == K_HALF_RESP) {
    finish(c->kind);
    close_conn(c);
    return;
  }
  uint64_t us = now_us() - c->req_start_us;
  int b = 0;
  while ((1ULL << (b + 1)) <= us && b < 63)
    b++;
  lat_hist[b]++;
  if (us > lat_max_us)
    lat_max_us = us;
  int d = c->status / 100;
  status_count[d >= 0 && d <= 5 ? d : 0]++;
  if (d != 2) {
    c->def->non2xx++;
    if (c->def->non2xx <= 3)
      fprintf(stderr, "soak: %s client: %d from %s %s\n", kind_name[c->kind], c->status,
              c->def->method, c->def->target);
  }
  finish(c->kind);
  if (c->close_after) {
    close_conn(c);
  }
  next(c);
}

/* Parse the response head in c->hbuf (ending at its blank line). */
static bool parse_head(struct conn *c)
{
  c->hbuf[c->hlen] = 0;
  if (strncmp(c->hbuf, "HTTP/1.", 7) != 0 || c->hlen < 12)
    return false;
  c->status = atoi(c->hbuf + 9);
  if (c->status < 100 || c->status > 599)
    return false;
  long long length = -1;
  bool chunked = false;
  for (char *line = strstr(c->hbuf, "\r\n"); line && line[2] != '\r';
       line = strstr(line + 2, "\r\n")) {
    char *h = line + 2;
    if (strncasecmp(h, "Content-Length:", 15) == 0)
      length = strtoll(h + 15, NULL, 10);
    else if (strncasecmp(h, "Transfer-Encoding:", 18) == 0 && strcasestr(h, "chunked") &&
             strcasestr(h, "chunked") < strstr(h, "\r\n"))
      chunked = true;
    else if (strncasecmp(h, "Connection:", 11) == 0 && strcasestr(h, "close") &&
             strcasestr(h, "close") < strstr(h, "\r\n"))
      c->close_after = true;
  }
  if (c->is_head || c->status == 204 || c->status == 304 || c->status / 100 == 1)
    c->body = B_NONE;
  else if (chunked)
    c->body = B_CHUNKED, c->cstate = C_SIZE, c->clen = 0;
  else if (length >= 0)
    c->body = length ? B_LENGTH : B_NONE, c->left = length;
  else
    c->body = B_TO_EOF, c->close_after = true;
  if (c->kind == K_HALF_RESP && c->read_stop == -2)
    c->read_stop = c->body == B_LENGTH ? c->left / 2 : 8192;
  return true;
}

/* Consume up to avail bytes of the c->left still due (of the body, or of this chunk). */
static size_t take(struct conn *c, size_t avail)
{
  size_t n = (size_t)c->left < avail ? (size_t)c->left : avail;
  c->left -= (long long)n;
  c->body_read += (long long)n;
  return n;
}

/* Feed body bytes; returns 1 when the body is complete, 0 for more, -1 on a malformed body. */
static int feed_body(struct conn *c, const char *p, size_t n, size_t *used)
{
  size_t i = 0;
  int r = 0;
  while (i < n && r == 0) {
    switch (c->body) {
    case B_NONE:
      r = 1;
      break;
    case B_TO_EOF:
      c->body_read += (long long)(n - i);
      i = n;
      break;
    case B_LENGTH:
      i += take(c, n - i);
      if (c->left == 0)
        r = 1;
      break;
    case B_CHUNKED:
      switch (c->cstate) {
      case C_SIZE:
      case C_TRAILER:
        if (p[i] == '\n') {
          c->cline[c->clen] = 0;
          if (c->clen && c->cline[c->clen - 1] == '\r')
            c->cline[--c->clen] = 0;
          if (c->cstate == C_TRAILER) {
            if (c->clen == 0)
              r = 1;
          } else {
            char *end;
            long long size = strtoll(c->cline, &end, 16);
            if (end == c->cline || size < 0)
              r = -1;
            else if (size == 0)
              c->cstate = C_TRAILER;
            else
              c->cstate = C_DATA, c->left = size;
          }
          c->clen = 0;
        } else if (c->clen + 1 < sizeof c->cline) {
          c->cline[c->clen++] = p[i];
        } else {
          r = -1;
        }
        i++;
        break;
      case C_DATA:
        i += take(c, n - i);
        if (c->left == 0)
          c->cstate = C_DATA_END, c->clen = 0;
        break;
      case C_DATA_END:
        if (p[i] == '\n')
          c->cstate = C_SIZE, c->clen = 0;
        else if (p[i] != '\r')
          r = -1;
        i++;
        break;
      }
      break;
    }
  }
  if (c->body == B_NONE)
    r = 1;
  *used = i;
  return r;
}

static void do_read(struct conn *c)
{
  char buf[65536];
  for (;;) {
    ssize_t n = recv(c->fd, buf, c->kind == K_HALF_RESP ? 4096 : sizeof buf, 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        return;
      fail(c, errno == ECONNRESET ? E_RESET : E_EOF);
      return;
    }
    if (n == 0) {
      errno = 0;
      if (c->state == S_READING && c->head_done && c->body == B_TO_EOF) {
        answered(c);
        return;
      }
      if (!well_formed(c->kind)) {
        finish(c->kind);
        close_conn(c);
        return;
      }
      fail(c, E_EOF);
      return;
    }
    bytes_in += (uint64_t)n;
    c->last_io_us = now_us();
    if (c->state != S_READING) {
      /* bytes before the request was written whole: only an error answer does that */
      if (!well_formed(c->kind)) {
        finish(c->kind);
        close_conn(c);
        return;
      }
      errno = 0;
      fail(c, E_PROTOCOL);
      return;
    }
    size_t off = 0;
    if (!c->head_done) {
      size_t room = sizeof c->hbuf - 1 - c->hlen;
      size_t take = (size_t)n < room ? (size_t)n : room;
      memcpy(c->hbuf + c->hlen, buf, take);
      size_t old = c->hlen;
      c->hlen += take;
      c->hbuf[c->hlen] = 0;
      char *end = strstr(c->hbuf + (old > 3 ? old - 3 : 0), "\r\n\r\n");
      if (!end) {
        if (c->hlen == sizeof c->hbuf - 1) {
          errno = 0;
          fail(c, E_PROTOCOL);
        }
        continue;
      }
      size_t head_len = (size_t)(end - c->hbuf) + 4;
      c->hlen = head_len;
      if (!parse_head(c)) {
        errno = 0;
        fail(c, E_PROTOCOL);
        return;
      }
      c->head_done = true;
      off = head_len - old;
    }
    size_t used = 0;
    int r = feed_body(c, buf + off, (size_t)n - off, &used);
    if (r < 0) {
      errno = 0;
      fail(c, E_PROTOCOL);
      return;
    }
    if (c->kind == K_HALF_RESP && c->read_stop >= 0 && c->body_read >= c->read_stop) {
      answered(c);
      return;
    }
    if (r == 1) {
      if (off + used != (size_t)n && well_formed(c->kind)) {
        errno = 0;
        fail(c, E_PROTOCOL); /* bytes after the answer: none were asked for */
        return;
      }
      answered(c);
      return;
    }
  }
}

/* --- the server's memory and descriptors --- */

struct sample {
  double t;
  long long done;
  long rss_kb;
  int fds;
};
static struct sample *samples;
static size_t nsamples, samples_cap;

static long read_rss_kb(void)
{
  char path[64], line[256];
  snprintf(path, sizeof path, "/proc/%d/status", opt.pid);
  FILE *f = fopen(path, "r");
  if (!f)
    return -1;
  long kb = -1;
  while (fgets(line, sizeof line, f))
    if (strncmp(line, "VmRSS:", 6) == 0)
      kb = strtol(line + 6, NULL, 10);
  fclose(f);
  return kb;
}

static int count_fds(void)
{
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/fd", opt.pid);
  DIR *d = opendir(path);
  if (!d)
    return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    if (e->d_name[0] != '.')
      n++;
  closedir(d);
  return n;
}

static uint64_t t0_us;
static void take_sample(void)
{
  if (nsamples == samples_cap) {
    samples_cap = samples_cap ? samples_cap * 2 : 256;
    samples = realloc(samples, samples_cap * sizeof *samples);
    if (!samples)
      exit(1);
  }
  samples[nsamples++] =
      (struct sample){(double)(now_us() - t0_us) / 1e6, done_total, read_rss_kb(), count_fds()};
}

/* --- setup --- */

static void load_defs(const char *file)
{
  FILE *f = fopen(file, "r");
  if (!f) {
    perror(file);
    exit(2);
  }
  char line[4096];
  size_t cap = 0;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = 0;
    char *p = line + strspn(line, " \t");
    if (!*p || *p == '#')
      continue;
    char *w = strtok(p, " \t"), *m = strtok(NULL, " \t"), *t = strtok(NULL, " \t"),
         *b = strtok(NULL, "");
    if (!w || !m || !t || atoi(w) <= 0) {
      fprintf(stderr, "%s: bad line: %s\n", file, p);
      exit(2);
    }
    if (ndefs == cap) {
      cap = cap ? cap * 2 : 64;
      defs = realloc(defs, cap * sizeof *defs);
    }
    defs[ndefs++] = (struct reqdef){.method = strdup(m),
                                    .target = strdup(t),
                                    .body = b ? strdup(b + strspn(b, " \t")) : NULL,
                                    .weight = (unsigned)atoi(w)};
    weight_total += (unsigned)atoi(w);
  }
  fclose(f);
  if (!ndefs) {
    fprintf(stderr, "%s: no requests\n", file);
    exit(2);
  }
}

/* The KEY=VALUE settings: i int, l long long, u unsigned long long, d double, s string. */
static const struct setting {
  const char *name;
  char type;
  void *p;
} settings[] = {
    {"port", 'i', &opt.port},
    {"pid", 'i', &opt.pid},
    {"file", 's', &opt.file},
    {"requests", 'l', &opt.requests},
    {"seed", 'u', &opt.seed},
    {"conns", 'i', &opt.conns},
    {"slow_conns", 'i', &opt.slow_conns},
    {"vanish_conns", 'i', &opt.vanish_conns},
    {"slow_share", 'd', &opt.share[K_SLOW]},
    {"half_request_share", 'd', &opt.share[K_HALF_REQ]},
    {"half_response_share", 'd', &opt.share[K_HALF_RESP]},
    {"connect_close_share", 'd', &opt.share[K_CONNECT_CLOSE]},
    {"slow_gap_ms", 'i', &opt.slow_gap_ms},
    {"sample_s", 'd', &opt.sample_s},
    {"warmup", 'd', &opt.warmup},
    {"rss_tolerance", 'd', &opt.rss_tolerance},
    {"timeout_s", 'd', &opt.timeout_s},
};

static void parse_args(int argc, char **argv)
{
  for (int i = 1; i < argc; i++) {
    char *eq = strchr(argv[i], '=');
    if (!eq) {
      fprintf(stderr, "soak_client: expected KEY=VALUE, not %s\n", argv[i]);
      exit(2);
    }
    *eq = 0;
    const char *k = argv[i], *v = eq + 1;
    const struct setting *st = NULL;
    for (size_t j = 0; j < sizeof settings / sizeof settings[0]; j++)
      if (!strcmp(k, settings[j].name))
        st = &settings[j];
    if (!st) {
      fprintf(stderr, "soak_client: unknown setting %s\n", k);
      exit(2);
    }
    switch (st->type) {
    case 'i':
      *(int *)st->p = atoi(v);
      break;
    case 'l':
      *(long long *)st->p = atoll(v);
      break;
    case 'u':
      *(unsigned long long *)st->p = strtoull(v, NULL, 10);
      break;
    case 'd':
      *(double *)st->p = atof(v);
      break;
    default:
      *(const char **)st->p = v;
    }
  }
  if (opt.port <= 0 || opt.pid <= 0 || !opt.file || opt.requests <= 0 || opt.conns <= 0 ||
      opt.slow_conns < 0 || opt.vanish_conns < 0 || opt.sample_s <= 0) {
    fprintf(stderr, "usage: soak_client port=N pid=N file=FILE [requests=N ...]\n");
    exit(2);
  }
}

int main(int argc, char **argv)
{
  parse_args(argc, argv);
  load_defs(opt.file);
  rng_state = opt.seed * 0x9E3779B97F4A7C15ULL + 1;
  long long rest = opt.requests;
  for (enum kind k = K_SLOW; k < NKINDS; k++) {
    quota[k] = (long long)((double)opt.requests * opt.share[k]);
    rest -= quota[k];
  }
  if (rest <= 0) {
    fprintf(stderr, "soak_client: the shares leave nothing for normal clients\n");
    return 2;
  }
  quota[K_NORMAL] = rest;
  if (!opt.slow_conns)
    quota[K_NORMAL] += quota[K_SLOW], quota[K_SLOW] = 0;
  if (!opt.vanish_conns)
    for (enum kind k = K_HALF_REQ; k < NKINDS; k++)
      quota[K_NORMAL] += quota[k], quota[k] = 0;

  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)opt.port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ep = epoll_create1(EPOLL_CLOEXEC);
  nconns = opt.conns + opt.slow_conns + opt.vanish_conns;
  conns = calloc((size_t)nconns, sizeof *conns);

  t0_us = now_us();
  take_sample();
  int fds_before = samples[0].fds;
  long long warm_at = (long long)((double)opt.requests * opt.warmup);
  bool warm_sampled = false;
  long warm_rss = -1;
  uint64_t next_sample = t0_us + (uint64_t)(opt.sample_s * 1e6);
  uint64_t deadline = t0_us + (uint64_t)(opt.timeout_s * 1e6);
  bool timed_out = false;

  for (int i = 0; i < nconns; i++) {
    conns[i].fd = -1;
    next(&conns[i]);
  }

  struct epoll_event evs[256];
  for (;;) {
    uint64_t now = now_us();
    /* timers: slow writes, lingering half-requests, stalled connections, idle slots */
    uint64_t wake = next_sample;
    int active = 0;
    for (int i = 0; i < nconns; i++) {
      struct conn *c = &conns[i];
      if (c->retired)
        continue;
      if (c->state == S_IDLE) {
        next(c);
        if (c->retired)
          continue;
      }
      active++;
      if (c->state == S_PACE) {
        if (now >= c->wake_us) {
          c->state = S_IDLE; /* its next turn, on the next pass */
          wake = now;
        } else if (c->wake_us < wake)
          wake = c->wake_us;
        continue;
      }
      if (c->fd < 0)
        continue;
      if (c->state == S_WAIT_WRITE && now >= c->wake_us) {
        c->state = S_WRITING;
        do_write(c);
      } else if (c->state == S_LINGER && now >= c->wake_us) {
        finish(c->kind);
        close_conn(c);
        continue;
      } else if ((int64_t)(now - c->last_io_us) > 30000000) {
        errno = 0;
        fail(c, E_TIMEOUT);
        continue;
      }
      if ((c->state == S_WAIT_WRITE || c->state == S_LINGER) && c->wake_us < wake)
        wake = c->wake_us;
    }
    if (!active)
      break;
    if (now >= deadline) {
      timed_out = true;
      break;
    }
    if (now >= next_sample) {
      take_sample();
      struct sample *s = &samples[nsamples - 1];
      fprintf(stderr, "soak: %6.1f s  %9lld done  RSS %6ld kB  %3d fds\n", s->t, s->done, s->rss_kb,
              s->fds);
      next_sample += (uint64_t)(opt.sample_s * 1e6);
      if (next_sample <= now)
        next_sample = now + (uint64_t)(opt.sample_s * 1e6);
    }
    if (!warm_sampled && done_total >= warm_at) {
      take_sample();
      warm_rss = samples[nsamples - 1].rss_kb;
      warm_sampled = true;
    }
    int timeout_ms = wake > now ? (int)((wake - now + 999) / 1000) : 0;
    if (timeout_ms > 100)
      timeout_ms = 100;
    int n = epoll_wait(ep, evs, 256, timeout_ms);
    for (int i = 0; i < n; i++) {
      struct conn *c = evs[i].data.ptr;
      if (c->fd < 0)
        continue;
      uint32_t e = evs[i].events;
      if (c->state == S_CONNECTING) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err) {
          errno = err;
          fail(c, E_CONNECT);
          continue;
        }
        if (e & EPOLLOUT) {
          connected(c);
          continue;
        }
      }
      if ((e & EPOLLOUT) && c->state == S_WRITING) {
        do_write(c);
        if (c->fd < 0)
          continue;
      }
      if (e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
        do_read(c);
    }
  }
  double secs = (double)(now_us() - t0_us) / 1e6;
  take_sample();
  long end_rss = samples[nsamples - 1].rss_kb;
  if (!warm_sampled)
    warm_rss = samples[0].rss_kb;
  for (int i = 0; i < nconns; i++)
    close_conn(&conns[i]);
  /* Let the server see the last closes, then count its descriptors. */
  int fds_after = -1;
  for (int i = 0; i < 50; i++) {
    fds_after = count_fds();
    if (fds_after <= fds_before)
      break;
    usleep(100000);
  }
  long idle_rss = read_rss_kb();

  /* --- report --- */
  unsigned long long wf = status_count[0] + status_count[1] + status_count[2] + status_count[3] +
                          status_count[4] + status_count[5];
  unsigned long long non2xx = wf - status_count[2];
  unsigned long long nerr = 0;
  for (int e = 0; e < NERRS; e++)
    nerr += errors[e];
  printf("requests   %lld done of %lld in %.1f s (%.0f a second)%s\n", done_total, opt.requests,
         secs, (double)done_total / secs, timed_out ? ", STOPPED at the time limit" : "");
  for (enum kind k = K_NORMAL; k < NKINDS; k++)
    printf("  %-14s %9lld done, %8llu connections\n", kind_name[k], finished[k], connections[k]);
  printf("answers    %llu to well-formed requests: 2xx %llu, non-2xx %llu (1xx %llu 3xx %llu "
         "4xx %llu 5xx %llu, none %llu)\n",
         wf, status_count[2], non2xx, status_count[1], status_count[3], status_count[4],
         status_count[5], status_count[0]);
  for (size_t i = 0; i < ndefs; i++)
    if (defs[i].non2xx)
      printf("  non-2xx    %llu of %llu: %s %s\n", defs[i].non2xx, defs[i].sent, defs[i].method,
             defs[i].target);
  printf("socket errors on normal and slow clients: %llu", nerr);
  for (int e = 0; e < NERRS; e++)
    if (errors[e])
      printf(" %s %llu", err_name[e], errors[e]);
  printf(" (normal %llu, slow %llu)\n", errors_by_kind[K_NORMAL], errors_by_kind[K_SLOW]);
  printf("vanishing clients: %llu resets seen (expected)\n", vanish_resets);
  unsigned long long acc = 0, p50 = 0, p99 = 0;
  for (int b = 0; b < 64; b++) {
    acc += lat_hist[b];
    if (!p50 && acc * 2 >= wf)
      p50 = 2ULL << b;
    if (!p99 && acc * 100 >= wf * 99)
      p99 = 2ULL << b;
  }
  printf("latency    well-formed requests: p50 < %llu us, p99 < %llu us, max %llu us\n", p50, p99,
         lat_max_us);
  printf("bytes in   %.1f MB\n", (double)bytes_in / 1e6);

  long max_rss = 0, max_late = 0;
  for (size_t i = 0; i < nsamples; i++) {
    if (samples[i].rss_kb > max_rss)
      max_rss = samples[i].rss_kb;
    if (samples[i].done * 2 >= opt.requests && samples[i].rss_kb > max_late)
      max_late = samples[i].rss_kb;
  }
  printf("RSS series (s, requests done, kB, fds):");
  for (size_t i = 0; i < nsamples; i++)
    printf("%s%.0f:%lld:%ld:%d", i % 6 ? " " : "\n  ", samples[i].t, samples[i].done,
           samples[i].rss_kb, samples[i].fds);
  printf("\n");
  long limit = (long)((double)warm_rss * (1.0 + opt.rss_tolerance));
  bool flat = warm_rss > 0 && max_late <= limit && end_rss <= limit;
  printf("RSS        first %ld kB, end of warm-up (%lld requests) %ld kB, last %ld kB, max %ld kB, "
         "max over the last half %ld kB, idle after %ld kB\n",
         samples[0].rss_kb, warm_at, warm_rss, end_rss, max_rss, max_late, idle_rss);
  printf(
      "memory     %s: the last half's max and the last sample are %s %ld kB (warm-up + %.0f%%)\n",
      flat ? "flat" : "NOT FLAT", flat ? "within" : "not all within", limit,
      opt.rss_tolerance * 100);
  bool fds_ok = fds_after >= 0 && fds_after <= fds_before;
  printf("descriptors before %d, after %d: %s\n", fds_before, fds_after,
         fds_ok ? "none left open" : "LEFT OPEN");
  bool ok = !timed_out && non2xx == 0 && nerr == 0 && flat && fds_ok && done_total == opt.requests;
  printf("soak       %s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
