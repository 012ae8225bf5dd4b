/*
 * A stand-in for Windows' computenetwork.dll (HCN v2) and vmcompute.dll's HNSCall, built by the
 * test with `cc -shared -fPIC` and loaded into Mono in place of the real DLLs, so the agent's
 * C# P/Invoke declarations (agent.ps1) are called for real: GUIDs by reference, UTF-16 strings
 * in, out handles, out strings the caller must free.
 *
 * Every call is forwarded, one text line each way, over the Unix socket named by
 * $HCN_STANDIN_SOCKET to the test process, which answers from the HNS emulator and keeps the
 * table of open handles (so a handle the agent never closes, or closes twice, is seen there).
 * Strings are sent as the hex of their UTF-16LE code units exactly as the caller laid them out
 * in memory: a string marshalled with the wrong width arrives as garbage, never repaired here.
 *
 * Out strings are allocated from an arena this library owns. The agent frees them with
 * Marshal.FreeCoTaskMem, which Mono on Linux turns into free(); this library is also
 * LD_PRELOADed so that its free() sees those calls: an arena string freed is counted, one freed
 * twice or by an interior pointer is a fault, and everything else goes to the C library's free.
 * The driver reads the counts through standin_outstanding_strings / standin_bad_frees.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

typedef uint16_t wchar16; /* Windows' WCHAR: wchar_t is 4 bytes on Linux, so never use it here */
typedef uint32_t HRESULT;
typedef struct { uint32_t Data1; uint16_t Data2; uint16_t Data3; uint8_t Data4[8]; } GUID;
typedef void *HCN_HANDLE;

#define E_FAIL 0x80004005u
#define E_POINTER 0x80004003u

/* ---- the out-string arena and the free() that watches it ---- */

#define ARENA_BYTES (64u << 20)
#define MAGIC 0x48434e53u /* "HCNS" */
typedef struct { uint32_t magic; uint32_t live; uint64_t size; } Header; /* 16 bytes: keeps the string aligned */

static uint8_t *arena;
static size_t arena_used;
static long outstanding, bad_frees;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER; /* the arena and its counts */
static pthread_mutex_t call_lock = PTHREAD_MUTEX_INITIALIZER;
static void (*libc_free)(void *);

__attribute__((constructor)) static void init(void) {
  libc_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
  arena = mmap(NULL, ARENA_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (arena == MAP_FAILED) arena = NULL;
}

void free(void *p) {
  if (p == NULL) return;
  uint8_t *b = p;
  if (arena && b >= arena && b < arena + ARENA_BYTES) {
    Header *h = (Header *)(b - sizeof(Header));
    pthread_mutex_lock(&lock);
    if (b < arena + sizeof(Header) || h->magic != MAGIC || !h->live) bad_frees++;
    else { h->live = 0; outstanding--; }
    pthread_mutex_unlock(&lock);
    return;
  }
  /* A free() before the constructor ran (dlsym's own allocations) leaks its block: harmless. */
  if (libc_free) libc_free(p);
}

static wchar16 *arena_string(const wchar16 *units, size_t n) {
  size_t bytes = sizeof(Header) + (n + 1) * sizeof(wchar16);
  bytes = (bytes + 15) & ~(size_t)15;
  pthread_mutex_lock(&lock);
  if (!arena || arena_used + bytes > ARENA_BYTES) { pthread_mutex_unlock(&lock); return NULL; }
  Header *h = (Header *)(arena + arena_used);
  arena_used += bytes;
  h->magic = MAGIC; h->live = 1; h->size = n;
  outstanding++;
  pthread_mutex_unlock(&lock);
  wchar16 *s = (wchar16 *)(h + 1);
  memcpy(s, units, n * sizeof(wchar16));
  s[n] = 0;
  return s;
}

long standin_outstanding_strings(void) { return outstanding; }
long standin_bad_frees(void) { return bad_frees; }

/* ---- the line protocol to the test process ---- */

static int sock = -1;
static char *line;
static size_t line_cap, line_len;

static void put(const char *s, size_t n) {
  if (line_len + n + 1 > line_cap) {
    line_cap = (line_len + n + 1) * 2;
    line = realloc(line, line_cap);
  }
  memcpy(line + line_len, s, n);
  line_len += n;
}

static void put_str(const char *s) { put(s, strlen(s)); }

static void put_guid(const GUID *g) {
  char buf[48];
  if (!g) { put_str(" g:-"); return; }
  snprintf(buf, sizeof buf, " g:%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", g->Data1, g->Data2, g->Data3,
           g->Data4[0], g->Data4[1], g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5], g->Data4[6], g->Data4[7]);
  put_str(buf);
}

