# Switchyard in a container (README, "Headless deployment"):
#   docker build -t switchyard .
#   docker run -d --name switchyard -p 127.0.0.1:8045:8045 -v switchyard-data:/data switchyard
# Settings come from SWITCHYARD_* environment variables; the data directory is the /data volume.

# Build stage: npm ci compiles the SQLite driver when no prebuilt binary fits (python3, make, g++).
FROM node:20-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

# Runtime stage: the built gateway and its production dependencies, run as the image's `node` user.
FROM node:20-slim
ENV NODE_ENV=production SWITCHYARD_HOME=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
RUN ln -s /app/bin/switchyard.js /usr/local/bin/switchyard && mkdir /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8045
# GET /healthz on the gateway's port; a 401 (auth_mode strict) also proves it answers.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.SWITCHYARD_PROXY__PORT||8045)+'/healthz').then(r=>process.exit(r.status===200||r.status===401?0:1),()=>process.exit(1))"]
CMD ["switchyard", "start", "--host", "0.0.0.0"]
