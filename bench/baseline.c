/* baseline.c: the least a libmicrohttpd server can do, for bench/run.sh to
 * compare firstdays against. It answers every request with the same buffer of
 * exactly N bytes, with the header lines of HEADERS-FILE when given (so that
 * it sends the same header block as the server it stands beside), using the
 * threading mode firstdays uses (internal polling
 * thread, a thread pool of one thread per CPU, epoll where available, and an
 * acceptor thread that hands each connection to MHD, so the workers carry
 * equal numbers of connections).
 *
 *   usage: baseline PORT BYTES [THREADS [HEADERS-FILE]]
 *
 * HEADERS-FILE holds "Name: value" lines, such as curl -D writes; a status
 * line and the headers libmicrohttpd writes itself (Date, Content-Length,
 * Connection, Keep-Alive) are left out.
 *
 * It prints "listening on PORT" once ready and stops on SIGINT or SIGTERM. */
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static struct MHD_Response *fixed;

/* Add the header lines of path to r. False when the file cannot be read or
 * libmicrohttpd refuses a header. */
static int add_headers(struct MHD_Response *r, const char *path)
{
  FILE *f = fopen(path, "r");
  if (!f)
    return 0;
  char line[4096];
  int ok = 1;
  while (ok && fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = '\0';
    char *colon = strchr(line, ':');
    if (!colon || strncmp(line, "HTTP/", 5) == 0)
      continue;
    *colon = '\0';
    const char *value = colon + 1 + strspn(colon + 1, " \t");
    static const char *const own[] = {"Date", "Content-Length", "Connection", "Keep-Alive"};
    int skip = 0;
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
      skip |= strcasecmp(line, own[i]) == 0;
    if (!skip)
      ok = MHD_add_response_header(r, line, value) == MHD_YES;
  }
  fclose(f);
  return ok;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
  (void)cls, (void)url, (void)method, (void)version, (void)upload;
  /* Answer on the second call, once the request is complete: a response
   * queued on the first call makes MHD close the connection (no keep-alive). */
  static int first_call_marker;
  if (*con_cls == NULL) {
    *con_cls = &first_call_marker;
    return MHD_YES;
  }
  *upload_size = 0;
  return MHD_queue_response(c, MHD_HTTP_OK, fixed);
}

static struct MHD_Daemon *daemon_;
static int lfd = -1;

static void *acceptor(void *p)
{
  (void)p;
  for (;;) {
    struct sockaddr_storage a;
    socklen_t alen = sizeof a;
    int fd = accept4(lfd, (struct sockaddr *)&a, &alen, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) {
      if (errno == EINVAL) /* shut down */
        return NULL;
      continue;
    }
    MHD_add_connection(daemon_, fd, (struct sockaddr *)&a, alen);
  }
}

int main(int argc, char **argv)
{
  if (argc < 3) {
    fprintf(stderr, "usage: baseline PORT BYTES [THREADS [HEADERS-FILE]]\n");
    return 2;
  }
  unsigned port = (unsigned)atoi(argv[1]);
  size_t n = (size_t)strtoul(argv[2], NULL, 10);
  long threads = argc > 3 ? atol(argv[3]) : sysconf(_SC_NPROCESSORS_ONLN);
  if (threads < 1)
    threads = 1;
  char *body = malloc(n ? n : 1);
  if (!body)
    return 1;
  memset(body, 'x', n);
  fixed = MHD_create_response_from_buffer(n, body, MHD_RESPMEM_PERSISTENT);
  if (argc > 4) {
    if (!add_headers(fixed, argv[4])) {
      fprintf(stderr, "baseline: cannot use the headers in %s\n", argv[4]);
      return 1;
    }
  } else {
    MHD_add_response_header(fixed, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
  }

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);

  struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t slen = sizeof sin;
  lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (lfd < 0 || bind(lfd, (struct sockaddr *)&sin, sizeof sin) != 0 || listen(lfd, 1024) != 0 ||
      getsockname(lfd, (struct sockaddr *)&sin, &slen) != 0) {
    fprintf(stderr, "baseline: cannot listen on port %u\n", port);
    return 1;
  }
  struct MHD_Daemon *d = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG |
          MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC,
      0, NULL, NULL, answer, NULL, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
      MHD_OPTION_CONNECTION_LIMIT, 512u, MHD_OPTION_END);
  pthread_t acc;
  if (!d || (daemon_ = d, pthread_create(&acc, NULL, acceptor, NULL)) != 0) {
    fprintf(stderr, "baseline: cannot start\n");
    return 1;
  }
  printf("listening on %u\n", ntohs(sin.sin_port));
  fflush(stdout);
  int sig;
  sigwait(&set, &sig);
  shutdown(lfd, SHUT_RDWR);
  pthread_join(acc, NULL);
  close(lfd);
  MHD_stop_daemon(d);
  MHD_destroy_response(fixed);
  free(body);
  return 0;
}
