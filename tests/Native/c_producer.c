/*
 * c_producer.c - a minimal producer written against include/webconsole/wcfb.h
 * and libc only, driven by tests/Region/CProducerTests.cs.
 *
 *   gcc -std=c11 -Wall -Wextra -Werror -I include -o c_producer tests/Native/c_producer.c
 *   c_producer <path> <buffers 1..3> <XR24|AB24|RG16>
 *
 * Creates a 200 x 120 region in requested mode, publishes a full frame of a
 * known pattern, sets an 8 x 6 cursor (hotspot 2,3) at 50,60 and prints
 * "ready". On the first request it redraws only the rectangle (30,40,16,8)
 * with a second pattern and publishes that one damage rectangle; later
 * requests complete with nothing changed. Every input event is printed as
 * "input <type> <code> <value> <x> <y>". Exits 0 after the release of key 1
 * (KEY_ESC), 2 after 20 s without it, 1 on any error.
 *
 * The patterns and the cursor image must match the C# test exactly.
 */
#include "webconsole/wcfb.h"

#define WIDTH 200u
#define HEIGHT 120u
#define RECT_X 30u
#define RECT_Y 40u
#define RECT_W 16u
#define RECT_H 8u
#define CURSOR_W 8u
#define CURSOR_H 6u
#define KEY_ESC 1u
#define SAFETY_TIMEOUT_NS (20LL * 1000000000LL)

/* Pattern channels (8 bits each) of pixel x,y; variant 1 differs from variant 0
 * in the top bits of every channel, so it shows even in RGB565. */
static void pattern(uint32_t x, uint32_t y, int variant, uint8_t *r, uint8_t *g, uint8_t *b, uint8_t *a)
{
    *r = (uint8_t)(x * 7u + y * 3u);
    *g = (uint8_t)((x * 5u) ^ (y * 11u));
    *b = (uint8_t)(x + y * 13u);
    *a = (uint8_t)(x * y + 1u);
    if (variant) {
        *r ^= 0xA5u;
        *g ^= 0x5Au;
        *b ^= 0xC3u;
        *a ^= 0x3Cu;
    }
}

static void put_pixel(uint8_t *row, uint32_t x, uint32_t fourcc, uint8_t r, uint8_t g, uint8_t b, uint8_t a)
{
    switch (fourcc) {
    case WCFB_FORMAT_XRGB8888: /* bytes B, G, R, X */
        row[x * 4u + 0u] = b;
        row[x * 4u + 1u] = g;
        row[x * 4u + 2u] = r;
        row[x * 4u + 3u] = a;
        break;
    case WCFB_FORMAT_ABGR8888: /* bytes R, G, B, A */
        row[x * 4u + 0u] = r;
        row[x * 4u + 1u] = g;
        row[x * 4u + 2u] = b;
        row[x * 4u + 3u] = a;
        break;
    case WCFB_FORMAT_RGB565: { /* little-endian u16: r5 g6 b5 */
        uint16_t v = (uint16_t)(((uint32_t)(r >> 3) << 11) | ((uint32_t)(g >> 2) << 5) | (uint32_t)(b >> 3));
        row[x * 2u + 0u] = (uint8_t)(v & 0xFFu);
        row[x * 2u + 1u] = (uint8_t)(v >> 8);
        break;
    }
    default:
        break;
    }
}

static void draw(struct wcfb_producer *p, uint8_t *pixels, uint32_t x0, uint32_t y0, uint32_t w, uint32_t h,
                 int variant)
{
    const struct wcfb_header *hd = &p->meta->header;
    for (uint32_t y = y0; y < y0 + h; y++) {
        uint8_t *row = pixels + (size_t)y * hd->stride;
        for (uint32_t x = x0; x < x0 + w; x++) {
            uint8_t r, g, b, a;
            pattern(x, y, variant, &r, &g, &b, &a);
            put_pixel(row, x, hd->fourcc, r, g, b, a);
        }
    }
}

