import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';

afterEach(() => vi.restoreAllMocks());

describe('admin: station QR codes', () => {
  it('shows the chosen line’s sheet fetched as SVG, ready to print and download', async () => {
    const asked: string[] = [];
    server.use(
      http.get('*/api/plant/lines/:lineId/qr-sheet', ({ params, request }) => {
        asked.push(`${String(params.lineId)} ${request.headers.get('Accept') ?? ''}`);
        return new HttpResponse('<svg xmlns="http://www.w3.org/2000/svg"></svg>', {
          headers: { 'Content-Type': 'image/svg+xml; charset=utf-8' },
        });
      }),
    );
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:sheet');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const { user } = renderApp('/admin/qr-codes', { as: 'lin.admin' });
    await screen.findByRole('heading', { level: 2, name: '站別 QR 碼' });
    await user.selectOptions(await screen.findByLabelText('產線'), 'L-DB1');
    const image = await screen.findByRole('img', { name: '此產線各站別的 QR 碼' });
    expect(image).toHaveAttribute('src', 'blob:sheet');
    expect(screen.getByRole('link', { name: '下載 SVG' })).toHaveAttribute('download', 'qr-L-DB1.svg');
    expect(screen.getByRole('button', { name: '列印' })).toBeEnabled();
    expect(asked).toEqual(['L-DB1 image/svg+xml']);
  });
});
