import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EventCode } from '@/features/admin/api/event-codes';
import { parseRootCauses } from '@/features/admin/utils/root-causes';
import { apiError, caller, requireAuth } from '@/testing/mocks/handlers';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';

let codes: EventCode[] = [];
let requests: { method: string; path: string; body?: unknown }[] = [];

beforeEach(() => {
  codes = [{
    code: 'OVEN', name: '爐溫異常', incident_type: 'equipment_failure', default_severity: 'high',
    root_causes: [{ code: 'HEATER', name: '加熱器' }, { code: 'OLD', name: '舊原因', retired: true }],
  }];
  requests = [];
  server.use(
    http.get('*/api/event-codes', ({ request }) => {
      const denied = requireAuth(request);
      if (denied) return denied;
      if (!caller(request).is_admin) return apiError(403, 'forbidden', 'Only administrators see retired event codes');
      return HttpResponse.json({ event_codes: codes });
    }),
    http.post('*/api/event-codes', async ({ request }) => {
      const body = (await request.json()) as EventCode;
      requests.push({ method: 'POST', path: '/api/event-codes', body });
      if (codes.some((c) => c.code === body.code)) return apiError(409, 'conflict', 'This event code exists already');
      codes = [...codes, body];
      return HttpResponse.json(body, { status: 201 });
    }),
    http.put('*/api/event-codes/:code', async ({ request, params }) => {
      const body = (await request.json()) as Omit<EventCode, 'code'>;
      requests.push({ method: 'PUT', path: `/api/event-codes/${String(params.code)}`, body });
      codes = codes.map((c) => (c.code === params.code ? { ...body, code: c.code } : c));
      return HttpResponse.json({ ...body, code: params.code });
    }),
    http.delete('*/api/event-codes/:code', ({ params }) => {
      requests.push({ method: 'DELETE', path: `/api/event-codes/${String(params.code)}` });
      codes = codes.map((c) => (c.code === params.code ? { ...c, retired: true } : c));
      return new HttpResponse(null, { status: 204 });
    }),
  );
});

describe('event catalog (admin)', () => {
  it('parses root causes typed one a line', () => {
    expect(parseRootCauses('HEATER 加熱器 故障\n\n  SENSOR\tA 感測器 \nX')).toEqual([
      { code: 'HEATER', name: '加熱器 故障' }, { code: 'SENSOR', name: 'A 感測器' }, { code: 'X', name: 'X' },
    ]);
  });

  it('is for administrators only', async () => {
    renderApp('/admin/event-codes', { authenticated: true });
    expect(await screen.findByText('只有系統管理員可以使用此頁面。')).toBeInTheDocument();
  });

  it('adds a code with root causes, edits one and retires it', { timeout: 20_000 }, async () => {
    const { user } = renderApp('/admin/event-codes', { as: 'lin.admin' });
    const table = await screen.findByRole('table', { name: '異常代碼與根本原因' });
    expect(await within(table).findByRole('rowheader', { name: 'OVEN' })).toBeInTheDocument();
    expect(table).toHaveTextContent('加熱器');
    expect(table).not.toHaveTextContent('舊原因');

    const form = screen.getByRole('form', { name: '異常代碼表單' });
    await user.type(within(form).getByLabelText('代碼'), 'WIRE');
    await user.type(within(form).getByLabelText('名稱'), '斷線');
    await user.type(within(form).getByLabelText('根本原因（每行一個：代碼 名稱）'), 'CAP 瓷嘴{enter}MAT 線材');
    await user.click(within(form).getByRole('button', { name: '新增代碼' }));
    expect(await screen.findByText('已儲存「WIRE」。')).toBeInTheDocument();
    expect(requests[0]).toEqual({
      method: 'POST', path: '/api/event-codes',
      body: { code: 'WIRE', name: '斷線', incident_type: 'equipment_failure', default_severity: 'medium',
              root_causes: [{ code: 'CAP', name: '瓷嘴' }, { code: 'MAT', name: '線材' }] },
    });

    await user.click(await screen.findByRole('button', { name: '編輯「OVEN」' }));
    expect(within(form).getByLabelText('代碼')).toBeDisabled();
    expect(within(form).getByLabelText('根本原因（每行一個：代碼 名稱）')).toHaveValue('HEATER 加熱器');
    await user.click(within(form).getByRole('button', { name: '儲存' }));
    await waitFor(() => expect(requests[1]).toMatchObject({ method: 'PUT', path: '/api/event-codes/OVEN' }));

    await user.click(screen.getByRole('button', { name: '停用「OVEN」' }));
    await waitFor(() => expect(requests[2]).toEqual({ method: 'DELETE', path: '/api/event-codes/OVEN' }));
    expect(await screen.findByText('爐溫異常 (已停用)')).toBeInTheDocument();
  });
});