/* ARGB8888 cursor pixel, distinct for every x,y of the 8 x 6 image. */
static uint32_t cursor_pixel(uint32_t x, uint32_t y)
{
    return ((0x80u + y * 8u + x) << 24) | ((0x10u + x * 17u) << 16) | ((0x20u + y * 29u) << 8) | (x * 16u + y);
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static uint32_t parse_format(const char *name)
{
    if (strcmp(name, "XR24") == 0)
        return WCFB_FORMAT_XRGB8888;
    if (strcmp(name, "AB24") == 0)
        return WCFB_FORMAT_ABGR8888;
    if (strcmp(name, "RG16") == 0)
        return WCFB_FORMAT_RGB565;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s <path> <buffers 1..3> <XR24|AB24|RG16>\n", argv[0]);
        return 1;
    }
    const char *path = argv[1];
    uint32_t buffers = (uint32_t)strtoul(argv[2], NULL, 10);
    uint32_t fourcc = parse_format(argv[3]);
    if (fourcc == 0 || buffers < 1 || buffers > WCFB_MAX_BUFFERS) {
        fprintf(stderr, "bad arguments: buffers %s, format %s\n", argv[2], argv[3]);
        return 1;
    }

    struct wcfb_producer p;
    int rc = wcfb_create(&p, path, WIDTH, HEIGHT, fourcc, buffers, WCFB_FLAG_REQUESTED);
    if (rc != 0) {
        fprintf(stderr, "wcfb_create: %s\n", strerror(-rc));
        return 1;
    }

    /* No consumer yet: the first buffer is always free. */
    uint8_t *pixels = wcfb_begin_frame(&p);
    if (pixels == NULL) {
        fprintf(stderr, "wcfb_begin_frame: no free buffer for the first frame\n");
        wcfb_destroy(&p);
        return 1;
    }
    draw(&p, pixels, 0, 0, WIDTH, HEIGHT, 0);
    wcfb_publish(&p, NULL, 0);

    uint32_t image[CURSOR_W * CURSOR_H];
    for (uint32_t y = 0; y < CURSOR_H; y++)
        for (uint32_t x = 0; x < CURSOR_W; x++)
            image[y * CURSOR_W + x] = cursor_pixel(x, y);
    rc = wcfb_set_cursor_image(&p, CURSOR_W, CURSOR_H, 2, 3, image);
    if (rc != 0) {
        fprintf(stderr, "wcfb_set_cursor_image: %s\n", strerror(-rc));
        wcfb_destroy(&p);
        return 1;
    }
    wcfb_move_cursor(&p, 50, 60, 1);

    printf("ready\n");
    fflush(stdout);

    int64_t deadline = now_ns() + SAFETY_TIMEOUT_NS;
    int requests = 0;
    int status = 2;
    while (status == 2 && now_ns() < deadline) {
        if (wcfb_wait_request(&p, 100)) {
            if (requests == 0) {
                pixels = wcfb_begin_frame(&p);
                if (pixels == NULL) {
                    /* Two buffers and the consumer still holds the other one: retry shortly. */
                    sleep_ms(1);
                    continue;
                }
                draw(&p, pixels, RECT_X, RECT_Y, RECT_W, RECT_H, 1);
                struct wcfb_rect changed = {RECT_X, RECT_Y, RECT_W, RECT_H};
                wcfb_publish(&p, &changed, 1);
            }
            requests++;
            wcfb_complete(&p);
        }

        struct wcfb_input_event events[64];
        uint32_t n = wcfb_drain_input(&p, events, 64);
        for (uint32_t i = 0; i < n; i++) {
            const struct wcfb_input_event *e = &events[i];
            printf("input %u %u %u %d %d\n", (unsigned)e->type, (unsigned)e->code, (unsigned)e->value, (int)e->x,
                   (int)e->y);
            if (e->type == WCFB_INPUT_KEY && e->code == KEY_ESC && e->value == 0)
                status = 0;
        }
        fflush(stdout);
    }

    if (status != 0)
        fprintf(stderr, "safety timeout: no KEY_ESC release within 20 s\n");
    wcfb_destroy(&p);
    return status;
}
