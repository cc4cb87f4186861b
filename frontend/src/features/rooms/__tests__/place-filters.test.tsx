import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db, makeRoom } from '@/testing/mocks/db';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';

/** The query strings of GET /api/rooms, in order. */
function recordRoomQueries(): URLSearchParams[] {
  const seen: URLSearchParams[] = [];
  server.events.on('request:start', ({ request }) => {
    const url = new URL(request.url);
    if (url.pathname === '/api/rooms') seen.push(url.searchParams);
  });
  return seen;
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

function listTitles(): string[] {
  const list = screen.queryByRole('list', { name: '事件' });
  return list ? within(list).getAllByRole('heading', { level: 2 }).map((h) => h.textContent ?? '') : [];
}

function seedRooms() {
  db.rooms.push(
    makeRoom({ title: '黏晶 吸嘴', area_id: 'A-FOL', line_id: 'L-DB1', station_id: 'DB-01', equipment_id: 'DB-07' }),
    makeRoom({ title: '焊線 斷線', area_id: 'A-FOL', line_id: 'L-WB2' }),
    makeRoom({ title: '封膠 溢膠', area_id: 'A-EOL', line_id: 'L-MD3' }),
  );
}

describe('room list: area and line filters', () => {
  it('passes area_id and line_id to the API and keeps them in the URL', async () => {
    seedRooms();
    const queries = recordRoomQueries();
    const { user, router } = renderApp('/rooms', { authenticated: true });
    await screen.findByText('封膠 溢膠');
    const area = screen.getByLabelText('區域');
    const line = screen.getByLabelText('產線');
    await within(area).findByRole('option', { name: '前段' });
    expect(within(area).getAllByRole('option').map((o) => o.textContent)).toEqual(['全部', '前段', '後段']);
    expect(within(line).getAllByRole('group').map((g) => g.getAttribute('label'))).toEqual(['前段', '後段']);

    await user.selectOptions(area, 'A-FOL');
    await waitFor(() => expect(listTitles()).toEqual(['黏晶 吸嘴', '焊線 斷線']));
    expect(queries.at(-1)!.get('area_id')).toBe('A-FOL');
    expect(queries.at(-1)!.get('line_id')).toBeNull();
    expect(router.state.location.search).toBe('?area_id=A-FOL');
    // only that area's lines are offered
    expect(within(line).getAllByRole('group').map((g) => g.getAttribute('label'))).toEqual(['前段']);

    await user.selectOptions(line, 'L-WB2');
    await waitFor(() => expect(listTitles()).toEqual(['焊線 斷線']));
    expect(queries.at(-1)!.get('area_id')).toBe('A-FOL');
    expect(queries.at(-1)!.get('line_id')).toBe('L-WB2');
    expect(new URLSearchParams(router.state.location.search).get('line_id')).toBe('L-WB2');

    // another area clears a line of the old one
    await user.selectOptions(area, 'A-EOL');
    await waitFor(() => expect(listTitles()).toEqual(['封膠 溢膠']));
    expect(queries.at(-1)!.get('area_id')).toBe('A-EOL');
    expect(queries.at(-1)!.get('line_id')).toBeNull();
    expect(router.state.location.search).toBe('?area_id=A-EOL');

    await user.click(screen.getByRole('button', { name: '清除篩選' }));
    await waitFor(() => expect(listTitles()).toHaveLength(3));
    expect(area).toHaveValue('');
  });

  it('reads the filters from the URL on load (and ignores ids the API would refuse)', async () => {
    seedRooms();
    const queries = recordRoomQueries();
    renderApp('/rooms?line_id=L-MD3&area_id=bad%20id', { authenticated: true });
    await screen.findByText('封膠 溢膠');
    expect(queries[0]!.get('line_id')).toBe('L-MD3');
    expect(queries[0]!.get('area_id')).toBeNull();
    expect(listTitles()).toEqual(['封膠 溢膠']);
    await waitFor(() => expect(screen.getByLabelText('產線')).toHaveValue('L-MD3'));
  });

  it('shows the place of a room as one compact line by name', async () => {
    seedRooms();
    renderApp('/rooms', { authenticated: true });
    const link = await screen.findByRole('link', { name: /黏晶 吸嘴/ });
    const place = link.querySelector('.room-place')!;
    await waitFor(() => expect(place).toHaveTextContent('前段 / 黏晶 L1 / 黏晶機 1 / 設備 DB-07'));
    expect(within(link).getByText('位置')).toBeInTheDocument();
    const plain = screen.getByRole('link', { name: /封膠 溢膠/ });
    expect(plain.querySelector('.room-place')).toHaveTextContent('後段 / 封膠 L3');
  });

  it('shows the ids of a line the plant no longer lists', async () => {
    db.rooms.push(makeRoom({ title: '舊產線', area_id: 'A-OLD', line_id: 'L-OLD', station_id: 'X-1' }));
    renderApp('/rooms', { authenticated: true });
    const link = await screen.findByRole('link', { name: /舊產線/ });
    await waitFor(() => expect(link.querySelector('.room-place')).toHaveTextContent('A-OLD / L-OLD / X-1'));
  });
});

describe('line board: area and line filters', () => {
  it('passes area_id / line_id to the API, keeps them in the URL, and still filters by free text', async () => {
    db.rooms.push(
      makeRoom({ title: '黏晶 吸嘴', area_id: 'A-FOL', line_id: 'L-DB1', created_at: minutesAgo(5) }),
      makeRoom({ title: '焊線 斷線', area_id: 'A-FOL', line_id: 'L-WB2', created_at: minutesAgo(4) }),
      makeRoom({ title: '封膠 溢膠', area_id: 'A-EOL', line_id: 'L-MD3', created_at: minutesAgo(3) }),
    );
    const queries = recordRoomQueries();
    const { user, router } = renderApp('/board?area_id=A-FOL', { authenticated: true });
    await screen.findByText('焊線 斷線');
    expect(queries[0]!.get('area_id')).toBe('A-FOL');
    expect(queries[0]!.get('status')).toBe('active');
    expect(screen.queryByText('封膠 溢膠')).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText('區域')).toHaveValue('A-FOL'));

    await user.selectOptions(screen.getByLabelText('產線'), 'L-DB1');
    await waitFor(() => expect(screen.queryByText('焊線 斷線')).not.toBeInTheDocument());
    expect(queries.at(-1)!.get('line_id')).toBe('L-DB1');
    expect(queries.at(-1)!.get('area_id')).toBe('A-FOL');
    const search = new URLSearchParams(router.state.location.search);
    expect(search.get('line_id')).toBe('L-DB1');
    // the place shows on the card
    const card = screen.getByText('黏晶 吸嘴').closest('li')!;
    await waitFor(() => expect(card).toHaveTextContent('前段 / 黏晶 L1'));

    // the free-text filter stays in the browser
    const before = queries.length;
    await user.type(screen.getByLabelText('關鍵字'), '不存在');
    expect(await screen.findByText('沒有符合篩選條件的事件。')).toBeInTheDocument();
    expect(queries.slice(before).every((q) => q.get('q') === null)).toBe(true);

    // every line, then every area again
    await user.clear(screen.getByLabelText('關鍵字'));
    await user.selectOptions(screen.getByLabelText('產線'), '');
    await user.selectOptions(screen.getByLabelText('區域'), '');
    await screen.findByText('封膠 溢膠');
    expect(queries.at(-1)!.get('area_id')).toBeNull();
    expect(queries.at(-1)!.get('line_id')).toBeNull();
  });
});
