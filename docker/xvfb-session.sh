#!/bin/sh
# Starts Xvfb with its framebuffer in $FBDIR (default /shared), a window manager and an xterm;
# exits (and so stops the container) when Xvfb does. SIGTERM stops everything.
set -eu
FBDIR=${FBDIR:-/shared}
SCREEN=${SCREEN:-1280x800x24}
export DISPLAY=:1

Xvfb "$DISPLAY" -screen 0 "$SCREEN" -fbdir "$FBDIR" -nolisten tcp &
xvfb=$!
trap 'kill -TERM "$xvfb" 2>/dev/null; exit 0' TERM INT

# Wait until the X server answers before starting clients.
for _ in $(seq 1 50); do
    xdpyinfo >/dev/null 2>&1 && break
    sleep 0.1
done
twm &
xterm -geometry 100x30+40+40 -title "WebConsole desktop" &
wait "$xvfb"
