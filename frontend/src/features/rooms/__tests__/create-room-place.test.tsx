import { screen, waitFor, within } from '@testing-library/react';
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { db } from '@/testing/mocks/db';
import { apiError } from '@/testing/mocks/handlers';
import { replacePlant, seedPlant } from '@/testing/mocks/plant-db';
import { addPolicy } from '@/testing/mocks/response-loop';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';

async function openDialog() {
  const utils = renderApp('/rooms', { authenticated: true });
  await screen.findByText('目前沒有事件');
  await utils.user.click(screen.getByRole('button', { name: /新增事件/ }));
  const dialog = await screen.findByRole('dialog', { name: '新增事件' });
  // the plant fills the line select
  await within(dialog).findByRole('option', { name: '黏晶 L1' });
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

const optionNames = (select: HTMLElement) => within(select).getAllByRole('option').map((option) => option.textContent);

describe('create-room dialog: place and escalation policy', () => {
  it('offers the lines grouped by area, and the stations of the chosen line only', async () => {
    const { dialog, user } = await openDialog();
    const line = within(dialog).getByLabelText('產線');
    const station = within(dialog).getByLabelText('站別');

    // grouped by area
    const groups = within(line).getAllByRole('group');
    expect(groups.map((group) => group.getAttribute('label'))).toEqual(['前段', '後段']);
    expect(within(groups[0]!).getAllByRole('option').map((o) => o.textContent)).toEqual(['黏晶 L1', '焊線 L2']);

    // no line: no station
    expect(station).toBeDisabled();
    expect(station).toHaveAccessibleDescription('請先選擇產線，才能選擇站別。');

    await user.selectOptions(line, 'L-DB1');
    expect(station).toBeEnabled();
    expect(optionNames(station)).toEqual(['不指定站別', '黏晶機 1', '黏晶機 2']);
    await user.selectOptions(station, 'DB-02');
    expect(station).toHaveValue('DB-02');

    // another line: its own stations, and the old station is cleared
    await user.selectOptions(line, 'L-WB2');
    expect(station).toHaveValue('');
    expect(optionNames(station)).toEqual(['不指定站別', '焊線機 1']);

    // a line without stations
    await user.selectOptions(line, 'L-TS5');
    expect(station).toBeDisabled();
    expect(station).toHaveAccessibleDescription('此產線沒有站別。');

    // back to no line
    await user.selectOptions(line, '');
    expect(station).toBeDisabled();
    expect(station).toHaveValue('');
  });

  it("sends line, station, equipment and the template's policy, and shows the place in the room header", async () => {
    const policy = addPolicy({ name: '設備異常升級' });
    addPolicy({ name: '品質升級' });
    db.templates[0]!.escalation_policy_id = policy.policy_id;
    const bodies = recordCreates();
    const { dialog, user, router } = await openDialog();
    await within(dialog).findByRole('option', { name: '設備異常升級' });

    await user.selectOptions(within(dialog).getByLabelText('範本'), 'tpl-equipment');
    const policySelect = within(dialog).getByLabelText('升級規則');
    expect(policySelect).toHaveValue(policy.policy_id);
    expect(policySelect).toHaveAccessibleDescription('範本預設的升級規則。');

    await user.type(within(dialog).getByLabelText(/標題/), '黏晶機 1 吸嘴異常');
    await user.selectOptions(within(dialog).getByLabelText('產線'), 'L-DB1');
    await user.selectOptions(within(dialog).getByLabelText('站別'), 'DB-01');
    await user.type(within(dialog).getByLabelText('設備編號'), ' DB-07 ');
    await user.click(within(dialog).getByRole('button', { name: '建立事件' }));

    await waitFor(() => expect(router.state.location.pathname).toBe(`/rooms/${db.rooms[0]!.room_id}`));
    expect(bodies[0]).toMatchObject({
      title: '黏晶機 1 吸嘴異常',
      template_id: 'tpl-equipment',
      line_id: 'L-DB1',
      station_id: 'DB-01',
      equipment_id: 'DB-07',
      escalation_policy_id: policy.policy_id,
    });
    expect(db.rooms[0]).toMatchObject({ area_id: 'A-FOL', line_id: 'L-DB1', station_id: 'DB-01', equipment_id: 'DB-07' });

    // the room header shows the place by name
    await screen.findByRole('heading', { level: 1, name: '黏晶機 1 吸嘴異常' });
    const list = screen.getByLabelText('位置');
    expect(within(list).getByText('區域').nextSibling).toHaveTextContent('前段');
    expect(within(list).getByText('產線').nextSibling).toHaveTextContent('黏晶 L1');
    expect(within(list).getByText('站別').nextSibling).toHaveTextContent('黏晶機 1');
    expect(within(list).getByText('設備編號').nextSibling).toHaveTextContent('DB-07');
  });

  it('sends "none" as an explicit null over a template policy, and another policy by its id', async () => {
    const policy = addPolicy({ name: '設備異常升級' });
    const other = addPolicy({ name: '品質升級' });
    db.templates[0]!.escalation_policy_id = policy.policy_id;
    const bodies = recordCreates();
    server.use(http.post('*/api/rooms', () => apiError(503, 'unavailable', 'down')));
    const { dialog, user } = await openDialog();
    await within(dialog).findByRole('option', { name: '品質升級' });

    await user.selectOptions(within(dialog).getByLabelText('範本'), 'tpl-equipment');
    await user.type(within(dialog).getByLabelText(/標題/), 'Oven');
    await user.selectOptions(within(dialog).getByLabelText('升級規則'), '');
    await user.click(within(dialog).getByRole('button', { name: '建立事件' }));
    await within(dialog).findByRole('alert');
    expect(bodies[0]).toHaveProperty('escalation_policy_id', null);
    // neither a line nor a station nor an equipment id unless chosen
    expect(bodies[0]).not.toHaveProperty('line_id');
    expect(bodies[0]).not.toHaveProperty('station_id');
    expect(bodies[0]).not.toHaveProperty('equipment_id');

    await user.selectOptions(within(dialog).getByLabelText('升級規則'), other.policy_id);
    await user.click(within(dialog).getByRole('button', { name: '建立事件' }));
    await waitFor(() => expect(bodies).toHaveLength(2));
    expect(bodies[1]).toHaveProperty('escalation_policy_id', other.policy_id);

    // without a template and without a policy the field is left out
    await user.selectOptions(within(dialog).getByLabelText('範本'), '');
    expect(within(dialog).getByLabelText('升級規則')).toHaveValue('');
    await user.selectOptions(within(dialog).getByLabelText(/類型/), 'other');
    await user.click(within(dialog).getByRole('button', { name: '建立事件' }));
    await waitFor(() => expect(bodies).toHaveLength(3));
    expect(bodies[2]).not.toHaveProperty('escalation_policy_id');
  });

  it("shows a 400 detail naming station_id next to the station select and focuses it", async () => {
    server.use(
      http.post('*/api/rooms', () =>
        apiError(400, 'validation_error', 'Unknown station on this line', {
          details: [{ field: 'station_id', message: 'not a station of the line' }],
        }),
      ),
    );
    const { dialog, user } = await openDialog();
    await user.type(within(dialog).getByLabelText(/標題/), 'Oven');
    await user.selectOptions(within(dialog).getByLabelText(/類型/), 'other');
    await user.selectOptions(within(dialog).getByLabelText('產線'), 'L-DB1');
    await user.selectOptions(within(dialog).getByLabelText('站別'), 'DB-02');
    await user.click(within(dialog).getByRole('button', { name: '建立事件' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent('請修正標示的欄位後再送出。');
    const station = within(dialog).getByLabelText('站別');
    expect(station).toHaveAttribute('aria-invalid', 'true');
    expect(station).toHaveAccessibleDescription(/此欄位的內容不正確（not a station of the line）/);
    await waitFor(() => expect(station).toHaveFocus());
    expect(within(dialog).getByLabelText('產線')).not.toHaveAttribute('aria-invalid');

    // choosing another line clears the station's error
    await user.selectOptions(within(dialog).getByLabelText('產線'), 'L-WB2');
    expect(within(dialog).getByLabelText('站別')).not.toHaveAttribute('aria-invalid');
  });

  it('shows the mock API\'s 400 for a line retired since the dialog opened next to the line select', async () => {
    const { dialog, user } = await openDialog();
    await user.type(within(dialog).getByLabelText(/標題/), 'Oven');
    await user.selectOptions(within(dialog).getByLabelText(/類型/), 'other');
    await user.selectOptions(within(dialog).getByLabelText('產線'), 'L-WB2');
    // an administrator removes line L-WB2 meanwhile
    const sites = seedPlant();
    sites[0]!.areas[0]!.lines = sites[0]!.areas[0]!.lines.filter((line) => line.line_id !== 'L-WB2');
    replacePlant(sites);
    await user.click(within(dialog).getByRole('button', { name: '建立事件' }));

    const line = within(dialog).getByLabelText('產線');
    await waitFor(() => expect(line).toHaveAttribute('aria-invalid', 'true'));
    expect(line).toHaveAccessibleDescription('此欄位的內容不正確（not a line of the plant）');
    expect(db.rooms).toHaveLength(0);
  });

  it('checks the equipment id length before sending', async () => {
    const bodies = recordCreates();
    const { dialog, user } = await openDialog();
    await user.type(within(dialog).getByLabelText(/標題/), 'Oven');
    await user.selectOptions(within(dialog).getByLabelText(/類型/), 'other');
    const equipment = within(dialog).getByLabelText('設備編號');
    await user.click(equipment);
    await user.paste('E'.repeat(65));
    await user.click(within(dialog).getByRole('button', { name: '建立事件' }));
    expect(equipment).toHaveAttribute('aria-invalid', 'true');
    expect(equipment).toHaveAccessibleDescription('最多 64 個字');
    expect(bodies).toHaveLength(0);
  });
});
