/*
 * c-producer.c - a producer as a hypervisor would write one, on include/webconsole/wcfb.h and
 * libc alone. It renders its own screen (colour bars, a bouncing square and a frame counter),
 * publishes exactly the rectangles that changed, and shows the input it receives: the last keys
 * typed, the pointer position and buttons, and a marker where the pointer is.
 *
 *   make && ./c-producer /dev/shm/c.fb 640x360            # requested mode (the default)
 *   ./c-producer /dev/shm/c.fb 640x360 --free-running     # publishes 30 frames a second
 *   dotnet run --project server -- --Consoles:c:Source=region:/dev/shm/c.fb
 *
 * Requested mode: it sleeps until the consumer asks (wcfb_wait_request), renders one frame,
 * publishes it with its damage and completes the request, so it costs nothing while nobody
 * watches. Free-running: it publishes on its own clock. Either way it drains the input ring.
 * SIGINT/SIGTERM stop it; it removes the region file only if the path is still the file it
 * created. Prints "ready" once the first frame is published.
 */
#include "webconsole/wcfb.h"

#include <signal.h>

#include "font.h"

#define BAR_HEIGHT 64u
#define STATUS_HEIGHT 48u
#define SQUARE 48
#define MARKER 8
#define SCALE 3
#define MAX_KEYS 24
#define MAX_DAMAGE 16
#define MIN_W 320u
#define MIN_H 200u

/* Colour bars, left to right: white, yellow, cyan, green, magenta, red, blue, black (0xRRGGBB). */
static const uint32_t bar_colours[8] = {0xFFFFFF, 0xFFFF00, 0x00FFFF, 0x00FF00, 0xFF00FF, 0xFF0000, 0x0000FF, 0x000000};
#define BACKGROUND 0x203050u
#define SQUARE_COLOUR 0xFF8000u
#define TEXT_COLOUR 0xFFFFFFu
#define STATUS_BACKGROUND 0x303030u
#define BUTTON_UP 0x606060u
#define BUTTON_DOWN 0x00C000u
#define MARKER_COLOUR 0xFFFF00u
#define MARKER_PRESSED 0xFF0000u

struct text {
    int x, y;
    char s[48];
};

