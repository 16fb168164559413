# Resonance worker image. Build: docker build -t resonance:dev .   Run: docker run resonance:dev --help
# Stage 1 builds a release binary with the Swift runtime linked in statically; stage 2 is a slim Debian with only
# librdkafka's shared library (the same 2.0.2 the binary was built against) and a non-root user.
FROM swift:6.3.1-bookworm AS build
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends librdkafka-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
# The manifest names the test-support target too; its folder must exist even though only `resonance` is built.
COPY Tests ./Tests
RUN swift build -c release --product resonance --static-swift-stdlib \
    && install -D "$(swift build -c release --show-bin-path)/resonance" /out/resonance

FROM debian:bookworm-slim
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends librdkafka1 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin resonance
COPY --from=build /out/resonance /usr/local/bin/resonance
COPY Pipelines /etc/resonance/pipelines
COPY Schemas /etc/resonance/schemas
USER resonance
# The ops endpoint (--ops-port 9464 --ops-bind 0.0.0.0 in docker-compose.yml).
EXPOSE 9464
ENTRYPOINT ["/usr/local/bin/resonance"]
CMD ["--help"]
