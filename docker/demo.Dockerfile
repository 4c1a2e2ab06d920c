# The demo producer on its own: writes a live region for the server to show.
#   docker build -f docker/demo.Dockerfile -t webconsole-demo .
#   docker run -v /dev/shm:/shared webconsole-demo --path /shared/demo.fb

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY region/WebConsole.Region.csproj region/
COPY demo/WebConsole.Demo.csproj demo/
RUN dotnet restore demo/WebConsole.Demo.csproj
COPY region/ region/
COPY demo/ demo/
RUN dotnet publish demo/WebConsole.Demo.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/runtime:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The image's non-root user; the server image runs as the same uid, so it may write the
# region's request counters and input ring.
USER $APP_UID
ENV DOTNET_NOLOGO=1
ENTRYPOINT ["dotnet", "WebConsole.Demo.dll"]
CMD ["--path", "/shared/demo.fb"]
