# Hermes Realtime on Jetty 12 (EE10), built from source.
#
#   docker build -t hermes-realtime .
#   docker run -d --name hermes -p 8080:8080 \
#       -e HERMES_REDIS_URL=redis://redis.example.internal:6379 -e HERMES_API_KEYS=change-me hermes-realtime
#
# deploy/compose.yml runs it with Redis and Caddy.

# --- build: the WAR, plus the health probe compiled once --------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml ./
COPY src ./src
COPY webapp ./webapp
COPY deploy/Health.java ./deploy/
RUN mvn -B -DskipTests package \
 && javac --release 17 -d health deploy/Health.java

# --- runtime: the official Jetty image ---------------------------------------------------------------
# Its conventions: JETTY_HOME=/usr/local/jetty (untouched), JETTY_BASE=/var/lib/jetty (the working
# directory, owned by user jetty), the process runs as user jetty, and a Jetty 12 image enables only
# server, http, ext and resources, so the EE10 deployer is added below. The official image publishes
# Jetty 12.1 with JDKs only (jetty:12.1-jdk17; JRE variants exist only for 12.0, e.g. jetty:12.0-jre17).
# Nothing below needs more than a JRE: the health probe is compiled in the build stage.
FROM jetty:12.1-jdk17

# ee10-deploy brings ee10-webapp with it and deploys what lies in $JETTY_BASE/webapps.
RUN java -jar "$JETTY_HOME/start.jar" --add-modules=ee10-deploy
# Jetty settings (deploy/jetty/hermes.ini says why): an idle timeout well above the 15 s between two `:`
# comments, a listen queue of 4096 for reconnect storms, a bounded buffer pool, no Server header, and
# hermes-errors.xml, which hands what Jetty refuses before the WAR runs (ambiguous paths, oversized request
# lines and headers) to the WAR's JSON error page. bench/servers.sh runs the same files.
COPY --chown=jetty:jetty deploy/jetty/hermes.ini /var/lib/jetty/start.d/hermes.ini
COPY --chown=jetty:jetty deploy/jetty/hermes-errors.xml /var/lib/jetty/etc/hermes-errors.xml

# Downloaded files live outside the WAR's reach and survive the container when mounted. yt-dlp extracts
# media from pages and manifests and ffmpeg merges and converts; without them only direct files download.
USER root
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends yt-dlp ffmpeg \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/hermes/downloads /var/lib/hermes/temp \
 && chown -R jetty:jetty /var/lib/hermes
USER jetty
VOLUME /var/lib/hermes

# ROOT.war serves at /, so the page is http://host:8080/ and the API http://host:8080/api/v1.
COPY --from=build /build/target/hermes-realtime-*.war /var/lib/jetty/webapps/ROOT.war
COPY --from=build /build/health/Health.class /opt/hermes/Health.class

# Settings (contract section 6) with their defaults, except Redis, which compose names "redis", and the
# download directories. HERMES_API_KEYS and HERMES_ALLOWED_ORIGINS are deliberately not baked in: pass
# them with -e. With no key at all, the first instance creates an admin key and prints it in its log.
ENV HERMES_REDIS_URL=redis://redis:6379 \
    HERMES_ENABLE_SSE=true \
    HERMES_SSE_HEARTBEAT_INTERVAL=30 \
    HERMES_SSE_MAX_CONNECTIONS=1000 \
    HERMES_SSE_CONNECTION_TIMEOUT=300 \
    HERMES_SSE_RETRY_MS=3000 \
    HERMES_SSE_REPLAY_SIZE=10000 \
    HERMES_SSE_CLIENT_BUFFER=1000 \
    HERMES_MAX_BODY_BYTES=1048576 \
    HERMES_DOWNLOAD_DIR=/var/lib/hermes/downloads \
    HERMES_TEMP_DIR=/var/lib/hermes/temp \
    HERMES_WORKER_ENABLED=true \
    HERMES_WORKER_CONCURRENCY=2 \
    HERMES_ALLOW_PRIVATE_URLS=false

# JVM options; the image's entrypoint passes JAVA_OPTIONS to the JVM, so -e JAVA_OPTIONS=... replaces them.
# bench/servers.sh runs these too, adding only a fixed heap for its measurements (docs/deploy.md, "JVM").
# - The collector: G1, the JVM's default, spent a quarter of the server's CPU in concurrent refinement while
#   1000 streams received 100 events/s (bench/RESULTS.md); Parallel GC has no refinement, and in that run
#   promoted almost nothing, so its young pauses stayed short and the old generation never filled.
# - The heap: at most half the container's memory limit, or of the host's memory without one (the JVM's
#   default is a quarter). A stream needs about 8 KiB of heap; the other half is for what is not heap: each
#   stream's 4 KiB response buffer, up to HERMES_SSE_COMPRESSION_MAX_STREAMS deflaters of 256 KiB, threads,
#   and the yt-dlp and ffmpeg processes the worker starts in the same container.
# The listen queue that reconnect storms need is hermes.ini's jetty.http.acceptQueueSize (16384): with the
# JDK's 50, a restart's wave of reconnecting browsers overflowed it and clients waited 1 s and more for
# their SYN to be sent again. The kernel caps that queue at net.core.somaxconn, which each network
# namespace has its own of (often 4096): docker run --sysctl net.core.somaxconn=16384.
ENV JAVA_OPTIONS="-XX:+UseParallelGC -XX:MaxRAMPercentage=50"

EXPOSE 8080

# /api/v1/health answers 200 while the WAR is deployed and Redis answers, 503 otherwise. The image has
# no curl or wget to count on, so the probe is the small Java class compiled in the build stage.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["java", "-cp", "/opt/hermes", "Health", "http://127.0.0.1:8080/api/v1/health"]
