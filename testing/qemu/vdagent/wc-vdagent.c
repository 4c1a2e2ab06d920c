/*
 * wc-vdagent: the smallest guest clipboard agent the qemu console tests need. It speaks the
 * VD_AGENT clipboard messages (spice-protocol's vd_agent.h) with QEMU's qemu-vdagent chardev over
 * the virtio serial port com.redhat.spice.0, the way spice-vdagent does, text only:
 *
 *   - on open, QEMU announces its capabilities (asking for ours); we answer with
 *     CLIPBOARD_BY_DEMAND, CLIPBOARD_SELECTION and CLIPBOARD_GRAB_SERIAL (QEMU's D-Bus display
 *     forwards only grabs that carry a serial);
 *   - host grab (selection, serial, types) -> we request UTF8 text -> host clipboard data: the text
 *     the guest "received", written to RECEIVED_FILE and to the test port;
 *   - a text to copy from the test port -> we grab (selection CLIPBOARD, serial + 1, UTF8) and
 *     answer QEMU's request with it.
 *
 * The test port is a second virtio serial port, wc.test, whose host side is a socket the test
 * reads and writes. Frames both ways: one type byte, a 32-bit little-endian length, the payload.
 *   host -> guest  'G' text: copy this text in the guest (grab the clipboard with it)
 *   guest -> host  'C' (empty): QEMU's agent channel is up (capabilities exchanged)
 *                  'R' text: the guest's clipboard received this text from the host
 *                  'Q' (empty): QEMU asked for the text the guest copied (it is being sent)
 *                  'E' message: something went wrong (for the test's failure message)
 * When QEMU closes the agent port (it does so to reset clipboard serials when a D-Bus client
 * registers), the agent closes and reopens it, as spice-vdagent's virtio port code does.
 *
 * Built static by testing/qemu/build-guest.sh (gcc -static, Debian's libc6-dev). Test code, not a
 * production agent: one selection of interest (CLIPBOARD), no images, no files.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define AGENT_PORT "com.redhat.spice.0"
#define TEST_PORT "wc.test"
#define RECEIVED_FILE "/tmp/wc-clipboard"

/* vd_agent.h */
#define VDP_CLIENT_PORT 1
#define VD_AGENT_PROTOCOL 1
#define VD_AGENT_CLIPBOARD 4
#define VD_AGENT_ANNOUNCE_CAPABILITIES 6
#define VD_AGENT_CLIPBOARD_GRAB 7
#define VD_AGENT_CLIPBOARD_REQUEST 8
#define VD_AGENT_CLIPBOARD_RELEASE 9
#define VD_AGENT_CAP_CLIPBOARD_BY_DEMAND 5
#define VD_AGENT_CAP_CLIPBOARD_SELECTION 6
#define VD_AGENT_CAP_CLIPBOARD_GRAB_SERIAL 17
#define VD_AGENT_CLIPBOARD_NONE 0
#define VD_AGENT_CLIPBOARD_UTF8_TEXT 1
#define SELECTIONS 3
#define CHUNK_DATA_MAX 2048 /* VD_AGENT_MAX_DATA_SIZE: what spice-vdagent puts in one chunk */

#define HEADER_SIZE 20 /* VDAgentMessage: protocol, type, opaque (64 bits), size; packed */
#define MESSAGE_MAX (16u << 20)

static int agent = -1, test = -1;
static int agent_ready; /* QEMU's capabilities came on the open agent port */
/* Our capabilities go out once per open of the port: every announce makes QEMU 10 reset the
 * clipboard serials, and a second one on the same open resets the agent itself, which reopens,
 * announces again... */
static int caps_sent;
static int test_up;     /* the host side of the test port is connected */
static uint32_t host_caps;
static uint32_t serial[SELECTIONS];
static char *copied; /* what the guest copied (CLIPBOARD), owned while we hold the grab */
static uint32_t copied_size;
static int own[SELECTIONS];
static int grab_pending; /* a copy came while the agent port was closed: grab once QEMU is back */

/* Reassembly of the agent stream: chunk header, then the chunk into the message. */
static uint8_t chunk_header[8];
static uint32_t chunk_have, chunk_left;
static uint8_t *message;
static uint32_t message_have, message_want;

/* The test port's incoming frame. */
static uint8_t test_header[5];
static uint32_t test_have;
static uint8_t *test_payload;
static uint32_t test_payload_have, test_payload_want;

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static void put32(uint8_t *p, uint32_t v) { p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24; }

