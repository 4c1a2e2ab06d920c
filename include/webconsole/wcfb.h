/*
 * wcfb.h - WebConsole shared framebuffer region, format version 1.0.
 *
 * The producer side of the contract described in docs/region-format.md: the
 * layout as structs (checked with static_assert against the byte offsets of
 * the specification) and inline helpers a producer needs: create and map a
 * region, pick a buffer it may draw into, publish a frame with damage, wait
 * for a request, drain input events and set the cursor.
 *
 * C11 plus Linux libc only (C, not C++: it uses C11 _Atomic). Include this
 * header before any other header, or define _GNU_SOURCE yourself (syscall()
 * is a GNU extension).
 *
 *   gcc -std=c11 -Wall -Wextra -Werror -I include producer.c
 */
#ifndef WEBCONSOLE_WCFB_H
#define WEBCONSOLE_WCFB_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- constants -------------------------------------------------------- */

#define WCFB_MAGIC 0x42464357u /* bytes "WCFB" in file order */
#define WCFB_VERSION_MAJOR 1u
#define WCFB_VERSION_MINOR 0u
#define WCFB_PAGE_SIZE 4096u
#define WCFB_META_SIZE 0xC000u /* metadata block at the end of the file */
#define WCFB_HEADER_SIZE 0x100u
#define WCFB_MAX_BUFFERS 3u
#define WCFB_MAX_DIMENSION 16384u
#define WCFB_DAMAGE_RING 64u
#define WCFB_INPUT_RING 256u
#define WCFB_CURSOR_MAX 64u
#define WCFB_NO_BUFFER 0xFFFFFFFFu

/* header.flags */
#define WCFB_FLAG_REQUESTED 0x1u /* producer renders only when asked */

/* DRM fourcc codes (drm_fourcc.h); byte order is little-endian in memory. */
#define WCFB_FOURCC(a, b, c, d) \
    ((uint32_t)(a) | ((uint32_t)(b) << 8) | ((uint32_t)(c) << 16) | ((uint32_t)(d) << 24))
#define WCFB_FORMAT_XRGB8888 WCFB_FOURCC('X', 'R', '2', '4') /* B,G,R,X bytes: native */
#define WCFB_FORMAT_ARGB8888 WCFB_FOURCC('A', 'R', '2', '4') /* B,G,R,A bytes */
#define WCFB_FORMAT_XBGR8888 WCFB_FOURCC('X', 'B', '2', '4') /* R,G,B,X bytes */
#define WCFB_FORMAT_ABGR8888 WCFB_FOURCC('A', 'B', '2', '4') /* R,G,B,A bytes */
#define WCFB_FORMAT_RGB565 WCFB_FOURCC('R', 'G', '1', '6')   /* u16: r5 g6 b5 */

/* input event types */
#define WCFB_INPUT_KEY 1u     /* code = evdev keycode, value = 1 press / 0 release */
#define WCFB_INPUT_POINTER 2u /* x, y absolute, value = button mask */
#define WCFB_INPUT_WHEEL 3u   /* x, y in 1/120 of a notch; positive = right, down */

/* pointer button mask bits */
#define WCFB_BUTTON_LEFT 0x1u
#define WCFB_BUTTON_MIDDLE 0x2u
#define WCFB_BUTTON_RIGHT 0x4u
#define WCFB_BUTTON_BACK 0x8u
#define WCFB_BUTTON_FORWARD 0x10u

/* ---- layout ------------------------------------------------------------ */

struct wcfb_cursor {
    int32_t x;         /* hotspot position in frame pixels */
    int32_t y;
    uint32_t hot_x;    /* hotspot inside the image */
    uint32_t hot_y;
    uint32_t width;    /* 0..64 */
    uint32_t height;   /* 0..64 */
    uint32_t visible;  /* 0 or 1 */
    uint32_t serial;   /* image serial; the image lives in cursor_image[serial & 1] */
};

