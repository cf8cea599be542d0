/* mhd_baseline.c: the least a libmicrohttpd server can do, as the baseline
 * of bench/directory.sh. It answers every request with the same bytes, read
 * once from a file, from one response object made at start, with the same
 * threading as firstdays (internal polling thread and a pool of THREADS).
 *
 *   mhd_baseline PORT BODY_FILE THREADS
 *
 * Prints "listening" when ready; stops on SIGINT or SIGTERM. */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct MHD_Response *response;

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
  (void)cls;
  (void)url;
  (void)method;
  (void)version;
  (void)upload;
  (void)upload_size;
  (void)con_cls;
  return MHD_queue_response(c, MHD_HTTP_OK, response);
}

int main(int argc, char **argv)
{
  if (argc != 4) {
    fprintf(stderr, "usage: mhd_baseline PORT BODY_FILE THREADS\n");
    return 2;
  }
  FILE *f = fopen(argv[2], "rb");
  if (!f) {
    perror(argv[2]);
    return 1;
  }
  static char body[1 << 22];
  size_t n = fread(body, 1, sizeof body, f);
  fclose(f);
  response = MHD_create_response_from_buffer(n, body, MHD_RESPMEM_PERSISTENT);
  MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
  MHD_add_response_header(response, "Access-Control-Allow-Origin", "*");
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  struct MHD_Daemon *d = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, (uint16_t)atoi(argv[1]), NULL, NULL, answer,
      NULL, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)atoi(argv[3]), MHD_OPTION_CONNECTION_LIMIT,
      512u, MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_END);
  if (!d) {
    fprintf(stderr, "mhd_baseline: cannot listen on port %s\n", argv[1]);
    return 1;
  }
  printf("listening\n");
  fflush(stdout);
  int sig;
  sigwait(&set, &sig);
  MHD_stop_daemon(d);
  MHD_destroy_response(response);
  return 0;
}
