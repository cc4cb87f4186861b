import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CreatedIntegrationKey } from '@/features/admin/api/create-integration-key';
import type { IntegrationKey } from '@/features/admin/api/get-integration-keys';
import { apiError, caller, requireAuth, validationError, type Detail } from '@/testing/mocks/handlers';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';

/**
 * The integration keys of the backend (chalicelib/integrations) over in-memory data:
 * administrators only, the secret in the 201 answer only, revoking marks the key.
 */
const keysDb = {
  keys: [] as IntegrationKey[],
  requests: [] as Array<{ method: string; path: string; body?: unknown }>,
  counter: 0,
};
const LINES = ['L-DB1', 'L-WB2', 'L-MD3', 'L-TS5'];

function stored(init: Partial<IntegrationKey> & { name: string }): IntegrationKey {
  keysDb.counter += 1;
  return {
    key_id: `00000000-0000-4000-8000-${String(keysDb.counter).padStart(12, '0')}`,
    line_id: null,
    key_hint: `irk_k${keysDb.counter}ab`,
    created_by: 'lin.admin@plant.test',
    created_at: '2025-11-17T02:00:00.000Z',
    last_used_at: null,
    revoked_at: null,
    ...init,
  };
}

beforeEach(() => {
  keysDb.keys = [];
  keysDb.requests = [];
  keysDb.counter = 0;
  server.use(
    http.get('*/api/integration-keys', ({ request }) => {
      const denied = requireAuth(request);
      if (denied) return denied;
      if (!caller(request).is_admin) return apiError(403, 'forbidden', 'Only administrators manage integration keys');
      return HttpResponse.json({ integration_keys: [...keysDb.keys].reverse() });
    }),
    http.post('*/api/integration-keys', async ({ request }) => {
      const denied = requireAuth(request);
      if (denied) return denied;
      if (!caller(request).is_admin) return apiError(403, 'forbidden', 'Only administrators manage integration keys');
      const body = (await request.json()) as { name?: unknown; line_id?: unknown };
      keysDb.requests.push({ method: 'POST', path: '/api/integration-keys', body });
      const details: Detail[] = [];
      if (typeof body.name !== 'string' || !body.name.trim()) details.push({ field: 'name', message: 'Field required' });
      if (body.line_id !== undefined && !LINES.includes(String(body.line_id))) {
        details.push({ field: 'line_id', message: 'not a line of the plant' });
      }
      if (details.length) return validationError(details);
      const key = stored({ name: String(body.name), line_id: (body.line_id as string | undefined) ?? null });
      keysDb.keys.push(key);
      const created: CreatedIntegrationKey = { ...key, api_key: `${key.key_hint}-secret-${keysDb.counter}` };
      return HttpResponse.json(created, { status: 201 });
    }),
    http.delete('*/api/integration-keys/:keyId', ({ request, params }) => {
      const denied = requireAuth(request);
      if (denied) return denied;
      keysDb.requests.push({ method: 'DELETE', path: `/api/integration-keys/${String(params.keyId)}` });
      const key = keysDb.keys.find((k) => k.key_id === params.keyId);
      if (!key) return apiError(404, 'not_found', 'Integration key not found');
      key.revoked_at ??= '2025-11-18T03:00:00.000Z';
      return new HttpResponse(null, { status: 204 });
    }),
  );
});

async function openPage() {
  const utils = renderApp('/admin/integration-keys', { as: 'lin.admin' });
  expect(await screen.findByRole('heading', { level: 2, name: '整合金鑰' })).toBeInTheDocument();
  return utils;
}

async function createKey(user: ReturnType<typeof renderApp>['user'], name: string, line?: string) {
  await user.click(await screen.findByRole('button', { name: '建立金鑰' }));
  await user.type(screen.getByLabelText(/^名稱/), name);
  if (line) await user.selectOptions(screen.getByLabelText('限定產線'), line);
  await user.click(screen.getByRole('button', { name: '建立' }));
}

