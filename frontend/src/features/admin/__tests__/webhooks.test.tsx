import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CreatedWebhook } from '@/features/admin/api/create-webhook';
import type { WebhookDelivery } from '@/features/admin/api/get-webhook-deliveries';
import type { Webhook } from '@/features/admin/api/get-webhooks';
import { apiError, caller, requireAuth, validationError, type Detail } from '@/testing/mocks/handlers';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';

/**
 * The webhooks of the backend (chalicelib/webhooks) over in-memory data: administrators only,
 * the secret in the 201 answer only, a delivery log per webhook.
 */
const hooksDb = {
  hooks: [] as Webhook[],
  deliveries: {} as Record<string, WebhookDelivery[]>,
  requests: [] as Array<{ method: string; path: string; body?: unknown }>,
  counter: 0,
};
const EVENTS = ['room_created', 'room_acknowledged', 'room_escalated', 'room_resolved'];

function stored(init: Partial<Webhook> & { url: string }): Webhook {
  hooksDb.counter += 1;
  return {
    webhook_id: `00000000-0000-4000-8000-${String(hooksDb.counter).padStart(12, '0')}`,
    events: ['room_created'],
    description: '',
    created_by: 'lin.admin@plant.test',
    created_at: '2025-11-17T02:00:00.000Z',
    ...init,
  };
}

function delivery(init: Partial<WebhookDelivery>): WebhookDelivery {
  return {
    delivery_id: `d-${Math.random()}`,
    channel: 'webhook',
    status: 'delivered',
    attempts: 1,
    last_error: null,
    result: 'HTTP 200',
    event: 'room_created',
    created_at: '2025-11-17T03:00:00.000Z',
    updated_at: '2025-11-17T03:00:01.000Z',
    ...init,
  };
}

function adminOnly(request: Request) {
  const denied = requireAuth(request);
  if (denied) return denied;
  if (!caller(request).is_admin) return apiError(403, 'forbidden', 'Only administrators manage webhooks');
  return null;
}

beforeEach(() => {
  hooksDb.hooks = [];
  hooksDb.deliveries = {};
  hooksDb.requests = [];
  hooksDb.counter = 0;
  server.use(
    http.get('*/api/webhooks', ({ request }) => adminOnly(request) ?? HttpResponse.json({ webhooks: hooksDb.hooks })),
    http.post('*/api/webhooks', async ({ request }) => {
      const denied = adminOnly(request);
      if (denied) return denied;
      const body = (await request.json()) as { url?: unknown; events?: unknown; description?: unknown };
      hooksDb.requests.push({ method: 'POST', path: '/api/webhooks', body });
      const details: Detail[] = [];
      const url = String(body.url ?? '');
      if (!url.startsWith('https://')) details.push({ field: 'url', message: 'the URL must start with https://' });
      else if (url.includes('10.')) details.push({ field: 'url', message: `${new URL(url).hostname} is a private address` });
      if (!Array.isArray(body.events) || !body.events.length || body.events.some((e) => !EVENTS.includes(String(e)))) {
        details.push({ field: 'events', message: 'List should have at least 1 item after validation' });
      }
      if (details.length) return validationError(details, 'The webhook URL is not allowed');
      const hook = stored({
        url,
        events: body.events as Webhook['events'],
        description: typeof body.description === 'string' ? body.description : '',
      });
      hooksDb.hooks.push(hook);
      const created: CreatedWebhook = { ...hook, secret: `whsec_test-secret-${hooksDb.counter}` };
      return HttpResponse.json(created, { status: 201 });
    }),
    http.delete('*/api/webhooks/:webhookId', ({ request, params }) => {
      const denied = adminOnly(request);
      if (denied) return denied;
      hooksDb.requests.push({ method: 'DELETE', path: `/api/webhooks/${String(params.webhookId)}` });
      const before = hooksDb.hooks.length;
      hooksDb.hooks = hooksDb.hooks.filter((h) => h.webhook_id !== params.webhookId);
      if (hooksDb.hooks.length === before) return apiError(404, 'not_found', 'Webhook not found');
      return new HttpResponse(null, { status: 204 });
    }),
    http.get('*/api/webhooks/:webhookId/deliveries', ({ request, params }) => {
      const denied = adminOnly(request);
      if (denied) return denied;
      hooksDb.requests.push({ method: 'GET', path: `/api/webhooks/${String(params.webhookId)}/deliveries` });
      return HttpResponse.json({ deliveries: hooksDb.deliveries[String(params.webhookId)] ?? [] });
    }),
  );
});

async function openPage() {
  const utils = renderApp('/admin/webhooks', { as: 'lin.admin' });
  expect(await screen.findByRole('heading', { level: 2, name: 'Webhook' })).toBeInTheDocument();
  return utils;
}

