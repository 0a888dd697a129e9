/**
 * The two response headers that make the page cross-origin isolated (`crossOriginIsolated` true,
 * `SharedArrayBuffer` available), so the from-scratch view trains on several workers sharing
 * memory. `require-corp` blocks cross-origin resources that do not opt in; the page has none (every
 * file is its own: the bundle, the WASM binaries, the model, MNIST). Sent by `vite dev` and
 * `vite preview` (vite.config.ts), by the end-to-end server when asked, and by hosts that read
 * `public/_headers` (Netlify, Cloudflare Pages).
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;