/* Everything here except seq is written only inside a seqlock write section. */
struct wcfb_header {
    uint32_t magic;                         /* 0x00 */
    uint16_t version_major;                 /* 0x04 */
    uint16_t version_minor;                 /* 0x06 */
    uint32_t meta_size;                     /* 0x08 */
    uint32_t header_size;                   /* 0x0C */
    _Atomic(uint32_t) seq;                   /* 0x10 seqlock: odd while the producer writes; futex word */
    uint32_t flags;                         /* 0x14 */
    uint64_t epoch;                         /* 0x18 nonzero, new for every producer start */
    uint32_t producer_pid;                  /* 0x20 informational */
    uint32_t generation;                    /* 0x24 changes on every mode change */
    uint32_t fourcc;                        /* 0x28 */
    uint32_t width;                         /* 0x2C */
    uint32_t height;                        /* 0x30 */
    uint32_t stride;                        /* 0x34 bytes per row */
    uint32_t buffer_count;                  /* 0x38 1..3 */
    uint32_t front;                         /* 0x3C index of the published buffer */
    uint64_t buffer_offset[WCFB_MAX_BUFFERS]; /* 0x40 from the start of the file */
    uint64_t buffer_size;                   /* 0x58 bytes reserved per buffer */
    uint32_t frame_seq;                     /* 0x60 +1 per published frame, 0 = none yet */
    uint32_t reserved0;                     /* 0x64 */
    uint64_t damage_head;                   /* 0x68 damage records ever written */
    struct wcfb_cursor cursor;              /* 0x70 */
    uint8_t reserved1[0x70];                /* 0x90 zero */
};

struct wcfb_damage {
    uint32_t frame_seq; /* frame that this rectangle belongs to */
    uint32_t x;
    uint32_t y;
    uint32_t width;
    uint32_t height;
    uint32_t reserved;
};

/* Counters with one writer each, one per cache line. */
struct wcfb_control {
    _Atomic(uint32_t) request_seq;   /* 0x00 consumer: +1 to request an update */
    uint8_t pad0[60];
    _Atomic(uint32_t) complete_seq;  /* 0x40 producer: = request_seq it served */
    uint8_t pad1[60];
    _Atomic(uint32_t) consumer_hold; /* 0x80 consumer: buffer index it reads, or WCFB_NO_BUFFER */
    uint8_t pad2[60];
    _Atomic(uint32_t) input_write;   /* 0xC0 consumer: input events ever written */
    uint8_t pad3[60];
    _Atomic(uint32_t) input_read;    /* 0x100 producer: input events ever consumed */
    uint8_t pad4[60];
};

struct wcfb_input_event {
    uint16_t type;  /* WCFB_INPUT_* */
    uint16_t code;  /* key: evdev keycode */
    uint32_t value; /* key: 1 press, 0 release; pointer: button mask */
    int32_t x;
    int32_t y;
};

/* The metadata block: the last WCFB_META_SIZE bytes of the file. */
struct wcfb_meta {
    struct wcfb_header header;                              /* 0x0000 */
    struct wcfb_damage damage[WCFB_DAMAGE_RING];            /* 0x0100 */
    uint8_t reserved0[0x1000 - 0x700];                      /* 0x0700 */
    struct wcfb_control control;                            /* 0x1000 */
    uint8_t reserved1[0x2000 - 0x1140];                     /* 0x1140 */
    struct wcfb_input_event input[WCFB_INPUT_RING];         /* 0x2000 */
    uint8_t reserved2[0x4000 - 0x3000];                     /* 0x3000 */
    uint32_t cursor_image[2][WCFB_CURSOR_MAX * WCFB_CURSOR_MAX]; /* 0x4000, 0x8000: ARGB8888 */
};