static void put_handle(HCN_HANDLE h) {
  char buf[32];
  snprintf(buf, sizeof buf, " h:%lu", (unsigned long)(uintptr_t)h);
  put_str(buf);
}

/* The code units up to the terminating NUL, as the caller laid them out: no conversion. */
static void put_wstr(const wchar16 *s) {
  static const char hex[] = "0123456789abcdef";
  if (!s) { put_str(" s:-"); return; }
  put_str(" s:");
  for (; *s; s++) {
    char four[4] = { hex[(*s >> 4) & 15], hex[*s & 15], hex[(*s >> 12) & 15], hex[(*s >> 8) & 15] }; /* little-endian bytes */
    put(four, 4);
  }
}

static int connect_once(void) {
  if (sock >= 0) return 0;
  const char *path = getenv("HCN_STANDIN_SOCKET");
  if (!path) return -1;
  struct sockaddr_un a = { .sun_family = AF_UNIX };
  strncpy(a.sun_path, path, sizeof a.sun_path - 1);
  sock = socket(AF_UNIX, SOCK_STREAM, 0);
  if (sock < 0 || connect(sock, (struct sockaddr *)&a, sizeof a) != 0) { sock = -1; return -1; }
  return 0;
}

/* Reads one reply line into a malloc'd buffer (freed by the caller with libc's free). */
static char *read_reply(void) {
  size_t cap = 4096, n = 0;
  char *r = malloc(cap);
  for (;;) {
    char c;
    ssize_t got = read(sock, &c, 1);
    if (got != 1) { libc_free(r); return NULL; }
    if (c == '\n') break;
    if (n + 1 >= cap) r = realloc(r, cap *= 2);
    r[n++] = c;
  }
  r[n] = 0;
  return r;
}

