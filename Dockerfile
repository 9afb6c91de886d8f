# Production image: the TypeScript is compiled to dist/ once, here, so the app starts as plain
# JavaScript; the compiler and the other dev dependencies are removed afterwards.
FROM node:20-bookworm-slim
# Chinese fonts for the households' contact cards (PNG drawn on the server, offline).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci --no-audit --no-fund --include=dev
COPY . .
RUN node scripts/build.mjs && npm prune --omit=dev --no-audit --no-fund
USER node
EXPOSE 3000
CMD ["node", "scripts/run-built.mjs", "main"]
