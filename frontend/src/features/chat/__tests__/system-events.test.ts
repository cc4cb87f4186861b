import { describe, expect, it } from 'vitest';
import i18n from '@/lib/i18n';
import { systemEventText } from '@/features/chat/components/message-item';

const names: Record<string, string> = { 'wang.owner@plant.test': '王小明', 'chen.editor@plant.test': '陳編輯' };
const nameOf = (id: string) => names[id] ?? id;

describe('system events of the response loop', () => {
  it('says who took the room and after how long', () => {
    const t = i18n.getFixedT('zh-TW');
    expect(systemEventText({ event: 'room_acknowledged', user_id: 'wang.owner@plant.test', time_to_acknowledge_s: 125 }, nameOf, t)).toBe(
      '王小明 已接手處理（開啟後 2:05）',
    );
    expect(systemEventText({ event: 'room_acknowledged', user_id: 'wang.owner@plant.test' }, nameOf, t)).toBe('王小明 已接手處理');
  });

  it('says to which level it escalated and whom it notified', async () => {
    await i18n.loadLanguages('en'); // English is fetched when first chosen (only zh-TW is bundled)
    const t = i18n.getFixedT('en');
    expect(
      systemEventText({ event: 'escalated', user_id: 'system', level: 2, notified: ['wang.owner@plant.test', 'chen.editor@plant.test'] }, nameOf, t),
    ).toBe('Escalated to level 2, notified: 王小明, 陳編輯');
    expect(systemEventText({ event: 'escalated', level: 1, notified: [] }, nameOf, t)).toBe('Escalated to level 1, notified: (nobody)');
  });
});
