import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import i18n from '@/lib/i18n';
import { getSessionState } from '@/lib/session';
import { lockMinutes } from '@/features/auth/components/login-form';
import { db } from '@/testing/mocks/db';
import { apiError } from '@/testing/mocks/handlers';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';

async function submit(username: string, password: string, url = '/login') {
  const rendered = renderApp(url);
  const { user } = rendered;
  await user.type(await screen.findByLabelText('帳號'), username);
  await user.type(screen.getByLabelText('密碼'), password);
  await user.click(screen.getByRole('button', { name: '登入' }));
  return rendered;
}

describe('login page', () => {
  it('has labelled username and password fields', async () => {
    renderApp('/login');
    expect(await screen.findByRole('heading', { name: '登入' })).toBeInTheDocument();
    expect(screen.getByLabelText('帳號')).toHaveAttribute('autocomplete', 'username');
    expect(screen.getByLabelText('密碼')).toHaveAttribute('type', 'password');
  });

  it('shows "wrong username or password" for 401 invalid_credentials', async () => {
    await submit('chen.editor', 'wrong');
    expect(await screen.findByRole('alert')).toHaveTextContent('帳號或密碼錯誤');
    expect(getSessionState().status).toBe('anonymous');
  });

  it('shows the English wrong-credentials message in English', async () => {
    await i18n.changeLanguage('en');
    const { user } = renderApp('/login');
    await user.type(await screen.findByLabelText('Username'), 'chen.editor');
    await user.type(screen.getByLabelText('Password'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username or password');
  });

  it('shows the lock-out minutes (rounded up) for 423 account_locked', async () => {
    await submit('locked.user', 'whatever');
    expect(await screen.findByRole('alert')).toHaveTextContent('帳號已鎖定，請 11 分鐘後再試');
  });

  it('uses the Retry-After header, or 15 minutes, when the body has no retry_after', async () => {
    server.use(
      http.post('*/api/auth/login', () =>
        HttpResponse.json({ error: { code: 'account_locked', message: 'locked' } }, {
          status: 423,
          headers: { 'Retry-After': '240' },
        }),
      ),
    );
    await submit('someone', 'x');
    expect(await screen.findByRole('alert')).toHaveTextContent('請 4 分鐘後再試');
    expect(lockMinutes(undefined)).toBe(15);
    expect(lockMinutes(1)).toBe(1);
    expect(lockMinutes(900)).toBe(15);
  });

  it('shows "directory unavailable" for 503 directory_unavailable', async () => {
    await submit('ad.down', 'whatever');
    expect(await screen.findByRole('alert')).toHaveTextContent('目錄服務無法使用');
  });

  it('shows a validation message for 400 validation_error', async () => {
    await submit('bad user', 'whatever');
    expect(await screen.findByRole('alert')).toHaveTextContent('輸入的資料格式不正確');
  });

  it('shows a network message when the server cannot be reached', async () => {
    server.use(http.post('*/api/auth/login', () => HttpResponse.error()));
    await submit('chen.editor', 'Passw0rd!');
    expect(await screen.findByRole('alert')).toHaveTextContent('無法連線到伺服器');
  });

  it('shows the rate-limit message for 429', async () => {
    server.use(http.post('*/api/auth/login', () => apiError(429, 'rate_limited', 'slow down')));
    await submit('chen.editor', 'Passw0rd!');
    expect(await screen.findByRole('alert')).toHaveTextContent('嘗試次數過多');
  });

  it('validates empty fields before calling the server', async () => {
    const { user } = renderApp('/login');
    await user.click(await screen.findByRole('button', { name: '登入' }));
    expect(screen.getByText('請輸入帳號')).toBeInTheDocument();
    expect(screen.getByText('請輸入密碼')).toBeInTheDocument();
    expect(screen.getByLabelText('帳號')).toHaveAttribute('aria-invalid', 'true');
    expect(db.loginCalls).toBe(0);
  });

  it('logs in and goes to returnTo', async () => {
    const { router } = await submit('chen.editor', 'Passw0rd!', '/login?returnTo=%2Frooms%3Fstatus%3Dactive');
    expect(await screen.findByRole('heading', { level: 1, name: '事件列表' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/rooms');
    expect(router.state.location.search).toBe('?status=active');
    expect(screen.getByText('陳編輯')).toBeInTheDocument();
  });

  it('goes to /rooms when returnTo points outside the app', async () => {
    const { router } = await submit('chen.editor', 'Passw0rd!', '/login?returnTo=%2F%2Fevil.example');
    expect(await screen.findByRole('heading', { level: 1, name: '事件列表' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/rooms');
  });
});
