# Multi-stage image: build (TypeScript + native better-sqlite3) then a runtime with production
# dependencies only, run as a non-root user. SQLite data lives in /app/data (mount a volume), or
# set DATABASE_URL=mysql://… for MariaDB/MySQL.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY scripts ./scripts
COPY test ./test
COPY bench ./bench
COPY schemas ./schemas
COPY console ./console
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=8080
WORKDIR /app
RUN groupadd --system passerelle && useradd --system --gid passerelle --home /app passerelle
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/scripts ./dist/scripts
COPY --from=build /app/dist/console ./dist/console
COPY package.json LICENSE ./
COPY schemas ./schemas
COPY wsdl ./wsdl
COPY fixtures ./fixtures
RUN mkdir -p /app/data && chown passerelle:passerelle /app/data
USER passerelle
# All interfaces: the gateway then refuses to start without credentials (API_KEYS, or clients created
# with `node dist/scripts/clients.js creer …`), with a message saying so.
ENV HOST=0.0.0.0
EXPOSE 8080
VOLUME ["/app/data"]
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Migrations are applied at start; `node dist/scripts/migrate.js status|up` shows or applies them by hand.
CMD ["node", "dist/src/server.js"]
