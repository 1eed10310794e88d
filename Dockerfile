# syntax=docker/dockerfile:1
# The operator image, for one platform (make docker-build IMG=...) or several:
#
#   docker buildx build --platform linux/amd64,linux/arm64 \
#     --build-arg VERSION=v0.1.0 --build-arg COMMIT=$(git rev-parse --short HEAD) \
#     -t ghcr.io/p3o-dev/p3o-operator:v0.1.0 --push .
#
# The builder runs on the build machine's platform and cross-compiles for
# each target platform (CGO off, static), so no emulation is needed. VERSION
# and COMMIT set what `p3o-operator --version` prints, as `make build` does.
# test/release runs this builder stage's steps without Docker.
FROM --platform=$BUILDPLATFORM golang:1.26 AS builder
ARG TARGETOS
ARG TARGETARCH
ARG VERSION=dev
ARG COMMIT=unknown
WORKDIR /workspace
COPY go.mod go.sum ./
RUN go mod download
COPY main.go dashboard.go ./
COPY api/ api/
COPY config/crd/ config/crd/
COPY controllers/ controllers/
COPY internal/ internal/
RUN CGO_ENABLED=0 GOOS="${TARGETOS:-linux}" GOARCH="${TARGETARCH}" go build -trimpath \
	-ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT} -X main.date=$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
	-o p3o-operator .

FROM gcr.io/distroless/static:nonroot
WORKDIR /
COPY --from=builder /workspace/p3o-operator .
USER 65532:65532
ENTRYPOINT ["/p3o-operator"]