static_assert(sizeof(_Atomic(uint32_t)) == 4, "atomic u32 must be plain 4 bytes");
static_assert(offsetof(struct wcfb_header, seq) == 0x10, "seq");
static_assert(offsetof(struct wcfb_header, epoch) == 0x18, "epoch");
static_assert(offsetof(struct wcfb_header, generation) == 0x24, "generation");
static_assert(offsetof(struct wcfb_header, fourcc) == 0x28, "fourcc");
static_assert(offsetof(struct wcfb_header, stride) == 0x34, "stride");
static_assert(offsetof(struct wcfb_header, front) == 0x3C, "front");
static_assert(offsetof(struct wcfb_header, buffer_offset) == 0x40, "buffer_offset");
static_assert(offsetof(struct wcfb_header, buffer_size) == 0x58, "buffer_size");
static_assert(offsetof(struct wcfb_header, frame_seq) == 0x60, "frame_seq");
static_assert(offsetof(struct wcfb_header, damage_head) == 0x68, "damage_head");
static_assert(offsetof(struct wcfb_header, cursor) == 0x70, "cursor");
static_assert(sizeof(struct wcfb_cursor) == 0x20, "cursor size");
static_assert(sizeof(struct wcfb_header) == WCFB_HEADER_SIZE, "header size");
static_assert(sizeof(struct wcfb_damage) == 24, "damage record size");
static_assert(offsetof(struct wcfb_control, complete_seq) == 0x40, "complete_seq");
static_assert(offsetof(struct wcfb_control, consumer_hold) == 0x80, "consumer_hold");
static_assert(offsetof(struct wcfb_control, input_write) == 0xC0, "input_write");
static_assert(offsetof(struct wcfb_control, input_read) == 0x100, "input_read");
static_assert(sizeof(struct wcfb_input_event) == 16, "input event size");
static_assert(offsetof(struct wcfb_meta, damage) == 0x100, "damage ring");
static_assert(offsetof(struct wcfb_meta, control) == 0x1000, "control page");
static_assert(offsetof(struct wcfb_meta, input) == 0x2000, "input ring");
static_assert(offsetof(struct wcfb_meta, cursor_image) == 0x4000, "cursor images");
static_assert(sizeof(struct wcfb_meta) == WCFB_META_SIZE, "metadata size");

/* ---- producer helpers -------------------------------------------------- */

struct wcfb_rect {
    uint32_t x, y, width, height;
};

struct wcfb_producer {
    int fd;
    uint8_t *base;          /* whole file, MAP_SHARED */
    size_t size;
    struct wcfb_meta *meta;
    uint32_t back;          /* buffer being drawn, WCFB_NO_BUFFER outside a frame */
    uint32_t served;        /* last request_seq answered */
    uint32_t pending;       /* request_seq seen by wcfb_wait_request, answered by wcfb_complete */
    uint32_t buffer_frame[WCFB_MAX_BUFFERS]; /* frame_seq whose content each buffer holds */
};

static inline uint32_t wcfb_bytes_per_pixel(uint32_t fourcc)
{
    switch (fourcc) {
    case WCFB_FORMAT_XRGB8888:
    case WCFB_FORMAT_ARGB8888:
    case WCFB_FORMAT_XBGR8888:
    case WCFB_FORMAT_ABGR8888:
        return 4;
    case WCFB_FORMAT_RGB565:
        return 2;
    default:
        return 0;
    }
}

static inline long wcfb_futex(_Atomic(uint32_t) *word, int op, uint32_t val, const struct timespec *timeout)
{
    /* Shared (not FUTEX_PRIVATE_FLAG) operations: the word lives in a file mapping. */
    return syscall(SYS_futex, (uint32_t *)word, op, val, timeout, NULL, 0);
}

static inline void wcfb_wake(_Atomic(uint32_t) *word)
{
    wcfb_futex(word, 1 /* FUTEX_WAKE */, INT_MAX, NULL);
}

/* Waits while *word == expected, at most timeout_ms (negative: forever). */
static inline void wcfb_wait(_Atomic(uint32_t) *word, uint32_t expected, int timeout_ms)
{
    struct timespec ts, *pts = NULL;
    if (timeout_ms >= 0) {
        ts.tv_sec = timeout_ms / 1000;
        ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
        pts = &ts;
    }
    wcfb_futex(word, 0 /* FUTEX_WAIT */, expected, pts);
}

/* Seqlock write section: seq goes odd, the fields change, seq goes even. */
static inline void wcfb_write_begin(struct wcfb_header *h)
{
    uint32_t s = atomic_load_explicit(&h->seq, memory_order_relaxed);
    atomic_store_explicit(&h->seq, s | 1u, memory_order_relaxed);
    /* The odd value must be visible before any field store that follows. */
    atomic_thread_fence(memory_order_release);
}

