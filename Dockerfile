# syntax=docker/dockerfile:1
# Multi-stage build: install + build with dev dependencies, then ship only production deps and dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /src
RUN npm i -g pnpm@10.34.8
COPY . .
RUN pnpm install --frozen-lockfile && pnpm run build
# A self-contained production tree of the CLI (+ server) with only runtime dependencies.
RUN pnpm --filter codetether deploy --prod --legacy /out

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ripgrep git ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --uid 10001 --create-home --shell /usr/sbin/nologin codetether
COPY --from=build /out /app
ENV NODE_ENV=production CODETETHER_DATA_DIR=/data
USER 10001
WORKDIR /work
EXPOSE 4096
ENTRYPOINT ["node", "/app/dist/bin.cjs"]
CMD ["serve", "--host", "0.0.0.0", "--port", "4096"]
