# Telltale: one process, SQLite in /data (or telemetry in ClickHouse: see docker-compose.yml).
# Build: docker build -t telltale .
FROM node:20-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

# The dashboard is built with the dev dependencies (Vite, React) that the runtime image leaves out.
FROM deps AS dashboard
RUN npm ci
COPY dashboard ./dashboard
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production TELLTALE_DATA_DIR=/data
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY store ./store
COPY collector ./collector
COPY synthetic ./synthetic
COPY alerts ./alerts
COPY reports ./reports
COPY runbooks ./runbooks
COPY server ./server
# The demo API (docker-compose.yml runs it from this image).
COPY demo ./demo
COPY --from=dashboard /app/dashboard/dist ./dashboard/dist
RUN mkdir /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080 4318
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:8080/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "bin/telltale.js", "serve"]
