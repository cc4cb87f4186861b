import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import i18n from '@/lib/i18n';
import { db } from '@/testing/mocks/db';
import { apiError } from '@/testing/mocks/handlers';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';

async function openDialog() {
  const utils = renderApp('/rooms', { authenticated: true });
  await screen.findByText('目前沒有事件');
  await utils.user.click(screen.getByRole('button', { name: /新增事件/ }));
  const dialog = await screen.findByRole('dialog', { name: '新增事件' });
  return { ...utils, dialog };
}

/** Records JSON bodies of POST /api/rooms. */
function recordCreates(): Array<Record<string, unknown>> {
  const bodies: Array<Record<string, unknown>> = [];
  server.events.on('request:start', async ({ request }) => {
    if (request.method === 'POST' && new URL(request.url).pathname === '/api/rooms') {
      bodies.push((await request.clone().json()) as Record<string, unknown>);
    }
  });
  return bodies;
}

describe('create-room dialog', () => {
  it('opens as a labelled modal dialog with the template picker focused', async () => {
    const { dialog } = await openDialog();
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    const picker = within(dialog).getByLabelText('範本');
    expect(picker).toHaveFocus();
    // templates from GET /api/room-templates
    expect(await within(dialog).findByRole('option', { name: '設備異常 Equipment alarm' })).toBeInTheDocument();
    expect(within(dialog).getByRole('option', { name: '不使用範本' })).toBeInTheDocument();
  });

  it('pre-fills type, severity and description from the chosen template', async () => {
    const { dialog, user } = await openDialog();
    await within(dialog).findByRole('option', { name: '設備異常 Equipment alarm' });

    await user.selectOptions(within(dialog).getByLabelText('範本'), 'tpl-equipment');
    expect(within(dialog).getByLabelText(/類型/)).toHaveValue('equipment_failure');
    expect(within(dialog).getByLabelText('嚴重度')).toHaveValue('high');
    expect(within(dialog).getByLabelText('描述')).toHaveValue('機台：\n警報代碼 / Alarm code：');
    expect(within(dialog).getByText(/建立後會自動加入範本的 1 位預設成員/)).toBeInTheDocument();
    expect(within(dialog).getByText('嚴重度：高')).toHaveClass('severity-high');

    // switching templates replaces the previous template's description
    await user.selectOptions(within(dialog).getByLabelText('範本'), 'tpl-shortage');
    expect(within(dialog).getByLabelText(/類型/)).toHaveValue('material_shortage');
    expect(within(dialog).getByLabelText('嚴重度')).toHaveValue('medium');
    expect(within(dialog).getByLabelText('描述')).toHaveValue('料號 / Part number：');
  });

  it('keeps a description the user typed when a template is picked', async () => {
    const { dialog, user } = await openDialog();
    await within(dialog).findByRole('option', { name: '設備異常 Equipment alarm' });
    await user.type(within(dialog).getByLabelText('描述'), '我自己寫的說明');
    await user.selectOptions(within(dialog).getByLabelText('範本'), 'tpl-equipment');
    expect(within(dialog).getByLabelText('描述')).toHaveValue('我自己寫的說明');
    expect(within(dialog).getByLabelText(/類型/)).toHaveValue('equipment_failure');
  });

  it('validates title and type before sending anything', async () => {
    const bodies = recordCreates();
    const { dialog, user } = await openDialog();
    await user.click(within(dialog).getByRole('button', { name: '建立事件' }));

    const title = within(dialog).getByLabelText(/標題/);
    expect(title).toHaveAttribute('aria-invalid', 'true');
    expect(title).toHaveAccessibleDescription('請輸入標題');
    expect(title).toHaveFocus();
    expect(within(dialog).getByLabelText(/類型/)).toHaveAccessibleDescription('請選擇類型');
    expect(bodies).toHaveLength(0);

    await user.click(title);
    await user.paste('x'.repeat(201));
    await user.selectOptions(within(dialog).getByLabelText(/類型/), 'other');
    await user.click(within(dialog).getByRole('button', { name: '建立事件' }));
    expect(title).toHaveAccessibleDescription('最多 200 個字');
    expect(bodies).toHaveLength(0);
  });

  it("maps the server's validation_error details to the fields", async () => {
    server.use(
      http.post('*/api/rooms', () =>
        apiError(400, 'validation_error', 'Invalid input', {
          details: [
            { field: 'title', message: 'String should have at most 200 characters' },
            { field: 'location', message: 'Input should be a valid string' },
          ],
        }),
      ),
    );
    const { dialog, user } = await openDialog();
    await user.type(within(dialog).getByLabelText(/標題/), 'Line 3 溫度異常');
    await user.selectOptions(within(dialog).getByLabelText(/類型/), 'other');
    await user.type(within(dialog).getByLabelText('地點'), 'A 廠');
    await user.click(within(dialog).getByRole('button', { name: '建立事件' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent('請修正標示的欄位後再送出。');
    expect(within(dialog).getByLabelText(/標題/)).toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).getByLabelText(/標題/)).toHaveAccessibleDescription(
      '此欄位的內容不正確（String should have at most 200 characters）',
    );
    expect(within(dialog).getByLabelText('地點')).toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).getByLabelText(/標題/)).toHaveFocus();
  });

  it('shows other server errors as an alert and stays open', async () => {
    server.use(http.post('*/api/rooms', () => apiError(503, 'unavailable', 'down')));
    const { dialog, user } = await openDialog();
    await user.type(within(dialog).getByLabelText(/標題/), 'Oven');
    await user.selectOptions(within(dialog).getByLabelText(/類型/), 'safety');
    await user.click(within(dialog).getByRole('button', { name: '建立事件' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('服務暫時無法使用');
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('creates the room with the template and opens /rooms/:roomId', async () => {
    const bodies = recordCreates();
    const { dialog, user, router } = await openDialog();
    await within(dialog).findByRole('option', { name: '設備異常 Equipment alarm' });
    await user.selectOptions(within(dialog).getByLabelText('範本'), 'tpl-equipment');
    await user.type(within(dialog).getByLabelText(/標題/), '  Line 3 回焊爐溫度異常 ');
    await user.type(within(dialog).getByLabelText('地點'), 'A 廠 / Line 3');
    await user.click(within(dialog).getByRole('button', { name: '建立事件' }));

    await waitFor(() => expect(router.state.location.pathname).toBe(`/rooms/${db.rooms[0]!.room_id}`));
    expect(bodies[0]).toEqual({
      title: 'Line 3 回焊爐溫度異常',
      incident_type: 'equipment_failure',
      severity: 'high',
      location: 'A 廠 / Line 3',
      description: '機台：\n警報代碼 / Alarm code：',
      template_id: 'tpl-equipment',
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Line 3 回焊爐溫度異常' })).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('closes on Esc and on Cancel, returning focus to the button', async () => {
    const { dialog, user } = await openDialog();
    await user.type(within(dialog).getByLabelText(/標題/), 'draft');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: /新增事件/ })).toHaveFocus();

    await user.click(screen.getByRole('button', { name: /新增事件/ }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: '取消' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('keeps Tab focus inside the dialog', async () => {
    const { dialog, user } = await openDialog();
    await within(dialog).findByRole('option', { name: '設備異常 Equipment alarm' });
    const submit = within(dialog).getByRole('button', { name: '建立事件' });
    const close = within(dialog).getByRole('button', { name: '關閉' });
    submit.focus();
    await user.tab();
    expect(close).toHaveFocus();
    await user.tab({ shift: true });
    expect(submit).toHaveFocus();
    for (let i = 0; i < 12; i += 1) {
      await user.tab();
      expect(dialog.contains(document.activeElement)).toBe(true);
    }
  });

  it('works in English', async () => {
    await i18n.changeLanguage('en');
    server.use(http.get('*/api/room-templates', () => HttpResponse.json({ templates: [] })));
    const { user } = renderApp('/rooms', { authenticated: true });
    await user.click(await screen.findByRole('button', { name: /New incident/ }));
    const dialog = await screen.findByRole('dialog', { name: 'New incident' });
    await user.click(within(dialog).getByRole('button', { name: 'Create incident' }));
    expect(within(dialog).getByLabelText(/Title/)).toHaveAccessibleDescription('Enter a title');
  });
});

describe('create-room dialog with the event catalog', () => {
  it('an event code pre-fills type, severity and template, and is sent', async () => {
    server.use(
      http.get('*/api/event-codes', () =>
        HttpResponse.json({
          event_codes: [
            {
              code: 'E-OVERTEMP',
              name: '爐溫過高',
              incident_type: 'equipment_failure',
              default_severity: 'critical',
              template_id: 'tpl-equipment',
              root_causes: [{ code: 'RC-RELAY', name: '加熱繼電器故障' }],
            },
          ],
        }),
      ),
    );
    const bodies = recordCreates();
    const { dialog, user } = await openDialog();
    await within(dialog).findByRole('option', { name: '設備異常 Equipment alarm' });
    await user.selectOptions(await within(dialog).findByLabelText('異常代碼'), 'E-OVERTEMP');
    expect(within(dialog).getByLabelText('範本')).toHaveValue('tpl-equipment');
    await user.type(within(dialog).getByLabelText(/標題/), '回焊爐溫度異常');
    await user.click(within(dialog).getByRole('button', { name: '建立事件' }));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toMatchObject({ event_code: 'E-OVERTEMP', incident_type: 'equipment_failure',
                                      severity: 'critical', template_id: 'tpl-equipment' });
  });
});
