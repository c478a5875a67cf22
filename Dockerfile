# Placeholder: a later issue makes this the real multi-stage image (Maven build, Jetty 12 runtime,
# non-root user, HEALTHCHECK on /api/v1/health).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY src src
COPY webapp webapp
RUN mvn -B -q -DskipTests package

FROM jetty:12-jre17
COPY --from=build /src/target/hermes-realtime-*.war /var/lib/jetty/webapps/ROOT.war
