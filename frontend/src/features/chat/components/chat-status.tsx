import { useTranslation } from 'react-i18next';
import { useConnectionState } from '@/lib/socket/hooks';
import type { ChatMember } from '@/features/chat/types';

/** "離線中，訊息將於連線後送出" while the socket is down (the header shows the state too). */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const state = useConnectionState();
  if (state !== 'offline' && state !== 'reconnecting') return null;
  return (
    <p className={`chat-banner chat-banner-${state}`} role="status" data-testid="chat-connection-banner">
      {state === 'offline' ? t('chat.banner.offline') : t('chat.banner.reconnecting')}
    </p>
  );
}

/** "王小明 正在輸入…", two names, or "王小明 等 3 人正在輸入…". Always rendered (a polite live region). */
export function TypingIndicator({ names }: { names: string[] }) {
  const { t } = useTranslation();
  let text = '';
  if (names.length === 1) text = t('chat.typingOne', { name: names[0] });
  else if (names.length === 2) text = t('chat.typingTwo', { first: names[0], second: names[1] });
  else if (names.length > 2) text = t('chat.typingMany', { name: names[0], count: names.length });
  return (
    <p className="typing-indicator" aria-live="polite" data-testid="typing-indicator">
      {text}
    </p>
  );
}

/** Who has the room open now (from `subscribed` / `presence`). */
export function OnlineMembers({ online, members, selfId }: { online: string[]; members: ChatMember[]; selfId: string }) {
  const { t } = useTranslation();
  const byId = new Map(members.map((m) => [m.user_id, m.display_name]));
  const ids = [...new Set(online)].sort((a, b) => (a === selfId ? -1 : b === selfId ? 1 : 0));
  return (
    <aside className="chat-online" aria-labelledby="chat-online-heading">
      <h3 id="chat-online-heading">
        {t('chat.online.heading')} <span className="chat-online-count">{t('chat.online.count', { count: ids.length })}</span>
      </h3>
      <ul aria-labelledby="chat-online-heading">
        {ids.map((id) => (
          <li key={id}>
            <span className="presence-dot presence-online" aria-hidden="true" />
            {byId.get(id) ?? id.split('@')[0]}
            {id === selfId ? <span className="member-self"> {t('chat.online.you')}</span> : null}
          </li>
        ))}
      </ul>
    </aside>
  );
}