async function fillForm(user: ReturnType<typeof renderApp>['user'], url: string, description = '') {
  await user.click(await screen.findByRole('button', { name: '新增 Webhook' }));
  await user.type(screen.getByLabelText(/^接收網址/), url);
  if (description) await user.type(screen.getByLabelText('說明'), description);
}

describe('webhooks (admin)', () => {
  it('is for administrators only', async () => {
    renderApp('/admin/webhooks', { authenticated: true });
    expect(await screen.findByText('只有系統管理員可以使用此頁面。')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '新增 Webhook' })).not.toBeInTheDocument();
    expect(hooksDb.requests).toEqual([]);
  });

  it('is linked from the admin pages and lists the webhooks with their events', async () => {
    hooksDb.hooks.push(
      stored({ url: 'https://mes.example.com/andon', events: ['room_created', 'room_resolved'], description: 'MES 告警' }),
      stored({ url: 'https://prod.westus.logic.azure.com/workflows/abc', events: ['room_escalated'] }),
    );
    const { user } = renderApp('/admin/policies', { as: 'lin.admin' });
    const nav = await screen.findByRole('navigation', { name: '管理頁面' });
    await user.click(within(nav).getByRole('link', { name: 'Webhook' }));
    const list = await screen.findByRole('list', { name: 'Webhook 列表' });
    const [mes, teams] = within(list).getAllByRole('listitem');
    expect(within(mes!).getByRole('heading', { name: 'MES 告警' })).toBeInTheDocument();
    expect(mes).toHaveTextContent('https://mes.example.com/andon');
    expect(mes).toHaveTextContent('事件開啟、事件解決');
    expect(teams).toHaveTextContent('升級通報');
    expect(within(teams!).getByRole('heading', { name: 'https://prod.westus.logic.azure.com/workflows/abc' })).toBeInTheDocument();
  });

  it('creates a webhook with the chosen events and shows the secret once, with a copy button', async () => {
    const { user } = await openPage();
    expect(await screen.findByText('還沒有 Webhook。')).toBeInTheDocument();
    await fillForm(user, 'https://mes.example.com/andon', 'MES 告警');
    // every event is chosen at first; leave out two
    await user.click(screen.getByRole('checkbox', { name: '有人接手' }));
    await user.click(screen.getByRole('checkbox', { name: '升級通報' }));
    await user.click(screen.getByRole('button', { name: '建立' }));

    expect(await screen.findByRole('heading', { name: '已建立 Webhook' })).toBeInTheDocument();
    expect(hooksDb.requests).toEqual([
      {
        method: 'POST',
        path: '/api/webhooks',
        body: { url: 'https://mes.example.com/andon', events: ['room_created', 'room_resolved'], description: 'MES 告警' },
      },
    ]);
    const secret = screen.getByLabelText('簽章密鑰（只顯示這一次）');
    expect(secret).toHaveValue('whsec_test-secret-1');
    expect(secret).toHaveAttribute('readonly');
    expect(secret).toHaveAccessibleDescription(/X-Signature-256/);
    expect(screen.getByRole('note')).toHaveTextContent('只會顯示這一次');
    await user.click(screen.getByRole('button', { name: '複製密鑰' }));
    expect(await screen.findByText('已複製到剪貼簿。')).toBeInTheDocument();
    await expect(navigator.clipboard.readText()).resolves.toBe('whsec_test-secret-1');

    const list = await screen.findByRole('list', { name: 'Webhook 列表' });
    expect(list).toHaveTextContent('MES 告警');
    expect(list).not.toHaveTextContent('whsec_');
    await user.click(screen.getByRole('button', { name: '我已保存密鑰' }));
    expect(screen.queryByLabelText('簽章密鑰（只顯示這一次）')).not.toBeInTheDocument();
    expect(document.body).not.toHaveTextContent('whsec_test-secret-1'); // gone for good
  });

  it('says so when copying fails and leaves the secret selected', async () => {
    const { user } = await openPage();
    await fillForm(user, 'https://mes.example.com/andon');
    await user.click(screen.getByRole('button', { name: '建立' }));
    await screen.findByRole('heading', { name: '已建立 Webhook' });
    expect(hooksDb.requests.at(-1)?.body).toEqual({ url: 'https://mes.example.com/andon', events: EVENTS });
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValueOnce(new Error('denied'));
    await user.click(screen.getByRole('button', { name: '複製密鑰' }));
    expect(await screen.findByText('無法自動複製，請手動選取並複製。')).toBeInTheDocument();
    expect(screen.getByLabelText('簽章密鑰（只顯示這一次）')).toHaveFocus();
  });

  it('checks the form before sending and shows the SSRF refusal next to the URL', async () => {
    const { user } = await openPage();
    await user.click(await screen.findByRole('button', { name: '新增 Webhook' }));
    for (const name of ['事件開啟', '有人接手', '升級通報', '事件解決']) {
      await user.click(screen.getByRole('checkbox', { name }));
    }
    await user.click(screen.getByRole('button', { name: '建立' }));
    expect(screen.getByRole('alert')).toHaveTextContent('請修正標示的欄位後再送出。');
    await waitFor(() => expect(screen.getByLabelText(/^接收網址/)).toHaveFocus());
    expect(screen.getByLabelText(/^接收網址/)).toHaveAccessibleDescription(/請輸入接收網址/);
    expect(screen.getByText('至少選擇一個事件')).toBeInTheDocument();
    await user.type(screen.getByLabelText(/^接收網址/), 'not a url');
    await user.click(screen.getByRole('button', { name: '建立' }));
    expect(screen.getByLabelText(/^接收網址/)).toHaveAccessibleDescription(/網址格式不正確/);
    expect(hooksDb.requests).toEqual([]);

    await user.clear(screen.getByLabelText(/^接收網址/));
    await user.type(screen.getByLabelText(/^接收網址/), 'https://intranet.example.com/10.hook');
    await user.click(screen.getByRole('checkbox', { name: '事件開啟' }));
    await user.click(screen.getByRole('button', { name: '建立' }));
    expect(await screen.findByText(/intranet\.example\.com is a private address/)).toBeInTheDocument();
    expect(screen.getByLabelText(/^接收網址/)).toHaveAccessibleDescription(/private address/);
    expect(screen.getByLabelText(/^接收網址/)).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByLabelText('簽章密鑰（只顯示這一次）')).not.toBeInTheDocument();
  });

  it('shows the delivery log with status, attempts and the last error', async () => {
    const hook = stored({ url: 'https://mes.example.com/andon', description: 'MES 告警' });
    hooksDb.hooks.push(hook);
    hooksDb.deliveries[hook.webhook_id] = [
      delivery({ event: 'room_resolved', status: 'failed', attempts: 5, last_error: 'HTTP 500', result: null }),
      delivery({ event: 'room_acknowledged', status: 'pending', attempts: 2, last_error: 'timed out at mes.example.com' }),
      delivery({ event: 'room_created', status: 'delivered', attempts: 3, result: 'HTTP 200' }),
    ];
    const { user } = await openPage();
    const toggle = await screen.findByRole('button', { name: '查看「MES 告警」的傳送紀錄' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    const table = await screen.findByRole('table', { name: 'https://mes.example.com/andon 的傳送紀錄' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getAllByRole('cell').slice(0, 4).map((cell) => cell.textContent))).toEqual([
      ['事件解決', '失敗', '5', 'HTTP 500'],
      ['有人接手', '傳送中', '2', 'timed out at mes.example.com'],
      ['事件開啟', '已送達', '3', 'HTTP 200'],
    ]);
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      '事件',
      '狀態',
      '嘗試次數',
      '最後錯誤／結果',
      '更新時間',
    ]);
    await user.click(screen.getByRole('button', { name: '隱藏「MES 告警」的傳送紀錄' }));
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('says when nothing was delivered yet', async () => {
    hooksDb.hooks.push(stored({ url: 'https://mes.example.com/andon' }));
    const { user } = await openPage();
    await user.click(await screen.findByRole('button', { name: /的傳送紀錄$/ }));
    expect(await screen.findByText('還沒有傳送紀錄。')).toBeInTheDocument();
  });

  it('deletes a webhook only after confirming', async () => {
    hooksDb.hooks.push(stored({ url: 'https://mes.example.com/andon', description: 'MES 告警' }));
    const { user } = await openPage();
    await user.click(await screen.findByRole('button', { name: '刪除「MES 告警」' }));
    const dialog = screen.getByRole('alertdialog', { name: '刪除 Webhook？' });
    expect(dialog).toHaveTextContent('https://mes.example.com/andon');
    await user.click(within(dialog).getByRole('button', { name: '取消' }));
    expect(hooksDb.requests).toEqual([]);

    const id = hooksDb.hooks[0]!.webhook_id;
    await user.click(screen.getByRole('button', { name: '刪除「MES 告警」' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: '刪除' }));
    expect(await screen.findByText('已刪除「MES 告警」。')).toBeInTheDocument();
    expect(hooksDb.requests).toEqual([{ method: 'DELETE', path: `/api/webhooks/${id}` }]);
    expect(await screen.findByText('還沒有 Webhook。')).toBeInTheDocument();
  });
});
