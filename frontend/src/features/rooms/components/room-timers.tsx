import { useTranslation } from 'react-i18next';
import { durationParts, formatDuration, isoDuration } from '@/lib/format';
import { useNow } from '@/lib/use-now';
import { roomTimers, type RoomTimer, type TimedRoom } from '@/features/rooms/utils/room-timers';

/** "12 分 5 秒" / "1 h 2 min 5 s": what a screen reader says instead of "12:05". */
export function useSpokenDuration() {
  const { t } = useTranslation();
  return (seconds: number) => {
    const parts = durationParts(seconds);
    return parts.hours > 0 ? t('rooms.timer.spokenHours', parts) : t('rooms.timer.spokenMinutes', parts);
  };
}

function Timer({ timer }: { timer: RoomTimer }) {
  const { t } = useTranslation();
  const spoken = useSpokenDuration();
  const label = t(`rooms.timer.${timer.kind}`);
  return (
    <span
      className={`room-timer room-timer-${timer.kind} ${timer.running ? 'running' : 'stopped'}`}
      role="timer"
      aria-label={`${label} ${spoken(timer.seconds)}`}
      data-kind={timer.kind}
    >
      <span className="room-timer-label" aria-hidden="true">
        {label}
      </span>
      <span className="room-timer-value" data-duration={isoDuration(timer.seconds)} aria-hidden="true">
        {formatDuration(timer.seconds)}
      </span>
    </span>
  );
}

/**
 * The room's elapsed timers (waiting / taken after / since taken / resolved after), ticking
 * each second while they run; stopped ones show the server's `time_to_*`.
 */
export function RoomTimers({ room, className }: { room: TimedRoom; className?: string }) {
  const now = useNow();
  const timers = roomTimers(room, now);
  if (timers.length === 0) return null;
  return (
    <span className={`room-timers ${className ?? ''}`}>
      {timers.map((timer) => (
        <Timer key={timer.kind} timer={timer} />
      ))}
    </span>
  );
}