static inline void wcfb_write_end(struct wcfb_header *h)
{
    uint32_t s = atomic_load_explicit(&h->seq, memory_order_relaxed);
    atomic_store_explicit(&h->seq, s + 1u, memory_order_release);
    wcfb_wake(&h->seq); /* consumers sleep on seq: any header change wakes them */
}

static inline uint64_t wcfb_new_epoch(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t e = ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec) ^ ((uint64_t)getpid() << 40);
    return e ? e : 1;
}

static inline uint64_t wcfb_align_page(uint64_t v)
{
    return (v + WCFB_PAGE_SIZE - 1) & ~(uint64_t)(WCFB_PAGE_SIZE - 1);
}

/*
 * Creates a region at `path` (e.g. /dev/shm/vm1.fb): written under a temporary
 * name and renamed into place, so a consumer never sees a half-made file and a
 * restarted producer is seen as a replaced file with a new epoch.
 * Returns 0, or -errno (-EINVAL for bad arguments).
 */
static inline int wcfb_create(struct wcfb_producer *p, const char *path, uint32_t width, uint32_t height,
                              uint32_t fourcc, uint32_t buffer_count, uint32_t flags)
{
    memset(p, 0, sizeof(*p));
    p->fd = -1;
    p->back = WCFB_NO_BUFFER;
    uint32_t bpp = wcfb_bytes_per_pixel(fourcc);
    if (bpp == 0 || width == 0 || height == 0 || width > WCFB_MAX_DIMENSION || height > WCFB_MAX_DIMENSION ||
        buffer_count == 0 || buffer_count > WCFB_MAX_BUFFERS)
        return -EINVAL;
    uint32_t stride = (uint32_t)((width * bpp + 3u) & ~3u);
    uint64_t buffer_size = wcfb_align_page((uint64_t)stride * height);
    uint64_t size = buffer_size * buffer_count + WCFB_META_SIZE;

    char tmp[4096];
    int n = snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof tmp)
        return -ENAMETOOLONG;
    int fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0660);
    if (fd < 0)
        return -errno;
    if (ftruncate(fd, (off_t)size) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return -e;
    }
    void *base = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return -e;
    }
    p->fd = fd;
    p->base = (uint8_t *)base;
    p->size = (size_t)size;
    p->meta = (struct wcfb_meta *)(p->base + size - WCFB_META_SIZE);

    struct wcfb_header *h = &p->meta->header;
    wcfb_write_begin(h);
    h->version_major = WCFB_VERSION_MAJOR;
    h->version_minor = WCFB_VERSION_MINOR;
    h->meta_size = WCFB_META_SIZE;
    h->header_size = WCFB_HEADER_SIZE;
    h->flags = flags;
    h->epoch = wcfb_new_epoch();
    h->producer_pid = (uint32_t)getpid();
    h->generation = 1;
    h->fourcc = fourcc;
    h->width = width;
    h->height = height;
    h->stride = stride;
    h->buffer_count = buffer_count;
    h->front = 0;
    for (uint32_t i = 0; i < buffer_count; i++)
        h->buffer_offset[i] = buffer_size * i;
    h->buffer_size = buffer_size;
    h->magic = WCFB_MAGIC;
    wcfb_write_end(h);
    atomic_store_explicit(&p->meta->control.consumer_hold, WCFB_NO_BUFFER, memory_order_relaxed);

    if (rename(tmp, path) != 0) {
        int e = errno;
        munmap(base, (size_t)size);
        close(fd);
        unlink(tmp);
        p->fd = -1;
        return -e;
    }
    return 0;
}

static inline void wcfb_destroy(struct wcfb_producer *p)
{
    if (p->base)
        munmap(p->base, p->size);
    if (p->fd >= 0)
        close(p->fd);
    p->base = NULL;
    p->meta = NULL;
    p->fd = -1;
}

static inline uint8_t *wcfb_buffer(struct wcfb_producer *p, uint32_t index)
{
    return p->base + p->meta->header.buffer_offset[index];
}