/* Blocking or not: a non-blocking descriptor (the test port) waits up to 5 s for room. */
static int write_all(int fd, const void *data, size_t size)
{
    const uint8_t *p = data;
    while (size > 0) {
        ssize_t n = write(fd, p, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                struct pollfd w = { .fd = fd, .events = POLLOUT };
                if (poll(&w, 1, 5000) == 1 && !(w.revents & (POLLHUP | POLLERR)))
                    continue;
            }
            return -1;
        }
        p += n;
        size -= (size_t)n;
    }
    return 0;
}

static void test_frame(char type, const void *payload, uint32_t size)
{
    uint8_t header[5];
    if (test < 0 || !test_up)
        return;
    header[0] = (uint8_t)type;
    put32(header + 1, size);
    if (write_all(test, header, 5) < 0 || (size && write_all(test, payload, size) < 0))
        test_up = 0; /* the host went away; it is seen again when it reconnects */
}

static void report(const char *text)
{
    fprintf(stderr, "wc-vdagent: %s\n", text);
    test_frame('E', text, (uint32_t)strlen(text));
}

/* /dev/virtio-ports/NAME is a udev link; without udev, find the vportNpM whose sysfs name is NAME. */
static int open_port(const char *name, int flags)
{
    char path[512], found[64];
    DIR *dir;
    struct dirent *e;
    snprintf(path, sizeof path, "/dev/virtio-ports/%s", name);
    int fd = open(path, O_RDWR | O_CLOEXEC | flags);
    if (fd >= 0)
        return fd;
    dir = opendir("/sys/class/virtio-ports");
    if (!dir)
        return -1;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "/sys/class/virtio-ports/%s/name", e->d_name);
        int nf = open(path, O_RDONLY | O_CLOEXEC);
        if (nf < 0)
            continue;
        ssize_t n = read(nf, found, sizeof found - 1);
        close(nf);
        if (n <= 0)
            continue;
        found[n] = 0;
        if (found[n - 1] == '\n')
            found[n - 1] = 0;
        if (strcmp(found, name) == 0) {
            snprintf(path, sizeof path, "/dev/%s", e->d_name);
            fd = open(path, O_RDWR | O_CLOEXEC | flags);
            break;
        }
    }
    closedir(dir);
    return fd;
}

/* One VDAgentMessage, cut into chunks of at most CHUNK_DATA_MAX bytes, each with its VDIChunkHeader. */
static void send_message(uint32_t type, const uint8_t *data, uint32_t size)
{
    uint32_t total = HEADER_SIZE + size, off = 0;
    uint8_t *buf = malloc(total);
    if (!buf) {
        report("out of memory");
        return;
    }
    memset(buf, 0, HEADER_SIZE);
    put32(buf, VD_AGENT_PROTOCOL);
    put32(buf + 4, type);
    put32(buf + 16, size);
    memcpy(buf + HEADER_SIZE, data, size);
    while (off < total && agent >= 0) {
        uint8_t chunk[8];
        uint32_t n = total - off > CHUNK_DATA_MAX ? CHUNK_DATA_MAX : total - off;
        put32(chunk, VDP_CLIENT_PORT);
        put32(chunk + 4, n);
        if (write_all(agent, chunk, 8) < 0 || write_all(agent, buf + off, n) < 0) {
            report("write to the agent port failed");
            break;
        }
        off += n;
    }
    free(buf);
}

static void send_caps(int request)
{
    uint8_t body[8];
    put32(body, (uint32_t)request);
    put32(body + 4, 1u << VD_AGENT_CAP_CLIPBOARD_BY_DEMAND | 1u << VD_AGENT_CAP_CLIPBOARD_SELECTION
                        | 1u << VD_AGENT_CAP_CLIPBOARD_GRAB_SERIAL);
    send_message(VD_AGENT_ANNOUNCE_CAPABILITIES, body, 8);
}

/* The selection prefix: one byte and three reserved bytes (with CLIPBOARD_SELECTION). */
static void selection_prefix(uint8_t *p, uint8_t selection) { memset(p, 0, 4); p[0] = selection; }

static void grab_copied(void)
{
    uint8_t body[12];
    if (agent < 0 || !agent_ready) {
        grab_pending = 1;
        return;
    }
    grab_pending = 0;
    serial[0]++;
    selection_prefix(body, 0);
    put32(body + 4, serial[0]);
    put32(body + 8, VD_AGENT_CLIPBOARD_UTF8_TEXT);
    own[0] = 1;
    send_message(VD_AGENT_CLIPBOARD_GRAB, body, 12);
}