describe('integration keys (admin)', () => {
  it('is for administrators only', async () => {
    renderApp('/admin/integration-keys', { authenticated: true });
    expect(await screen.findByText('只有系統管理員可以使用此頁面。')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '建立金鑰' })).not.toBeInTheDocument();
    expect(keysDb.requests).toEqual([]);
  });

  it('is linked from the admin pages and lists keys with line, hint, last use and status', async () => {
    keysDb.keys.push(
      stored({ name: 'MES 黏晶', line_id: 'L-DB1', last_used_at: '2025-11-17T05:30:00.000Z' }),
      stored({ name: '舊監控', revoked_at: '2025-11-17T04:00:00.000Z' }),
    );
    const { user } = renderApp('/admin/policies', { as: 'lin.admin' });
    const nav = await screen.findByRole('navigation', { name: '管理頁面' });
    await user.click(within(nav).getByRole('link', { name: '整合金鑰' }));
    const list = await screen.findByRole('list', { name: '整合金鑰列表' });
    const [newest, older] = within(list).getAllByRole('listitem');
    expect(newest).toHaveTextContent('舊監控');
    expect(newest).toHaveTextContent('任何產線');
    expect(newest).toHaveTextContent('已撤銷');
    expect(newest).toHaveTextContent('尚未使用');
    expect(within(newest!).queryByRole('button', { name: /撤銷/ })).not.toBeInTheDocument();
    expect(older).toHaveTextContent('黏晶 L1'); // the line's name from the plant
    expect(older).toHaveTextContent('irk_k1ab…');
    expect(older).toHaveTextContent('使用中');
    expect(older).toHaveTextContent('最後使用');
    expect(within(older!).getByRole('button', { name: '撤銷「MES 黏晶」' })).toBeInTheDocument();
  });

  it('creates a key bound to a line and shows the secret once, with a copy button', async () => {
    const { user } = await openPage();
    expect(await screen.findByText('還沒有整合金鑰。')).toBeInTheDocument();
    await createKey(user, 'MES 焊線 L2', 'L-WB2');

    expect(await screen.findByRole('heading', { name: '已建立「MES 焊線 L2」' })).toBeInTheDocument();
    expect(keysDb.requests).toEqual([{ method: 'POST', path: '/api/integration-keys', body: { name: 'MES 焊線 L2', line_id: 'L-WB2' } }]);
    const secret = screen.getByLabelText('金鑰（只顯示這一次）');
    expect(secret).toHaveValue('irk_k1ab-secret-1');
    expect(secret).toHaveAttribute('readonly');
    expect(screen.getByRole('note')).toHaveTextContent('只會顯示這一次');
    await user.click(screen.getByRole('button', { name: '複製金鑰' }));
    expect(await screen.findByText('已複製到剪貼簿。')).toBeInTheDocument();
    await expect(navigator.clipboard.readText()).resolves.toBe('irk_k1ab-secret-1');

    const list = await screen.findByRole('list', { name: '整合金鑰列表' });
    expect(list).toHaveTextContent('MES 焊線 L2');
    expect(list).not.toHaveTextContent('secret');
    await user.click(screen.getByRole('button', { name: '我已保存金鑰' }));
    expect(screen.queryByLabelText('金鑰（只顯示這一次）')).not.toBeInTheDocument();
    expect(document.body).not.toHaveTextContent('irk_k1ab-secret-1'); // gone for good
  });

  it('creates a key for any line without sending line_id, and says so when copying fails', async () => {
    const { user } = await openPage();
    await createKey(user, '設備監控');
    await screen.findByRole('heading', { name: '已建立「設備監控」' });
    expect(keysDb.requests.at(-1)?.body).toEqual({ name: '設備監控' });
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValueOnce(new Error('denied'));
    await user.click(screen.getByRole('button', { name: '複製金鑰' }));
    expect(await screen.findByText('無法自動複製，請手動選取並複製。')).toBeInTheDocument();
    expect(screen.getByLabelText('金鑰（只顯示這一次）')).toHaveFocus();
  });

  it('checks the name before sending and shows the API 400 next to its field', async () => {
    const { user } = await openPage();
    await user.click(await screen.findByRole('button', { name: '建立金鑰' }));
    await user.click(screen.getByRole('button', { name: '建立' }));
    expect(screen.getByLabelText(/^名稱/)).toHaveAccessibleDescription(/請輸入名稱/);
    expect(screen.getByLabelText(/^名稱/)).toHaveFocus();
    expect(keysDb.requests).toEqual([]);

    server.use(
      http.post('*/api/integration-keys', () =>
        validationError([{ field: 'line_id', message: 'not a line of the plant' }], 'Unknown production line'),
      ),
    );
    await user.type(screen.getByLabelText(/^名稱/), 'MES');
    await user.selectOptions(screen.getByLabelText('限定產線'), 'L-DB1');
    await user.click(screen.getByRole('button', { name: '建立' }));
    expect(await screen.findByText('此欄位的內容不正確（not a line of the plant）')).toBeInTheDocument();
    expect(screen.getByLabelText('限定產線')).toHaveAccessibleDescription(/not a line of the plant/);
    expect(screen.getByRole('alert')).toHaveTextContent('請修正標示的欄位後再送出。');
    expect(screen.queryByLabelText('金鑰（只顯示這一次）')).not.toBeInTheDocument();
  });

  it('revokes a key only after confirming', async () => {
    keysDb.keys.push(stored({ name: 'MES 黏晶', line_id: 'L-DB1' }));
    const { user } = await openPage();
    await user.click(await screen.findByRole('button', { name: '撤銷「MES 黏晶」' }));
    const dialog = screen.getByRole('alertdialog', { name: '撤銷整合金鑰？' });
    expect(dialog).toHaveTextContent('會被拒絕（401）');
    await user.click(within(dialog).getByRole('button', { name: '取消' }));
    expect(keysDb.requests).toEqual([]);

    await user.click(screen.getByRole('button', { name: '撤銷「MES 黏晶」' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: '撤銷' }));
    expect(await screen.findByText('已撤銷「MES 黏晶」。')).toBeInTheDocument();
    expect(keysDb.requests).toEqual([{ method: 'DELETE', path: `/api/integration-keys/${keysDb.keys[0]!.key_id}` }]);
    await waitFor(() => expect(screen.getByRole('list', { name: '整合金鑰列表' })).toHaveTextContent('已撤銷'));
    expect(screen.queryByRole('button', { name: '撤銷「MES 黏晶」' })).not.toBeInTheDocument();
  });
});
