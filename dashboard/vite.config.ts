// Production build of the dashboard into dashboard/dist, served by server/dashboard-plugin.ts.
// `npm run build` runs `vite build dashboard`, so paths here are relative to dashboard/.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Node 20 and the Chromium on-call engineers run; no legacy transpilation.
    target: 'es2022',
    // The bundle test reads gzip sizes itself; Vite's report only slows the build.
    reportCompressedSize: false,
  },
  server: {
    // `npx vite dashboard` during development talks to a Telltale on :8080.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