static void send_clipboard(uint8_t selection, uint32_t type, const char *data, uint32_t size)
{
    uint8_t *body = malloc(8 + (size_t)size);
    if (!body) {
        report("out of memory");
        return;
    }
    selection_prefix(body, selection);
    put32(body + 4, type);
    if (size)
        memcpy(body + 8, data, size);
    send_message(VD_AGENT_CLIPBOARD, body, 8 + size);
    free(body);
}

static void received(const uint8_t *text, uint32_t size)
{
    int fd = open(RECEIVED_FILE ".new", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        write_all(fd, text, size);
        close(fd);
        rename(RECEIVED_FILE ".new", RECEIVED_FILE);
    }
    test_frame('R', text, size);
}

static void handle_message(const uint8_t *m, uint32_t size)
{
    uint32_t type = le32(m + 4), body_size = le32(m + 16);
    const uint8_t *body = m + HEADER_SIZE;
    uint8_t selection = 0;
    if (body_size != size - HEADER_SIZE) {
        report("message size does not match its header");
        return;
    }
    if (type == VD_AGENT_ANNOUNCE_CAPABILITIES) {
        if (body_size < 8)
            return;
        host_caps = le32(body + 4);
        memset(serial, 0, sizeof serial);
        if (le32(body) && !caps_sent) {
            send_caps(0);
            caps_sent = 1;
        }
        agent_ready = 1;
        test_frame('C', NULL, 0);
        if (grab_pending)
            grab_copied();
        return;
    }
    if (type < VD_AGENT_CLIPBOARD || type > VD_AGENT_CLIPBOARD_RELEASE || type == VD_AGENT_ANNOUNCE_CAPABILITIES)
        return; /* mouse, monitors...: not ours */
    if (host_caps & 1u << VD_AGENT_CAP_CLIPBOARD_SELECTION) {
        if (body_size < 4)
            return;
        selection = body[0];
        body += 4;
        body_size -= 4;
    }
    if (selection >= SELECTIONS)
        return;
    switch (type) {
    case VD_AGENT_CLIPBOARD_GRAB: {
        int text = 0;
        if (host_caps & 1u << VD_AGENT_CAP_CLIPBOARD_GRAB_SERIAL) {
            if (body_size < 4)
                return;
            serial[selection] = le32(body);
            body += 4;
            body_size -= 4;
        }
        own[selection] = 0;
        for (uint32_t i = 0; i + 4 <= body_size; i += 4)
            text |= le32(body + i) == VD_AGENT_CLIPBOARD_UTF8_TEXT;
        if (text && selection == 0) {
            uint8_t request[8];
            selection_prefix(request, selection);
            put32(request + 4, VD_AGENT_CLIPBOARD_UTF8_TEXT);
            send_message(VD_AGENT_CLIPBOARD_REQUEST, request, 8);
        }
        break;
    }
    case VD_AGENT_CLIPBOARD:
        if (body_size < 4)
            return;
        if (selection == 0 && le32(body) == VD_AGENT_CLIPBOARD_UTF8_TEXT)
            received(body + 4, body_size - 4);
        break;
    case VD_AGENT_CLIPBOARD_REQUEST:
        if (body_size < 4)
            return;
        if (selection == 0 && own[0] && copied && le32(body) == VD_AGENT_CLIPBOARD_UTF8_TEXT) {
            test_frame('Q', NULL, 0);
            send_clipboard(selection, VD_AGENT_CLIPBOARD_UTF8_TEXT, copied, copied_size);
        } else {
            send_clipboard(selection, VD_AGENT_CLIPBOARD_NONE, NULL, 0);
        }
        break;
    case VD_AGENT_CLIPBOARD_RELEASE:
        own[selection] = 0;
        break;
    }
}

static void reset_agent_stream(void)
{
    chunk_have = chunk_left = 0;
    free(message);
    message = NULL;
    message_have = message_want = 0;
}

/* Feeds bytes read from the agent port through chunk and message reassembly. */
static void agent_bytes(const uint8_t *p, size_t n)
{
    while (n > 0) {
        if (chunk_left == 0) {
            size_t take = 8 - chunk_have < n ? 8 - chunk_have : n;
            memcpy(chunk_header + chunk_have, p, take);
            chunk_have += take;
            p += take;
            n -= take;
            if (chunk_have < 8)
                return;
            chunk_have = 0;
            chunk_left = le32(chunk_header + 4);
            if (chunk_left == 0)
                continue;
        }
        if (!message) {
            /* A message starts: its header may itself span chunks, so collect 20 bytes first. */
            message = malloc(HEADER_SIZE);
            message_have = 0;
            message_want = HEADER_SIZE;
        }
        size_t take = chunk_left < n ? chunk_left : n;
        if (take > message_want - message_have)
            take = message_want - message_have;
        memcpy(message + message_have, p, take);
        message_have += take;
        chunk_left -= take;
        p += take;
        n -= take;
        if (message_have == HEADER_SIZE && message_want == HEADER_SIZE) {
            uint32_t body = le32(message + 16);
            if (body > MESSAGE_MAX) {
                report("message over 16 MiB");
                reset_agent_stream();
                return;
            }
            uint8_t *bigger = realloc(message, HEADER_SIZE + body);
            if (!bigger) {
                report("out of memory");
                reset_agent_stream();
                return;
            }
            message = bigger;
            message_want = HEADER_SIZE + body;
        }
        if (message_have == message_want) {
            handle_message(message, message_want);
            free(message);
            message = NULL;
            message_have = message_want = 0;
        }
    }
}