static inline void wcfb_copy_rect(struct wcfb_producer *p, uint32_t to, uint32_t from, uint32_t x, uint32_t y,
                                  uint32_t w, uint32_t h)
{
    const struct wcfb_header *hd = &p->meta->header;
    uint32_t bpp = wcfb_bytes_per_pixel(hd->fourcc);
    for (uint32_t row = y; row < y + h; row++) {
        size_t off = (size_t)row * hd->stride + (size_t)x * bpp;
        memcpy(wcfb_buffer(p, to) + off, wcfb_buffer(p, from) + off, (size_t)w * bpp);
    }
}

/*
 * Starts a frame: returns the buffer the producer may draw into, or NULL when
 * none is free (two buffers and the consumer still reads the other one: try
 * again after a short wait). With 2-3 buffers the returned buffer is brought up
 * to date with the front buffer from the damage ring, so the caller only draws
 * what changes; with one buffer it is the front buffer itself, which the
 * consumer reads only between a completion and its next request.
 */
static inline uint8_t *wcfb_begin_frame(struct wcfb_producer *p)
{
    struct wcfb_header *h = &p->meta->header;
    uint32_t count = h->buffer_count, front = h->front;
    if (count == 1) {
        p->back = 0;
        return wcfb_buffer(p, 0);
    }
    /* Dekker pair with the consumer (spec section 6): our earlier store of front
     * must be ordered before this load of consumer_hold. */
    atomic_thread_fence(memory_order_seq_cst);
    uint32_t hold = atomic_load_explicit(&p->meta->control.consumer_hold, memory_order_seq_cst);
    uint32_t pick = WCFB_NO_BUFFER;
    for (uint32_t i = 0; i < count; i++) {
        if (i != front && i != hold) {
            pick = i;
            break;
        }
    }
    if (pick == WCFB_NO_BUFFER)
        return NULL;
    uint32_t seq = h->frame_seq;
    uint32_t have = p->buffer_frame[pick];
    if (have != seq) {
        /* Copy what changed in the frames this buffer missed; all of it when the
         * ring no longer holds every record of those frames. */
        uint64_t head = h->damage_head;
        int full = head >= WCFB_DAMAGE_RING &&
                   (int32_t)(p->meta->damage[head % WCFB_DAMAGE_RING].frame_seq - have) > 0;
        if (!full) {
            uint64_t first = head >= WCFB_DAMAGE_RING ? head - WCFB_DAMAGE_RING : 0;
            for (uint64_t i = first; i < head; i++) {
                const struct wcfb_damage *d = &p->meta->damage[i % WCFB_DAMAGE_RING];
                if ((int32_t)(d->frame_seq - have) > 0 && (int32_t)(d->frame_seq - seq) <= 0)
                    wcfb_copy_rect(p, pick, front, d->x, d->y, d->width, d->height);
            }
        }
        if (full)
            wcfb_copy_rect(p, pick, front, 0, 0, h->width, h->height);
    }
    p->back = pick;
    return wcfb_buffer(p, pick);
}

/*
 * Publishes the frame begun with wcfb_begin_frame: the damage rectangles
 * (clipped to the frame; damage == NULL means the whole frame) go into the
 * damage ring, the drawn buffer becomes the front and frame_seq advances.
 */
static inline void wcfb_publish(struct wcfb_producer *p, const struct wcfb_rect *damage, uint32_t count)
{
    struct wcfb_meta *m = p->meta;
    struct wcfb_header *h = &m->header;
    struct wcfb_rect full = {0, 0, h->width, h->height};
    if (damage == NULL || count == 0) {
        damage = &full;
        count = 1;
    }
    uint32_t seq = h->frame_seq + 1u;
    if (seq == 0)
        seq = 1; /* 0 means "no frame yet" */
    wcfb_write_begin(h);
    for (uint32_t i = 0; i < count; i++) {
        const struct wcfb_rect *r = &damage[i];
        if (r->x >= h->width || r->y >= h->height || r->width == 0 || r->height == 0)
            continue;
        struct wcfb_damage *d = &m->damage[h->damage_head % WCFB_DAMAGE_RING];
        d->frame_seq = seq;
        d->x = r->x;
        d->y = r->y;
        d->width = r->width > h->width - r->x ? h->width - r->x : r->width;
        d->height = r->height > h->height - r->y ? h->height - r->y : r->height;
        d->reserved = 0;
        h->damage_head++;
    }
    if (p->back != WCFB_NO_BUFFER)
        h->front = p->back;
    h->frame_seq = seq;
    wcfb_write_end(h);
    if (p->back != WCFB_NO_BUFFER)
        p->buffer_frame[p->back] = seq;
    p->back = WCFB_NO_BUFFER;
}