static int nibble(char c) { return c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0'; }

/* "-" is a NULL out string; otherwise the hex of UTF-16LE code units. */
static wchar16 *parse_wstr(const char *field) {
  if (strcmp(field, "-") == 0) return NULL;
  size_t n = strlen(field) / 4;
  wchar16 *tmp = malloc((n + 1) * sizeof(wchar16));
  for (size_t i = 0; i < n; i++) {
    const char *f = field + 4 * i;
    tmp[i] = (wchar16)((nibble(f[0]) << 4 | nibble(f[1])) | (nibble(f[2]) << 12 | nibble(f[3]) << 8));
  }
  wchar16 *s = arena_string(tmp, n);
  libc_free(tmp);
  return s;
}

/*
 * Sends the line built so far, then fills the out parameters from "<hr> <handle> <text> <error>".
 * Out pointers the function does not have are NULL here; the ones it has are always written, as
 * HCN does (NULL on success for the error record). Ends the call begin() started.
 */
static HRESULT finish(HCN_HANDLE *handle, wchar16 **text, wchar16 **error) {
  HRESULT hr = E_FAIL;
  put("\n", 1);
  char *r = NULL;
  if (connect_once() == 0 && write(sock, line, line_len) == (ssize_t)line_len) r = read_reply();
  if (r) {
    char *save = NULL;
    char *f_hr = strtok_r(r, " ", &save), *f_h = strtok_r(NULL, " ", &save);
    char *f_text = strtok_r(NULL, " ", &save), *f_err = strtok_r(NULL, " ", &save);
    if (f_hr && f_h && f_text && f_err) {
      hr = (HRESULT)strtoul(f_hr, NULL, 10);
      if (handle) *handle = (HCN_HANDLE)(uintptr_t)strtoul(f_h, NULL, 10);
      if (text) *text = parse_wstr(f_text);
      if (error) *error = parse_wstr(f_err);
    }
    libc_free(r);
  }
  line_len = 0;
  pthread_mutex_unlock(&call_lock);
  return hr;
}

/* One call at a time: the line buffer and the socket are shared. */
static void begin(const char *fn) {
  pthread_mutex_lock(&call_lock);
  line_len = 0;
  put_str(fn);
}

/* ---- the HCN functions (computenetwork.h), one family per object kind ---- */

#define FAMILY(Kind, Kinds)                                                                                  \
  HRESULT HcnEnumerate##Kinds(const wchar16 *query, wchar16 **ids, wchar16 **error) {                     \
    if (!ids || !error) return E_POINTER;                                                                  \
    begin("HcnEnumerate" #Kinds); put_wstr(query); return finish(NULL, ids, error);                        \
  }                                                                                                        \
  HRESULT HcnOpen##Kind(const GUID *id, HCN_HANDLE *h, wchar16 **error) {                                  \
    if (!h || !error) return E_POINTER;                                                                    \
    begin("HcnOpen" #Kind); put_guid(id); return finish(h, NULL, error);                                   \
  }                                                                                                        \
  HRESULT HcnModify##Kind(HCN_HANDLE h, const wchar16 *settings, wchar16 **error) {                        \
    if (!error) return E_POINTER;                                                                          \
    begin("HcnModify" #Kind); put_handle(h); put_wstr(settings); return finish(NULL, NULL, error);         \
  }                                                                                                        \
  HRESULT HcnQuery##Kind##Properties(HCN_HANDLE h, const wchar16 *query, wchar16 **props, wchar16 **error) { \
    if (!props || !error) return E_POINTER;                                                                \
    begin("HcnQuery" #Kind "Properties"); put_handle(h); put_wstr(query); return finish(NULL, props, error); \
  }                                                                                                        \
  HRESULT HcnDelete##Kind(const GUID *id, wchar16 **error) {                                               \
    if (!error) return E_POINTER;                                                                          \
    begin("HcnDelete" #Kind); put_guid(id); return finish(NULL, NULL, error);                              \
  }                                                                                                        \
  HRESULT HcnClose##Kind(HCN_HANDLE h) {                                                                   \
    begin("HcnClose" #Kind); put_handle(h); return finish(NULL, NULL, NULL);                               \
  }

#define CREATE(Kind)                                                                                         \
  HRESULT HcnCreate##Kind(const GUID *id, const wchar16 *settings, HCN_HANDLE *h, wchar16 **error) {       \
    if (!h || !error) return E_POINTER;                                                                    \
    begin("HcnCreate" #Kind); put_guid(id); put_wstr(settings); return finish(h, NULL, error);             \
  }

FAMILY(Network, Networks)
FAMILY(Endpoint, Endpoints)
FAMILY(Namespace, Namespaces)
FAMILY(LoadBalancer, LoadBalancers)
FAMILY(SdnRoute, SdnRoutes)
CREATE(Network)
CREATE(Namespace)
CREATE(LoadBalancer)
CREATE(SdnRoute)

/* An endpoint is created on an open network handle. */
HRESULT HcnCreateEndpoint(HCN_HANDLE network, const GUID *id, const wchar16 *settings, HCN_HANDLE *h, wchar16 **error) {
  if (!h || !error) return E_POINTER;
  begin("HcnCreateEndpoint"); put_handle(network); put_guid(id); put_wstr(settings);
  return finish(h, NULL, error);
}

/* vmcompute.dll's HNS v1 entry point (hcsshim: _hnsCall(method, path, object string, response **uint16)). */
HRESULT HNSCall(const wchar16 *method, const wchar16 *path, const wchar16 *request, wchar16 **response) {
  if (!response) return E_POINTER;
  begin("HNSCall"); put_wstr(method); put_wstr(path); put_wstr(request);
  return finish(NULL, response, NULL);
}
