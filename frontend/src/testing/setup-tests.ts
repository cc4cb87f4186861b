import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import i18n from '@/lib/i18n';
import { cancelScheduledRefresh } from '@/lib/api-client';
import { resetSessionFromStorage } from '@/lib/session';
import { resetRealtimeClient } from '@/lib/socket/client';
import { resetChatStores } from '@/features/chat/store/chat-store';
import { FakeWebSocket } from '@/testing/fake-websocket';
import { resetDb } from '@/testing/mocks/db';
import { resetFilesDb } from '@/testing/mocks/files';
import { resetPlantDb } from '@/testing/mocks/plant-db';
import { resetResponseDb } from '@/testing/mocks/response-loop';
import { resetUploadQueues } from '@/features/files/hooks/upload-queue';
import { server } from '@/testing/mocks/server';

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));

beforeEach(async () => {
  window.localStorage.clear();
  window.sessionStorage.clear();
  resetDb();
  resetChatStores();
  resetFilesDb();
  resetResponseDb();
  resetPlantDb();
  resetUploadQueues();
  resetSessionFromStorage();
  // The tab's socket talks to a FakeWebSocket the tests drive (FakeWebSocket.last()).
  FakeWebSocket.reset();
  resetRealtimeClient({ createSocket: (url) => new FakeWebSocket(url), isOnline: () => true });
  await i18n.changeLanguage('zh-TW');
});

afterEach(() => {
  cleanup();
  resetRealtimeClient();
  server.resetHandlers();
  server.events.removeAllListeners();
  cancelScheduledRefresh();
});

afterAll(() => server.close());