/*
 * Requested mode: waits up to timeout_ms for a request the producer has not
 * answered yet. Returns 1 when one is pending, 0 on timeout.
 */
static inline int wcfb_wait_request(struct wcfb_producer *p, int timeout_ms)
{
    _Atomic(uint32_t) *req = &p->meta->control.request_seq;
    uint32_t r = atomic_load_explicit(req, memory_order_acquire);
    if (r == p->served) {
        wcfb_wait(req, r, timeout_ms);
        r = atomic_load_explicit(req, memory_order_acquire);
    }
    /* Only the request seen here is answered: one arriving while the frame is
     * drawn gets its own, newer frame. */
    p->pending = r;
    return r != p->served;
}

/* Answers the pending request (after publishing, or with nothing changed). */
static inline void wcfb_complete(struct wcfb_producer *p)
{
    _Atomic(uint32_t) *done = &p->meta->control.complete_seq;
    p->served = p->pending;
    atomic_store_explicit(done, p->served, memory_order_release);
    wcfb_wake(done);
}

/* Copies up to max pending input events into out; returns how many. */
static inline uint32_t wcfb_drain_input(struct wcfb_producer *p, struct wcfb_input_event *out, uint32_t max)
{
    struct wcfb_control *c = &p->meta->control;
    uint32_t w = atomic_load_explicit(&c->input_write, memory_order_acquire);
    uint32_t r = atomic_load_explicit(&c->input_read, memory_order_relaxed);
    if (w - r > WCFB_INPUT_RING)
        r = w - WCFB_INPUT_RING; /* a confused consumer: keep the newest ring's worth */
    uint32_t n = 0;
    while (r != w && n < max) {
        out[n++] = p->meta->input[r % WCFB_INPUT_RING];
        r++;
    }
    atomic_store_explicit(&c->input_read, r, memory_order_release);
    return n;
}

/* Sets the cursor image (ARGB8888, width x height <= 64 x 64, row-major, no padding). */
static inline int wcfb_set_cursor_image(struct wcfb_producer *p, uint32_t width, uint32_t height, uint32_t hot_x,
                                        uint32_t hot_y, const uint32_t *argb)
{
    if (width > WCFB_CURSOR_MAX || height > WCFB_CURSOR_MAX || (width && hot_x >= width) ||
        (height && hot_y >= height))
        return -EINVAL;
    struct wcfb_header *h = &p->meta->header;
    uint32_t serial = h->cursor.serial + 1u;
    /* Draw into the slot the consumer is not told about yet. */
    uint32_t *slot = p->meta->cursor_image[serial & 1u];
    memset(slot, 0, sizeof(p->meta->cursor_image[0]));
    for (uint32_t y = 0; y < height; y++)
        memcpy(slot + y * WCFB_CURSOR_MAX, argb + y * width, width * 4u);
    wcfb_write_begin(h);
    h->cursor.width = width;
    h->cursor.height = height;
    h->cursor.hot_x = hot_x;
    h->cursor.hot_y = hot_y;
    h->cursor.serial = serial;
    wcfb_write_end(h);
    return 0;
}

static inline void wcfb_move_cursor(struct wcfb_producer *p, int32_t x, int32_t y, int visible)
{
    struct wcfb_header *h = &p->meta->header;
    wcfb_write_begin(h);
    h->cursor.x = x;
    h->cursor.y = y;
    h->cursor.visible = visible ? 1u : 0u;
    wcfb_write_end(h);
}

#ifdef __cplusplus
}
#endif

#endif /* WEBCONSOLE_WCFB_H */
