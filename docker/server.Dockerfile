# The WebConsole server. Build context: the repository root (docker-compose.yml sets it).
#   docker build -f docker/server.Dockerfile -t webconsole-server .

# 1. The SignalR browser libraries, restored from package-lock.json (the server build copies them).
FROM node:22-slim AS client
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

# 2. Build and publish: the same self-contained ReadyToRun publish as the Debian package
# (packaging/build-deb.sh --publish-only). node_modules is already there, so the csproj's
# `npm ci` step is skipped.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY region/WebConsole.Region.csproj region/
COPY demo/WebConsole.Demo.csproj demo/
COPY server/WebConsole.Server.csproj server/
RUN dotnet restore server/WebConsole.Server.csproj -r linux-x64
COPY region/ region/
COPY demo/ demo/
COPY server/ server/
COPY wwwroot/ wwwroot/
COPY package.json package-lock.json ./
COPY --from=client /src/node_modules/ node_modules/
COPY packaging/build-deb.sh packaging/
RUN packaging/build-deb.sh --publish-only /app

# 3. Runtime: the runtime's own dependencies (the app carries .NET itself), TurboJPEG for fast
# JPEG, the published app; runs as the image's non-root user "app" (uid 1654).
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 AS runtime
# The .NET 10 images are Ubuntu 24.04, where libturbojpeg.so.0 is the package "libturbojpeg"
# (Debian calls it libturbojpeg0). X consoles: XCB (DAMAGE, XFixes, MIT-SHM) and Xlib + XTEST for input.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libturbojpeg \
        libxcb-damage0 libxcb-xfixes0 libxcb-shm0 libx11-6 libxtst6 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
USER $APP_UID
# Inside a container the server must listen on all interfaces; publish the port with care
# (tickets and access control are a separate concern, see README).
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    DOTNET_NOLOGO=1
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/app/WebConsole.Server"]
