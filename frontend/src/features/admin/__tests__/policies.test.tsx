import { screen, waitFor, within } from '@testing-library/react';
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { apiError } from '@/testing/mocks/handlers';
import { addPolicy, responseDb } from '@/testing/mocks/response-loop';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';

async function openNewPolicy() {
  const utils = renderApp('/admin/policies', { as: 'lin.admin' });
  await utils.user.click(await screen.findByRole('button', { name: '新增規則' }));
  expect(await screen.findByRole('heading', { name: '新增升級規則' })).toBeInTheDocument();
  return utils;
}

const step = (n: number) => screen.getByRole('group', { name: `第 ${n} 步` });

describe('escalation policies (admin)', () => {
  it('is for administrators only: no link and an explanation for others', async () => {
    renderApp('/admin/policies', { authenticated: true });
    expect(await screen.findByText('只有系統管理員可以使用此頁面。')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: '管理' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '新增規則' })).not.toBeInTheDocument();
  });

  it('links from the app bar for an administrator and lists the policies', async () => {
    addPolicy({
      name: '設備異常升級',
      steps: [
        { after_minutes: 5, notify: { users: [], roles: ['OWNER'], on_duty: ['L3'] } },
        { after_minutes: 15, notify: { users: ['wang.owner@plant.test'], roles: [], on_duty: [] } },
      ],
      repeat: 2,
    });
    const { user } = renderApp('/rooms', { as: 'lin.admin' });
    await user.click(await screen.findByRole('link', { name: '管理' }));
    const card = (await screen.findByRole('heading', { name: '設備異常升級' })).closest('li')!;
    expect(card).toHaveTextContent('5 分鐘後：擁有者、值班（L3）');
    expect(card).toHaveTextContent('15 分鐘後：1 位人員');
    expect(card).toHaveTextContent('最後一步再重複 2 次');
  });

  it('shows the checks next to their fields before sending anything', async () => {
    const { user } = await openNewPolicy();
    await user.clear(screen.getByLabelText('最後一步重複次數'));
    await user.type(screen.getByLabelText('最後一步重複次數'), '9');
    await user.click(screen.getByRole('button', { name: '新增步驟' }));
    const second = within(step(2)).getByLabelText('事件開啟後幾分鐘');
    await user.clear(second);
    await user.type(second, '10');
    await user.clear(within(step(1)).getByLabelText('事件開啟後幾分鐘'));
    await user.type(within(step(1)).getByLabelText('事件開啟後幾分鐘'), '30');
    await user.type(within(step(2)).getByLabelText('值班產線'), 'L3, bad/line');
    await user.click(screen.getByRole('button', { name: '儲存' }));

    expect(screen.getByRole('alert')).toHaveTextContent('請修正標示的欄位後再送出。');
    const name = screen.getByLabelText(/^名稱/);
    expect(name).toHaveAccessibleDescription('請輸入名稱');
    expect(name).toHaveFocus();
    expect(screen.getByLabelText('最後一步重複次數')).toHaveAccessibleDescription(/請輸入 0 到 5 的整數/);
    expect(within(step(1)).getByText('此步驟至少要通知一個對象（人員、角色或值班產線）')).toBeInTheDocument();
    expect(within(step(2)).getByLabelText('事件開啟後幾分鐘')).toHaveAccessibleDescription(/須大於或等於上一步的 30 分鐘/);
    expect(within(step(2)).getByLabelText('值班產線')).toHaveAccessibleDescription(/產線代碼「bad\/line」格式不正確/);
    expect(responseDb.requests).toEqual([]);
  });

  it("shows the API's 400 details next to the fields they name", async () => {
    server.use(
      http.post('*/api/escalation-policies', () =>
        apiError(400, 'validation_error', 'Invalid input', {
          details: [
            { field: 'name', message: 'String should have at most 100 characters' },
            { field: 'steps.0.notify.users', message: "Value error, not a user id (e-mail): 'x'" },
            { field: 'steps.0.notify.roles.1', message: "Input should be 'OWNER', 'EDITOR' or 'VIEWER'" },
            { field: 'body.unexpected', message: 'Extra inputs are not permitted' },
          ],
        }),
      ),
    );
    const { user } = await openNewPolicy();
    await user.type(screen.getByLabelText(/^名稱/), '夜班升級');
    await user.click(within(step(1)).getByRole('checkbox', { name: '擁有者' }));
    await user.click(screen.getByRole('button', { name: '儲存' }));

    expect(await screen.findByText('此欄位的內容不正確（String should have at most 100 characters）')).toBeInTheDocument();
    expect(screen.getByLabelText(/^名稱/)).toHaveAccessibleDescription(/at most 100 characters/);
    expect(within(step(1)).getByLabelText('指定人員')).toHaveAccessibleDescription(/not a user id/);
    expect(within(step(1)).getByRole('group', { name: '事件中的角色' })).toHaveAccessibleDescription(/OWNER', 'EDITOR' or 'VIEWER/);
    expect(screen.getByRole('alert')).toHaveTextContent('請修正標示的欄位後再送出。');
  });

  it('creates a policy with users from the picker, roles and lines on duty', async () => {
    const { user } = await openNewPolicy();
    await user.type(screen.getByLabelText(/^名稱/), '設備異常升級');
    await user.clear(screen.getByLabelText('最後一步重複次數'));
    await user.type(screen.getByLabelText('最後一步重複次數'), '1');
    await user.clear(within(step(1)).getByLabelText('事件開啟後幾分鐘'));
    await user.type(within(step(1)).getByLabelText('事件開啟後幾分鐘'), '5');
    await user.click(within(step(1)).getByRole('checkbox', { name: '擁有者' }));
    await user.click(screen.getByRole('button', { name: '新增步驟' }));
    expect(within(step(2)).getByLabelText('事件開啟後幾分鐘')).toHaveValue(20);
    await user.type(within(step(2)).getByLabelText('指定人員'), '王');
    await user.click(await within(step(2)).findByRole('button', { name: '加入 王小明' }));
    expect(within(step(2)).getByRole('button', { name: '移除 王小明' })).toBeInTheDocument();
    await user.type(within(step(2)).getByLabelText('值班產線'), 'L3 SMT-1');
    await user.click(screen.getByRole('button', { name: '儲存' }));

    expect(await screen.findByText('已儲存。')).toBeInTheDocument();
    expect(responseDb.requests.at(-1)).toMatchObject({
      method: 'POST',
      body: {
        name: '設備異常升級',
        repeat: 1,
        steps: [
          { after_minutes: 5, notify: { users: [], roles: ['OWNER'], on_duty: [] } },
          { after_minutes: 20, notify: { users: ['wang.owner@plant.test'], roles: [], on_duty: ['L3', 'SMT-1'] } },
        ],
      },
    });
    expect(await screen.findByRole('heading', { name: '設備異常升級' })).toBeInTheDocument();
  });

  it('edits a policy (names of stored users shown) and deletes one after confirming', async () => {
    const policy = addPolicy({
      name: '品質異常',
      steps: [{ after_minutes: 10, notify: { users: ['wang.owner@plant.test'], roles: [], on_duty: [] } }],
    });
    addPolicy({ name: 'Keep me' });
    const { user } = renderApp('/admin/policies', { as: 'lin.admin' });
    await user.click(await screen.findByRole('button', { name: '編輯「品質異常」' }));
    expect(await within(step(1)).findByRole('button', { name: '移除 王小明' })).toBeInTheDocument();
    const name = screen.getByLabelText(/^名稱/);
    await user.clear(name);
    await user.type(name, '品質異常（夜班）');
    await user.click(screen.getByRole('button', { name: '儲存' }));
    expect(await screen.findByRole('heading', { name: '品質異常（夜班）' })).toBeInTheDocument();
    expect(responseDb.requests.at(-1)).toMatchObject({ method: 'PATCH', path: `/api/escalation-policies/${policy.policy_id}` });

    await user.click(screen.getByRole('button', { name: '刪除「品質異常（夜班）」' }));
    const dialog = await screen.findByRole('alertdialog', { name: '刪除升級規則？' });
    await user.click(within(dialog).getByRole('button', { name: '刪除' }));
    await waitFor(() => expect(screen.queryByRole('heading', { name: '品質異常（夜班）' })).not.toBeInTheDocument());
    expect(screen.getByRole('heading', { name: 'Keep me' })).toBeInTheDocument();
    expect(responseDb.policies.map((p) => p.name)).toEqual(['Keep me']);
  });
});
