# attaind (and the attain CLI) as a container image, on Debian bookworm.
#
#   podman build -t attain:0.1.0 .        (or docker build)
#   scripts/image-test.sh                  builds it from a debootstrapped base and runs it
#
# The build stage compiles the two binaries with Debian's packages. The runtime stage
# holds only those binaries and the shared libraries they load (found with ldd), a
# passwd entry for the numeric non-root user, and an empty /tmp: no shell, no package
# manager. attaind writes no files, so the root filesystem may be read-only.
ARG DEBIAN_IMAGE=docker.io/library/debian:bookworm

FROM ${DEBIAN_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config \
      libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler \
      libboost-random-dev prometheus-cpp-dev libabsl-dev golang-github-gogo-googleapis-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY cmake cmake
COPY proto proto
COPY simulator simulator
COPY service service
COPY clients clients
COPY third_party third_party
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DATTAIN_BUILD_TESTS=OFF \
 && cmake --build build --target attaind attain -j "$(nproc)"
# The runtime's root: the binaries, every library they load (and the name-service
# modules glibc loads by name, which ldd cannot see), the user, and /tmp.
RUN set -eu; \
    root=/rootfs; \
    mkdir -p "$root/usr/local/bin" "$root/etc" "$root/tmp"; \
    install -s build/service/attaind build/clients/cli/attain "$root/usr/local/bin/"; \
    libs="$(ldd "$root/usr/local/bin/attaind" "$root/usr/local/bin/attain" \
            | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && NF > 1 { print $1 }' | sort -u)"; \
    for lib in $libs /lib/x86_64-linux-gnu/libnss_files.so.2 \
               /lib/x86_64-linux-gnu/libnss_dns.so.2; do \
      cp --parents -L "$lib" "$root/"; \
    done; \
    echo 'attain:x:65532:65532:attain:/nonexistent:/sbin/nologin' > "$root/etc/passwd"; \
    echo 'attain:x:65532:' > "$root/etc/group"; \
    echo 'hosts: files dns' > "$root/etc/nsswitch.conf"; \
    chmod 1777 "$root/tmp"

FROM scratch
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="attaind" \
      org.opencontainers.image.description="Attain: Monte Carlo planning of channel revenue, a gRPC service" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="scratch"
COPY --from=build /rootfs/ /
USER 65532:65532
# gRPC and Prometheus metrics.
EXPOSE 50051 9464
ENTRYPOINT ["/usr/local/bin/attaind"]