static void test_bytes(const uint8_t *p, size_t n)
{
    while (n > 0) {
        if (test_have < 5) {
            size_t take = 5 - test_have < n ? 5 - test_have : n;
            memcpy(test_header + test_have, p, take);
            test_have += take;
            p += take;
            n -= take;
            if (test_have < 5)
                return;
            test_payload_want = le32(test_header + 1);
            test_payload_have = 0;
            if (test_payload_want > MESSAGE_MAX) {
                report("test frame over 16 MiB");
                test_have = 0;
                return;
            }
            test_payload = malloc(test_payload_want + 1);
        }
        size_t take = test_payload_want - test_payload_have < n ? test_payload_want - test_payload_have : n;
        memcpy(test_payload + test_payload_have, p, take);
        test_payload_have += take;
        p += take;
        n -= take;
        if (test_payload_have == test_payload_want) {
            if (test_header[0] == 'G') {
                free(copied);
                copied = (char *)test_payload;
                copied_size = test_payload_want;
                test_payload = NULL;
                grab_copied();
            } else {
                free(test_payload);
                test_payload = NULL;
            }
            test_have = 0;
        }
    }
}

static void pause_ms(long ms)
{
    struct timespec t = { 0, ms * 1000 * 1000 };
    nanosleep(&t, NULL);
}

int main(void)
{
    static uint8_t buf[65536];
    signal(SIGPIPE, SIG_IGN);
    for (;;) {
        struct pollfd fds[2];
        int nfds = 0, agent_at = -1, test_at = -1;
        if (agent < 0) {
            /* We announce first, asking for QEMU's: QEMU 7.2 waits for the guest to speak (10.0
             * also announces itself when the port opens; answering both is harmless). */
            agent = open_port(AGENT_PORT, 0);
            reset_agent_stream();
            agent_ready = 0;
            caps_sent = 0;
            if (agent >= 0) {
                send_caps(1);
                caps_sent = 1;
            }
        }
        if (test < 0) {
            test = open_port(TEST_PORT, O_NONBLOCK);
            test_have = 0;
            test_up = 0;
        }
        if (agent < 0 && test < 0) {
            pause_ms(100);
            continue;
        }
        if (agent >= 0) {
            fds[nfds] = (struct pollfd){ .fd = agent, .events = POLLIN };
            agent_at = nfds++;
        }
        if (test >= 0) {
            /* Until the host side is seen, also wait for room to write: that is how it shows up. */
            fds[nfds] = (struct pollfd){ .fd = test, .events = POLLIN | (test_up ? 0 : POLLOUT) };
            test_at = nfds++;
        }
        if (poll(fds, (nfds_t)nfds, 100) < 0 && errno != EINTR)
            return 1;
        int hung = 0, busy = 0;
        if (agent_at >= 0 && fds[agent_at].revents) {
            ssize_t n = read(agent, buf, sizeof buf);
            if (n > 0) {
                agent_bytes(buf, (size_t)n);
                busy = 1;
            } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                /* QEMU closed its side (a serial reset): reopen, and QEMU announces itself again. */
                close(agent);
                agent = -1;
                hung = 1;
            }
        }
        if (test_at >= 0 && fds[test_at].revents) {
            if (fds[test_at].revents & POLLHUP) {
                test_up = 0; /* nobody on the host side (yet, or any more) */
                test_have = 0;
                hung = 1;
            } else {
                if (!test_up) {
                    test_up = 1;
                    if (agent_ready)
                        test_frame('C', NULL, 0);
                }
                if (fds[test_at].revents & POLLIN) {
                    ssize_t n = read(test, buf, sizeof buf);
                    if (n > 0)
                        test_bytes(buf, (size_t)n);
                }
            }
        }
        if (hung && !busy)
            pause_ms(50);
    }
}