struct scene {
    uint32_t width, height;
    int square_x, square_y;
    uint32_t frames;
    char keys[MAX_KEYS + 1];
    int pointer_x, pointer_y; /* -1: no pointer event yet */
    uint32_t buttons;
    struct text counter, key_line, pointer_line;
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- the scene: every pixel is a function of the state, so any rectangle can be redrawn ---- */

static int text_pixel(const struct text *t, int x, int y)
{
    int col = (x - t->x) / SCALE, row = (y - t->y) / SCALE;
    if (x < t->x || y < t->y || row >= FONT_H)
        return 0;
    int cell = col / (FONT_W + 1), gx = col % (FONT_W + 1);
    if ((size_t)cell >= strlen(t->s) || gx >= FONT_W)
        return 0;
    const uint8_t *rows = font_rows(t->s[cell]);
    return rows && (rows[row] >> (FONT_W - 1 - gx)) & 1;
}

static uint32_t button_colour(const struct scene *s, int x, int y)
{
    /* Three 16x14 blocks for left, middle and right, at the right end of the status bar. */
    int top = (int)s->height - 24, left = (int)s->width - 3 * 20 - 8;
    if (y < top || y >= top + 14 || x < left)
        return 0;
    int i = (x - left) / 20;
    if (i > 2 || (x - left) % 20 >= 16)
        return 0;
    static const uint32_t bits[3] = {WCFB_BUTTON_LEFT, WCFB_BUTTON_MIDDLE, WCFB_BUTTON_RIGHT};
    return (s->buttons & bits[i]) ? BUTTON_DOWN : BUTTON_UP;
}

static uint32_t colour_at(const struct scene *s, int x, int y)
{
    if (s->pointer_x >= 0 && x >= s->pointer_x && x < s->pointer_x + MARKER && y >= s->pointer_y &&
        y < s->pointer_y + MARKER)
        return s->buttons ? MARKER_PRESSED : MARKER_COLOUR;
    if ((uint32_t)y < BAR_HEIGHT)
        return bar_colours[(uint32_t)x * 8u / s->width];
    if ((uint32_t)y >= s->height - STATUS_HEIGHT) {
        uint32_t button = button_colour(s, x, y);
        if (button)
            return button;
        if (text_pixel(&s->key_line, x, y) || text_pixel(&s->pointer_line, x, y))
            return TEXT_COLOUR;
        return STATUS_BACKGROUND;
    }
    if (x >= s->square_x && x < s->square_x + SQUARE && y >= s->square_y && y < s->square_y + SQUARE)
        return SQUARE_COLOUR;
    if (text_pixel(&s->counter, x, y))
        return TEXT_COLOUR;
    return BACKGROUND;
}

static void paint(const struct scene *s, uint8_t *pixels, uint32_t stride, struct wcfb_rect r)
{
    for (uint32_t y = r.y; y < r.y + r.height; y++) {
        uint32_t *row = (uint32_t *)(pixels + (size_t)y * stride);
        for (uint32_t x = r.x; x < r.x + r.width; x++)
            row[x] = colour_at(s, (int)x, (int)y); /* XRGB8888: 0x00RRGGBB as a little-endian u32 */
    }
}

/* ---- state changes, each adding the rectangles it touches to the damage list ---- */

struct damage {
    struct wcfb_rect r[MAX_DAMAGE];
    uint32_t n;
    int full;
};

static void damage_add(struct damage *d, const struct scene *s, int x, int y, int w, int h)
{
    if (x < 0) {
        w += x;
        x = 0;
    }
    if (y < 0) {
        h += y;
        y = 0;
    }
    if (x + w > (int)s->width)
        w = (int)s->width - x;
    if (y + h > (int)s->height)
        h = (int)s->height - y;
    if (w <= 0 || h <= 0)
        return;
    if (d->n == MAX_DAMAGE) {
        d->full = 1;
        return;
    }
    d->r[d->n++] = (struct wcfb_rect){(uint32_t)x, (uint32_t)y, (uint32_t)w, (uint32_t)h};
}

static void damage_text(struct damage *d, const struct scene *s, const struct text *t)
{
    /* The whole line's width, so a shorter new text also erases the old one. */
    damage_add(d, s, t->x, t->y, (int)s->width - t->x, FONT_H * SCALE);
}

static void animate(struct scene *s, struct damage *d, int64_t ms)
{
    int span_x = (int)s->width - SQUARE, span_y = (int)(s->height - BAR_HEIGHT - STATUS_HEIGHT) - SQUARE;
    int64_t px = ms * 120 / 1000 % (2 * span_x), py = ms * 90 / 1000 % (2 * (span_y > 0 ? span_y : 1));
    int x = (int)(px < span_x ? px : 2 * span_x - px);
    int y = (int)BAR_HEIGHT + (span_y > 0 ? (int)(py < span_y ? py : 2 * span_y - py) : 0);
    if (x != s->square_x || y != s->square_y) {
        damage_add(d, s, s->square_x, s->square_y, SQUARE, SQUARE);
        s->square_x = x;
        s->square_y = y;
        damage_add(d, s, x, y, SQUARE, SQUARE);
    }
    snprintf(s->counter.s, sizeof s->counter.s, "FRAME %u", (unsigned)s->frames);
    damage_text(d, s, &s->counter);
}

/* evdev key code -> character for the key line (US layout, unshifted), 0 for others */
static char key_char(uint16_t code)
{
    static const char *const rows[] = {"1234567890-=", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM,./"};
    static const uint16_t first[] = {2, 16, 30, 44};
    for (int i = 0; i < 4; i++)
        if (code >= first[i] && code < first[i] + strlen(rows[i]))
            return rows[i][code - first[i]];
    return code == 57 ? '_' : 0; /* KEY_SPACE shows as _ */
}

static void handle_input(struct scene *s, struct damage *d, const struct wcfb_input_event *e)
{
    if (e->type == WCFB_INPUT_KEY && e->value == 1) {
        char c = key_char(e->code);
        if (c) {
            size_t n = strlen(s->keys);
            if (n == MAX_KEYS)
                memmove(s->keys, s->keys + 1, --n);
            s->keys[n] = c;
            s->keys[n + 1] = 0;
            snprintf(s->key_line.s, sizeof s->key_line.s, "KEYS: %s", s->keys);
            damage_text(d, s, &s->key_line);
        }
    } else if (e->type == WCFB_INPUT_POINTER) {
        if (s->pointer_x >= 0)
            damage_add(d, s, s->pointer_x, s->pointer_y, MARKER, MARKER);
        s->pointer_x = e->x < 0 ? 0 : e->x;
        s->pointer_y = e->y < 0 ? 0 : e->y;
        s->buttons = e->value;
        damage_add(d, s, s->pointer_x, s->pointer_y, MARKER, MARKER);
        snprintf(s->pointer_line.s, sizeof s->pointer_line.s, "PTR %d,%d", s->pointer_x, s->pointer_y);
        damage_text(d, s, &s->pointer_line);
        damage_add(d, s, 0, (int)s->height - STATUS_HEIGHT, (int)s->width, STATUS_HEIGHT); /* buttons */
    }
    printf("input %u %u %u %d %d\n", (unsigned)e->type, (unsigned)e->code, (unsigned)e->value, (int)e->x, (int)e->y);
}

/* Draws the damage into a free buffer and publishes it; 0 when no buffer was free (try later). */
static int publish(struct wcfb_producer *p, struct scene *s, struct damage *d)
{
    uint8_t *pixels = NULL;
    for (int tries = 0; tries < 20 && !pixels && !stop_requested; tries++) {
        pixels = wcfb_begin_frame(p);
        if (!pixels) /* two buffers and the consumer still reads the other one */
            sleep_ms(1);
    }
    if (!pixels)
        return 0;
    uint32_t stride = p->meta->header.stride;
    struct wcfb_rect all = {0, 0, s->width, s->height};
    if (d->full) {
        paint(s, pixels, stride, all);
        wcfb_publish(p, NULL, 0);
    } else {
        for (uint32_t i = 0; i < d->n; i++)
            paint(s, pixels, stride, d->r[i]);
        wcfb_publish(p, d->r, d->n);
    }
    d->n = 0;
    d->full = 0;
    return 1;
}

static int parse_size(const char *text, uint32_t *w, uint32_t *h)
{
    char *end;
    unsigned long a = strtoul(text, &end, 10);
    if (*end != 'x')
        return 0;
    unsigned long b = strtoul(end + 1, &end, 10);
    if (*end || a < MIN_W || b < MIN_H || a > WCFB_MAX_DIMENSION || b > WCFB_MAX_DIMENSION)
        return 0;
    *w = (uint32_t)a;
    *h = (uint32_t)b;
    return 1;
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    uint32_t width = 640, height = 360;
    int free_running = 0, fps = 30;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--free-running") == 0)
            free_running = 1;
        else if (strcmp(argv[i], "--fps") == 0 && i + 1 < argc && (fps = atoi(argv[++i])) >= 1 && fps <= 240)
            continue;
        else if (!path && argv[i][0] != '-')
            path = argv[i];
        else if (path && argv[i][0] != '-' && parse_size(argv[i], &width, &height))
            continue;
        else {
            fprintf(stderr,
                    "usage: %s PATH [WIDTHxHEIGHT] [--free-running] [--fps N]\n"
                    "  PATH           region file, e.g. /dev/shm/c.fb\n"
                    "  WIDTHxHEIGHT   frame size, at least %ux%u (default 640x360)\n"
                    "  --free-running publish on our own clock instead of on request\n"
                    "  --fps N        frames a second when free-running, 1-240 (default 30)\n",
                    argv[0], MIN_W, MIN_H);
            return 2;
        }
    }
    if (!path) {
        fprintf(stderr, "%s: a region path is needed (try --help)\n", argv[0]);
        return 2;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: a futex wait returns EINTR and the loop ends */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    struct wcfb_producer p;
    int rc = wcfb_create(&p, path, width, height, WCFB_FORMAT_XRGB8888, 2, free_running ? 0 : WCFB_FLAG_REQUESTED);
    if (rc != 0) {
        fprintf(stderr, "c-producer: cannot create %s: %s\n", path, strerror(-rc));
        return 1;
    }
    struct stat created;
    fstat(p.fd, &created);

    struct scene s = {.width = width, .height = height, .pointer_x = -1, .pointer_y = -1};
    s.counter = (struct text){8, (int)BAR_HEIGHT + 8, ""};
    s.key_line = (struct text){8, (int)height - 44, "KEYS:"};
    s.pointer_line = (struct text){8, (int)height - 22, "PTR -"};
    struct damage d = {.full = 1};
    int64_t start = now_ms();
    animate(&s, &d, 0);
    d.full = 1;
    publish(&p, &s, &d); /* no consumer yet: a buffer is free */
    printf("ready %s %ux%u %s\n", path, (unsigned)width, (unsigned)height, free_running ? "free-running" : "requested");
    fflush(stdout);

    int64_t next_frame = now_ms();
    while (!stop_requested) {
        int render;
        if (free_running) {
            int64_t wait = next_frame - now_ms();
            if (wait > 0)
                sleep_ms(wait > 50 ? 50 : (long)wait); /* wakes often enough to drain input promptly */
            render = now_ms() >= next_frame;
            if (render)
                next_frame += 1000 / fps;
            if (now_ms() > next_frame + 1000)
                next_frame = now_ms(); /* after a stall, do not rush to catch up */
        } else {
            /* Input also wakes this wait: the consumer wakes request_seq after writing an event. */
            render = wcfb_wait_request(&p, 100);
        }

        struct wcfb_input_event events[64];
        uint32_t n;
        while ((n = wcfb_drain_input(&p, events, 64)) > 0)
            for (uint32_t i = 0; i < n; i++)
                handle_input(&s, &d, &events[i]);
        fflush(stdout);

        if (!render)
            continue;
        s.frames++;
        animate(&s, &d, now_ms() - start);
        publish(&p, &s, &d); /* if no buffer was free, the damage waits for the next frame */
        if (!free_running)
            wcfb_complete(&p);
    }

    /* Remove the region only if the path is still ours: another producer may have replaced it. */
    struct stat now;
    if (stat(path, &now) == 0 && now.st_ino == created.st_ino && now.st_dev == created.st_dev)
        unlink(path);
    wcfb_destroy(&p);
    fprintf(stderr, "c-producer: stopped after %u frames\n", (unsigned)s.frames);
    return 0;
}
