/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** REST API origin, e.g. the API Gateway stage URL. Empty = same origin (paths start with /api). */
  readonly VITE_API_BASE_URL?: string;
  /** WebSocket API URL (wss://...). Empty = same origin `/ws`. */
  readonly VITE_WS_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
