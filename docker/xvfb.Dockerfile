# An X desktop whose screen is a file: Xvfb -fbdir writes its framebuffer as an XWD image
# (Xvfb_screen0) that the server reads as an `xwd:` console.
#   docker build -f docker/xvfb.Dockerfile -t webconsole-xvfb .
FROM debian:trixie-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends xvfb twm xterm x11-utils \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1654 desktop
COPY docker/xvfb-session.sh /usr/local/bin/xvfb-session
USER desktop
ENV FBDIR=/shared \
    SCREEN=1280x800x24
ENTRYPOINT ["/usr/local/bin/xvfb-session"]
